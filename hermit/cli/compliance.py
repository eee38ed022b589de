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
    from hermit.compliance.folder import LabourData
    from hermit.compliance.interpreter import RuleRun

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
) -> None:
    """Read the folder's record files, check every rule that has a check, write the
    violations (each with its rule, records and reason) and print a summary by rule."""
    from hermit.compliance.columns import load_columns
    from hermit.compliance.folder import read_folder
    from hermit.compliance.interpreter import run_checks, validate
    from hermit.compliance.provisions import load_provisions
    from hermit.compliance.violations import write_csv, write_json

    prov = load_provisions(provisions)
    validate(prov)
    if rules:
        unknown = sorted(set(rules) - {r.id for r in prov.rules})
        if unknown:
            raise typer.BadParameter(f"no such rule: {', '.join(unknown)}", param_hint="--rule")
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
    found = [v for run in runs for v in run.violations]
    if out_csv is not None:
        write_csv(out_csv, found)
    if out_json is not None:
        write_json(
            out_json,
            found,
            {
                "read": data.summary.to_dict(),
                "problems": [
                    {
                        "file": p.file,
                        "line": p.line,
                        "severity": p.severity,
                        "id": p.record_id,
                        "field": p.field,
                        "value": p.value,
                        "reason": p.reason,
                    }
                    for p in data.problems
                ],
                "rules": {
                    run.rule.id: {"violations": len(run.violations), "skipped": run.skipped}
                    for run in runs
                },
            },
        )
    if problems_csv is not None:
        with problems_csv.open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(["file", "line", "severity", "record_id", "field", "value", "reason"])
            for p in data.problems:
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
    _print_read(data)
    _print_runs(runs)


def _print_read(data: LabourData) -> None:
    s = data.summary
    table = Table("file", "rows", "records", "rows rejected", "values set aside")
    for file, rows in s.rows.items():
        table.add_row(
            file,
            f"{rows:,}",
            f"{s.records.get(file, 0):,}",
            f"{s.rejected.get(file, 0):,}",
            f"{s.set_aside.get(file, 0):,}",
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
