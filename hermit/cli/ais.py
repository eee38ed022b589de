"""``hermit ais``: load AIS position files (MarineCadastre CSV / Parquet, the NW Pacific
layout, GFW CSV, raw NMEA) into the AIS store beside the list store, say what a load
holds and what the checks found, and list the events made from it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.console import Console
from rich.table import Table

from hermit.cli.context import settings
from hermit.cli.flags import Group
from hermit.errors import HermitError

app = typer.Typer(
    cls=Group,
    help="Load AIS positions (CSV, Parquet, NMEA), see what the checks found, list events "
    "(gaps, encounters, port visits, identity changes, loitering, dark DPRK port calls, "
    "stays in DPRK waters).",
    no_args_is_help=True,
)
console = Console()
AisOpt = Annotated[
    Path | None,
    typer.Option(
        "--ais-store",
        envvar="HERMIT_AIS_STORE",
        help="The AIS store (DuckDB). Default: beside the store, <store>.ais.duckdb.",
    ),
]
LoadOpt = Annotated[
    int | None, typer.Option("--load", help="A load's number (default: the latest).")
]


def _path(ctx: typer.Context, given: Path | None) -> Path:
    from hermit.maritime.store import ais_store_path

    return given or ais_store_path(settings(ctx).store_path)


def _print_summary(found: object) -> None:
    from hermit.maritime.store import LoadSummary

    assert isinstance(found, LoadSummary)
    console.print(
        f"ais load {found.load_id}: {found.rows_read:,} rows read, {found.positions:,} "
        f"positions of {found.vessels:,} MMSIs kept, {found.first_ts} to {found.last_ts}",
        highlight=False,
        markup=False,
    )
    for f in found.files:
        extra = ""
        if "nmea" in f:
            extra = " (" + ", ".join(f"{k} {v:,}" for k, v in sorted(f["nmea"].items())) + ")"
        reader = f" through {f['reader']}" if "reader" in f else ""
        console.print(
            f"  {f['path']}: {f['layout']}{reader}, {f['rows']:,} rows{extra}",
            highlight=False,
            markup=False,
        )
    if not found.problems:
        console.print("no problems found")
        return
    table = Table("check", "problems", "MMSIs", "values", "rows")
    for kind, c in found.problems.items():
        table.add_row(
            kind, f"{c['problems']:,}", f"{c['mmsis']:,}", f"{c['values']:,}", f"{c['rows']:,}"
        )
    console.print(table)


@app.command("load")
def load(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="Position files: .parquet, .csv, NMEA text.")],
    as_json: Annotated[bool, typer.Option("--json", help="The summary as JSON.")] = False,
    decoder: Annotated[
        str,
        typer.Option(
            "--decoder",
            help="Raw NMEA through hermit's own decoder (hermit-nmea@2) or pyais "
            "(hermit-nmea@1, the reference).",
        ),
    ] = "hermit",
    ais_store: AisOpt = None,
) -> None:
    """Read, check and store the files as one new load (all or nothing); print the
    counts of every check (hermit ais status --problems lists the rows)."""
    from hermit.maritime.nmea import DECODERS
    from hermit.maritime.store import AisStore

    if decoder not in DECODERS:
        raise typer.BadParameter(
            f"{decoder!r}: one of {', '.join(DECODERS)}", param_hint="--decoder"
        )
    with AisStore(_path(ctx, ais_store)) as store:
        found = store.load(files, decoder)
    if as_json:
        typer.echo(orjson.dumps(found.to_dict()).decode())
    else:
        _print_summary(found)


@app.command("status")
def status(
    ctx: typer.Context,
    load_id: LoadOpt = None,
    problems: Annotated[
        str | None, typer.Option("--problems", help="List the problems of this check.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="As JSON.")] = False,
    ais_store: AisOpt = None,
) -> None:
    """What a load holds and what its checks found."""
    from hermit.maritime.store import AisStore

    with AisStore(_path(ctx, ais_store), read_only=True) as store:
        found = store.summary(load_id)
        rows = []
        if problems is not None:
            cur = store.con.execute(
                "SELECT p.kind, p.file_id, p.row, p.mmsi, p.ts, p.field, p.value, p.n_rows, "
                "p.reason FROM ais_problems p WHERE load_id = ? AND kind = ? "
                "ORDER BY file_id, row",
                [found.load_id, problems],
            )
            names = [d[0] for d in cur.description]
            rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    files = {f["file_id"]: f["path"] for f in found.files}
    if as_json:
        body = found.to_dict()
        if problems is not None:
            body["listed"] = [{**r, "file": files.get(r["file_id"])} for r in rows]
        typer.echo(orjson.dumps(body, default=str).decode())
        return
    _print_summary(found)
    for r in rows:
        where = f"{files.get(r['file_id'], '')}:{r['row']}" if r["row"] is not None else ""
        console.print(
            f"{r['kind']} {where} mmsi={r['mmsi']} ts={r['ts']} {r['field'] or ''}="
            f"{r['value'] or ''} ({r['n_rows']} rows): {r['reason']}",
            highlight=False,
            markup=False,
        )


@app.command("events")
def events(
    ctx: typer.Context,
    kinds: Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            help="gap, encounter, port_visit, identity, loitering, dark_port_call, "
            "implausible_speed or dprk_waters (repeatable; default: all, dprk_waters when "
            "--eez is given).",
        ),
    ] = None,
    eez: Annotated[
        Path | None,
        typer.Option(
            "--eez",
            envvar="HERMIT_DPRK_EEZ",
            help="GeoJSON polygon of DPRK waters (e.g. GFW's DPRK EEZ) for dprk_waters stays.",
        ),
    ] = None,
    load_id: LoadOpt = None,
    output: Annotated[
        Path | None, typer.Option("--output", help="Write the events as JSON lines here.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines on stdout.")] = False,
    ais_store: AisOpt = None,
) -> None:
    """Events made from a load, each with its reasons and the positions it rests on."""
    from hermit.maritime.detect import AREA_DETECTORS, KINDS, find_events
    from hermit.maritime.event_cache import load_events
    from hermit.maritime.store import AisStore

    for kind in kinds or []:
        if kind not in KINDS:
            raise HermitError(f"--kind {kind}: not one of {', '.join(KINDS)}")
        if kind in AREA_DETECTORS and eez is None:
            raise HermitError(f"--kind {kind} needs --eez FILE (a GeoJSON polygon)")
    with AisStore(_path(ctx, ais_store), read_only=True) as store:
        lid = store.load_id(load_id)  # the load exists
        # all kinds: made once per load and kept (hermit.maritime.event_cache)
        found = find_events(store.con, lid, kinds, eez) if kinds else load_events(store, lid, eez)
    lines = [orjson.dumps(e.to_dict()).decode() for e in found]
    if output is not None:
        output.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    if as_json:
        for line in lines:
            typer.echo(line)
        return
    counts: dict[str, int] = {}
    for e in found:
        counts[e.kind] = counts.get(e.kind, 0) + 1
    table = Table("kind", "mmsi", "other", "start", "end", "hours", "lat", "lon", "reasons")
    for e in found:
        table.add_row(
            e.kind,
            str(e.mmsi),
            "" if e.other_mmsi is None else str(e.other_mmsi),
            f"{e.start:%Y-%m-%d %H:%M}",
            f"{e.end:%Y-%m-%d %H:%M}",
            f"{e.duration_h:.1f}",
            f"{e.lat:.4f}",
            f"{e.lon:.4f}",
            "; ".join(e.reasons),
        )
    console.print(table)
    console.print(
        f"load {lid}: " + ", ".join(f"{n:,} {k}" for k, n in counts.items())
        if counts
        else f"load {lid}: no events",
        highlight=False,
        markup=False,
    )
    if output is not None:
        console.print(f"written to {output}", highlight=False, markup=False)


@app.command("vessel")
def vessel(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="An MMSI (nine digits) or an IMO number.")],
    eez: Annotated[
        Path | None,
        typer.Option(
            "--eez",
            envvar="HERMIT_DPRK_EEZ",
            help="GeoJSON polygon of DPRK waters, for stays in them among the events.",
        ),
    ] = None,
    load_id: LoadOpt = None,
    ais_store: AisOpt = None,
) -> None:
    """One vessel of a load, as JSON: what it broadcast, its events (reasons, positions)
    and its listings by IMO number in the store's lists."""
    from hermit.maritime.event_cache import load_events
    from hermit.maritime.store import AisStore
    from hermit.maritime.vessel import vessel_profile
    from hermit.store.store import Store

    lists_path = settings(ctx).store_path
    with AisStore(_path(ctx, ais_store), read_only=True) as store:
        lid = store.load_id(load_id)
        found = load_events(store, lid, eez)
        if lists_path.exists():
            with Store(lists_path, read_only=True) as lists:
                body = vessel_profile(store.con, lid, key, found, lists.con)
        else:
            body = vessel_profile(store.con, lid, key, found, None)
    if body is None:
        raise HermitError(f"no vessel {key} in AIS load {lid}")
    typer.echo(orjson.dumps(body).decode())


