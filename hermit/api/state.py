"""What a running service holds: the open store, the Screener built from it, and the
current entities in memory for building responses.

The store is opened once, read-write, by the service process (DuckDB allows one writing
process per file: while the service runs, the command line reaches the store through the
service). Every request works on its own cursor; writes go through ``write()``, which
serialises them. When a write changes what screening sees (a list load, a suppression),
``refresh`` rebuilds the parts that depend on it and swaps them in at once, so a request
never sees half of a change.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb

from hermit.api.settings import ServiceSettings
from hermit.model import Entity
from hermit.screening.engine import Screener
from hermit.screening.result import ListVersion
from hermit.screening.suppressions import SuppressionIndex
from hermit.store import Store, read
from hermit.store.records import VersionInfo

log = logging.getLogger("hermit.api")


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One consistent view for answering requests: the Screener, the current entities
    by id, the list versions they come from."""

    screener: Screener
    entities: dict[str, Entity]
    versions: tuple[VersionInfo, ...]
    built_at: float
    build_seconds: float

    @property
    def datasets(self) -> tuple[str, ...]:
        return tuple(v.dataset for v in self.versions)

    @property
    def lists(self) -> tuple[ListVersion, ...]:
        return self.screener.info.lists


class ServiceState:
    """The store and the current Snapshot of one service process."""

    def __init__(self, settings: ServiceSettings) -> None:
        self.settings = settings
        self.store = Store(settings.store_path)
        self._write_lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self.started_at = time.time()

    # -- the snapshot
    def build(self) -> Snapshot:
        """Build (or rebuild) the Snapshot from the store and make it current."""
        began = time.perf_counter()
        with self.cursor() as cur:
            decisions = SuppressionIndex.from_store(cur)
            screener = Screener.from_persisted(
                cur,
                self.settings.store_path,
                suppressions=decisions.lookup if len(decisions) else None,
                notify=log.info,
            )
            entities = {e.id: e for e in read.iter_entities(cur)}
            latest: dict[str, VersionInfo] = {}
            for v in read.versions(cur):
                latest[v.dataset] = v
        snapshot = Snapshot(
            screener=screener,
            entities=entities,
            versions=tuple(latest[k] for k in sorted(latest)),
            built_at=time.time(),
            build_seconds=time.perf_counter() - began,
        )
        self._snapshot = snapshot
        return snapshot

    def refresh_suppressions(self) -> None:
        """Re-read the standing suppressions into the current Screener."""
        snapshot = self.snapshot
        with self.cursor() as cur:
            decisions = SuppressionIndex.from_store(cur)
        snapshot.screener.suppressions = decisions.lookup if len(decisions) else None

    @property
    def ready(self) -> bool:
        return self._snapshot is not None

    @property
    def snapshot(self) -> Snapshot:
        if self._snapshot is None:
            raise RuntimeError("the service is not ready (the index is being built)")
        return self._snapshot

    # -- the store
    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of its own for one request's reads."""
        cur = self.store.con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    @contextmanager
    def write(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor for a write, one writer at a time (callers keep their own
        transactions: BEGIN/COMMIT or a single statement)."""
        with self._write_lock, self.cursor() as cur:
            yield cur

    def close(self) -> None:
        self.store.close()
