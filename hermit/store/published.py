"""List versions published as immutable files for the running service.

DuckDB lets one process write a file, and any process holding it open, even read-only,
keeps the writer out. So the service never holds the store itself: after every load
that changes a list, the writer (``hermit lists load``, or the service's own
``POST /admin/lists``) checkpoints the store and copies it to
``hermit.duckdb.versions/KEY.duckdb`` (KEY: a digest of the current list versions),
written under a temporary name and renamed, then names it in ``CURRENT`` (replaced the
same way). A published file is never written again, so every service process opens it
read-only, side by side, and a load on the command line proceeds while they do. Each
service process looks at ``CURRENT`` every ``poll_s`` (resources/sharing.yaml) and
swaps in the new version when it changes, answering from the old one meanwhile.

The last ``keep_versions`` files besides the current one are kept (a process still
reading an older one keeps its open file readable even once it is removed).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from hermit.store import read

if TYPE_CHECKING:
    import duckdb

POINTER = "CURRENT"
SUFFIX = ".duckdb"


def folder(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".versions")


def key(con: duckdb.DuckDBPyConnection) -> str:
    """The digest of the store's current list versions (dataset, number, content)."""
    latest: dict[str, tuple[int, str]] = {}
    for v in read.versions(con):
        latest[v.dataset] = (v.seq, v.content_sha256)
    text = "\n".join(f"{d} {s} {h}" for d, (s, h) in sorted(latest.items()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def current(store_path: Path) -> Path | None:
    """The published file ``CURRENT`` names, or None (none published yet, or gone)."""
    try:
        name = (folder(store_path) / POINTER).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    if not name or "/" in name or not name.endswith(SUFFIX):
        return None
    path = folder(store_path) / name
    return path if path.exists() else None


def is_current(store_path: Path, con: duckdb.DuckDBPyConnection) -> bool:
    found = current(store_path)
    return found is not None and found.name == key(con) + SUFFIX


def publish(store_path: Path, con: duckdb.DuckDBPyConnection, keep: int | None = None) -> Path:
    """Publish the store's current lists (``con``: the store opened for writing, so no
    other process writes it meanwhile); returns the published file. Publishing lists
    that are already published only names them current again."""
    from hermit.store.sharing import sharing

    out = folder(store_path)
    out.mkdir(parents=True, exist_ok=True)
    target = out / (key(con) + SUFFIX)
    if not target.exists():
        con.execute("CHECKPOINT")  # everything in the file, nothing left in the log
        tmp = out / f".{target.name}.{os.getpid()}.tmp"
        try:
            shutil.copyfile(store_path, tmp)
            wal = Path(f"{store_path}.wal")
            if wal.exists():  # a checkpoint another connection held off: keep it too
                shutil.copyfile(wal, Path(f"{tmp}.wal"))
                os.replace(Path(f"{tmp}.wal"), Path(f"{target}.wal"))
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
    pointer = out / f".{POINTER}.{os.getpid()}.tmp"
    pointer.write_text(target.name + "\n", encoding="utf-8")
    os.replace(pointer, out / POINTER)
    _prune(out, target, sharing().keep_versions if keep is None else keep)
    return target


def _prune(out: Path, keep_path: Path, keep: int) -> None:
    others = sorted(
        (p for p in out.glob(f"*{SUFFIX}") if p != keep_path),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in others[keep:]:
        old.unlink(missing_ok=True)
        Path(f"{old}.wal").unlink(missing_ok=True)
