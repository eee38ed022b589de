"""A single screen of an unchanged store opens no database (the store's facts kept
beside the index: hermit.screening.store_facts), and never answers from facts that a
write to the store made stale: through the real program on the real lists."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson
import pytest

from hermit.screening import store_facts
from hermit.screening.persisted import index_folder
from tests.cli.helpers import hermit
from tests.stores import copy_store

CIRCA_1947 = "ofac-12211"


@pytest.fixture(scope="module")
def indexed(lists_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the UN + OFAC store with its screening index built (once)."""
    path = tmp_path_factory.mktemp("facts") / "store.duckdb"
    copy_store(lists_store, path)
    hermit(path, "screen", "warm up")
    (index_folder(path) / store_facts.NAME).unlink(missing_ok=True)
    return path


@pytest.fixture()
def store(indexed: Path, tmp_path: Path) -> Path:
    path = tmp_path / "store.duckdb"
    shutil.copyfile(indexed, path)
    shutil.copytree(index_folder(indexed), index_folder(path))
    return path


def _quiet(store: Path) -> None:
    """As if the store was last written a minute ago (facts are kept only of a store
    that was quiet for a while)."""
    then = time.time() - 60
    os.utime(store, (then, then))


def _matches(store: Path, *args: str) -> dict[str, dict[str, Any]]:
    found = orjson.loads(hermit(store, "screen", *args, "--json", "--limit", "10").stdout)
    return {m["entity_id"]: m for m in found["matches"]}


def _imports(store: Path, *args: str) -> tuple[set[str], str]:
    """The modules one screen imports (python -X importtime), and its output."""
    cmd = [sys.executable, "-X", "importtime", "-m", "hermit", "--store", str(store)]
    proc = subprocess.run(
        [*cmd, "screen", *args, "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
        check=True,
    )
    names = {
        line.rsplit("|", 1)[1].strip()
        for line in proc.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    return names, proc.stdout


def test_a_screen_of_an_unchanged_store_opens_no_database(store: Path) -> None:
    _quiet(store)
    first_imports, first = _imports(store, "Kim Yong Chol")
    assert "duckdb" in first_imports  # the store was read, and its facts kept
    assert (index_folder(store) / store_facts.NAME).exists()
    again_imports, again = _imports(store, "Kim Yong Chol")
    assert "duckdb" not in again_imports and "hermit.store.store" in again_imports
    assert orjson.loads(again)["matches"] == orjson.loads(first)["matches"]
    assert orjson.loads(again)["run"] == orjson.loads(first)["run"]
    assert CIRCA_1947 in {m["entity_id"] for m in orjson.loads(again)["matches"]}


def test_a_write_to_the_store_is_seen_by_the_next_screen(store: Path, shared_lists: Path) -> None:
    _quiet(store)
    assert _matches(store, "Kim Yong Chol")[CIRCA_1947]["suppressed"] is None
    assert (index_folder(store) / store_facts.NAME).exists()
    hermit(
        store,
        *("suppress", "add", "--entity", CIRCA_1947, "--name", "Kim Yong Chol"),
        *("--by", "alice", "--reason", "not ours"),
    )
    # right after the write (not quiet: nothing kept) and later (quiet again)
    assert _matches(store, "Kim Yong Chol")[CIRCA_1947]["suppressed"]
    _quiet(store)
    assert _matches(store, "Kim Yong Chol")[CIRCA_1947]["suppressed"]
    _imports(store, "Kim Yong Chol")
    assert _matches(store, "Kim Yong Chol")[CIRCA_1947]["suppressed"]

    older = str(shared_lists / "ofac_sdn_2019-01-15.csv")  # alone, published without end mark
    flags = ("--no-end-mark", "--companions", "none", "--allow-large-change")
    hermit(store, "lists", "load", older, *flags)
    run = orjson.loads(hermit(store, "screen", "Kim Yong Chol", "--json").stdout)["run"]
    assert {(v["dataset"], v["seq"]) for v in run["lists"]} >= {("us_ofac_sdn", 2)}


def test_facts_are_not_kept_of_a_store_written_just_now(store: Path) -> None:
    os.utime(store)  # written now
    hermit(store, "screen", "Kim Yong Chol")
    assert not (index_folder(store) / store_facts.NAME).exists()


def test_damaged_or_foreign_facts_are_ignored(store: Path) -> None:
    _quiet(store)
    expected = _matches(store, "Kim Yong Chol")
    facts = index_folder(store) / store_facts.NAME
    facts.write_bytes(b"not a pickle")
    assert _matches(store, "Kim Yong Chol") == expected
    kept = store_facts.cached(store)  # rewritten by that screen
    assert kept is not None and kept.lists
    data = facts.read_bytes()
    facts.write_bytes(data[: len(data) // 2])  # cut short
    assert store_facts.cached(store) is None
    assert _matches(store, "Kim Yong Chol") == expected


def test_signature_refuses_a_store_with_a_write_ahead_log(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    assert store_facts.signature(path) is None  # no store
    path.write_bytes(b"x")
    assert store_facts.signature(path) is not None
    Path(f"{path}.wal").write_bytes(b"")
    assert store_facts.signature(path) is None
