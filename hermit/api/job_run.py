"""Screening one job's file inside the service, with the bulk package's parts: its
readers (the same columns as ``hermit screen --file``), ``screen_rows``, its writers, its
rejects file and run record, all written whole or not at all.

This is ``bulk.runner.run_bulk`` with one worker, in-process, on the service's own
Screener (the service never forks: its Screener and its open store stay in one
process), plus what a job needs that the command line does not: the counts after every
chunk (rows read, rejected, queries with alerts) and a way to stop between chunks. The
run record and the rejects file name the file as it was uploaded, not where the service
keeps it.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from hermit.errors import HermitError, SourceError
from hermit.screening.bulk.formats import open_reader
from hermit.screening.bulk.output import file_sha256, rejects_path, run_record_path, write_json
from hermit.screening.bulk.runner import CHUNK_ROWS, chunk_rows, write_results
from hermit.screening.bulk.summary import BulkSummary, Counts
from hermit.screening.bulk.work import ChunkResult, screen_rows
from hermit.screening.engine import Screener

#: Called after every chunk with the counts so far and the estimated rows.
OnChunk = Callable[[Counts, int | None], None]


class JobStopped(HermitError):
    """The job was stopped between two chunks (deleted, or the service is stopping)."""


@dataclass(frozen=True, slots=True)
class JobFiles:
    """Where one job's files are: the upload, the result, and how they are named to
    the user (``customers.csv`` -> ``customers.results.parquet``)."""

    folder: Path
    file_name: str
    input_format: str
    output_format: str

    @property
    def input(self) -> Path:
        return self.folder / f"input.{self.input_format}"

    @property
    def result(self) -> Path:
        return self.folder / f"result.{self.output_format}"

    @property
    def rejects(self) -> Path:
        return rejects_path(self.result)

    @property
    def run_record(self) -> Path:
        return run_record_path(self.result)

    @property
    def stem(self) -> str:
        name = Path(self.file_name).name
        return Path(name).stem or "queries"

    @property
    def result_name(self) -> str:
        return f"{self.stem}.results.{self.output_format}"

    @property
    def rejects_name(self) -> str:
        return f"{self.stem}.rejects.csv"


def screen_file(
    files: JobFiles,
    screener: Screener,
    limit: int,
    on_chunk: OnChunk,
    stop: Callable[[], bool],
    rows_per_chunk: int = CHUNK_ROWS,
) -> BulkSummary:
    """Screen ``files.input`` into ``files.result``, its rejects file and run record.
    SourceError for a file that cannot be screened, JobStopped when ``stop()`` says so;
    either way no result file is left."""
    reader = open_reader(files.input, files.input_format)
    started = datetime.now(UTC)
    sha256 = file_sha256(files.input)
    total = reader.estimated_rows()
    on_chunk(Counts(), total)

    def screened() -> Generator[ChunkResult, None, None]:
        for chunk in chunk_rows(reader.rows(), rows_per_chunk):
            if stop():
                raise JobStopped("stopped")
            yield screen_rows(screener, chunk, limit, files.file_name)

    counts = write_results(
        screened(),
        files.result,
        files.output_format,
        Path(files.file_name),
        lambda done: on_chunk(done, total),
    )
    summary = BulkSummary(
        Path(files.file_name),
        files.input_format,
        sha256,
        Path(files.result_name),
        files.output_format,
        Path(files.rejects_name),
        files.run_record,
        screener.info,
        counts,
        reader.unknown_columns(),
        1,
        limit,
        started,
        started,
        datetime.now(UTC),
    )
    write_json(files.run_record, summary.as_dict())
    return summary


def user_message(exc: BaseException, files: JobFiles) -> str:
    """An error as the uploader should read it: naming the file by its uploaded name,
    never the service's own paths."""
    if isinstance(exc, SourceError):
        where = files.file_name if exc.line is None else f"{files.file_name}, line {exc.line}"
        return f"{where}: {exc.problem}"
    text = str(exc) if isinstance(exc, HermitError) else f"{type(exc).__name__}: {exc}"
    return text.replace(str(files.input), files.file_name).replace(str(files.folder), "")
