"""A bulk run: read queries from a file in chunks, screen them with one or more worker
processes, write the results in input order, then the run record.

Memory stays flat in the number of rows: the reader streams, at most ``2 * workers``
chunks are in flight (submitted one by one and collected in order, never by an eager
``Pool.imap``), and writers stream. The Screener is made once in the parent (read
from the store's persisted index: about a second, where building it took five); with
the ``fork`` start method the workers share it copy-on-write (the parent first screens
a few names to load every table loaded on first use, and moves its objects out of the
cyclic collector's reach, so collections in a worker do not touch them); without fork
each worker builds its own from the ScreenerSource. Chunks travel to the workers as
plain tuples (``pack_rows``). A worker that
raises or dies stops the run with a BulkError, and no output file is left behind.
"""

from __future__ import annotations

import copy
import gc
import multiprocessing
from collections import deque
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack, closing
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

from hermit.errors import BulkError
from hermit.screening.bulk.formats import format_of, open_reader, open_writer
from hermit.screening.bulk.output import (
    OutputClaim,
    PartFile,
    RejectsWriter,
    file_sha256,
    rejects_path,
    run_record_path,
    write_json,
)
from hermit.screening.bulk.rows import RawRow
from hermit.screening.bulk.summary import BulkSummary, Counts
from hermit.screening.bulk.work import (
    ChunkResult,
    ScreenerSource,
    init_worker,
    pack_rows,
    screen_chunk,
    screen_rows,
)
from hermit.screening.engine import Screener
from hermit.screening.memo import ScreenMemo
from hermit.screening.query import make_query
from hermit.screening.result import RunInfo

DEFAULT_LIMIT = 10
CHUNK_ROWS = 256
#: Rows done so far (read, screened or rejected) and about how many the file has; called
#: once with 0 when screening starts, then after each chunk is written.
ProgressCallback = Callable[[int, int | None], None]


@dataclass(frozen=True, slots=True)
class BulkJob:
    """What to screen, where to write, and how (formats default from the extensions)."""

    input: Path
    output: Path
    input_format: str | None = None
    output_format: str | None = None
    limit: int = DEFAULT_LIMIT  # candidates per query at most
    workers: int = 1
    chunk_rows: int = CHUNK_ROWS


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # RuntimeError: Python 3.11's "Symlink loop"
        raise BulkError(
            f"{path}: a symbolic link loop (it leads, through links, back to itself)"
        ) from None


def _check(job: BulkJob) -> None:
    for what, value in (("limit", job.limit), ("workers", job.workers), ("chunk", job.chunk_rows)):
        if value < 1:
            raise BulkError(f"{what} must be at least 1 (got {value})")
    if not job.output.parent.is_dir():
        raise BulkError(f"{job.output}: the directory {job.output.parent} does not exist")
    if _resolved(job.output) == _resolved(job.input):
        raise BulkError(f"{job.output}: the output would overwrite the input")
    if job.output.is_dir():
        raise BulkError(f"{job.output}: is a directory (give the results file's name)")


def run_bulk(
    job: BulkJob,
    source: ScreenerSource,
    *,
    screener: Screener | None = None,
    on_progress: ProgressCallback | None = None,
    start_method: str | None = None,
) -> BulkSummary:
    """Screen ``job.input`` and write ``job.output``, its rejects file and its run
    record. The input's header is checked before anything runs (SourceError naming the
    file); rows that cannot be read or are not valid queries are rejected with their row
    number and reason, and the run goes on.

    The Screener is ``source.build()``, or ``screener`` when given (one already built
    from the same source); workers that cannot be forked build their own from
    ``source``. ``start_method`` overrides the choice of fork (tests)."""
    input_format = format_of(job.input, job.input_format)
    output_format = format_of(job.output, job.output_format)
    _check(job)
    claim = OutputClaim(job.output)
    try:
        return _run(
            job, source, claim, input_format, output_format, screener, on_progress, start_method
        )
    finally:
        claim.release()


def _run(
    job: BulkJob,
    source: ScreenerSource,
    claim: OutputClaim,
    input_format: str,
    output_format: str,
    screener: Screener | None,
    on_progress: ProgressCallback | None,
    start_method: str | None,
) -> BulkSummary:
    reader = open_reader(job.input, input_format)
    started = datetime.now(UTC)
    sha256 = file_sha256(job.input)
    total = reader.estimated_rows()
    if screener is None:
        screener = source.build()
    screening_from = datetime.now(UTC)
    if on_progress is not None:
        on_progress(0, total)
    chunks = chunk_rows(reader.rows(), job.chunk_rows)
    counts = write_results(
        _screened(chunks, job, screener, source, start_method),
        job.output,
        output_format,
        job.input,
        None if on_progress is None else lambda done: on_progress(done.read, total),
    )
    return record_run(
        job,
        claim,
        (input_format, output_format, sha256),
        screener.info,
        counts,
        reader.unknown_columns(),
        job.workers,
        (started, screening_from),
    )


