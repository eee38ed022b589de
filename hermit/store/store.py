"""The Store: one DuckDB file; open it, load list versions into it, read from it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from hermit.errors import StoreError
from hermit.store import ddl, read
from hermit.store.records import EntityChange, LoadResult, StoredEntity, StoreStats, VersionInfo

if TYPE_CHECKING:
    from hermit.model import Entity
    from hermit.sources.ofac_companions import PreviousCompanions
    from hermit.sources.snapshot import ListSnapshot
    from hermit.store.parties import PartyChange

ENV_STORE = "HERMIT_STORE"


def default_store_path() -> Path:
    """$HERMIT_STORE, else $XDG_DATA_HOME/hermit/hermit.duckdb (~/.local/share/...)."""
    env = os.environ.get(ENV_STORE)
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "hermit" / "hermit.duckdb"


class Store:
    """An open store. Use as a context manager; one writer process at a time."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        if read_only and not path.exists():
            raise StoreError(f"{path}: no store here yet (load a list first)")
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        import duckdb  # here, not at import: a screen served from the index needs none

        try:
            self.con = duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            raise StoreError(f"{path}: cannot open the store: {exc}") from exc
        except duckdb.Error as exc:
            raise StoreError(f"{path}: not a hermit store or damaged: {exc}") from exc
        # DuckDB draws a progress bar on stdout for a query over 2 s (a load's checks
        # on a busy machine): it would garble hermit's own output (--json too)
        self.con.execute("SET enable_progress_bar = false")
        if not read_only:
            self._migrate()
        else:
            self._check_schema()

    def _migrate(self) -> None:
        self.con.execute(ddl.TABLES)
        self.con.execute(ddl.MIGRATIONS)
        self.con.execute(ddl.VIEWS)
        found = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if found is None:
            self.con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [ddl.SCHEMA_VERSION])
        elif found[0] != ddl.SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: store schema version {found[0]}, this hermit needs "
                f"{ddl.SCHEMA_VERSION}"
            )

    def _check_schema(self) -> None:
        import duckdb

        try:
            self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: not a hermit store: {exc}") from exc

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # writing
    def load(
        self,
        snapshot: ListSnapshot,
        on_progress: Callable[[str], None] | None = None,
        *,
        allow_large_change: bool = False,
    ) -> LoadResult:
        """Store ``snapshot`` as the dataset's next version, atomically; refused
        (guard.LargeChangeError, the store unchanged) if it would remove more of the
        current version than ``resources/loads.yaml`` allows, unless
        ``allow_large_change``."""
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only")
        from hermit.store import load  # pyarrow and the sources: only for a load

        return load.load_snapshot(
            self.con,
            snapshot,
            on_progress or (lambda _stage: None),
            allow_large_change=allow_large_change,
        )

    def load_all(
        self,
        snapshots: list[ListSnapshot],
        on_progress: Callable[[str], None] | None = None,
        *,
        allow_large_change: bool = False,
    ) -> list[LoadResult]:
        """Store every snapshot as its dataset's next version, all in one transaction:
        if one is refused, none is stored."""
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only")
        from hermit.store import load

        return load.load_snapshots(
            self.con,
            snapshots,
            on_progress or (lambda _stage: None),
            allow_large_change=allow_large_change,
        )

    # reading
    def previous_companions(self, dataset: str) -> PreviousCompanions | None:
        """What the newest version of the OFAC list ``dataset`` read its companion
        files from (for ``--companions keep-previous``)."""
        return read.previous_companions(self.con, dataset)

    def versions(self, dataset: str | None = None) -> list[VersionInfo]:
        return read.versions(self.con, dataset)

    def latest(self, dataset: str) -> VersionInfo | None:
        found = read.versions(self.con, dataset)
        return found[-1] if found else None

    def entity(self, entity_id: str) -> StoredEntity | None:
        return read.stored_entity(self.con, entity_id)

    def entities(self, dataset: str | None = None, schema: str | None = None) -> Iterator[Entity]:
        return read.iter_entities(self.con, dataset=dataset, schema=schema)

    def stats(self) -> StoreStats:
        return read.stats(self.con)

    def diff(
        self, dataset: str, from_seq: int | None = None, to_seq: int | None = None
    ) -> tuple[VersionInfo | None, VersionInfo, list[EntityChange]]:
        from hermit.store import diff

        return diff.diff_versions(self.con, dataset, from_seq, to_seq)

    def party_diff(
        self, dataset: str, from_seq: int | None = None, to_seq: int | None = None
    ) -> tuple[VersionInfo | None, VersionInfo, list[PartyChange]]:
        """The diff by listed party, each party's records rolled up under it."""
        from hermit.store import parties

        older, newer, changes = self.diff(dataset, from_seq, to_seq)
        start = 0 if older is None else older.seq
        return older, newer, parties.party_changes(self.con, dataset, start, newer.seq, changes)
