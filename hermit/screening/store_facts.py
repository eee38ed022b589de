"""What a single screen reads of the store besides the index, kept beside the index so
that a screen of an unchanged store opens no database.

A screen needs of the store only its current list versions (which persisted index to
read) and the standing suppression decisions with the state of the entities they name.
Opening the DuckDB file for them costs a tenth of a second of every ``hermit screen``
(importing DuckDB, opening and closing the file), a fifth of the whole command. So each
time a process reads them from the store it also writes them to
``hermit.index/store-facts.pickle``, with what they were read from:

- the store file's identity and state (device, inode, size, modification time in
  nanoseconds), and that it had no write-ahead log (``hermit.duckdb.wal``: committed
  writes not yet in the file);
- the revision of the suppressions in the service state beside the store
  (hermit.store.state: bumped by every decision recorded or withdrawn, from the command
  line or a running service);
- the digest of hermit's screening code and tables (fingerprint.code_digest), so
  another hermit never unpickles what this one wrote.

A later screen uses the file only while all of that is unchanged; a list load changes
the store file's modification time or size, or leaves a log, a decision changes the
revision, and the next screen reads the store again (keys, jobs and the audit log are
in the state database and change nothing a screen reads).
The facts are written only when the store was last modified more than QUIET_SECONDS
before they were read (a write in the same clock tick as the read could otherwise
leave the time unchanged), and only when the file's state did not change while they
were read. A file that cannot be read or written is ignored: the store is the truth.
"""

from __future__ import annotations

import os
import pickle
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hermit.screening import fingerprint
from hermit.screening.persisted import index_folder
from hermit.screening.result import ListVersion
from hermit.screening.suppressions import SuppressionIndex
from hermit.screening.suppressions.entity_state import EntityState, entity_states
from hermit.screening.suppressions.records import Suppression, listed

if TYPE_CHECKING:
    import duckdb

    from hermit.store.state import StateDB

NAME = "store-facts.pickle"
#: A store modified less than this long before its facts are read is not summarized.
QUIET_SECONDS = 2.0
_FORMAT = 2

#: device, inode, size, mtime (ns) of the store file; the suppressions' revision.
Signature = tuple[int, int, int, int, int]


@dataclass(frozen=True, slots=True)
class StoreFacts:
    """The store's current list versions and standing decisions (with the state of the
    entities they name), as a screen needs them."""

    lists: tuple[ListVersion, ...]
    decisions: tuple[Suppression, ...]
    states: dict[str, EntityState]

    @classmethod
    def read(cls, con: duckdb.DuckDBPyConnection, db: StateDB) -> StoreFacts:
        """The facts of the list store ``con`` and its state ``db``."""
        from hermit.screening.engine import list_versions

        decisions = listed(db)
        states = entity_states(con, {s.entity_id for s in decisions})
        return cls(list_versions(con), tuple(decisions), states)

    def suppressions(self) -> SuppressionIndex:
        return SuppressionIndex(list(self.decisions), self.states)


def signature(store_path: Path) -> Signature | None:
    """The store file's identity and state and the suppressions' revision; None when
    the file has a write-ahead log (or is not there: its content is then not the file's
    alone) or the revision cannot be read."""
    from hermit.store import state

    try:
        st = os.stat(store_path)
    except OSError:
        return None
    if os.path.exists(f"{store_path}.wal"):
        return None
    revision = state.revision(store_path, "suppressions")
    if revision is None:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, revision)


def _path(store_path: Path) -> Path:
    return index_folder(store_path) / NAME


def cached(store_path: Path) -> StoreFacts | None:
    """The facts kept for the store as it is now, or None (none kept, or the store or
    hermit changed since)."""
    now = signature(store_path)
    if now is None:
        return None
    try:
        with open(_path(store_path), "rb") as handle:
            head = pickle.load(handle)
            if head != (_FORMAT, now, fingerprint.code_digest()):
                return None
            facts = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
        return None
    return facts if isinstance(facts, StoreFacts) else None


def keep(store_path: Path, before: Signature | None, facts: StoreFacts) -> bool:
    """Write ``facts``, read from the store whose signature was ``before`` just before
    they were read, if the store did not change since and had been quiet; True when
    written."""
    if before is None or signature(store_path) != before:
        return False
    if time.time_ns() - before[3] < QUIET_SECONDS * 1e9:
        return False
    path = _path(store_path)
    tmp = path.with_name(f".{NAME}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as handle:
            pickle.dump((_FORMAT, before, fingerprint.code_digest()), handle, protocol=5)
            pickle.dump(facts, handle, protocol=5)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        return False
    return True
