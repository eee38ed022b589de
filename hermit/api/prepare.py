"""What ``hermit serve`` does once before its processes start: the store's lists
published, and their screening index built if there is none, so that the workers and the
job runner read it instead of each building the same one.

The build runs in a process of its own (``python -m hermit.api.prepare STORE``): it
takes about 700 MB beside the index it makes (BENCHMARKS.md "The service's memory across
a list load"), which a build in the serving process (one worker) kept for as long as it
served.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hermit.screening.engine import list_versions
from hermit.screening.persisted import IndexKey, ensure_index, index_path
from hermit.store import Store


class PrepareFailed(RuntimeError):
    """The build's process failed (it said why on standard error)."""


def prepare(store_path: Path) -> None:
    """Publish the store's lists; build their index in a child process if it is missing."""
    with Store(store_path) as store:
        store.publish()
    with Store(store_path, read_only=True) as store:
        key = IndexKey.current(list_versions(store.con))
    if index_path(store_path, key).exists():  # checked whole when a process reads it
        return
    done = subprocess.run([sys.executable, "-m", "hermit.api.prepare", str(store_path)])
    if done.returncode != 0:
        raise PrepareFailed(f"building the screening index ended with {done.returncode}")


def build(store_path: Path) -> None:
    """The child's part: the index of the store's current lists, built and persisted."""
    with Store(store_path, read_only=True) as store:
        ensure_index(
            store.con,
            store_path,
            list_versions(store.con),
            notify=lambda m: print(m, file=sys.stderr),
        )


if __name__ == "__main__":
    build(Path(sys.argv[1]))
