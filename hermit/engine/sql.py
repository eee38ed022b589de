"""SQL written once, in DuckDB's dialect, and transpiled with sqlglot for an engine that
speaks another (Spark SQL). sqlglot is imported only when a query needs transpiling.

sqlglot leaves a few of DuckDB's list functions as they are (or as another engine's
operator) when writing Spark SQL; ``_spark_lists`` rewrites them to Spark's own:
``list_intersect`` -> ``array_intersect``, ``len`` of a list -> ``size``,
``list_has_any`` -> ``arrays_overlap`` (each null on a null list, as DuckDB's)."""

from __future__ import annotations

from functools import cache
from typing import Any

#: The dialect hermit's queries are written in.
SOURCE = "duckdb"
#: DuckDB list functions sqlglot keeps by name -> Spark's.
_SPARK_NAMES = {"list_intersect": "array_intersect"}


def _is_list(node: Any) -> bool:
    from sqlglot import exp

    return isinstance(node, exp.Anonymous) and str(node.name).lower() in _SPARK_NAMES


def _spark_lists(node: Any) -> Any:
    from sqlglot import exp

    if _is_list(node):
        return exp.Anonymous(
            this=_SPARK_NAMES[str(node.name).lower()], expressions=node.expressions
        )
    if isinstance(node, exp.Length) and _is_list(node.this):
        return exp.Anonymous(this="size", expressions=[_spark_lists(node.this)])
    if isinstance(node, exp.ArrayOverlaps):
        return exp.Anonymous(this="arrays_overlap", expressions=[node.this, node.expression])
    return node


@cache
def transpile(query: str, dialect: str) -> str:
    """``query`` (DuckDB SQL, one statement or one expression) in ``dialect`` (a sqlglot
    dialect name)."""
    if dialect == SOURCE:
        return query
    import sqlglot

    tree = sqlglot.parse_one(query, read=SOURCE)
    if dialect == "spark":
        tree = tree.transform(_spark_lists)
    return str(tree.sql(dialect=dialect))
