"""Connecting to a DuckDB file from several threads of one process.

The Python client (duckdb 2.0.1) shares one database instance among a process's
connections to the same file. When two threads connect at the same moment and no
connection holds the instance yet, one of them can be handed the new instance before
the client has registered its Python table functions in it; its first query over a
``register``ed Arrow table then fails with "Table Function with name python_arrow_scan
does not exist". The web map's encounter asks for both vessels' tracks at once
(GET /ais/tracks twice, each request on its own thread with its own AisStore, whose
reference tables are Arrow tables): one of them failed now and then, and the encounter
box never showed (issue 15). Connecting one thread at a time prevents it; the queries
of the connections still run side by side."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

_connecting = threading.Lock()


def connect(path: Path, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    """``duckdb.connect(path, read_only=...)``, one thread of the process at a time."""
    import duckdb  # here, not at import: a screen served from the index needs none

    with _connecting:
        return duckdb.connect(str(path), read_only=read_only)
