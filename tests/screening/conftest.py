"""Fixtures shared by the bulk screening and suppression tests, over the session's
``lists_store`` (tests/conftest.py): its Screener, shared by consecutive modules that
read it (tests/shared.py), and private copies for tests that write to the store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hermit.screening.engine import Screener
from hermit.screening.persisted import index_folder
from hermit.screening.store_screener import StoreScreener
from tests.shared import shared


@pytest.fixture(scope="module")
def lists_screener(lists_store: Path) -> Screener:
    """The Screener of ``lists_store`` (no suppressions): read once and kept while
    consecutive test modules use it. Tests must not change it."""
    return shared("lists_screener", lambda: StoreScreener(lists_store).build())


@pytest.fixture()
def store_copy(lists_store: Path, tmp_path: Path) -> Path:
    """A private copy of ``lists_store`` (and of its screening index) that a test
    may write to."""
    path = tmp_path / "store.duckdb"
    shutil.copyfile(lists_store, path)
    index = index_folder(lists_store)
    if index.is_dir():  # its screening index too, so that tests do not each rebuild it
        shutil.copytree(index, index_folder(path))
    return path
