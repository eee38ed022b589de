"""The screening index persisted beside the store: prepared once per list-version set.

Preparing the listed entities and building the candidate index takes seconds; a single
screen needs a few of its entries. So the prepared objects (the ListedEntity of every
screened entity, sealed, and the CandidateIndex) are written once, when lists are
loaded, to a file beside the store (``hermit.duckdb`` -> ``hermit.index/KEY.idx``), and
read from there by every screen, bulk run and service start.

- **Key.** A file holds the index of one set of list versions (dataset, version number
  and content SHA-256 of each list's current version) prepared by one code: the
  screening algorithms' names and ``fingerprint.code_digest()`` (the source of the
  preparing modules, the reference tables, the libraries' versions). The file's name is
  a digest of that key, and the header repeats the key, checked on reading. A new list
  version, a changed table or module, another library version: another key, so a
  stale file is never served; it is rebuilt, and the old files are removed.
- **Format.** index_file: pickles (protocol 5, the collector paused while loading)
  with the big dicts sharded, every part and shard checked against its SHA-256 before
  it is unpickled. A damaged file is rebuilt with a warning, never served.
- **Lazy or whole.** A single screen (``lazy=True``) reads and unpickles only the
  shards its query touches (a damaged one raises IndexFileError during the screen: the
  CLI then rebuilds and screens again); a bulk run or a service reads and checks
  everything at once (plain dicts, as a fresh build gives them).

Files are immutable once written (written to a temporary name, then renamed), so a
process reading one never sees another one half-written.
"""

from __future__ import annotations

import gc
import hashlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from hermit.screening import algorithms, fingerprint
from hermit.screening.candidates import CandidateIndex
from hermit.screening.index_file import (
    IndexFile,
    IndexFileError,
    ShardedDict,
    shardable,
    write_index_file,
)
from hermit.screening.listed import ListedEntity
from hermit.screening.result import ListVersion

if TYPE_CHECKING:
    import duckdb

SUFFIX = ".idx"
#: Listed entities per shard (a single screen unpickles the shards of its candidates).
ENTITIES_PER_SHARD = 4
#: Index dicts with at least this many entries are sharded, this many entries a shard.
SHARD_MIN_ITEMS = 10_000
ITEMS_PER_SHARD = 128
#: Notified of what happens to the index (built, rebuilt and why), for a person.
Notify = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class IndexKey:
    """What a persisted index was built from and by."""

    lists: tuple[ListVersion, ...]
    algorithms: tuple[tuple[str, str], ...]
    code: str

    @classmethod
    def current(cls, lists: tuple[ListVersion, ...]) -> IndexKey:
        named = algorithms.algorithms()
        return cls(lists, tuple(sorted(named.items())), fingerprint.code_digest())

    def as_dict(self) -> dict[str, Any]:
        return {
            "lists": [[v.dataset, v.seq, v.content_sha256] for v in self.lists],
            "algorithms": dict(self.algorithms),
            "code": self.code,
        }

    @property
    def digest(self) -> str:
        return hashlib.sha256(orjson.dumps(self.as_dict(), option=orjson.OPT_SORT_KEYS)).hexdigest()

    def describe(self) -> str:
        return ", ".join(f"{v.dataset} v{v.seq}" for v in self.lists) or "no lists"


def index_folder(store_path: Path) -> Path:
    """Where a store's persisted indexes live: ``hermit.index/`` beside ``hermit.duckdb``."""
    return store_path.parent / f"{store_path.stem}.index"


def index_path(store_path: Path, key: IndexKey) -> Path:
    return index_folder(store_path) / f"{key.digest[:32]}{SUFFIX}"


def save_index(
    path: Path, key: IndexKey, entities: dict[str, ListedEntity], index: CandidateIndex
) -> int:
    """Write the prepared entities and their index to ``path``; its size in bytes."""
    parts: dict[str, tuple[object, int | None]] = {"entities": (entities, ENTITIES_PER_SHARD)}
    layout: dict[str, Any]
    if hasattr(index, "__dict__"):
        rest: dict[str, object] = {}
        shared, sharded = [], []
        state = index.state()
        for name, value in state.items():
            if value is entities:
                shared.append(name)
            elif shardable(value, SHARD_MIN_ITEMS):
                sharded.append(name)
                parts[f"index.{name}"] = (value, ITEMS_PER_SHARD)
            else:
                rest[name] = value
        parts["index"] = (rest, None)
        layout = {"attributes": list(state), "entities": shared, "sharded": sharded}
    else:  # no attribute dict to split: both whole, in one pickle (never lazy)
        parts = {"whole": ((entities, index), None)}
        layout = {"whole": True}
    header = {"key": key.as_dict(), "built_at": time.time(), "layout": layout}
    header["entity_count"] = len(entities)
    return write_index_file(path, header, parts)


