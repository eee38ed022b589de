"""The engine seam itself, on both engines: SQL written once in DuckDB's dialect
(transpiled for Spark), positions in file order over several partitions, a function
over partitions reading a broadcast value, Parquet out (issue 17)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from hermit.engine import open_engine
from hermit.engine.base import Engine, Shipped
from hermit.engine.sql import transpile
from tests.engine.conftest import needs_spark

NAMES = [f"Kim {i}" if i % 3 else f"Pak {i}" for i in range(500)]


@pytest.fixture()
def source(tmp_path: Path) -> Path:
    path = tmp_path / "t.parquet"
    table = pa.table({"name": NAMES, "n": pa.array(range(500), pa.int64())})
    pq.write_table(table, path, row_group_size=37)  # Spark splits it into several
    return path


@pytest.fixture(params=["duckdb", pytest.param("spark", marks=needs_spark)])
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    if request.param == "duckdb":
        made = open_engine("duckdb")
    else:
        made = open_engine("spark", session=request.getfixturevalue("spark_session"))
    yield made
    made.close()


def test_sql_in_duckdb_s_dialect_runs_on_both(engine: Engine, source: Path) -> None:
    query = (
        "SELECT n::VARCHAR AS s, list_value(n, n + 1) AS pair FROM t "
        "WHERE name ILIKE 'pak%' AND n < 30 ORDER BY n"
    )
    assert "CAST" in transpile(query, "spark")
    engine.register("t", engine.read_parquet(source))
    got = engine.collect(engine.sql(query)).to_pylist()
    assert got == [{"s": str(n), "pair": [n, n + 1]} for n in range(0, 30, 3)]


def _tag(shipped: Shipped[str]) -> Any:
    def function(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            names = batch.column("name").cast(pa.string()).to_pylist()
            tagged = [f"{shipped.value}:{name}" for name in names]
            yield pa.record_batch([pa.array(tagged), batch.column("_pos")], ["tagged", "_pos"])

    return function


def test_positions_partitions_and_broadcast(engine: Engine, source: Path, tmp_path: Path) -> None:
    frame = engine.numbered(engine.read_parquet(source, ["name"]), "_pos")
    frame = engine.spread(frame, "_pos", 6)
    schema = pa.schema([("tagged", pa.string()), ("_pos", pa.int64())])
    out = tmp_path / "out.parquet"
    engine.write_parquet(engine.map_batches(frame, _tag(engine.broadcast("x")), schema), out)
    table = ds.dataset(out, format="parquet").to_table() if out.is_dir() else pq.read_table(out)
    assert table.column("_pos").to_pylist() == list(range(500))
    assert table.column("tagged").to_pylist() == [f"x:{name}" for name in NAMES]
