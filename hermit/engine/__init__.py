"""The seam between hermit's heavy jobs and the engine that runs them: DuckDB in this
process (the default) or Apache Spark (``pip install hermit[spark]``), chosen by one
option. The interface is ``base.Engine``; ``open_engine`` makes one. PySpark is
imported only inside ``spark_engine``, and only when Spark is chosen: ``import
hermit`` and every command work without it."""

from __future__ import annotations

from typing import Any

from hermit.engine.base import Engine, Frame

ENGINES = ("duckdb", "spark")
DEFAULT = "duckdb"

__all__ = ["DEFAULT", "ENGINES", "Engine", "Frame", "open_engine"]


def open_engine(name: str = DEFAULT, *, master: str | None = None, session: Any = None) -> Engine:
    """The engine ``name``: ``duckdb``, or ``spark`` on ``session`` (an existing
    SparkSession, used as it is and not stopped by ``close``) or else a session
    started on ``master`` (default: resources/engine.yaml, local[2]). ValueError for
    another name; EngineError when Spark is chosen but PySpark or Java is missing."""
    if name == "duckdb":
        from hermit.engine.duckdb_engine import DuckDBEngine

        return DuckDBEngine()
    if name == "spark":
        from hermit.engine.spark_engine import SparkEngine

        return SparkEngine.start(master=master, session=session)
    raise ValueError(f"unknown engine {name!r} (one of {', '.join(ENGINES)})")
