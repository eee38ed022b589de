"""Shared fixtures: where the real data lives (../shared/data next to the checkout)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import shared

REPO = Path(__file__).resolve().parents[1]


#: Fixtures whose object is shared by consecutive modules (tests/shared.py): the files
#: using one form one xdist group, so that one process makes it once and frees it after.
SHARED_GROUPS = ("service", "spark_session", "lists_screener")
#: The groups (a SHARED_GROUPS name, else a file) sent to the two processes first, the
#: costliest first (CPU seconds measured with scripts/suite_memory.py: BENCHMARKS.md,
#: test suite), so that no long one starts last while the other process is idle.
HEAVY_FIRST = (
    "service",
    "spark_session",
    "tests/screening/test_quality.py",
    "tests/resolve/test_quality.py",
    "tests/maritime/test_load.py",
    "tests/api/test_bounds.py",
    "lists_screener",
)
#: The groups sent last: the ``hermit serve --workers 2`` tests (two service processes
#: of ~650 MB each beside their test process: one file, so that two such services never
#: run at once), so that they run beside the other process's light files, not beside its
#: services or Spark (the 4.5 GB peak at 720adbc: BENCHMARKS.md, test suite).
LAST = ("tests/api/test_workers.py",)


def pytest_configure(config: pytest.Config) -> None:
    # pytest-xdist registers it too; without xdist (-p no:xdist) the marks stay known
    config.addinivalue_line("markers", "xdist_group(name): run these tests in one process")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The tests in the order ./run test sends them (pytest-xdist ``--dist loadfile
    --no-loadscope-reorder``: each file whole in one process, in collection order): the
    groups of HEAVY_FIRST first, the files sharing an object (SHARED_GROUPS) one after
    the other, the groups of LAST last. Each test is also marked with its group
    (``xdist_group``; a file's own mark wins), for ``--dist loadgroup`` once
    pytest-xdist keeps groups together again: xdist 3.8 names a group's tests through
    ``item._nodeid``, which pytest 9.2 no longer reads, so there every test is sent
    alone."""
    uses: dict[str, set[str]] = {}
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        uses.setdefault(item.nodeid.split("::", 1)[0], set()).update(fixtures)
    group_of = {
        name: next((g for g in SHARED_GROUPS if g in fixtures), name)
        for name, fixtures in uses.items()
    }
    groups: list[str] = []
    for item in items:
        own = item.get_closest_marker("xdist_group")
        if own is not None:
            group = str(own.args[0] if own.args else own.kwargs.get("name", "default"))
        else:
            name = item.nodeid.split("::", 1)[0]
            group = group_of.get(name, name)
            item.add_marker(pytest.mark.xdist_group(group))
        groups.append(group)
    rank = {g: i for i, g in enumerate(HEAVY_FIRST)}
    rank.update({g: len(HEAVY_FIRST) + 1 + i for i, g in enumerate(LAST)})
    order = sorted(range(len(items)), key=lambda i: (rank.get(groups[i], len(HEAVY_FIRST)), i))
    items[:] = [items[i] for i in order]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """After a test's own tear-down: free the shared objects (tests/shared.py) that the
    next module does not use."""
    yield
    shared.release_unneeded(item, nextitem)


def pytest_sessionfinish(session: pytest.Session) -> None:
    shared.release_all()


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


def _build_store(path: Path, files: list[Path]) -> Path:
    """tests/stores.py build_store, in a process of its own (its memory goes with it)."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    command = [sys.executable, "-m", "tests.stores", str(path), *map(str, files)]
    subprocess.run(command, cwd=REPO, env=env, check=True, stdin=subprocess.DEVNULL)
    return path


@pytest.fixture(scope="session")
def lists_store(tmp_path_factory: pytest.TempPathFactory, shared_lists: Path) -> Path:
    """A store file holding the real UN consolidated list and OFAC SDN set, loaded once
    per session (it takes seconds) with its screening index, as ``hermit lists load``
    leaves it (copies made by tests/stores.py carry the index, so that each service or
    ``hermit`` process over a copy reads it instead of building it again), and closed.
    Tests must not write to it: copy it (tests/stores.py copy_store)."""
    path = tmp_path_factory.mktemp("lists") / "store.duckdb"
    return _build_store(path, [shared_lists / "un_consolidated.xml", shared_lists / "ofac_sdn.csv"])


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
    path = tmp_path_factory.mktemp("all_lists") / "store.duckdb"
    return _build_store(path, [shared_lists / name for name in ALL_LISTS])
