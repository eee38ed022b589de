"""Where the CPU of one hermit resolution goes: each stage's CPU seconds (process time,
all threads: DuckDB's own and the Python functions it calls), and hermit's name scorer
called from DuckDB (calls, distinct pairs, its own thread CPU).

    .venv/bin/python bench/resolve_profile.py [--registry ../shared/data/registry]

Stages: reading the records from the store, the comparison columns (features), and for
organizations and people each: training (prior, u, EM), predict, the links' reasons,
clustering. The scorer's time is also inside training and predict.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.machine import machine  # noqa: E402
from hermit.registry.read import read_registry_file  # noqa: E402
from hermit.registry.store import RegistryStore  # noqa: E402
from hermit.resolve import run, udf  # noqa: E402
from hermit.resolve.records import read_records  # noqa: E402

SPENT: dict[str, float] = defaultdict(float)
_KIND: list[str] = ["-"]
_LOCK = threading.Lock()
SCORER = {"calls": 0, "cpu": 0.0}
_PAIRS: set[tuple[Any, ...]] = set()


@contextmanager
def stage(name: str) -> Iterator[None]:
    start = time.process_time()
    try:
        yield
    finally:
        SPENT[name] += time.process_time() - start


def _timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with stage(f"{_KIND[0]}: {name}"):
            return fn(*args, **kwargs)

    return wrapped


def _scorer(fn: Callable[..., float]) -> Callable[..., float]:
    def wrapped(left: Any, right: Any, organization: bool) -> float:
        start = time.thread_time()
        try:
            return fn(left, right, organization)
        finally:
            with _LOCK:
                SCORER["calls"] += 1
                SCORER["cpu"] += time.thread_time() - start
                _PAIRS.add((left, right, organization))

    return wrapped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registry", type=Path, default=REPO.parent / "shared/data/registry")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    source = args.registry / "entities.ftm.jsonl.gz"
    with tempfile.TemporaryDirectory() as tmp, RegistryStore(Path(tmp) / "p.duckdb") as store:
        store.load([str(source)], read_registry_file(source))
        with stage("read records"):
            records = read_records(store)
    link_table = run.link_table

    def per_kind(rows: Any, kind: str, *a: Any, **k: Any) -> Any:
        _KIND[0] = kind
        with stage(f"{kind}: link_table (all)"):
            return link_table(rows, kind, *a, **k)

    run.link_table = per_kind
    run.features = _timed("features", run.features)  # type: ignore[assignment]
    run._train = _timed("train", run._train)  # type: ignore[assignment]
    run.prediction_links = _timed("links and reasons", run.prediction_links)  # type: ignore[assignment]
    run.cluster = _timed("cluster", run.cluster)  # type: ignore[assignment]
    udf.name_score = _scorer(udf.name_score)  # type: ignore[assignment]
    start, wall = time.process_time(), time.perf_counter()
    found = run.resolve(records)
    total = time.process_time() - start
    print(
        f"records {len(records):,}, links {len(found.links):,}; resolve: {total:.1f} s CPU, "
        f"{time.perf_counter() - wall:.1f} s wall, load average {os.getloadavg()[0]:.1f}"
    )
    for name, spent in sorted(SPENT.items()):
        print(f"  {name}: {spent:.1f} s CPU")
    print(
        f"  name scorer from DuckDB: {SCORER['calls']:,} calls, {len(_PAIRS):,} distinct "
        f"pairs, {SCORER['cpu']:.1f} s of its threads' CPU"
    )


if __name__ == "__main__":
    main()
