"""``hermit screen`` (one name, or a file of queries with --file) and ``hermit demo``.

The screening stack is imported inside the commands: it loads name tables, and the
other commands should not pay for it at start-up.
"""

from __future__ import annotations

import tempfile
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import orjson
import typer
from rich.console import Console

from hermit.cli import render, render_screening
from hermit.cli.context import settings
from hermit.store import Store

if TYPE_CHECKING:
    from hermit.screening.query import ParsedQuery

console = Console()
SINGLE_LIMIT = 5


def screen(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(help="The name to screen (any script). Or --file for many queries."),
    ] = None,
    birth_date: Annotated[
        str | None,
        typer.Option(
            "--dob",
            help="Date of birth: 1962-02-18, 18/02/1962, 18 Feb 1962, 1962, circa 1962, "
            "1960-1965 ...",
        ),
    ] = None,
    schema: Annotated[
        str | None,
        typer.Option(help="Person, Organization, Company, LegalEntity, Vessel, Airplane."),
    ] = None,
    nationality: Annotated[str | None, typer.Option(help="Country name or ISO code.")] = None,
    country: Annotated[
        str | None, typer.Option(help="Country of residence, registration or flag.")
    ] = None,
    passport: Annotated[str | None, typer.Option(help="Passport number.")] = None,
    registration_number: Annotated[
        str | None, typer.Option(help="Company registration number.")
    ] = None,
    imo: Annotated[str | None, typer.Option(help="Ship IMO number (7 digits).")] = None,
    mmsi: Annotated[str | None, typer.Option(help="Ship MMSI (9 digits).")] = None,
    gender: Annotated[str | None, typer.Option(help="male or female.")] = None,
    query_id: Annotated[
        str | None,
        typer.Option("--id", help="Your id for the query (suppressions by query id use it)."),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            min=1, help="At most this many candidates per query (default 5; 10 with --file)."
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="JSON: the matches, or the bulk run record.")
    ] = False,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            help="Screen every row of this file (.csv, .jsonl/.ndjson, .parquet) with a "
            "'name' column and any of: id, schema, birth_date (or dob), nationality, "
            "country, passport, registration_number, imo, mmsi, gender.",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "--out",
            "-o",
            help="With --file: the results file (.csv, .jsonl, .parquet); the rejects "
            "file and run record are written beside it.",
        ),
    ] = None,
    output_format: Annotated[
        str | None, typer.Option("--format", help="Results format: csv, jsonl, parquet.")
    ] = None,
    input_format: Annotated[
        str | None,
        typer.Option(help="Format of --file when its extension does not say it."),
    ] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="With --file: worker processes (default: CPUs).")
    ] = None,
    chunk_rows: Annotated[
        int, typer.Option(min=1, help="With --file: rows handed to a worker at a time.")
    ] = 256,
    engine: Annotated[
        str,
        typer.Option(
            help="With --file: duckdb (this machine, worker processes) or spark "
            "(pip install 'hermit[spark]'; csv or parquet in, parquet out)."
        ),
    ] = "duckdb",
    spark_master: Annotated[
        str | None,
        typer.Option(help="With --engine spark: the master URL (default local[2])."),
    ] = None,
) -> None:
    """Screen a name against the loaded lists (score, decision and reasons), or with
    --file a whole file of queries into a results file."""
    one = {
        "--dob": birth_date,
        "--schema": schema,
        "--nationality": nationality,
        "--country": country,
        "--passport": passport,
        "--registration-number": registration_number,
        "--imo": imo,
        "--mmsi": mmsi,
        "--gender": gender,
        "--id": query_id,
    }
    if file is not None:
        if name is not None:
            raise typer.BadParameter("give a NAME or --file, not both", param_hint="NAME")
        given = [option for option, value in one.items() if value is not None]
        if given:
            raise typer.BadParameter(
                "applies to one NAME; with --file give it as a column", param_hint=given[0]
            )
        if output is None:
            raise typer.BadParameter("--file needs an output file", param_hint="--output")
        from hermit.cli import bulk  # rich.progress and the bulk runner: --file only

        if engine not in ("duckdb", "spark"):
            raise typer.BadParameter(f"{engine!r}: duckdb or spark", param_hint="--engine")
        if engine == "spark":
            bulk.run_on_spark(
                ctx,
                file,
                output,
                master=spark_master,
                input_format=input_format,
                output_format=output_format,
                limit=limit,
                chunk_rows=chunk_rows,
                as_json=as_json,
            )
            return
        if spark_master is not None:
            raise typer.BadParameter("applies to --engine spark only", param_hint="--spark-master")
        bulk.run(
            ctx,
            file,
            output,
            input_format=input_format,
            output_format=output_format,
            workers=workers,
            limit=limit,
            chunk_rows=chunk_rows,
            as_json=as_json,
        )
        return
    if name is None:
        raise typer.BadParameter("give a NAME to screen, or --file", param_hint="NAME")
    for option, value in (
        ("--output", output),
        ("--format", output_format),
        ("--spark-master", spark_master),
        ("--engine", None if engine == "duckdb" else engine),
    ):
        if value is not None:
            raise typer.BadParameter("applies to --file only", param_hint=option)
    facts = {
        "id": query_id,
        "schema": schema,
        "birth_date": birth_date,
        "nationality": nationality,
        "country": country,
        "passport": passport,
        "registration_number": registration_number,
        "imo": imo,
        "mmsi": mmsi,
        "gender": gender,
    }
    _screen_one(ctx, _query(name, facts), limit or SINGLE_LIMIT, as_json)


