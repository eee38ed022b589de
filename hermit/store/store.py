"""The Store: one DuckDB file; open it, load list versions into it, read from it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from hermit.dbfiles import connect
from hermit.errors import StoreError
from hermit.store import ddl, read
from hermit.store.records import EntityChange, LoadResult, StoredEntity, StoreStats, VersionInfo

if TYPE_CHECKING:
    import duckdb

    from hermit.model import Entity
    from hermit.sources.ofac_companions import PreviousCompanions
    from hermit.sources.snapshot import ListSnapshot
    from hermit.store.parties import PartyChange
    from hermit.store.state import StateDB

ENV_STORE = "HERMIT_STORE"


def default_store_path() -> Path:
    """$HERMIT_STORE, else $XDG_DATA_HOME/hermit/hermit.duckdb (~/.local/share/...)."""
    env = os.environ.get(ENV_STORE)
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "hermit" / "hermit.duckdb"


def _locked(exc: Exception) -> bool:
    return "lock" in str(exc).lower()


def open_duckdb(path: Path, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    """The DuckDB file at ``path``, waiting while another process holds it (DuckDB lets
    one process write a file, and a writer keeps readers out): up to ``lock_wait_s`` of
    resources/sharing.yaml, then StoreError saying so."""
    import time

    import duckdb  # here, not at import: a screen served from the index needs none

    delay = 0.05
    deadline: float | None = None
    while True:
        try:
            return connect(path, read_only=read_only)
        except duckdb.IOException as exc:
            if not _locked(exc):
                raise StoreError(f"{path}: cannot open the store: {exc}") from exc
            if deadline is None:
                from hermit.store.sharing import sharing

                deadline = time.monotonic() + sharing().lock_wait_s
            if time.monotonic() >= deadline:
                raise StoreError(
                    f"{path}: another process has held the store for longer than the "
                    f"{sharing().lock_wait_s:.0f} s hermit waits (resources/sharing.yaml): {exc}"
                ) from exc
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
        except duckdb.Error as exc:
            raise StoreError(f"{path}: not a hermit store or damaged: {exc}") from exc


class Store:
    """An open store. Use as a context manager. One process writes the DuckDB file at a
    time (another waits: ``open_duckdb``); the service's state beside it (``state``:
    keys, audit log, jobs, suppressions) takes writes from any number of processes."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        if read_only and not path.exists():
            raise StoreError(f"{path}: no store here yet (load a list first)")
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        self.con = open_duckdb(path, read_only=read_only)
        self._state: StateDB | None = None
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

    @property
    def state(self) -> StateDB:
        """The service state beside this store (opened on first use)."""
        if self._state is None:
            from hermit.store.state import StateDB

            self._state = StateDB.open(self.path, lists=self.con)
        return self._state

    def close(self) -> None:
        if self._state is not None:
            self._state.close()
            self._state = None
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
        publish: bool = True,
    ) -> LoadResult:
        """Store ``snapshot`` as the dataset's next version, atomically; refused
        (guard.LargeChangeError, the store unchanged) if it would remove more of the
        current version than ``resources/loads.yaml`` allows, unless
        ``allow_large_change``. The lists are then published for the service
        (hermit.store.published); ``publish=False`` leaves that to the caller
        (``publish()`` once after several loads, so a running service never builds the
        index of a half-loaded batch)."""
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only")
        from hermit.store import (
            load,  # pyarrow and the sources: only for a load
            published,
        )

        progress = on_progress or (lambda _stage: None)
        result = load.load_snapshot(
            self.con, snapshot, progress, allow_large_change=allow_large_change
        )
        if publish and not published.is_current(self.path, self.con):
            progress("publishing the new version for the service")
            published.publish(self.path, self.con)
        return result

    def publish(self) -> None:
        """Publish the current lists for the service (hermit.store.published), unless
        they are published already."""
        from hermit.store import published

        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only")
        if not published.is_current(self.path, self.con):
            published.publish(self.path, self.con)

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
