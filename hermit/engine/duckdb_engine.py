"""The DuckDB engine: one in-memory DuckDB database in this process, Arrow between its
steps (a frame is an Arrow table, or a stream of record batches read once). One
partition: the whole input, in order. SQL runs on DuckDB over the registered frames;
broadcast values and shipped files are the values and files themselves."""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeAlias, TypeVar

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from hermit.engine.base import BatchFunction, Local, LocalFile, Shipped, ShippedFile

T = TypeVar("T")
BATCH_ROWS = 8_192
#: A pa.Table or a pa.RecordBatchReader (pyarrow has no type hints for mypy).
DuckFrame: TypeAlias = Any


#: Bytes of a file (uncompressed) split into lines at a time.
LINE_CHUNK = 4 << 20


def _split_lines(data: bytes) -> pa.RecordBatch:
    """``data`` (LF line ends only, the last one taken off) as a batch of lines."""
    parts = pc.split_pattern(pa.array([data], pa.binary()), b"\n")
    return pa.record_batch([parts.flatten()], names=["value"])


def _lines(path: Path) -> Iterator[pa.RecordBatch]:
    """The file's lines as bytes, split where Spark's text reader splits them (LF, CR
    LF or CR), without their ends; a gzip file's uncompressed lines (Spark's text
    reader uncompresses a ``.gz`` file too). Read a few megabytes at a time."""
    with path.open("rb") as raw:
        gz = raw.read(2) == b"\x1f\x8b"
    opener: Any = gzip.open if gz else open
    with opener(path, "rb") as fh:
        rest = b""
        while chunk := fh.read(LINE_CHUNK):
            data = rest + chunk
            held = b""
            if b"\r" in data:
                if data.endswith(b"\r"):  # a CR LF may be cut between two chunks
                    data, held = data[:-1], b"\r"
                data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
            cut = data.rfind(b"\n")
            if cut < 0:
                rest = data + held
                continue
            yield _split_lines(data[:cut])
            rest = data[cut + 1 :] + held
        if rest:
            rest = rest.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
            yield _split_lines(rest[:-1] if rest.endswith(b"\n") else rest)


def _batches(frame: DuckFrame) -> Iterator[pa.RecordBatch]:
    if isinstance(frame, pa.Table):
        return iter(frame.to_batches(BATCH_ROWS))
    return iter(frame)


def _stream(schema: pa.Schema, batches: Iterator[pa.RecordBatch]) -> pa.RecordBatchReader:
    return pa.RecordBatchReader.from_batches(schema, batches)


class DuckDBEngine:
    name = "duckdb"

    def __init__(self) -> None:
        self.con = duckdb.connect()
        self._tables: dict[str, DuckFrame] = {}

    @property
    def parallelism(self) -> int:
        return 1

    def read_parquet(self, path: Path, columns: list[str] | None = None) -> DuckFrame:
        """Streamed by record batches; text that is not UTF-8 is passed on as it is
        (Parquet does not check it, nor does Spark): a job reading such cells views
        them as bytes (hermit.screening.bulk.parquet_io)."""
        source = pq.ParquetFile(path)
        names = columns if columns is not None else source.schema_arrow.names
        schema = pa.schema([source.schema_arrow.field(n) for n in names])
        return _stream(schema, source.iter_batches(BATCH_ROWS, columns=names))

    def read_lines(self, path: Path) -> DuckFrame:
        return _stream(pa.schema([("value", pa.binary())]), _lines(path))

    def from_arrow(self, table: pa.Table) -> DuckFrame:
        return table

    def register(self, name: str, frame: DuckFrame) -> None:
        self._tables[name] = frame

    def sql(self, query: str) -> DuckFrame:
        """Run on DuckDB over the registered frames (a stream registered is read by the
        first query that names it)."""
        for name, frame in self._tables.items():
            self.con.register(name, frame)
        try:
            return self.con.sql(query).to_arrow_table()
        finally:
            for name in self._tables:
                self.con.unregister(name)

    def numbered(self, frame: DuckFrame, column: str) -> DuckFrame:
        schema = frame.schema.append(pa.field(column, pa.int64()))

        def batches() -> Iterator[pa.RecordBatch]:
            start = 0
            for batch in _batches(frame):
                n = batch.num_rows
                position = pa.array(range(start, start + n), pa.int64())
                yield pa.RecordBatch.from_arrays([*batch.columns, position], schema=schema)
                start += n

        return _stream(schema, batches())

    def spread(self, frame: DuckFrame, order: str, partitions: int) -> DuckFrame:
        return frame  # one partition, already in order

    def map_batches(
        self, frame: DuckFrame, function: BatchFunction, schema: pa.Schema
    ) -> DuckFrame:
        return _stream(schema, function(_batches(frame)))

    def persist(self, frame: DuckFrame) -> DuckFrame:
        return frame if isinstance(frame, pa.Table) else frame.read_all()

    def unpersist(self, frame: DuckFrame) -> None:
        pass  # an Arrow table, freed with its last reference

    def write_parquet(self, frame: DuckFrame, path: Path) -> None:
        with pq.ParquetWriter(path, frame.schema, compression="zstd") as writer:
            for batch in _batches(frame):
                writer.write_batch(batch)

    def collect(self, frame: DuckFrame) -> pa.Table:
        return frame if isinstance(frame, pa.Table) else frame.read_all()

    def broadcast(self, value: T) -> Shipped[T]:
        return Local(value)

    def ship_file(self, path: Path) -> ShippedFile:
        return LocalFile(Path(os.path.abspath(path)))

    def close(self) -> None:
        self.con.close()