def _query(name: str, given: dict[str, str | None]) -> ParsedQuery:
    """The query with what was set aside; a NAME that cannot be screened is a bad
    argument (exit 2), any other unreadable option a warning naming the option."""
    from hermit.screening.query import FIELDS, Given, QueryError, RawValue, make_query

    options = {spec.name: spec.option for spec in FIELDS}
    values: dict[str, RawValue] = {"name": name}
    for field, text in given.items():
        if text is not None:
            values[field] = Given(text, options[field])
    try:
        return make_query(values)
    except QueryError as exc:
        raise typer.BadParameter(exc.problem, param_hint="NAME") from exc


def _screen_one(ctx: typer.Context, parsed: ParsedQuery, limit: int, as_json: bool) -> None:
    from hermit.screening.index_file import IndexFileError
    from hermit.screening.store_screener import StoreScreener

    query = parsed.query
    notes = Console(stderr=True)

    def note(text: str) -> None:
        notes.print(text, style="dim", highlight=False, soft_wrap=True)

    source = StoreScreener(settings(ctx).store_path)
    screener = source.build(lazy=True, notify=note)
    try:
        found = screener.screen(query, limit)
    except IndexFileError as exc:  # a damaged part, found as the query read it
        note(f"warning: the screening index cannot be used ({exc}); rebuilding it")
        screener = source.build(lazy=True, notify=note, rebuild=True)
        found = screener.screen(query, limit)
    if as_json:
        data = {
            "query": query.facts(),
            "warnings": [w.as_dict() for w in parsed.warnings],
            "run": screener.info.as_dict(),
            "matches": [render_screening.match_dict(m) for m in found],
        }
        typer.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode())
        return
    render_screening.query_warnings(Console(stderr=True), parsed.warnings)
    render_screening.matches(console, query, found, screener.info.report_floor)


def _sample_dir() -> Path:
    return Path(str(resources.files("hermit") / "resources" / "samples"))


def demo(
    ctx: typer.Context,
    keep: Annotated[bool, typer.Option(help="Use --store instead of a throw-away store.")] = False,
) -> None:
    """Load the bundled sample lists (extracts of the UN and OFAC lists) into a fresh store
    and screen the bundled sample names, printing what matched and why."""
    from hermit.screening.bulk.csv_io import CsvReader
    from hermit.screening.engine import Screener
    from hermit.screening.query import make_query
    from hermit.sources.detect import read_list_files

    samples = _sample_dir()
    files = [samples / "un_consolidated_sample.xml", samples / "sdn.csv"]
    with tempfile.TemporaryDirectory(prefix="hermit-demo-") as tmp:
        path = settings(ctx).store_path if keep else Path(tmp) / "demo.duckdb"
        console.rule(f"[bold]hermit demo[/] store {path}")
        with Store(path) as store:
            for snap in read_list_files(files):
                render.load_result(console, store.load(snap), snap.warnings)
            render.stats(console, store.stats())
            screener = Screener.from_store(store.con)
        for row in CsvReader(samples / "names.csv").rows():
            query = make_query(row.values).query
            found = screener.screen(query, limit=3)
            console.print()
            render_screening.matches(console, query, found, screener.info.report_floor)
