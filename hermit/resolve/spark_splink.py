"""Splink on Spark for hermit's resolution (``hermit resolve --engine spark``): the same
settings, training and clustering as on DuckDB (run.py), through Splink's SparkAPI on
the engine's session, so that both engines give the same links and entities.

What has to be made alike, and how:

- **The SQL.** hermit's comparison levels and blocking rules are written in DuckDB's
  dialect (model.py); each is transpiled for Spark (hermit.engine.sql: DuckDB's list
  functions as Spark's) before Splink reads the settings.
- **The name scorer** (udf.name_score) is registered on the session as an Arrow UDF of
  the same name. Spark evaluates a Python UDF for every row of a query, whatever the
  ``CASE`` or ``AND`` around it (PySpark's ``udf`` documentation: no short-circuiting),
  so the guard that keeps the scorer off unlike names (model.GUARD, a Jaro-Winkler
  similarity of the name keys) moves inside a second UDF, ``hermit_guarded_name_score``,
  which scores only the rows the guard passes and gives -1 to the others (below every
  level's bound, as the guard's ``false`` is). The similarity is DuckDB's own
  ``jaro_winkler_similarity``, run on each batch in the Python worker, so the guard
  passes the same pairs on both engines.
- **Sampling and chunking.** Splink samples records for the u probabilities and cuts
  the u estimation into chunks by a hash of the record id (its dialect's
  ``hash_bucket_expression`` and ``hash_function_expression``), and stops after the
  chunk where every level has 100 pairs: with Spark's hash, another sample and other
  chunks, so other u probabilities. ``DuckDBHashDialect`` hashes with DuckDB's
  ``hash`` (a UDF running DuckDB on each batch, as an exact DECIMAL(20, 0) of its
  unsigned 64-bit value): the same records, the same chunks.

Left as they are: sums of floats (EM's expected counts) are added in another order by
Spark's partitions than by DuckDB's threads, so probabilities may differ in their last
digits (tests/engine/test_resolve_engines.py measures by how much).

PySpark and Splink's Spark backend are imported only in here, and only when called.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from splink.internals.dialects import SparkDialect

from hermit.engine.sql import transpile
from hermit.resolve.model import GUARD
from hermit.resolve.udf import FUNCTION, name_score

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

#: The scorer behind the guard (see the module's docstring).
GUARDED = "hermit_guarded_name_score"
#: DuckDB's hash of a string, as DECIMAL(20, 0) (its UBIGINT, exactly).
DUCKDB_HASH = "hermit_duckdb_hash"
#: What the guarded scorer gives a pair the guard turns away (below every bound).
TURNED_AWAY = -1.0
#: model.name_comparison's scored condition, and the guarded UDF's call that replaces it.
_GUARDED_CALL = f"({GUARD}) AND {FUNCTION}("
_GUARDED_SPARK = f'{GUARDED}("name_key_l", "name_key_r", '


@cache
def _duckdb() -> Any:
    """One DuckDB connection a Python worker keeps for its UDF batches."""
    import duckdb

    return duckdb.connect()


def _on_duckdb(sql: str, **columns: pa.Array) -> pa.Array:
    """``sql`` (a select over table ``t``) on DuckDB over ``columns``: its one column."""
    con = _duckdb()
    con.register("t", pa.table(columns))
    try:
        out: pa.Array = con.sql(sql).to_arrow_table().column(0).combine_chunks()
    finally:
        con.unregister("t")
    return out


def duckdb_hash(values: pa.Array) -> pa.Array:
    """DuckDB's ``hash`` of each string, as decimal128(20, 0)."""
    return _on_duckdb("SELECT CAST(hash(v) AS DECIMAL(20, 0)) FROM t", v=values)


def name_scores(left: pa.Array, right: pa.Array, organization: pa.Array) -> pa.Array:
    """udf.name_score row by row (nulls as the DuckDB function sees them: no name)."""
    rows = zip(left.to_pylist(), right.to_pylist(), organization.to_pylist(), strict=True)
    return pa.array([name_score(a, b, bool(o)) for a, b, o in rows], pa.float64())


