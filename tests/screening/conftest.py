"""Fixtures shared by the bulk screening and suppression tests, over the session's
``lists_store`` (tests/conftest.py): its Screener built once, and private copies for
tests that write to the store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hermit.screening.engine import Screener
from hermit.screening.store_screener import StoreScreener


@pytest.fixture(scope="session")
def lists_screener(lists_store: Path) -> Screener:
    """The Screener of ``lists_store`` (no suppressions), built once."""
    return StoreScreener(lists_store).build()


@pytest.fixture()
def store_copy(lists_store: Path, tmp_path: Path) -> Path:
    """A private copy of ``lists_store`` that a test may write to."""
    path = tmp_path / "store.duckdb"
    shutil.copyfile(lists_store, path)
    return path
