"""``hermit screen --file``: a bulk run with a progress bar and a summary at the end."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import orjson
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from hermit.cli import render_screening
from hermit.cli.context import settings

if TYPE_CHECKING:
    from hermit.screening.bulk.summary import BulkSummary

#: The exit code of a run that wrote its files but rejected rows (no usable name, or
#: unreadable): an unattended job notices. 1 is an error (nothing written), 2 a bad
#: command line.
EXIT_REJECTED = 3


def run(
    ctx: typer.Context,
    file: Path,
    output: Path,
    *,
    input_format: str | None,
    output_format: str | None,
    workers: int | None,
    limit: int | None,
    chunk_rows: int,
    as_json: bool,
) -> None:
    """Screen every row of ``file`` into ``output`` (progress on stderr; the summary,
    or with ``as_json`` the run record, on stdout). Exits with EXIT_REJECTED when any
    row was rejected (the files are written all the same)."""
    from hermit.screening.bulk.runner import DEFAULT_LIMIT, BulkJob, run_bulk
    from hermit.screening.store_screener import StoreScreener

    job = BulkJob(
        file,
        output,
        input_format=input_format,
        output_format=output_format,
        limit=limit or DEFAULT_LIMIT,
        workers=workers or os.cpu_count() or 1,
        chunk_rows=chunk_rows,
    )
    source = StoreScreener(settings(ctx).store_path)
    with _Bar(Console(stderr=True)) as bar:
        summary = run_bulk(job, source, on_progress=bar.update)
    _report(summary, as_json)


def run_on_spark(
    ctx: typer.Context,
    file: Path,
    output: Path,
    *,
    master: str | None,
    input_format: str | None,
    output_format: str | None,
    limit: int | None,
    chunk_rows: int,
    as_json: bool,
) -> None:
    """``run`` on a Spark session started on ``master`` (hermit.engine): the same
    summary and exit codes; no progress bar (Spark's stages are its own)."""
    from hermit.engine import open_engine
    from hermit.screening.bulk.on_engine import run_bulk_on
    from hermit.screening.bulk.runner import DEFAULT_LIMIT, BulkJob

    job = BulkJob(
        file,
        output,
        input_format=input_format,
        output_format=output_format,
        limit=limit or DEFAULT_LIMIT,
        chunk_rows=chunk_rows,
    )
    engine = open_engine("spark", master=master)
    try:
        summary = run_bulk_on(engine, job, settings(ctx).store_path)
    finally:
        engine.close()
    _report(summary, as_json)


def _report(summary: BulkSummary, as_json: bool) -> None:
    for path in summary.removed:
        Console(stderr=True).print(
            f"[yellow]removed {path}[/]: left by an earlier run on {summary.output} that did "
            "not finish (killed or stopped)",
            highlight=False,
            soft_wrap=True,
        )
    if as_json:
        typer.echo(orjson.dumps(summary.as_dict(), option=orjson.OPT_INDENT_2).decode())
    else:
        render_screening.bulk_summary(Console(), summary)
    if summary.counts.rejected:
        Console(stderr=True).print(
            f"[yellow]{summary.counts.rejected:,} row(s) rejected[/] (see {summary.rejects}): "
            f"exit code {EXIT_REJECTED}",
            highlight=False,
        )
        raise typer.Exit(EXIT_REJECTED)


class _Bar:
    """A progress line on stderr when it is a terminal: "loading the lists" until the
    file is checked and the Screener built, then a bar over the rows. It is redrawn only
    when called (no refresh thread: the workers are forked from this process) and
    vanishes at the end, so an error stays one line and the summary says what the bar
    said. Nothing is drawn when stderr is a file or a pipe."""

    def __init__(self, console: Console) -> None:
        self._progress: Progress | None = None
        if not console.is_terminal:
            return
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            console=console,
            auto_refresh=False,
            transient=True,
        )
        self._task = self._progress.add_task("checking the file, loading the lists", total=None)

    def __enter__(self) -> _Bar:
        if self._progress is not None:
            self._progress.start()
            self._progress.refresh()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def update(self, done: int, total: int | None) -> None:
        if self._progress is None:
            return
        total = None if total is None else max(total, done)  # the total is an estimate
        self._progress.update(self._task, description="screening", completed=done, total=total)
        self._progress.refresh()