def record_run(
    job: BulkJob,
    claim: OutputClaim,
    formats: tuple[str, str, str],
    info: RunInfo,
    counts: Counts,
    unknown: tuple[str, ...],
    workers: int,
    times: tuple[datetime, datetime],
    engine: str = "duckdb",
) -> BulkSummary:
    """The summary of a finished run (``formats``: input format, output format, input
    sha256; ``times``: started, screening from), written as its run record beside the
    output: the same record whichever engine ran it."""
    input_format, output_format, sha256 = formats
    started, screening_from = times
    summary = BulkSummary(
        job.input,
        input_format,
        sha256,
        job.output,
        output_format,
        rejects_path(job.output),
        run_record_path(job.output),
        info,
        counts,
        unknown,
        workers,
        job.limit,
        started,
        screening_from,
        datetime.now(UTC),
        tuple(claim.stale),
        engine=engine,
    )
    write_json(summary.run_record, summary.as_dict())
    return summary


def chunk_rows(rows: Iterator[RawRow], size: int) -> Iterator[list[RawRow]]:
    """The rows in lists of ``size`` (the last one shorter)."""
    while chunk := list(islice(rows, size)):
        yield chunk


def write_results(
    results: Generator[ChunkResult, None, None],
    output: Path,
    output_format: str,
    input_label: Path,
    on_chunk: Callable[[Counts], None] | None = None,
) -> Counts:
    """Write screened chunks, in order, to ``output`` and its rejects file (rejected rows
    named by ``input_label``), whole or not at all: the files appear under their names
    only when every chunk is written; on any error ``results`` is closed first (a
    worker pool stops) and the partial files are removed. ``on_chunk`` gets the counts
    after each chunk."""
    counts = Counts()
    out, rejects = PartFile(output), PartFile(rejects_path(output))
    try:
        with ExitStack() as files:
            writer = open_writer(out.part, output_format)
            files.callback(writer.close)
            rejected = RejectsWriter(rejects.part, input_label)
            files.callback(rejected.close)
            for chunk in files.enter_context(closing(results)):
                writer.write(chunk.rows)
                rejected.write(chunk.rejected)
                counts.add(chunk)
                if on_chunk is not None:
                    on_chunk(counts)
        out.commit()
        rejects.commit()
    finally:
        out.discard()
        rejects.discard()
    return counts


def _screened(
    chunks: Iterator[list[RawRow]],
    job: BulkJob,
    screener: Screener,
    source: ScreenerSource,
    start_method: str | None,
) -> Generator[ChunkResult, None, None]:
    """Each chunk's result, in input order."""
    label = str(job.input)
    if job.workers == 1:
        own = copy.copy(screener)  # its memo is this run's, not the caller's Screener's
        own.memo = ScreenMemo()
        for chunk in chunks:
            yield screen_rows(own, chunk, job.limit, label)
        return
    method = start_method or (
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    payload: Screener | ScreenerSource = source
    if method == "fork":
        payload = screener
        warm_up(screener)
        gc.freeze()  # the Screener's objects stay out of the workers' collections
    pool = ProcessPoolExecutor(
        job.workers,
        mp_context=multiprocessing.get_context(method),
        initializer=init_worker,
        initargs=(payload, job.limit, label),
    )
    pending: deque[Future[ChunkResult]] = deque()
    try:
        for chunk in chunks:
            pending.append(pool.submit(screen_chunk, pack_rows(chunk)))
            if len(pending) >= 2 * job.workers:
                yield _collect(pending.popleft(), label)
        while pending:
            yield _collect(pending.popleft(), label)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        if method == "fork":
            gc.unfreeze()


#: Names in every script the name tables read: screened once before the workers fork, so
#: the tables and libraries loaded on first use (Hanja readings, pinyin, Cyrillic and
#: Hangul tables) are loaded once, in the parent, and shared, not loaded by each worker.
WARM_UP = ("김영철", "金英哲", "Ким Ен Чхоль", "Kim Yong-chol", "Korea Trading Co., Ltd.")
#: And one value of every other field a query reads (the country names come from
#: FollowTheMoney, imported on first use: about a second of each worker's CPU before).
WARM_UP_FIELDS = {
    "name": "Kim Yong-chol",
    "schema": "Person",
    "birth_date": "16 Jul 1969",
    "nationality": "North Korea",
    "country": "kp",
    "passport": "PD 123",
    "gender": "male",
}


def warm_up(screener: Screener) -> None:
    """Screen WARM_UP (results discarded) to load everything loaded on first use."""
    for name in WARM_UP:
        screener.screen(make_query({"name": name}).query, 1)
    screener.screen(make_query(WARM_UP_FIELDS).query, 1)


def _collect(future: Future[ChunkResult], label: str) -> ChunkResult:
    try:
        return future.result()
    except BrokenProcessPool:
        raise BulkError(
            f"{label}: a screening worker process died (killed, or out of memory?); "
            "the run stopped and wrote no output"
        ) from None
    except BulkError as exc:
        raise BulkError(f"{exc}; the run stopped and wrote no output") from exc
    except Exception as exc:
        raise BulkError(
            f"{label}: a screening worker failed ({type(exc).__name__}: {exc}); "
            "the run stopped and wrote no output"
        ) from exc