def guarded_name_scores(
    key_l: pa.Array, key_r: pa.Array, left: pa.Array, right: pa.Array, organization: pa.Array
) -> pa.Array:
    """The name score where DuckDB's Jaro-Winkler similarity of the name keys passes
    model.GUARD's bound, TURNED_AWAY where it does not, null where it is null (a key
    missing): what ``(GUARD) AND score >= bound`` makes of each row, for every bound."""
    similarity = _on_duckdb("SELECT jaro_winkler_similarity(a, b) FROM t", a=key_l, b=key_r)
    from hermit.resolve.model import GUARD_SIMILARITY

    out: list[float | None] = []
    rows = zip(
        similarity.to_pylist(),
        left.to_pylist(),
        right.to_pylist(),
        organization.to_pylist(),
        strict=True,
    )
    for sim, a, b, org in rows:
        if sim is None:
            out.append(None)
        elif sim >= GUARD_SIMILARITY:
            out.append(name_score(a, b, bool(org)))
        else:
            out.append(TURNED_AWAY)
    return pa.array(out, pa.float64())


def register_functions(session: SparkSession) -> None:
    """hermit's functions on ``session`` (its Python workers import hermit)."""
    from pyspark.sql.pandas.functions import arrow_udf
    from pyspark.sql.types import DecimalType, DoubleType

    scalar: Any = arrow_udf  # scalar Arrow UDFs (arrays in, an array out); typed by hints
    session.udf.register(FUNCTION, scalar(name_scores, DoubleType()))
    session.udf.register(GUARDED, scalar(guarded_name_scores, DoubleType()))
    session.udf.register(DUCKDB_HASH, scalar(duckdb_hash, DecimalType(20, 0)))


def _condition(sql: str) -> str:
    return transpile(sql.replace(_GUARDED_CALL, _GUARDED_SPARK), "spark")


def spark_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``settings`` (model.py's, DuckDB SQL) with every comparison level's
    condition and every blocking rule in Spark SQL, the guarded scorer in place of
    the guard and the scorer."""
    out = dict(settings)
    comparisons = []
    for comparison in settings["comparisons"]:
        levels = []
        for level in comparison["comparison_levels"]:
            sql = level["sql_condition"]
            levels.append({**level, "sql_condition": sql if sql == "ELSE" else _condition(sql)})
        comparisons.append({**comparison, "comparison_levels": levels})
    out["comparisons"] = comparisons
    out["blocking_rules_to_generate_predictions"] = [
        {**rule, "blocking_rule": _condition(rule["blocking_rule"])}
        for rule in settings["blocking_rules_to_generate_predictions"]
    ]
    return out


def spark_rule(rule: str) -> str:
    """A training rule (DuckDB SQL) in Spark SQL."""
    return _condition(rule)


class DuckDBHashDialect(SparkDialect):
    """Spark SQL, with DuckDB's hash for Splink's samples and chunks (as its DuckDB
    dialect writes them: ``hash(x) % modulus``)."""

    def hash_function_expression(self, col_expression: str) -> str:
        return f"{DUCKDB_HASH}({col_expression})"

    def hash_bucket_expression(self, col_expression: str, modulus: int) -> str:
        if modulus <= 0:
            raise ValueError("modulus must be positive")
        return f"({self.hash_function_expression(col_expression)} % {modulus})"


@cache
def _api_class() -> Any:
    from splink.internals.spark.database_api import SparkAPI

    class HermitSparkAPI(SparkAPI):
        sql_dialect = DuckDBHashDialect()  # type: ignore[no-untyped-call]

    return HermitSparkAPI


def spark_api(session: SparkSession) -> Any:
    """Splink's SparkAPI on ``session``, hashing as DuckDB does, hermit's functions
    registered (not Splink's jar of string similarities: hermit's settings use none).
    Splink's intermediate tables are persisted (cached) rather than written as Parquet
    to a checkpoint folder the session may not have."""
    register_functions(session)
    return _api_class()(
        spark_session=session, break_lineage_method="persist", register_udfs_automatically=False
    )
