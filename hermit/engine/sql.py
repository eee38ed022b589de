"""SQL written once, in DuckDB's dialect, and transpiled with sqlglot for an engine that
speaks another (Spark SQL). sqlglot is imported only when a query needs transpiling."""

from __future__ import annotations

from functools import cache

#: The dialect hermit's queries are written in.
SOURCE = "duckdb"


@cache
def transpile(query: str, dialect: str) -> str:
    """``query`` (DuckDB SQL, one statement) in ``dialect`` (a sqlglot dialect name)."""
    if dialect == SOURCE:
        return query
    import sqlglot

    (out,) = sqlglot.transpile(query, read=SOURCE, write=dialect)
    return str(out)
