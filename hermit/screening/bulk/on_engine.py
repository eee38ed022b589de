"""A bulk run through an engine (hermit.engine): the query file read by the engine,
numbered in file order, spread over partitions of consecutive rows, each partition
screened by the same code as a local run (``work.screen_rows`` on the rows the local
readers would make of it), results written as Parquet by the engine; rejected and
warned rows and the counts come back to this process, which writes the rejects file
and the run record as a local run does.

- **The index, shipped once.** The Screener is not pickled: the screening index
  persisted beside the store (hermit.screening.persisted, built first if it is missing)
  is shipped as a file (Spark: ``addFile``, copied once to every node, so no file
  system shared with the executors is assumed), and the store's facts a screen needs
  (list versions, standing suppressions) are broadcast. Each executor process reads the
  index once, checked against its key and digests as every local run reads it, and
  keeps the Screener for every partition it screens (``_screeners``).
- **Rows as a local run numbers them.** Parquet: the row's position in the file. CSV
  (read as lines, so a file splits anywhere): the line's position, then, blank lines
  left out, the record's; each line is one record, parsed by the CSV reader's own code
  (``CsvReader.line_row``): extra or missing cells, text that is not UTF-8 and cells
  that are not one value give the same warnings and rejects as a local run. A quoted
  cell with line breaks cannot be read line by line: its first line is rejected and
  says so (a local run reads it).
- **Same answers.** Result rows, rejected rows, warnings and counts are those of a
  local run of the same file; the run record says which engine ran it.
"""

from __future__ import annotations

import pickle
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from hermit.engine.base import Engine, Shipped, ShippedFile
from hermit.engine.config import spark_settings
from hermit.errors import BulkError
from hermit.screening.bulk.csv_io import CsvReader
from hermit.screening.bulk.formats import format_of
from hermit.screening.bulk.output import (
    OutputClaim,
    PartFile,
    RejectsWriter,
    file_sha256,
    rejects_path,
)
from hermit.screening.bulk.parquet_io import RESULT_SCHEMA, ParquetReader, _as_bytes, _row
from hermit.screening.bulk.rows import RawRow
from hermit.screening.bulk.runner import BulkJob, chunk_rows, record_run
from hermit.screening.bulk.summary import BulkSummary, Counts
from hermit.screening.bulk.work import ChunkResult, screen_rows
from hermit.screening.engine import Screener
from hermit.screening.memo import ScreenMemo
from hermit.screening.persisted import IndexKey, ensure_index, load_index
from hermit.screening.store_facts import StoreFacts
from hermit.store import Store

#: Engines read these query formats (JSON lines and Excel: a local run, or convert).
ENGINE_INPUTS = ("csv", "parquet")
#: The column of a partition's output holding a chunk's rejects, warnings and counts.
SIDE = "_side"
OUTPUT_SCHEMA = RESULT_SCHEMA.append(pa.field(SIDE, pa.binary()))
LINE, ROW = "_line", "_row"


@dataclass(frozen=True, slots=True)
class ShippedScreener:
    """What an executor builds its Screener from: the persisted index file and the
    store's facts."""

    index: ShippedFile
    facts: Shipped[StoreFacts]

    def build(self) -> Screener:
        """The Screener, read once per process and kept."""
        path = self.index.path()
        found = _screeners.get(str(path))
        if found is None:
            facts = self.facts.value
            entities, index = load_index(path, IndexKey.current(facts.lists), lazy=False)
            decisions = facts.suppressions()
            lookup = decisions.lookup if len(decisions) else None
            found = Screener(entities, facts.lists, lookup, index=index)
            found.memo = ScreenMemo()
            _screeners[str(path)] = found
        return found


_screeners: dict[str, Screener] = {}


