"""The compliance checks on the engine seam (hermit.compliance.engine) give, on DuckDB
and on Spark in local mode, the findings of the in-process interpreter
(hermit-compliance@1) on a real slice of the dev labour set: the same violations
(rule, pattern, subject, date, records with file and line, reason), the same problems
and the same counts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hermit.compliance.columns import load_columns
from hermit.compliance.engine.run import NOT_ON_ENGINE, run_on_engine
from hermit.compliance.folder import read_folder
from hermit.compliance.interpreter import RuleRun, run_checks
from hermit.compliance.provisions import load_provisions
from hermit.compliance.records import Problem
from hermit.engine import open_engine
from tests.conftest import shared_data_dir
from tests.engine.conftest import needs_spark
from tests.engine.labour_slice import write_slice

MAIN = {"UNSCR-2375-17", "UNSCR-2371-11", "UNSCR-2397-8"}
Result = tuple[dict[str, list[Any]], list[Problem], dict[str, dict[str, int]]]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("labour-slice")
    write_slice(shared_data_dir() / "labour", out)
    return out


def _by_rule(runs: list[RuleRun]) -> dict[str, list[Any]]:
    return {r.rule.id: list(r.violations) for r in runs}


@pytest.fixture(scope="module")
def interpreter(folder: Path) -> Result:
    """What hermit-compliance@1 finds in process (2375 para 17: its permit findings,
    the part the engine path has)."""
    data = read_folder(folder, load_columns())
    runs = _by_rule(run_checks(load_provisions(), data, MAIN))
    runs["UNSCR-2375-17"] = [v for v in runs["UNSCR-2375-17"] if v.subject_file == "work_permits"]
    files = set(data.files.values()) - {"cash_declarations.csv"}
    summary = {
        k: {f: n for f, n in v.items() if f in files} for k, v in data.summary.to_dict().items()
    }
    return runs, data.problems, summary


def _on(engine_name: str, folder: Path, session: Any = None) -> Result:
    engine = open_engine(engine_name, session=session)
    try:
        data, runs = run_on_engine(engine, load_provisions(), folder, load_columns(), MAIN)
    finally:
        engine.close()
    return _by_rule(runs), data.problems, data.summary.to_dict()


@pytest.fixture(scope="module")
def duckdb_result(folder: Path) -> Result:
    return _on("duckdb", folder)


#: Scan partitions for this module: the slice's 700 kB in about a dozen partitions per
#: file read (the session's 4 kB splits, made for a few hundred screening rows, gave
#: about 175 per read and 412 s of set-up on a quiet machine), still several per file.
SPLIT_BYTES = 65536


@pytest.fixture(scope="module")
def spark_result(folder: Path, spark_session: Any) -> Iterator[Result]:
    key = "spark.sql.files.maxPartitionBytes"
    before = spark_session.conf.get(key)
    spark_session.conf.set(key, str(SPLIT_BYTES))
    try:
        yield _on("spark", folder, spark_session)
    finally:
        spark_session.conf.set(key, before)


def test_the_slice_has_findings_of_every_main_rule(interpreter: Result) -> None:
    runs, problems, _ = interpreter
    assert all(runs[rule] for rule in MAIN), {k: len(v) for k, v in runs.items()}
    assert any(p.severity == "row" for p in problems)


def test_duckdb_finds_what_the_interpreter_finds(
    duckdb_result: Result, interpreter: Result
) -> None:
    assert duckdb_result[0] == interpreter[0]
    assert duckdb_result[1] == interpreter[1]
    assert duckdb_result[2] == interpreter[2]


@needs_spark
def test_spark_finds_what_duckdb_finds(spark_result: Result, duckdb_result: Result) -> None:
    assert spark_result[0] == duckdb_result[0]
    assert spark_result[1] == duckdb_result[1]
    assert spark_result[2] == duckdb_result[2]


def test_rules_not_on_the_engine_say_so(folder: Path) -> None:
    engine = open_engine("duckdb")
    try:
        _, runs = run_on_engine(
            engine, load_provisions(), folder, load_columns(), {"UNSCR-2321-16"}
        )
    finally:
        engine.close()
    assert [r.skipped for r in runs] == [NOT_ON_ENGINE]


def test_cli_check_on_duckdb_writes_the_engines_findings(
    folder: Path, duckdb_result: Result, tmp_path: Path
) -> None:
    import orjson

    from tests.cli.helpers import hermit

    out = tmp_path / "v.json"
    args = ("compliance", "check", str(folder), "--engine", "duckdb", "--json", str(out))
    for rule in sorted(MAIN):
        args += ("--rule", rule)
    proc = hermit(tmp_path / "none.duckdb", *args)
    body = orjson.loads(out.read_bytes())
    expected = [v.to_dict() for rule in sorted(MAIN) for v in duckdb_result[0][rule]]
    key = lambda v: (v["rule_id"], v["subject_id"])  # noqa: E731
    assert sorted(body["violations"], key=key) == sorted(expected, key=key)
    assert "UNSCR-2397-8" in proc.stdout
    bad = hermit(
        tmp_path / "none.duckdb", "compliance", "check", str(folder), "--engine", "x", check=False
    )
    assert bad.returncode == 2 and "duckdb or spark" in bad.stderr
