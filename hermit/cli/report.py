"""``hermit report``: reports as JSON data, HTML and PDF (hermit/report); the data is
made by the core, the renderings from the data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from hermit.cli.context import settings
from hermit.cli.flags import Group

app = typer.Typer(
    cls=Group,
    help="Reports that stand on their own: JSON data (every figure citing its records), "
    "HTML and PDF.",
    no_args_is_help=True,
)
console = Console()
OutOpt = Annotated[
    list[Path],
    typer.Option(
        "--out",
        help="Write the report here: .json (the data), .html or .pdf (repeatable: one run, "
        "several renderings).",
    ),
]
#: The AIS load a report reads (the KIMS report, a vessel's dossier).
AisLoadOpt = Annotated[
    int | None, typer.Option("--load", help="An AIS load's number (default: the latest).")
]
GeneratedAtOpt = Annotated[
    str | None,
    typer.Option(
        "--generated-at",
        help="The generation time stamped in the report (ISO, e.g. 2026-01-01T00:00:00Z; "
        "default: now). Fix it and the same inputs give the same bytes.",
    ),
]


def _stamp(generated_at: str | None) -> object:
    from hermit.report.stamp import Stamp, parse_generated_at

    if generated_at is None:
        return Stamp()
    try:
        return Stamp(generated_at=parse_generated_at(generated_at))
    except ValueError:
        raise typer.BadParameter(
            f"not an ISO date-time: {generated_at!r}", param_hint="--generated-at"
        ) from None


def _check_out(out: list[Path]) -> None:
    from hermit.report.render import SUFFIXES

    if not out:
        raise typer.BadParameter("give at least one --out FILE", param_hint="--out")
    for path in out:
        if path.suffix.lower() not in SUFFIXES:
            raise typer.BadParameter(
                f"{path}: a report is written as {', '.join(SUFFIXES)}", param_hint="--out"
            )


@app.command("compliance")
def compliance(
    ctx: typer.Context,
    labour: Annotated[Path, typer.Option("--labour", help="The folder of labour record files.")],
    out: OutOpt,
    columns: Annotated[
        Path | None,
        typer.Option("--columns", help="A column mapping (YAML) for your own files."),
    ] = None,
    provisions: Annotated[
        Path | None,
        typer.Option("--provisions", help="A provisions file (default: the built-in one)."),
    ] = None,
    screen_founders: Annotated[
        bool,
        typer.Option(
            "--screen-founders/--no-screen-founders",
            help="Screen foreign founders against the lists in the store (default: when "
            "the store exists).",
        ),
    ] = True,
    generated_at: GeneratedAtOpt = None,
) -> None:
    """The labour compliance report: findings by rule, region and period, the work-
    authorization count against its baseline, repatriation, joint ventures and the
    revenue range, each figure citing the records it rests on."""
    from hermit.compliance.columns import load_columns
    from hermit.compliance.folder import read_folder
    from hermit.compliance.interpreter import run_checks, validate
    from hermit.compliance.provisions import load_provisions
    from hermit.report import compliance as report
    from hermit.report.render import write
    from hermit.report.stamp import Stamp

    _check_out(out)
    stamp = _stamp(generated_at)
    assert isinstance(stamp, Stamp)
    prov = load_provisions(provisions)
    validate(prov)
    data = read_folder(labour, load_columns(columns))
    store = settings(ctx).store_path
    screened = screen_founders and store.exists() and bool(data.of("employer_founders"))
    if screened:
        from hermit.compliance.listed import screen_founders as screen

        data.listed = screen(data.of("employer_founders"), store)
        stamp.add_lists(store)
    runs = run_checks(prov, data)
    body = report.build(labour, data, runs, prov, stamp, screened)
    for path in out:
        write(body, path)
        console.print(f"wrote {path}", highlight=False, markup=False)


@app.command("verify")
def verify_report(
    ctx: typer.Context,
    report_json: Annotated[Path, typer.Argument(help="A report's data (.json).")],
    inputs: Annotated[
        Path,
        typer.Option("--inputs", help="The folder the report's input files are in."),
    ] = Path("."),
    registry_store: Annotated[
        Path | None,
        typer.Option(
            "--registry-store",
            envvar="HERMIT_REGISTRY_STORE",
            help="The registry store cited registry records are in (default: beside the store).",
        ),
    ] = None,
    ais_store: Annotated[
        Path | None,
        typer.Option(
            "--ais-store",
            envvar="HERMIT_AIS_STORE",
            help="The AIS store cited positions are in (default: beside the store).",
        ),
    ] = None,
) -> None:
    """Check a report against its sources: the data fits its schema, every citation
    resolves (input file digest, each cited row at its line with its id, parameters,
    provisions; list records, suppressions, registry records and AIS position ranges in
    the stores) and every figure is recomputed from what it cites. Exit 1 with each
    problem when it does not stand."""
    import orjson

    from hermit.report.schema import problems
    from hermit.report.verify import verify

    try:
        data = orjson.loads(report_json.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise typer.BadParameter(f"{report_json}: {exc}", param_hint="REPORT_JSON") from None
    found = problems(data)
    checked = None
    if not found:
        from hermit.maritime.store import ais_store_path
        from hermit.registry.store import registry_store_path
        from hermit.report.verify import Stores

        store = settings(ctx).store_path
        stores = Stores(
            store, registry_store or registry_store_path(store), ais_store or ais_store_path(store)
        )
        checked = verify(data, inputs, stores)
        found = checked.problems
    for line in found:
        console.print(line, highlight=False, markup=False)
    if found:
        console.print(f"{report_json}: {len(found):,} problem(s)", highlight=False, markup=False)
        raise typer.Exit(1)
    assert checked is not None
    console.print(
        f"{report_json}: {len(data['figures']):,} figures recomputed, "
        f"{checked.resolved:,} citations resolved",
        highlight=False,
        markup=False,
    )


def _day(text: str, flag: str) -> Any:
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"not a date (YYYY-MM-DD): {text!r}", param_hint=flag) from None


@app.command("kims")
def kims(
    ctx: typer.Context,
    date_from: Annotated[str, typer.Option("--from", help="First day of the period (UTC).")],
    date_to: Annotated[str, typer.Option("--to", help="Last day of the period (UTC).")],
    out: OutOpt,
    eez: Annotated[
        Path | None,
        typer.Option(
            "--eez",
            envvar="HERMIT_DPRK_EEZ",
            help="GeoJSON polygon of DPRK waters (e.g. GFW's DPRK EEZ); without it only "
            "DPRK port calls link vessels to DPRK waters.",
        ),
    ] = None,
    ais_store: Annotated[
        Path | None,
        typer.Option(
            "--ais-store",
            envvar="HERMIT_AIS_STORE",
            help="The AIS store. Default: beside the store, <store>.ais.duckdb.",
        ),
    ] = None,
    load_id: AisLoadOpt = None,
    generated_at: GeneratedAtOpt = None,
) -> None:
    """The KIMS Act port report (22 U.S.C. 9225(b)): for Nakhodka, Vanino, Vladivostok,
    Dalian and Dandong, the DPRK-linked vessels that called there in the period, their
    calls, the chain of events behind each, a summary table and a map per port."""
    from hermit.maritime.store import ais_store_path
    from hermit.report import kims as report
    from hermit.report.render import write
    from hermit.report.stamp import Stamp

    _check_out(out)
    period = (_day(date_from, "--from"), _day(date_to, "--to"))
    if period[1] < period[0]:
        raise typer.BadParameter("--to is before --from", param_hint="--to")
    stamp = _stamp(generated_at)
    assert isinstance(stamp, Stamp)
    store = settings(ctx).store_path
    body = report.make(
        ais_store or ais_store_path(store), store, period, eez, stamp, load_id=load_id
    )
    for path in out:
        write(body, path)
        console.print(f"wrote {path}", highlight=False, markup=False)


@app.command("dossier")
def dossier(
    ctx: typer.Context,
    entity: Annotated[
        str,
        typer.Argument(
            help="The party: a list entry's id (unsc-kpi-024, ofac-17614), an IMO number "
            "(IMO9066540), a list's record id (KPi.024), or a registry record id."
        ),
    ],
    out: OutOpt,
    registry_store: Annotated[
        Path | None,
        typer.Option(
            "--registry-store",
            envvar="HERMIT_REGISTRY_STORE",
            help="The registry store (records, resolve run, network build, roots run). "
            "Default: beside the store, when it exists.",
        ),
    ] = None,
    roots: Annotated[
        Path | None,
        typer.Option(
            "--roots",
            help="Listed parties: one registry id a line (default: the "
            "latest hermit network roots run).",
        ),
    ] = None,
    ais_store: Annotated[
        Path | None,
        typer.Option(
            "--ais-store",
            envvar="HERMIT_AIS_STORE",
            help="The AIS store, for a vessel's maritime history. Default: beside the "
            "store, when it exists.",
        ),
    ] = None,
    eez: Annotated[
        Path | None,
        typer.Option(
            "--eez",
            envvar="HERMIT_DPRK_EEZ",
            help="GeoJSON polygon of DPRK waters, for stays in them.",
        ),
    ] = None,
    load_id: AisLoadOpt = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="The date of the network and the 50% rule (YYYY-MM-DD; "
            "default: the day of --generated-at, else today).",
        ),
    ] = None,
    generated_at: GeneratedAtOpt = None,
) -> None:
    """The entity dossier of one person, company or vessel: its listings on every list
    (versions and what changed), suppressions, registry records and resolved entity,
    paths to listed parties and the 50% rule verdict, red flags and, for a vessel, its
    AIS events; every row citing its records. What it cannot establish it says."""
    import datetime as dt

    from hermit.cli.network import _roots
    from hermit.maritime.store import ais_store_path
    from hermit.registry.store import registry_store_path
    from hermit.report import dossier as report
    from hermit.report.render import write
    from hermit.report.stamp import Stamp

    _check_out(out)
    stamp = _stamp(generated_at)
    assert isinstance(stamp, Stamp)
    if as_of is not None:
        day = _day(as_of, "--as-of")
    elif stamp.generated_at is not None:
        day = dt.date.fromisoformat(stamp.generated_at[:10])
    else:
        day = dt.date.today()
    store = settings(ctx).store_path
    registry = registry_store or registry_store_path(store)
    ais = ais_store or ais_store_path(store)
    body = report.make(
        entity,
        store,
        stamp,
        as_of=day,
        registry_path=registry if registry.exists() else None,
        roots=_roots(roots) if roots is not None else None,
        ais_path=ais if ais.exists() else None,
        eez=eez,
        load_id=load_id,
    )
    for path in out:
        write(body, path)
        console.print(f"wrote {path}", highlight=False, markup=False)
