"""The embedded store: a DuckDB file holding every version of every loaded list."""

from hermit.store.store import Store, default_store_path

__all__ = ["Store", "default_store_path"]
