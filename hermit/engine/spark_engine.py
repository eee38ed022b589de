"""The Spark engine: a SparkSession (local mode, or a cluster's master), the one module
that imports PySpark (inside ``SparkEngine.start``, so ``import hermit`` never does).

- Positions in the input (``numbered``) are worked out without moving the data: one
  small job counts each input partition's rows, the partitions are put in file order
  (file name, then the offset of their block), and each row's position is its
  partition's offset plus its place in the partition (from
  ``monotonically_increasing_id``, which is the partition's index shifted left 33
  bits plus the row's number in it).
- ``spread`` range-partitions on such a position and sorts within partitions, so that
  partitions are consecutive runs of rows, in order, whatever the input's layout (a
  Parquet file of one row group is one input partition).
- ``map_batches`` is ``mapInArrow``: the same Arrow batches DuckDB's engine hands the
  function in-process.
- ``broadcast`` is Spark's broadcast; ``ship_file`` is ``SparkContext.addFile`` (copied
  once to every node, read there with ``SparkFiles.get``), so nothing assumes a file
  system shared by the driver and the executors.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pyarrow as pa

from hermit.engine.base import BatchFunction, Shipped, ShippedFile
from hermit.engine.config import spark_settings
from hermit.engine.sql import transpile
from hermit.errors import EngineError

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

T = TypeVar("T")
#: monotonically_increasing_id(): the partition index in the bits above these.
_ROW_BITS = 33


class SparkFile:
    """A file added with ``SparkContext.addFile``: its copy on the node that asks."""

    def __init__(self, name: str) -> None:
        self.name = name

    def path(self) -> Path:
        from pyspark import SparkFiles

        return Path(SparkFiles.get(self.name))


class SparkEngine:
    name = "spark"

    def __init__(self, session: SparkSession, *, owned: bool) -> None:
        self.session = session
        self._owned = owned

    @classmethod
    def start(
        cls,
        *,
        master: str | None = None,
        session: Any = None,
        conf: dict[str, str] | None = None,
    ) -> SparkEngine:
        """The engine on ``session``, or on a session started on ``master`` (default:
        resources/engine.yaml; under ``spark-submit``, the master it was given) with
        resources/engine.yaml's settings, then ``conf``'s (which win)."""
        settings = spark_settings()
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise EngineError(
                "--engine spark needs PySpark, which is not installed: "
                "pip install 'hermit[spark]' (and Java 17 or newer)"
            ) from None
        if session is not None:
            if not isinstance(session, SparkSession):
                raise EngineError(f"not a SparkSession: {type(session).__name__}")
            session.conf.set("spark.sql.session.timeZone", settings.time_zone)
            return cls(session, owned=False)
        if not os.environ.get("JAVA_HOME") and shutil.which("java") is None:
            raise EngineError(
                "--engine spark needs Java (17 or newer): no java on PATH and no JAVA_HOME"
            )
        submitted = master is None and bool(os.environ.get("PYSPARK_GATEWAY_PORT"))
        url = master or settings.master
        builder = SparkSession.builder.appName("hermit")
        if submitted:  # under spark-submit: its --master and --conf stand
            url = "the master spark-submit was given"
        else:
            builder = builder.master(url)
        for key, value in {**settings.conf, **(conf or {})}.items():
            builder = builder.config(key, value)
        builder = builder.config("spark.sql.session.timeZone", settings.time_zone)
        if url.startswith("local") and not os.environ.get("PYSPARK_PYTHON"):
            # the executors are this machine's: they run this Python, with hermit in it
            os.environ["PYSPARK_PYTHON"] = sys.executable
        try:
            started = builder.getOrCreate()
        except Exception as exc:
            raise EngineError(f"Spark did not start on {url}: {type(exc).__name__}: {exc}") from exc
        started.sparkContext.setLogLevel("ERROR")
        return cls(started, owned=True)

    @property
    def parallelism(self) -> int:
        return int(self.session.sparkContext.defaultParallelism)

    def read_parquet(self, path: Path, columns: list[str] | None = None) -> DataFrame:
        frame = self.session.read.parquet(str(path))
        return frame if columns is None else frame.select(*[f"`{c}`" for c in columns])

    def read_lines(self, path: Path) -> DataFrame:
        return self.session.read.text(str(path))

    def from_arrow(self, table: pa.Table) -> DataFrame:
        return self.session.createDataFrame(table)

    def register(self, name: str, frame: DataFrame) -> None:
        frame.createOrReplaceTempView(name)

    def sql(self, query: str) -> DataFrame:
        return self.session.sql(transpile(query, "spark"))

    def numbered(self, frame: DataFrame, column: str) -> DataFrame:
        from pyspark.sql import functions as F

        part = F.shiftright(F.monotonically_increasing_id(), _ROW_BITS)
        counts = (
            frame.select(
                part.alias("p"),
                F.input_file_name().alias("f"),
                F.input_file_block_start().alias("b"),
            )
            .groupBy("p")
            .agg(F.count(F.lit(1)).alias("n"), F.min("f").alias("f"), F.min("b").alias("b"))
            .collect()
        )
        offsets: dict[int, int] = {}
        start = 0
        for row in sorted(counts, key=lambda r: (r["f"], r["b"], r["p"])):
            offsets[int(row["p"])] = start
            start += int(row["n"])
        mid = F.monotonically_increasing_id()
        if not offsets:
            return frame.withColumn(column, mid)
        table = F.create_map(*[F.lit(x) for item in offsets.items() for x in item])
        pid = F.shiftright(mid, _ROW_BITS)
        place = mid - F.shiftleft(pid, _ROW_BITS)
        return frame.withColumn(column, F.element_at(table, pid) + place)

    def spread(self, frame: DataFrame, order: str, partitions: int) -> DataFrame:
        return frame.repartitionByRange(max(partitions, 1), order).sortWithinPartitions(order)

    def map_batches(
        self, frame: DataFrame, function: BatchFunction, schema: pa.Schema
    ) -> DataFrame:
        from pyspark.sql.pandas.types import from_arrow_schema

        return frame.mapInArrow(function, from_arrow_schema(schema))

    def persist(self, frame: DataFrame) -> DataFrame:
        """Computed now and kept on the executors (memory, then disk), with its plan cut
        to the kept rows (``localCheckpoint``): a frame made round after round from the
        last one (the people's linking, the 50% rule's fixpoint) would otherwise carry
        every earlier round's plan, analysed again at each query (with a self-join, a
        plan twice the size each round: the compliance job on the dev set spent minutes
        of driver CPU in the analyser's DeduplicateRelations, jstack, 2026-12-04)."""
        from pyspark import StorageLevel

        return frame.localCheckpoint(eager=True, storageLevel=StorageLevel.MEMORY_AND_DISK)

    def unpersist(self, frame: DataFrame) -> None:
        """Nothing to do now: a checkpoint's blocks are removed by Spark's context
        cleaner once the frame is no longer referenced."""

    def write_parquet(self, frame: DataFrame, path: Path) -> None:
        frame.write.option("compression", "zstd").parquet(str(path))

    def collect(self, frame: DataFrame) -> pa.Table:
        table: pa.Table = frame.toArrow()
        return table

    def broadcast(self, value: T) -> Shipped[T]:
        shipped: Shipped[T] = self.session.sparkContext.broadcast(value)
        return shipped

    def ship_file(self, path: Path) -> ShippedFile:
        self.session.sparkContext.addFile(str(path))
        return SparkFile(path.name)

    def close(self) -> None:
        if self._owned:
            self.session.stop()
