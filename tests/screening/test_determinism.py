"""The same query gets the same candidates and scores in every process, whatever
Python's string hash seed (bulk workers, API workers and reruns must agree)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import sys
from hermit.screening.engine import Screener
from hermit.screening.query import Query
from hermit.store import Store

with Store(__import__("pathlib").Path(sys.argv[1]), read_only=True) as store:
    screener = Screener.from_store(store.con)
for name in ("Pedro Tanaka", "John Smith", "Ali Hussein", "Wang Wei", "Ocean Maritime"):
    query = Query(name=name)
    found = [(m.entity_id, round(m.score, 6)) for m in screener.screen(query)]
    print(name, screener.candidates(query), found)
"""


def _run(store: Path, seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(store)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_results_do_not_depend_on_the_hash_seed(lists_store: Path) -> None:
    first, second = _run(lists_store, "1"), _run(lists_store, "4")
    assert first.count("\n") == 5
    assert first == second
