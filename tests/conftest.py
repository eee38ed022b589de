"""Shared fixtures: where the real data lives (../shared/data next to the checkout)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from hermit.store import Store

REPO = Path(__file__).resolve().parents[1]


def shared_data_dir() -> Path:
    env = os.environ.get("HERMIT_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_lists() -> Path:
    """../shared/data/lists: the real UN XML and OFAC CSV set (never copied here)."""
    path = shared_data_dir() / "lists"
    if not (path / "un_consolidated.xml").exists():
        pytest.fail(f"real lists not found at {path} (set HERMIT_SHARED_DATA)")
    return path


@pytest.fixture(scope="session")
def lists_store(tmp_path_factory: pytest.TempPathFactory, shared_lists: Path) -> Path:
    """A store file holding the real UN consolidated list and OFAC SDN set, loaded once
    per session (it takes seconds) with its screening index, and closed. Tests must not
    write to it: copy it (tests/stores.py copy_store)."""
    from hermit.sources.detect import read_list_files
    from hermit.store import Store

    path = tmp_path_factory.mktemp("lists") / "store.duckdb"
    with Store(path) as store:
        for snap in read_list_files(
            [shared_lists / "un_consolidated.xml", shared_lists / "ofac_sdn.csv"]
        ):
            store.load(snap)
        _build_index(store, path)
    return path


def _build_index(store: Store, path: Path) -> None:
    """The persisted screening index of ``store``'s lists, as ``hermit lists load``
    leaves it: copies made by tests/stores.py carry it, so that each service or
    ``hermit`` process over a copy reads it instead of building it again."""
    from hermit.screening.engine import list_versions
    from hermit.screening.persisted import ensure_index

    assert ensure_index(store.con, path, list_versions(store.con)) is not None


#: The files of ``all_lists_store``: UN, OFAC, UK OFSI (2025 xlsx), EU FSF, EU annexes.
ALL_LISTS = (
    "un_consolidated.xml",
    "ofac_sdn.csv",
    "uk_ofsi_conlist_2025-04-14.xlsx",
    "eu_fsf_sample_2020-04-15.xml",
    "eu_dprk_annexes_2017-1509_opensanctions.csv",
)


@pytest.fixture(scope="session")
def all_lists_store(tmp_path_factory: pytest.TempPathFactory, shared_lists: Path) -> Path:
    """A store file holding every list hermit reads (ALL_LISTS), loaded once per session
    with its screening index, and closed. Tests must not write to it: copy it."""
    from hermit.sources.detect import read_list_files
    from hermit.store import Store

    path = tmp_path_factory.mktemp("all_lists") / "store.duckdb"
    with Store(path) as store:
        for snap in read_list_files([shared_lists / name for name in ALL_LISTS]):
            store.load(snap)
        _build_index(store, path)
    return path
