"""Bulk screening on both engines gives the same answers (issue 17): the same real
query file (tests/engine/queries.py) screened through the real ``hermit screen --file``
on this machine and with ``--engine spark``, and through the engine seam on Spark and
on DuckDB: the same result rows in the same order (scores to the last digit), the same
rejects, the same warnings and the same run summary."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from hermit.engine import open_engine
from hermit.screening.bulk.on_engine import run_bulk_on
from hermit.screening.bulk.runner import BulkJob
from tests.cli.helpers import hermit
from tests.engine.conftest import SPLIT_BYTES, needs_spark
from tests.engine.queries import write_csv, write_parquet

#: What may differ between two runs of the same file: when and where they ran, on how
#: many cores, and how often a process's memo answered a repeated query.
RUN_ONLY = {"output", "workers", "engine", "memo", "started_at", "finished_at"}
RUN_ONLY |= {"seconds", "screening_seconds"}


def _local(store: Path, source: Path, output: Path) -> None:
    proc = hermit(
        store, "screen", "--file", str(source), "-o", str(output), "--workers", "2", check=False
    )
    assert proc.returncode == 3, proc.stderr  # rows were rejected


def _results(path: Path) -> list[dict[str, Any]]:
    table = ds.dataset(path, format="parquet").to_table() if path.is_dir() else pq.read_table(path)
    return table.to_pylist()


def _record(output: Path) -> dict[str, Any]:
    record = orjson.loads(Path(f"{output}.run.json").read_bytes())
    return {k: v for k, v in record.items() if k not in RUN_ONLY}


def assert_same_run(local: Path, other: Path) -> None:
    a, b = _results(local), _results(other)
    assert len(a) == len(b) and a == b
    assert Path(f"{local}.rejects.csv").read_bytes() == Path(f"{other}.rejects.csv").read_bytes()
    assert _record(local) == _record(other)


@pytest.fixture(scope="module")
def csv_queries(tmp_path_factory: pytest.TempPathFactory, shared_lists: Path) -> Path:
    return write_csv(tmp_path_factory.mktemp("q") / "queries.csv", shared_lists)


@pytest.fixture(scope="module")
def parquet_queries(tmp_path_factory: pytest.TempPathFactory, shared_lists: Path) -> Path:
    return write_parquet(tmp_path_factory.mktemp("q") / "queries.parquet", shared_lists)


@pytest.fixture(scope="module")
def local_runs(
    lists_store: Path,
    csv_queries: Path,
    parquet_queries: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Path]:
    """The local command's results of each query file (the reference), run once."""
    folder = tmp_path_factory.mktemp("local")
    out = {"csv": folder / "csv.parquet", "parquet": folder / "parquet.parquet"}
    _local(lists_store, csv_queries, out["csv"])
    _local(lists_store, parquet_queries, out["parquet"])
    return out


def test_the_query_file_has_what_the_comparison_needs(local_runs: dict[str, Path]) -> None:
    """Matches, clear queries, warnings of each kind and rejects: a comparison of runs
    that found nothing would show nothing."""
    counts = orjson.loads(Path(f"{local_runs['csv']}.run.json").read_bytes())["counts"]
    assert counts["queries_read"] == 269 and counts["rejected"] == 2
    assert counts["matches"] > 100 and counts["clear"] > 50
    assert set(counts["warnings_by_field"]) >= {"birth_date", "row", "name", "country"}
    counts = orjson.loads(Path(f"{local_runs['parquet']}.run.json").read_bytes())["counts"]
    assert counts["rejected"] == 2  # no name; a name that is not UTF-8
    assert set(counts["warnings_by_field"]) >= {"nationality", "gender"}


@needs_spark
def test_the_spark_command_gives_the_local_command_s_results(
    lists_store: Path, csv_queries: Path, local_runs: dict[str, Path], tmp_path: Path
) -> None:
    """``hermit screen --file Q.csv --engine spark --out OUT.parquet`` (its own local[2]
    session, the file read in scan partitions of 4 kB) against the local run. On main
    there was no --engine option."""
    spark = tmp_path / "spark.parquet"
    submit = f"--conf spark.sql.files.maxPartitionBytes={SPLIT_BYTES} pyspark-shell"
    env = {"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "COLUMNS": "200"}
    env |= {"PYSPARK_SUBMIT_ARGS": submit, "JAVA_HOME": os.environ.get("JAVA_HOME", "")}
    command = [sys.executable, "-m", "hermit", "--store", str(lists_store), "screen"]
    command += ["--file", str(csv_queries), "--engine", "spark", "--out", str(spark)]
    proc = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,  # a JVM's start on a machine shared by many test runs: minutes
    )
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    assert spark.is_dir() and (spark / "_SUCCESS").exists()
    assert_same_run(local_runs["csv"], spark)
    record = orjson.loads(Path(f"{spark}.run.json").read_bytes())
    assert record["engine"] == "spark" and record["workers"] == 2
    assert "2 row(s) rejected" in proc.stderr


@needs_spark
@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_spark_through_the_seam_on_an_existing_session(
    kind: str,
    lists_store: Path,
    csv_queries: Path,
    parquet_queries: Path,
    local_runs: dict[str, Path],
    spark_session: Any,
    tmp_path: Path,
) -> None:
    """The Python API with a SparkSession the caller owns (left running), CSV and
    Parquet input (Parquet in row groups of 64 rows: several scan partitions)."""
    source = csv_queries if kind == "csv" else parquet_queries
    engine = open_engine("spark", session=spark_session)
    out = tmp_path / "spark.parquet"
    summary = run_bulk_on(engine, BulkJob(source, out), lists_store)
    engine.close()
    assert not spark_session.sparkContext._jsc.sc().isStopped()
    assert summary.counts.rejected >= 2
    assert_same_run(local_runs[kind], out)
    # a second run replaces the first one's results folder
    run_bulk_on(open_engine("spark", session=spark_session), BulkJob(source, out), lists_store)
    assert_same_run(local_runs[kind], out)


def test_duckdb_through_the_seam_gives_the_local_results(
    lists_store: Path,
    csv_queries: Path,
    parquet_queries: Path,
    local_runs: dict[str, Path],
    tmp_path: Path,
) -> None:
    for kind, source in (("csv", csv_queries), ("parquet", parquet_queries)):
        seam = tmp_path / f"{kind}.parquet"
        engine = open_engine("duckdb")
        run_bulk_on(engine, BulkJob(source, seam), lists_store)
        engine.close()
        assert_same_run(local_runs[kind], seam)