@dataclass(frozen=True, slots=True)
class ScreenPartition:
    """The function an engine runs over each partition of numbered query rows."""

    screener: ShippedScreener
    input_format: str
    csv: CsvReader | None  # the header, separator and columns, for CSV lines
    fields: dict[str, str]  # Parquet: input column -> query field
    limit: int
    chunk_rows: int
    label: str

    def __call__(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        screener = self.screener.build()
        for chunk in chunk_rows(self._rows(batches), self.chunk_rows):
            result = screen_rows(screener, chunk, self.limit, self.label)
            yield _batch(result)

    def _rows(self, batches: Iterator[pa.RecordBatch]) -> Iterator[RawRow]:
        for batch in batches:
            if self.csv is not None:
                lines = batch.column(LINE).to_pylist()
                rows = batch.column(ROW).to_pylist()
                values = _as_bytes(batch.select(["value"])).column(0).to_pylist()
                for line, row, value in zip(lines, rows, values, strict=True):
                    text = value.decode("utf-8", "surrogateescape")
                    yield self.csv.line_row(row + 1, line + 1, text)
                continue
            rows = batch.column(ROW).to_pylist()
            cells = _as_bytes(batch.select(list(self.fields))).to_pylist()
            for row, record in zip(rows, cells, strict=True):
                yield _row(row + 1, record, self.fields)


def _batch(result: ChunkResult) -> pa.RecordBatch:
    """A chunk's result rows, then one row (``SIDE`` set, the rest null) with its
    rejects, warnings and counts."""
    rows = result.rows
    side = replace(result, rows=[])
    columns: list[list[Any]] = [list(c) for c in zip(*rows, strict=True)] if rows else []
    if not columns:
        columns = [[] for _ in RESULT_SCHEMA]
    for column in columns:
        column.append(None)
    marks: list[bytes | None] = [None] * len(rows)
    marks.append(pickle.dumps((side, len(rows)), protocol=5))
    arrays = [pa.array(c, type=f.type) for c, f in zip(columns, RESULT_SCHEMA, strict=True)]
    return pa.RecordBatch.from_arrays([*arrays, pa.array(marks, pa.binary())], schema=OUTPUT_SCHEMA)


def _check(job: BulkJob, input_format: str, output_format: str) -> None:
    if input_format not in ENGINE_INPUTS:
        raise BulkError(
            f"{job.input}: an engine reads {' or '.join(ENGINE_INPUTS)} query files, not "
            f"{input_format} (convert it, or screen it without --engine)"
        )
    if output_format != "parquet":
        raise BulkError(f"{job.output}: an engine writes results as Parquet (.parquet)")
    for what, value in (("limit", job.limit), ("chunk", job.chunk_rows)):
        if value < 1:
            raise BulkError(f"{what} must be at least 1 (got {value})")
    if not job.output.parent.is_dir():
        raise BulkError(f"{job.output}: the directory {job.output.parent} does not exist")
    if job.output.resolve() == job.input.resolve():
        raise BulkError(f"{job.output}: the output would overwrite the input")
    if job.output.is_dir() and not _earlier_result(job.output):
        raise BulkError(
            f"{job.output}: is a directory that is not an earlier engine run's results "
            "(give the results' name)"
        )


def _earlier_result(folder: Path) -> bool:
    """A folder of part files a Spark run wrote (its ``_SUCCESS`` mark and nothing else)."""
    names = [p.name for p in folder.iterdir()]
    ok = all(n == "_SUCCESS" or n.startswith(("part-", "._SUCCESS", ".part-")) for n in names)
    return "_SUCCESS" in names and ok


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def staging_path(output: Path) -> Path:
    """Where an engine writes the results before they take ``output``'s name."""
    return output.with_name(output.name + ".engine-part")


def run_bulk_on(engine: Engine, job: BulkJob, store_path: Path) -> BulkSummary:
    """Screen ``job.input`` against the store at ``store_path`` on ``engine`` and write
    ``job.output`` (Parquet: a folder of part files on Spark), its rejects file and its
    run record, whole or not at all. ``job.workers`` is ignored: the engine's cores
    run the partitions."""
    input_format = format_of(job.input, job.input_format)
    output_format = format_of(job.output, job.output_format)
    _check(job, input_format, output_format)
    claim = OutputClaim(job.output)
    try:
        return _run(engine, job, store_path, claim, input_format, output_format)
    finally:
        claim.release()


def _run(
    engine: Engine,
    job: BulkJob,
    store_path: Path,
    claim: OutputClaim,
    input_format: str,
    output_format: str,
) -> BulkSummary:
    started = datetime.now(UTC)
    csv = CsvReader(job.input) if input_format == "csv" else None
    parquet = ParquetReader(job.input) if csv is None else None
    reader: CsvReader | ParquetReader = csv or parquet  # type: ignore[assignment]
    unknown = reader.unknown_columns()
    sha256 = file_sha256(job.input)
    with Store(store_path, read_only=True) as store:
        facts = StoreFacts.read(store.con, store.state)
        index = ensure_index(store.con, store_path, facts.lists)
    if index is None:
        raise BulkError(
            f"{store_path}: the screening index could not be written beside the store; "
            "an engine ships it to its executors as a file"
        )
    info = Screener({}, facts.lists).info
    shipped = ShippedScreener(engine.ship_file(index), engine.broadcast(facts))
    screening_from = datetime.now(UTC)

    try:
        counts = _screen_on(engine, job, csv, parquet, shipped, reader.estimated_rows())
    except (BulkError, OSError):
        raise
    except Exception as exc:  # the engine's own (a Spark job that failed, and why)
        first = str(exc).strip().splitlines()[0][:500] if str(exc).strip() else ""
        raise BulkError(
            f"{job.input}: the {engine.name} run failed ({type(exc).__name__}: {first}); "
            "no output was written"
        ) from exc
    return record_run(
        job,
        claim,
        (input_format, output_format, sha256),
        info,
        counts,
        unknown,
        engine.parallelism,
        (started, screening_from),
        engine=engine.name,
    )


def _screen_on(
    engine: Engine,
    job: BulkJob,
    csv: CsvReader | None,
    parquet: ParquetReader | None,
    shipped: ShippedScreener,
    rows: int | None,
) -> Counts:
    """The screening itself: results written to ``job.output``, rejects beside it."""
    input_format = "csv" if csv is not None else "parquet"
    if csv is not None:
        frame = engine.numbered(engine.read_lines(job.input), LINE)
        engine.register("hermit_lines", frame)
        frame = engine.sql(
            f'SELECT * FROM hermit_lines WHERE "{LINE}" > 0 AND octet_length("value") > 0'
        )
        fields: dict[str, str] = {}
    else:
        assert parquet is not None
        fields = parquet.columns.fields
        frame = engine.read_parquet(job.input, list(fields))
    frame = engine.numbered(frame, ROW)
    partitions = _partitions(engine, rows)
    frame = engine.spread(frame, ROW, partitions)
    function = ScreenPartition(
        shipped, input_format, csv, fields, job.limit, job.chunk_rows, str(job.input)
    )
    screened = engine.persist(engine.map_batches(frame, function, OUTPUT_SCHEMA))
    engine.register("hermit_screened", screened)
    columns = ", ".join(f'"{name}"' for name in RESULT_SCHEMA.names)
    results = engine.sql(f'SELECT {columns} FROM hermit_screened WHERE "{SIDE}" IS NULL')
    staging = staging_path(job.output)
    _remove(staging)
    try:
        engine.write_parquet(results, staging)
        side = engine.collect(
            engine.sql(f'SELECT "{SIDE}" FROM hermit_screened WHERE "{SIDE}" IS NOT NULL')
        )
        counts = _counts_and_rejects(side.column(0).to_pylist(), job)
        _remove(job.output)
        staging.replace(job.output)
    finally:
        _remove(staging)
        engine.unpersist(screened)
    return counts


def _partitions(engine: Engine, rows: int | None) -> int:
    """Partitions for the screening: a few per core, of not too few rows each
    (resources/engine.yaml)."""
    settings = spark_settings()
    wanted = engine.parallelism * settings.partitions_per_core
    if rows is not None:
        wanted = min(wanted, max(rows // settings.min_rows_per_partition, 1))
    return max(wanted, 1)


def _counts_and_rejects(sides: list[bytes], job: BulkJob) -> Counts:
    """The chunks' counts, in input order, with their rejected rows written."""
    counts = Counts()
    rejects = PartFile(rejects_path(job.output))
    try:
        writer = RejectsWriter(rejects.part, job.input)
        try:
            for data in sides:
                chunk, rows = pickle.loads(data)
                writer.write(chunk.rejected)
                counts.add(chunk, rows)
        finally:
            writer.close()
        rejects.commit()
    finally:
        rejects.discard()
    return counts
