"""What the core asks of an engine: tables in, SQL over them, a Python function over
their partitions, Parquet out, small results back.

A ``Frame`` is the engine's own handle on a table (a DuckDB relation, a Spark
DataFrame): the core passes it back to the engine that made it and never looks inside.
SQL is written once, in DuckDB's dialect, and transpiled for the others
(hermit.engine.sql). Functions run over partitions receive and yield Arrow record
batches, so the same function runs in-process on DuckDB and on Spark's executors.
Values the function needs on every executor travel as a ``Shipped`` (a broadcast
value) or a ``ShippedFile`` (a file copied once to every node), both picklable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

import pyarrow as pa

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

#: An engine's table handle (opaque to the core).
Frame = Any
#: A function over one partition: its record batches in, record batches out (in order).
BatchFunction = Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]


class Shipped(Protocol, Generic[T_co]):
    """A value sent once to every executor (``value`` reads it there)."""

    @property
    def value(self) -> T_co: ...


class ShippedFile(Protocol):
    """A file copied once to every executor's node; ``path()`` is its copy there."""

    def path(self) -> Path: ...


class Local(Generic[T]):
    """A value or file that is already where the work runs (one process)."""

    def __init__(self, value: T) -> None:
        self._value = value

    @property
    def value(self) -> T:
        return self._value


class LocalFile:
    def __init__(self, path: Path) -> None:
        self._path = path

    def path(self) -> Path:
        return self._path


class Engine(Protocol):
    """One engine: DuckDB in this process (hermit.engine.duckdb) or a Spark session
    (hermit.engine.spark)."""

    name: str

    @property
    def parallelism(self) -> int:
        """How many partitions it can run at once (cores)."""
        ...

    def read_parquet(self, path: Path, columns: list[str] | None = None) -> Frame:
        """The rows of a Parquet file, in file order within each partition."""
        ...

    def read_lines(self, path: Path) -> Frame:
        """A text file's lines (column ``value``: their bytes, line ends removed)."""
        ...

    def from_arrow(self, table: pa.Table) -> Frame: ...

    def register(self, name: str, frame: Frame) -> None:
        """Make ``frame`` a table that ``sql`` can name."""
        ...

    def sql(self, query: str) -> Frame:
        """A query in DuckDB's dialect over registered tables (transpiled when needed)."""
        ...

    def numbered(self, frame: Frame, column: str) -> Frame:
        """``frame`` with ``column``: each row's 0-based position in the input (file
        order), whatever the partitions."""
        ...

    def spread(self, frame: Frame, order: str, partitions: int) -> Frame:
        """``frame`` in at most ``partitions`` partitions of consecutive ``order``
        values, in order (so results written partition by partition stay in order)."""
        ...

    def map_batches(self, frame: Frame, function: BatchFunction, schema: pa.Schema) -> Frame:
        """``function`` over each partition; its batches have ``schema``."""
        ...

    def persist(self, frame: Frame) -> Frame:
        """``frame`` computed once, for several reads."""
        ...

    def unpersist(self, frame: Frame) -> None:
        """Let go of what ``persist`` kept."""
        ...

    def write_parquet(self, frame: Frame, path: Path) -> None:
        """``frame`` as Parquet at ``path`` (a file on DuckDB, a folder of part files
        on Spark), in order."""
        ...

    def collect(self, frame: Frame) -> pa.Table:
        """``frame`` as one Arrow table in this process, in order (small results)."""
        ...

    def broadcast(self, value: T) -> Shipped[T]: ...

    def ship_file(self, path: Path) -> ShippedFile: ...

    def close(self) -> None: ...