def load_index(
    path: Path, key: IndexKey, *, lazy: bool
) -> tuple[Mapping[str, ListedEntity], CandidateIndex]:
    """The entities and index stored at ``path``, if they were built for ``key``
    (IndexFileError otherwise, or when the file is damaged)."""
    found = IndexFile(path, whole=not lazy)
    if found.header.get("key") != key.as_dict():
        raise IndexFileError(f"{path}: built for other lists or another hermit")
    try:
        unpacked = _unpack(found, lazy)
    except IndexFileError:
        raise
    except Exception as exc:  # a checked file that still does not unpickle
        raise IndexFileError(f"{path}: cannot be read ({type(exc).__name__}: {exc})") from exc
    if not lazy:
        # A million objects that live as long as the process: out of the collector's
        # reach, or its first full collection walks them all (0.3 s) for nothing.
        gc.freeze()
    return unpacked


def _unpack(found: IndexFile, lazy: bool) -> tuple[Mapping[str, ListedEntity], CandidateIndex]:
    layout = found.header["layout"]
    if layout.get("whole"):
        whole, index = found.part("whole")
        if not isinstance(index, CandidateIndex):
            raise IndexFileError(f"{found.path}: holds no candidate index")
        return whole, index
    entities: Mapping[str, ListedEntity] = found.part("entities")
    if not lazy and isinstance(entities, ShardedDict):
        entities = entities.materialize()
    state: dict[str, Any] = found.part("index")
    for name in layout["sharded"]:
        part = found.part(f"index.{name}")
        state[name] = part if lazy else part.materialize()
    for name in layout["entities"]:
        state[name] = entities
    index = CandidateIndex.from_state({name: state[name] for name in layout["attributes"]})
    return entities, index


def persisted_only(
    store_path: Path, lists: tuple[ListVersion, ...], *, lazy: bool
) -> tuple[Mapping[str, ListedEntity], CandidateIndex] | None:
    """The persisted entities and index of ``lists``, or None when there is no valid
    one (prepared builds it; it also says why)."""
    key = IndexKey.current(lists)
    path = index_path(store_path, key)
    if not path.exists():
        return None
    try:
        return load_index(path, key, lazy=lazy)
    except IndexFileError:
        return None


def build_prepared(
    con: duckdb.DuckDBPyConnection,
) -> tuple[dict[str, ListedEntity], CandidateIndex]:
    """The entities and index built afresh from the store's current lists."""
    from hermit.screening.engine import listed_from_store

    entities = listed_from_store(con)
    return entities, CandidateIndex(entities)


def _remove_others(folder: Path, keep: Path) -> None:
    """Old indexes (other list versions or code) are never valid again: remove them. A
    process that has one open keeps reading it (it was read whole into memory)."""
    for other in folder.glob(f"*{SUFFIX}"):
        if other != keep:
            other.unlink(missing_ok=True)


def prepared(
    con: duckdb.DuckDBPyConnection,
    store_path: Path,
    lists: tuple[ListVersion, ...],
    *,
    lazy: bool = False,
    notify: Notify | None = None,
    rebuild: bool = False,
) -> tuple[Mapping[str, ListedEntity], CandidateIndex]:
    """The prepared entities and index of the store's current lists: read from the
    persisted index when there is a valid one for them, else built (and persisted, when
    the folder can be written), saying why through ``notify``. ``rebuild``: built and
    persisted again whatever is there (one found damaged while it was read)."""
    say = notify or (lambda _message: None)
    key = IndexKey.current(lists)
    path = index_path(store_path, key)
    if rebuild:
        pass
    elif path.exists():
        try:
            return load_index(path, key, lazy=lazy)
        except IndexFileError as exc:
            say(f"warning: the screening index cannot be used ({exc}); rebuilding it")
    else:
        stale = path.parent.is_dir() and any(path.parent.glob(f"*{SUFFIX}"))
        why = "the lists or hermit changed since it was built" if stale else "none was built"
        say(f"building the screening index for {key.describe()} ({why})")
    entities, index = build_prepared(con)
    _persist(path, key, entities, index, say)
    return entities, index


def ensure_index(
    con: duckdb.DuckDBPyConnection,
    store_path: Path,
    lists: tuple[ListVersion, ...],
    notify: Notify | None = None,
) -> Path | None:
    """Build and persist the index of the current lists unless a valid one is there
    (after a list load). Its path, or None when it could not be written."""
    say = notify or (lambda _message: None)
    key = IndexKey.current(lists)
    path = index_path(store_path, key)
    if path.exists():
        try:
            found = IndexFile(path)
            found.verify()  # checked whole: a damaged one is replaced
            if found.header.get("key") == key.as_dict():
                return path
        except IndexFileError as exc:
            say(f"warning: the screening index cannot be used ({exc}); rebuilding it")
    began = time.perf_counter()
    entities, index = build_prepared(con)
    if not _persist(path, key, entities, index, say):
        return None
    say(f"screening index built for {key.describe()} in {time.perf_counter() - began:.1f} s")
    return path


def _persist(
    path: Path,
    key: IndexKey,
    entities: dict[str, ListedEntity],
    index: CandidateIndex,
    say: Notify,
) -> bool:
    try:
        save_index(path, key, entities, index)
    except OSError as exc:
        say(f"warning: the screening index could not be saved ({exc}); it is rebuilt next time")
        return False
    _remove_others(path.parent, path)
    return True