@app.command("eo13810")
def eo13810(
    ctx: typer.Context,
    calls: Annotated[
        Path,
        typer.Argument(help="CSV of later port calls: arrival, mmsi and/or imo (port, name)."),
    ],
    load_id: LoadOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines on stdout.")] = False,
    ais_store: AisOpt = None,
) -> None:
    """E.O. 13810: for each later port call, whether the vessel called at a DPRK port or
    met ship to ship a vessel that had, within the 180 days before, with the events and
    positions each verdict rests on."""
    from hermit.maritime.eo13810 import check_calls, read_calls
    from hermit.maritime.store import AisStore

    given = read_calls(calls)
    with AisStore(_path(ctx, ais_store), read_only=True) as store:
        lid = store.load_id(load_id)
        found = check_calls(store.con, lid, given.calls)
    for r in given.rejected:
        typer.echo(f"warning: {calls}:{r['row']}: {r['field']}: {r['reason']}", err=True)
    if as_json:
        for f in found:
            typer.echo(orjson.dumps(f).decode())
        return
    table = Table("row", "vessel", "mmsi", "arrival", "port", "verdict", "grounds")
    for f in found:
        table.add_row(
            str(f["row"]),
            f["vessel_name"] or "",
            ", ".join(map(str, f["mmsis"])),
            f["arrival"],
            f["port"] or "",
            f["verdict"],
            "; ".join(g["ground"] for g in f["grounds"] + f["possible"])
            or f"nothing in the window ({f['window_days_covered']:g} of 180 days in the data)",
        )
    console.print(table)
    counts: dict[str, int] = {}
    for f in found:
        counts[f["verdict"]] = counts.get(f["verdict"], 0) + 1
    console.print(
        f"{len(found)} calls: "
        + ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
        + (f"; {len(given.rejected)} rows or fields set aside" if given.rejected else ""),
        highlight=False,
        markup=False,
    )
