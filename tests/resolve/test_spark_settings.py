"""hermit's Splink settings in Spark SQL (hermit.resolve.spark_splink), without a
Spark session: every condition and rule transpiled from DuckDB's dialect (DuckDB's
list functions as Spark's), the guard moved into the guarded scorer, DuckDB's hash as
Splink's sample and chunk hash, and a trained model put back in DuckDB's SQL."""

from __future__ import annotations

import duckdb
import pyarrow as pa

from hermit.engine.sql import transpile
from hermit.resolve import model
from hermit.resolve.backend import duckdb_model
from hermit.resolve.spark_splink import (
    GUARDED,
    TURNED_AWAY,
    DuckDBHashDialect,
    duckdb_hash,
    guarded_name_scores,
    spark_settings,
)
from hermit.resolve.udf import FUNCTION, name_score


def test_duckdb_list_functions_become_sparks() -> None:
    assert transpile('len(list_intersect("a_l", "a_r")) >= 2', "spark") == (
        "SIZE(ARRAY_INTERSECT(`a_l`, `a_r`)) >= 2"
    )
    assert (
        transpile('list_has_any("ids_l", "ids_r")', "spark") == "ARRAYS_OVERLAP(`ids_l`, `ids_r`)"
    )
    assert transpile("SELECT len(name) FROM t", "spark") == "SELECT LENGTH(name) FROM t"


def _conditions(settings: dict[str, object]) -> list[str]:
    out = [
        level["sql_condition"]
        for comparison in settings["comparisons"]  # type: ignore[attr-defined]
        for level in comparison["comparison_levels"]
    ]
    return out + [r["blocking_rule"] for r in settings["blocking_rules_to_generate_predictions"]]  # type: ignore[attr-defined]


def test_every_condition_is_in_spark_sql_with_the_guard_inside_the_scorer() -> None:
    for settings in (model.organization_settings(), model.person_settings()):
        spark = spark_settings(settings)
        written = _conditions(spark)
        assert len(written) == len(_conditions(settings))
        assert not any('"' in sql or "list_" in sql.lower() for sql in written)
        assert not any("jaro_winkler" in sql.lower() for sql in written)
        scored = [sql for sql in written if "NAME_SCORE" in sql.upper()]
        assert len(scored) == 3 and all(GUARDED.upper() in sql.upper() for sql in scored)
        assert not any(f"{FUNCTION.upper()}(" in sql.upper() for sql in written)
        assert settings["comparisons"][0]["comparison_levels"][3]["sql_condition"].startswith(
            f"({model.GUARD})"
        )  # the DuckDB settings themselves are left as they are


def test_the_guarded_scorer_is_the_guard_and_the_scorer() -> None:
    keys = pa.array(["chol iong kim", "chol iong kim", None])
    other = pa.array(["chel iong kim", "zzz", "chol iong kim"])
    left = pa.array(["kim iong chol"] * 3)
    right = pa.array(["kim iong chel", "kim iong chel", "kim iong chel"])
    org = pa.array([False] * 3)
    got = guarded_name_scores(keys, other, left, right, org).to_pylist()
    assert got == [name_score("kim iong chol", "kim iong chel", False), TURNED_AWAY, None]


def test_hash_is_duckdbs_and_the_model_goes_back_to_duckdb_sql() -> None:
    values = pa.array(["ru:1027700132195", "x_20240601", ""])
    want = duckdb.sql(
        "SELECT hash(v)::DECIMAL(20, 0) AS h FROM (SELECT unnest(?) AS v)",
        params=[values.to_pylist()],
    )
    assert duckdb_hash(values).to_pylist() == [r[0] for r in want.fetchall()]
    dialect = DuckDBHashDialect()
    assert dialect.hash_bucket_expression("uid", 10) == "(hermit_duckdb_hash(uid) % 10)"
    settings = model.organization_settings()
    back = duckdb_model({**spark_settings(settings), "sql_dialect": "spark"}, settings)
    assert back["sql_dialect"] == "duckdb"
    assert _conditions(back) == _conditions(settings)
