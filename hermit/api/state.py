"""What a running service holds: the open store, the Screener built from it, and the
current entities in memory for building responses.

The service never holds the store file: it reads the newest published list version
(hermit.store.published: an immutable copy, opened read-only, so the command line loads
lists while the service runs), every request on its own cursor; a list load through the
API is made by a process of its own (hermit.api.list_load; one at a time:
``writing()``). The service's own state (keys, audit log, jobs, suppressions) is in the
state database beside the store (``state()``), which other processes write too. When
something changes what screening sees (a new published version, a suppression),
``build`` or ``refresh_suppressions`` rebuilds the parts that depend on it and swaps them
in at once, so a request never sees half of a change.
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
from hermit.errors import StoreError
from hermit.model import Entity
from hermit.screening.engine import Screener
from hermit.screening.result import ListVersion
from hermit.screening.suppressions import SuppressionIndex
from hermit.store import Store, published, read
from hermit.store.records import VersionInfo
from hermit.store.state import StateDB
from hermit.store.store import open_duckdb

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
    """The published list version and the current Snapshot of one service process."""

    def __init__(self, settings: ServiceSettings) -> None:
        self.settings = settings
        path = settings.store_path
        # once, as a writer (waiting while another process loads): the store's schema
        # up to date, its lists published, its service state moved beside it
        with Store(path) as store:
            store.publish()
            store.state.close()
        self._db = StateDB.open(path)
        self._db_lock = threading.RLock()
        #: The suppressions revision the current Screener's decisions were read at.
        self.suppressions_revision = -1
        self._write_lock = threading.Lock()
        self._build_lock = threading.RLock()
        self._snapshot: Snapshot | None = None
        self.started_at = time.time()
        found = published.current(path)
        if found is None:
            raise StoreError(f"{path}: no published list version (hermit.store.published)")
        self._con = open_duckdb(found, read_only=True)
        self.published = found
        #: Connections of earlier versions, kept open while requests may read them.
        self._older: list[duckdb.DuckDBPyConnection] = []

    # -- the snapshot
    def build(self) -> Snapshot:
        """Build (or rebuild) the Snapshot from the newest published version and make
        it current (the version's file and the Snapshot swapped in together)."""
        with self._build_lock:
            began = time.perf_counter()
            found = published.current(self.settings.store_path) or self.published
            con = self._con if found == self.published else open_duckdb(found, read_only=True)
            cur = con.cursor()
            try:
                with self.state() as db:
                    revision = db.revision("suppressions")
                    decisions = SuppressionIndex.from_store(db, cur)
                screener = Screener.from_persisted(
                    cur,
                    self.settings.store_path,
                    suppressions=decisions.lookup if len(decisions) else None,
                    notify=log.info,
                )
                entities = _entities(cur, self._snapshot)
                latest: dict[str, VersionInfo] = {}
                for v in read.versions(cur):
                    latest[v.dataset] = v
            except BaseException:
                if con is not self._con:
                    con.close()
                raise
            finally:
                cur.close()
            snapshot = Snapshot(
                screener=screener,
                entities=entities,
                versions=tuple(latest[k] for k in sorted(latest)),
                built_at=time.time(),
                build_seconds=time.perf_counter() - began,
            )
            if con is not self._con:
                self._older.append(self._con)
                while len(self._older) > 2:  # requests take seconds at most
                    self._older.pop(0).close()
                self._con, self.published = con, found
            self._snapshot = snapshot
            self.suppressions_revision = revision
            return snapshot

    def build_if_outdated(self) -> Snapshot | None:
        """Build from a newer published version, if there is one (None: there is not,
        or another thread built it meanwhile)."""
        with self._build_lock:
            return self.build() if self.outdated() else None

    def outdated(self) -> bool:
        """Whether a newer list version was published than the one in use."""
        found = published.current(self.settings.store_path)
        return found is not None and found != self.published

    def refresh_suppressions(self) -> None:
        """Re-read the standing suppressions into the current Screener (the revision
        first: a decision recorded meanwhile is read again at the next refresh)."""
        snapshot = self.snapshot
        with self.cursor() as cur, self.state() as db:
            revision = db.revision("suppressions")
            decisions = SuppressionIndex.from_store(db, cur)
            snapshot.screener.suppressions = decisions.lookup if len(decisions) else None
            self.suppressions_revision = revision

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
        """A cursor of its own for one request's reads, on the version in use."""
        cur = self._con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """One list load at a time from this process (hermit.api.list_load: its own
        process opens the store for writing, waiting while another process holds it). A
        load publishes the new version; ``build()`` then swaps it in here, and the
        service's other processes see it within ``poll_s``."""
        with self._write_lock:
            yield

    @contextmanager
    def state(self) -> Iterator[StateDB]:
        """The service state (keys, audit log, jobs, suppressions), for one thread at a
        time (its connection is shared; other processes write it beside this one)."""
        with self._db_lock:
            yield self._db

    def close(self) -> None:
        self._db.close()
        for con in [*self._older, self._con]:
            con.close()


def _entities(cur: duckdb.DuckDBPyConnection, serving: Snapshot | None) -> dict[str, Entity]:
    """The current entities by id; each one the snapshot ``serving`` holds the same
    (its values and provenance: a list the load did not change) is that object, not a
    second copy, so that the old and the new snapshot, held at once while the new one is
    built, share them (an entity read back is never changed)."""
    held = serving.entities if serving is not None else {}
    entities: dict[str, Entity] = {}
    for entity in read.iter_entities(cur):
        same = held.get(entity.id)
        entities[entity.id] = same if same is not None and same == entity else entity
    return entities
