"""All the events of a load, made once and kept beside the AIS store: a load never
changes, so its events are the same until the detectors or their settings do.

The kept file (``<ais store>.events/load-<id>-<loaded>-<code>-<area>.json``) is named
by what the events depend on: the load (its number and a digest of the time it was
loaded, so a store made anew is not mistaken for the old one), a digest of the maritime
code and settings (every file of ``hermit/maritime`` and ``resources/maritime``), and a
digest of the DPRK waters polygon given (or none). Anything else is a new file; a file
that cannot be written is not kept (the events are still answered). The ``to_dict`` of
a kept event is the made event's.

When a file is written, the store's files that can no longer be asked for or are older
are removed: those of other code, of a load the store no longer holds (a store made
anew) and of loads older than the one written; those of the written load or a later one
with another polygon stay."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from hermit.maritime.detect import find_events
from hermit.maritime.events import Event

if TYPE_CHECKING:
    from hermit.maritime.store import AisStore


@cache
def _code_digest() -> str:
    digest = hashlib.sha256()
    root = resources.files("hermit")
    for folder in (root / "maritime", root / "resources" / "maritime"):
        for item in sorted(folder.iterdir(), key=lambda x: x.name):
            if item.is_file() and item.name.endswith((".py", ".yaml", ".csv")):
                digest.update(item.name.encode())
                digest.update(item.read_bytes())
    return digest.hexdigest()


def _short(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def cache_path(store: AisStore, load_id: int, eez: Path | None) -> Path:
    """Where the events of ``load_id`` (with ``eez``) are kept."""
    row = store.con.execute(
        "SELECT loaded_at FROM ais_loads WHERE load_id = ?", [load_id]
    ).fetchone()
    loaded = _short(str(None if row is None else row[0]).encode())
    area = _short(b"no area" if eez is None else eez.read_bytes())
    folder = store.path.with_name(store.path.name + ".events")
    return folder / f"load-{load_id}-{loaded}-{_code_digest()[:12]}-{area}.json"


def _remove_stale(store: AisStore, written: Path, load_id: int) -> None:
    """Remove the kept files of ``written``'s folder other than it that are of other
    code, of a load the store does not hold, or of a load older than ``load_id``."""
    held = {
        f"{lid}-{_short(str(at).encode())}"
        for lid, at in store.con.execute("SELECT load_id, loaded_at FROM ais_loads").fetchall()
    }
    code = _code_digest()[:12]
    for item in written.parent.glob("load-*.json"):
        parts = item.stem.split("-")
        live = (
            len(parts) == 5
            and parts[1].isdigit()
            and f"{parts[1]}-{parts[2]}" in held
            and parts[3] == code
            and int(parts[1]) >= load_id
        )
        if item != written and not live:
            # removed by another process already, or not ours to remove: left
            with contextlib.suppress(OSError):
                item.unlink()


def load_events(store: AisStore, load_id: int, eez: Path | None = None) -> list[Event]:
    """All the events of a load (``find_events`` with every kind; stays in DPRK waters
    with ``eez``), read from the kept file when there is one, else made and kept (and
    the store's stale files removed)."""
    path = cache_path(store, load_id, eez)
    if path.is_file():
        return [Event.from_dict(d) for d in orjson.loads(path.read_bytes())]
    found = find_events(store.con, load_id, None, eez)
    data = orjson.dumps([e.to_dict() for e in found])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)  # whole or not at all
    except OSError:
        return found  # not kept: the next caller makes them again
    _remove_stale(store, path, load_id)
    return found
