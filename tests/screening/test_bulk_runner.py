"""Bulk runs with worker processes on the real lists: output in input order and the
same as in-process, the spawn fallback, bounded work in flight, the run record, and
failures that leave no output behind."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
from datetime import datetime
from pathlib import Path

import duckdb
import orjson
import pytest

from hermit.errors import BulkError
from hermit.screening import algorithms
from hermit.screening.bulk.rows import RawRow
from hermit.screening.bulk.runner import BulkJob, _screened, run_bulk
from hermit.screening.engine import Screener
from hermit.screening.store_screener import StoreScreener
from hermit.store import Store
from tests.screening.bulk_files import read_rejects, write_queries


@pytest.fixture(scope="module")
def queries(lists_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """96 queries: listed names as the lists spell them (every 97th name of the store),
    the same with a letter dropped, names on no list, and two rows that are rejected."""
    con = duckdb.connect(str(lists_store), read_only=True)
    try:
        names = [
            r[0]
            for r in con.execute(
                "SELECT name FROM names WHERE kind = 'name' ORDER BY entity_id, name"
            ).fetchall()[::97][:40]
        ]
    finally:
        con.close()
    rows = [{"id": f"L{i}", "name": n} for i, n in enumerate(names)]
    rows += [{"id": f"D{i}", "name": n[:3] + n[4:]} for i, n in enumerate(names)]
    rows += [{"name": f"{g} {s}"} for g in ("Anna", "Pedro", "Yusuf") for s in ("Lind", "Okafor")]
    rows += [{"id": "bad1", "name": "N/A", "birth_date": "1962-01-31"}]
    rows += [{"id": "bad2", "name": " "}]
    rows += [{"id": f"T{i}", "name": n} for i, n in enumerate(names[:8])]
    path = tmp_path_factory.mktemp("runner") / "queries.csv"
    return write_queries(path, rows, "csv")


def _job(queries: Path, output: Path, workers: int) -> BulkJob:
    return BulkJob(queries, output, workers=workers, chunk_rows=5, limit=5)


def test_two_workers_give_the_in_process_results_in_input_order(
    lists_store: Path, lists_screener: Screener, queries: Path, tmp_path: Path
) -> None:
    source = StoreScreener(lists_store)
    one = run_bulk(_job(queries, tmp_path / "one.csv", 1), source, screener=lists_screener)
    two = run_bulk(_job(queries, tmp_path / "two.csv", 2), source, screener=lists_screener)
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "two.csv").read_bytes()
    assert read_rejects(one.rejects) == read_rejects(two.rejects)
    assert one.counts.as_dict() == two.counts.as_dict()
    c = two.counts
    assert (c.read, c.rejected) == (96, 2) and c.read == c.screened + c.rejected
    assert c.matches >= 40  # every listed name as listed is a match
    # input order: query ids appear in the order of the file
    order = [line.split(",")[0] for line in queries.read_text(encoding="utf-8").splitlines()[1:]]
    order = [qid or str(n) for n, qid in enumerate(order, 1)]
    written = [line.split(",")[0] for line in (tmp_path / "two.csv").read_text().splitlines()[1:]]
    positions = [order.index(qid) for qid in written]
    assert positions == sorted(positions) and len(set(written)) > 60


def test_spawned_workers_build_their_own_screener(
    lists_store: Path, lists_screener: Screener, queries: Path, tmp_path: Path
) -> None:
    source = StoreScreener(lists_store)
    run_bulk(_job(queries, tmp_path / "one.jsonl", 1), source, screener=lists_screener)
    run_bulk(
        _job(queries, tmp_path / "spawned.jsonl", 2),
        source,
        screener=lists_screener,
        start_method="spawn",
    )
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "spawned.jsonl").read_bytes()


def test_work_in_flight_is_bounded(lists_screener: Screener, tmp_path: Path) -> None:
    """The runner takes a new chunk from the reader only when one comes back."""
    taken = 0

    def chunks() -> object:
        nonlocal taken
        for i in range(40):
            taken += 1
            yield [RawRow(i + 1, {"name": f"Kim Yong Chol {i}"})]

    job = BulkJob(tmp_path / "q.csv", tmp_path / "o.csv", workers=2, chunk_rows=1)
    results = _screened(chunks(), job, lists_screener, StoreScreener(tmp_path), None)  # type: ignore[arg-type]
    for n, result in enumerate(results, 1):
        assert taken <= n + 2 * job.workers, (n, taken)
        assert result.read == 1
    assert taken == 40


def test_run_record(
    lists_store: Path, lists_screener: Screener, queries: Path, tmp_path: Path
) -> None:
    output = tmp_path / "results.parquet"
    summary = run_bulk(
        _job(queries, output, 2), StoreScreener(lists_store), screener=lists_screener
    )
    record = orjson.loads((tmp_path / "results.parquet.run.json").read_bytes())
    assert record == orjson.loads(orjson.dumps(summary.as_dict()))
    with Store(lists_store, read_only=True) as store:
        versions = store.versions()
    assert record["run"]["algorithm"] == lists_screener.info.algorithm
    assert record["run"]["threshold"] == lists_screener.info.threshold
    assert record["run"]["algorithms"]["screen"] == lists_screener.info.algorithm
    assert record["run"]["resources_sha256"] == algorithms.resources_digest()
    assert [(v["dataset"], v["seq"], v["sha256"]) for v in record["run"]["lists"]] == [
        (v.dataset, v.seq, v.content_sha256) for v in versions
    ]
    assert record["input"]["sha256"] == hashlib.sha256(queries.read_bytes()).hexdigest()
    assert record["input"]["format"] == "csv" and record["output"]["format"] == "parquet"
    assert record["output"]["rejects"] == str(tmp_path / "results.parquet.rejects.csv")
    assert record["counts"]["queries_read"] == 96 and record["counts"]["rejected"] == 2
    assert record["workers"] == 2 and record["hermit_version"]
    started = datetime.fromisoformat(record["started_at"])
    assert datetime.fromisoformat(record["finished_at"]) >= started and started.tzinfo


def _files(directory: Path) -> set[str]:
    return {p.name for p in directory.iterdir()}


def test_a_worker_that_dies_stops_the_run_and_leaves_no_output(
    lists_store: Path, lists_screener: Screener, queries: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()

    def kill_a_worker(done: int, total: int | None) -> None:
        if done > 0:
            workers = multiprocessing.active_children()
            assert workers
            os.kill(workers[0].pid or 0, signal.SIGKILL)

    with pytest.raises(BulkError, match="worker process died") as err:
        run_bulk(
            _job(queries, out / "results.csv", 2),
            StoreScreener(lists_store),
            screener=lists_screener,
            on_progress=kill_a_worker,
        )
    assert str(queries) in str(err.value) and "wrote no output" in str(err.value)
    assert _files(out) == set()
    assert multiprocessing.active_children() == []


def test_an_interrupted_run_keeps_the_previous_output(
    lists_store: Path, lists_screener: Screener, queries: Path, tmp_path: Path
) -> None:
    output = tmp_path / "results.csv"
    source = StoreScreener(lists_store)
    run_bulk(_job(queries, output, 1), source, screener=lists_screener)
    before = {name: (tmp_path / name).read_bytes() for name in _files(tmp_path)}

    def interrupt(done: int, total: int | None) -> None:
        if done > 20:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_bulk(_job(queries, output, 2), source, screener=lists_screener, on_progress=interrupt)
    after = {name: (tmp_path / name).read_bytes() for name in _files(tmp_path)}
    assert after == before  # no .part file, the last complete run's files untouched
    assert multiprocessing.active_children() == []


def test_the_parent_loads_what_reading_a_query_loads_on_first_use(tmp_path: Path) -> None:
    """Before the workers fork, the warm-up reads a value of every query field, so the
    tables those load on first use (FollowTheMoney's country names) are loaded once in
    the parent and shared, not loaded again by every worker. In a fresh interpreter: the
    tests' own process has loaded everything long before."""
    import subprocess
    import sys

    code = (
        "from hermit.screening.bulk.runner import warm_up\n"
        "from hermit.screening.engine import Screener\n"
        "from hermit.screening import query_fields\n"
        "warm_up(Screener({}))\n"
        "print(query_fields._country_names.cache_info().currsize)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert done.stdout.split() == ["1"], done.stderr
