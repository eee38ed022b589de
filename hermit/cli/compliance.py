"""``hermit compliance``: check labour records against the sanctions provisions (the
rules as reviewed data in resources/compliance/provisions.yaml) and say which records
break which rule, and why."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from hermit.cli.context import settings
from hermit.cli.flags import Group

if TYPE_CHECKING:
    from hermit.compliance.engine.run import EngineData
    from hermit.compliance.folder import LabourData
    from hermit.compliance.interpreter import RuleRun
    from hermit.compliance.provisions import Provisions
    from hermit.compliance.records import Problem

app = typer.Typer(
    cls=Group,
    help="Check labour, company, account and cash records against the sanctions "
    "provisions; list the provisions.",
    no_args_is_help=True,
)
console = Console()
ProvisionsOpt = Annotated[
    Path | None,
    typer.Option("--provisions", help="A provisions file (default: the built-in one)."),
]


@app.command("check")
def check(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(help="The folder of labour record files.")],
    out_csv: Annotated[
        Path | None, typer.Option("--csv", help="Write the violations here (CSV).")
    ] = None,
    out_json: Annotated[
        Path | None,
        typer.Option("--json", help="Write violations, read problems and counts here (JSON)."),
    ] = None,
    problems_csv: Annotated[
        Path | None,
        typer.Option("--problems", help="Write every rejected row and set-aside value here."),
    ] = None,
    columns: Annotated[
        Path | None,
        typer.Option(
            "--columns",
            help="A column mapping (YAML) for your own CSV or Excel files "
            "(shape: hermit/resources/compliance/columns.yaml).",
        ),
    ] = None,
    rules: Annotated[
        list[str] | None, typer.Option("--rule", help="Check only this rule (repeatable).")
    ] = None,
    provisions: ProvisionsOpt = None,
    screen_founders: Annotated[
        bool,
        typer.Option(
            "--screen-founders/--no-screen-founders",
            help="Screen foreign founders against the lists in the store (--store), so a "
            "DPRK party registered with no or another country is found (default: when "
            "the store exists).",
        ),
    ] = True,
    engine: Annotated[
        str | None,
        typer.Option(
            "--engine",
            help="Read and check on an engine: duckdb or spark (the main checks: UNSCR "
            "2375 para 17 on permits, 2371 para 11, 2397 para 8; the other rules are "
            "reported as not on the engine). Default: in process, every rule.",
        ),
    ] = None,
    spark_master: Annotated[
        str | None,
        typer.Option(help="With --engine spark: the master URL (default local[2])."),
    ] = None,
) -> None:
    """Read the folder's record files, check every rule that has a check, write the
    violations (each with its rule, records and reason) and print a summary by rule."""
    from hermit.compliance.columns import load_columns
    from hermit.compliance.folder import read_folder
    from hermit.compliance.interpreter import run_checks, validate
    from hermit.compliance.provisions import load_provisions

    prov = load_provisions(provisions)
    validate(prov)
    if rules:
        unknown = sorted(set(rules) - {r.id for r in prov.rules})
        if unknown:
            raise typer.BadParameter(f"no such rule: {', '.join(unknown)}", param_hint="--rule")
    if engine is not None:
        if engine not in ("duckdb", "spark"):
            raise typer.BadParameter(f"{engine!r}: duckdb or spark", param_hint="--engine")
        on, engine_runs = _on_engine(engine, spark_master, prov, folder, columns, rules)
        _write(engine_runs, on.summary.to_dict(), on.problems, out_csv, out_json, problems_csv)
        _print_counts(on.summary.to_dict())
        _print_runs(engine_runs)
        return
    if spark_master is not None:
        raise typer.BadParameter("applies to --engine spark only", param_hint="--spark-master")
    data = read_folder(folder, load_columns(columns))
    store = settings(ctx).store_path
    if screen_founders and store.exists() and data.of("employer_founders"):
        from hermit.compliance.listed import screen_founders as screen

        data.listed = screen(data.of("employer_founders"), store)
        console.print(
            f"founders screened against the lists in {store}: {len(data.listed)} DPRK-listed",
            highlight=False,
            markup=False,
        )
    runs = run_checks(prov, data, set(rules) if rules else None)
    _write(runs, data.summary.to_dict(), data.problems, out_csv, out_json, problems_csv)
    _print_read(data)
    _print_runs(runs)


def _on_engine(
    name: str,
    master: str | None,
    prov: Provisions,
    folder: Path,
    columns: Path | None,
    rules: list[str] | None,
) -> tuple[EngineData, list[RuleRun]]:
    from hermit.compliance.columns import load_columns
    from hermit.compliance.engine.run import run_on_engine
    from hermit.engine import open_engine
    from hermit.errors import EngineError

    if master is not None and name != "spark":
        raise typer.BadParameter("applies to --engine spark only", param_hint="--spark-master")
    try:
        eng = open_engine(name, master=master)
    except EngineError as exc:
        console.print(f"error: {exc}", highlight=False, markup=False)
        raise typer.Exit(2) from None
    try:
        return run_on_engine(
            eng, prov, folder, load_columns(columns), set(rules) if rules else None
        )
    finally:
        eng.close()


def _write(
    runs: list[RuleRun],
    summary: dict[str, dict[str, int]],
    problems: list[Problem],
    out_csv: Path | None,
    out_json: Path | None,
    problems_csv: Path | None,
) -> None:
    from hermit.compliance.violations import check_parts, write_csv, write_json

    found = [v for run in runs for v in run.violations]
    if out_csv is not None:
        write_csv(out_csv, found)
    if out_json is not None:
        write_json(
            out_json,
            found,
            {
                "read": summary,
                **check_parts(problems, runs),
            },
        )
    if problems_csv is not None:
        with problems_csv.open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(["file", "line", "severity", "record_id", "field", "value", "reason"])
            for p in problems:
                out.writerow(
                    [
                        p.file,
                        p.line,
                        p.severity,
                        p.record_id or "",
                        p.field or "",
                        p.value or "",
                        p.reason,
                    ]
                )


def _print_read(data: LabourData) -> None:
    _print_counts(data.summary.to_dict())


def _print_counts(s: dict[str, dict[str, int]]) -> None:
    table = Table("file", "rows", "records", "rows rejected", "values set aside")
    for file, rows in s["rows"].items():
        table.add_row(
            file,
            f"{rows:,}",
            f"{s['records'].get(file, 0):,}",
            f"{s['rejected'].get(file, 0):,}",
            f"{s['set_aside'].get(file, 0):,}",
        )
    console.print(table)


def _print_runs(runs: list[RuleRun]) -> None:
    from collections import Counter

    table = Table("rule", "pattern", "findings")
    total = 0
    for run in runs:
        if run.skipped is not None:
            table.add_row(run.rule.id, f"(not checked: {run.skipped})", "-")
            continue
        counts = Counter(v.pattern for v in run.violations)
        if not counts:
            table.add_row(run.rule.id, "(none)", "0")
        for pattern, n in sorted(counts.items()):
            table.add_row(run.rule.id, pattern, f"{n:,}")
        total += len(run.violations)
    console.print(table)
    console.print(f"{total:,} findings", highlight=False, markup=False)


@app.command("rules")
def list_rules(provisions: ProvisionsOpt = None) -> None:
    """The provisions: id, instrument and paragraph, whether the wording was verified
    against the official text, and the predicate that checks it (if any)."""
    from hermit.compliance.interpreter import validate
    from hermit.compliance.provisions import load_provisions

    prov = load_provisions(provisions)
    validate(prov)
    table = Table("rule", "instrument", "para", "kind", "verified", "check")
    for r in prov.rules:
        table.add_row(
            r.id,
            r.instrument,
            r.paragraph,
            r.kind,
            "yes" if r.wording.verified else "no",
            r.check or "(not checked)",
        )
    console.print(table)
