"""Copies of the session's real-lists stores (tests/conftest.py) for tests that write
to a store or start a service or a ``hermit`` process over one.

The session stores carry their persisted screening index (``store.index/``, built once
when the store is made), and ``copy_store`` copies it with the store file: the copy's
lists are the same versions, so a service or a screen over the copy reads the index
(about a second) instead of building it again (seconds, tens of seconds on a busy
machine). Tests of the index build itself copy the store file alone.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from hermit.screening.persisted import SUFFIX, index_folder


def copy_store(source: Path, dest: Path) -> Path:
    """``source`` copied to ``dest`` with its persisted screening index; ``dest``."""
    shutil.copyfile(source, dest)
    index = index_folder(source)
    if index.is_dir():
        target = index_folder(dest)
        target.mkdir(exist_ok=True)
        for part in index.glob(f"*{SUFFIX}"):  # not store-facts.pickle: the copy is another file
            shutil.copyfile(part, target / part.name)
    return dest


def build_store(path: Path, files: list[Path]) -> None:
    """A store at ``path`` holding the list ``files``, with its persisted screening
    index, as ``hermit lists load`` leaves it. tests/conftest.py runs it in a process of
    its own (``python -m tests.stores PATH FILE...``): loading the lists and building
    the index leaves a process some 400 MB bigger for good, and a test process lives
    the whole run."""
    from hermit.screening.engine import list_versions
    from hermit.screening.persisted import ensure_index
    from hermit.sources.detect import read_list_files
    from hermit.store import Store

    with Store(path) as store:
        for snap in read_list_files(files):
            store.load(snap)
        assert ensure_index(store.con, path, list_versions(store.con)) is not None


if __name__ == "__main__":
    build_store(Path(sys.argv[1]), [Path(a) for a in sys.argv[2:]])
