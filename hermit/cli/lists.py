"""``hermit lists``: load, download, status, history and diff of the official lists."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import orjson
import typer
from rich.console import Console

from hermit.cli import render
from hermit.cli.context import settings
from hermit.cli.flags import Group
from hermit.sources.detect import KINDS, read_list_files
from hermit.sources.download import (
    LIST_NAMES,
    OFFICIAL_FILES,
    PRIMARY_FILES,
    download_official,
    mirrored,
)
from hermit.sources.inputs import read_inputs
from hermit.sources.ofac_entries import DATASET as OFAC_DATASET
from hermit.store import Store

if TYPE_CHECKING:
    from hermit.store.records import EntityChange

app = typer.Typer(
    cls=Group,
    help="Load, download and inspect the sanctions lists and their versions.",
    no_args_is_help=True,
)
console = Console()


def _published(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.combine(date.fromisoformat(value), datetime.min.time(), UTC)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a date like 2024-05-02") from exc


@app.command("load")
def load(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(
            help="List files: UN XML, OFAC sdn.csv (alt/add/comments found beside it), UK "
            "OFSI CSV or xlsx, EU FSF XML, EU DPRK annex CSV, FtM JSON lines; any of them "
            "gzipped, UTF-8 or UTF-16 with a byte-order mark. - reads standard input, and a "
            "named pipe is read too."
        ),
    ],
    kind: Annotated[
        str | None, typer.Option(help=f"Skip detection: one of {', '.join(KINDS)}.")
    ] = None,
    published: Annotated[
        str | None,
        typer.Option(
            help="The publisher's date of this version (YYYY-MM-DD), for files that carry none "
            "(OFAC CSV, EU annex CSV, FtM JSON)."
        ),
    ] = None,
    dataset: Annotated[
        str | None, typer.Option(help="FtM JSON only: load into this dataset.")
    ] = None,
    no_end_mark: Annotated[
        bool,
        typer.Option(
            "--no-end-mark",
            help="OFAC CSV: accept a file that does not end with OFAC's Ctrl-Z line (an "
            "older file published without it); else such a file looks truncated and "
            "is refused.",
        ),
    ] = False,
    companions: Annotated[
        str | None,
        typer.Option(
            help="OFAC sdn.csv without its alt.csv, add.csv or sdn_comments.csv beside it "
            "(else refused): 'none' (the new version has none) or 'keep-previous' (re-read "
            "the files the current version was read from; the version records each).",
        ),
    ] = None,
    allow_large_change: Annotated[
        bool,
        typer.Option(
            "--allow-large-change",
            help="Load a version that removes more of a list's entities, names or "
            "addresses than resources/loads.yaml allows (else refused, saying what would go).",
        ),
    ] = False,
    index: Annotated[
        bool,
        typer.Option(
            "--index/--no-index",
            help="Build the screening index of the new lists now (else the first screen "
            "builds it).",
        ),
    ] = True,
    input_timeout: Annotated[
        float | None,
        typer.Option(
            help="Seconds (at least 0.1) to wait for data from standard input or a named "
            "pipe before refusing (default: resources/list_inputs.yaml, 30).",
        ),
    ] = None,
) -> None:
    """Load list files into the store as new versions (all files are read and checked first;
    all lists are stored in one transaction; an unchanged file changes nothing), then
    build the screening index of the current lists beside the store."""
    if input_timeout is not None and not input_timeout >= 0.1:
        raise typer.BadParameter(
            f"{input_timeout} is not a number of seconds of at least 0.1",
            param_hint="--input-timeout",
        )
    path = settings(ctx).store_path
    previous = None
    if path.exists():
        with settings(ctx).open(read_only=True) as store:
            previous = store.previous_companions(OFAC_DATASET)
    when = _published(published)
    snapshots = read_inputs(
        files,
        lambda paths: read_list_files(
            paths,
            kind=kind,
            published=when,
            dataset=dataset,
            end_mark=not no_end_mark,
            companions=companions,
            previous=previous,
        ),
        idle_seconds=input_timeout,
    )
    with settings(ctx).open() as store:
        results = store.load_all(snapshots, allow_large_change=allow_large_change)
        for snap, result in zip(snapshots, results, strict=True):
            render.load_result(console, result, snap.warnings)
        if index:
            _build_index(store, path)
        # published for a running service once the whole batch and its index are there
        store.publish()


def _build_index(store: Store, path: Path) -> None:
    """The persisted screening index of the store's current lists (kept if valid)."""
    from hermit.screening.engine import list_versions
    from hermit.screening.persisted import ensure_index

    ensure_index(
        store.con,
        path,
        list_versions(store.con),
        notify=lambda text: console.print(text, style="dim", highlight=False, soft_wrap=True),
    )


@app.command("download")
def download(
    ctx: typer.Context,
    to: Annotated[Path, typer.Option(help="Directory to save the files in.")] = Path("lists"),
    only: Annotated[
        list[str] | None, typer.Option(help=f"Only these lists: {', '.join(LIST_NAMES)}.")
    ] = None,
    load_after: Annotated[
        bool, typer.Option("--load/--no-load", help="Load what was downloaded.")
    ] = True,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for each server.")] = 60.0,
    mirror: Annotated[
        str | None,
        typer.Option(
            help="Fetch from a mirror that keeps the official file names (BASE/consolidated.xml, "
            "BASE/SDN.CSV, BASE/ConList.csv, BASE/xmlFullSanctionsList_1_1.xml ...) instead of "
            "the official addresses."
        ),
    ] = None,
) -> None:
    """Download the current official lists (UN consolidated XML, OFAC SDN CSV set, UK OFSI
    Consolidated List, EU Financial Sanctions Files XML) from their official addresses,
    then load them."""
    files = OFFICIAL_FILES if mirror is None else mirrored(mirror)
    paths = download_official(to, tuple(only or LIST_NAMES), files=files, timeout_s=timeout)
    for path in paths:
        console.print(f"downloaded {path} ({path.stat().st_size:,} bytes)")
    if load_after:
        primary = [p for p in paths if p.name in PRIMARY_FILES]
        load(ctx, primary)


@app.command("status")
def status(ctx: typer.Context) -> None:
    """What is loaded: each list's current version, counts per list, schema and program."""
    with settings(ctx).open(read_only=True) as store:
        render.stats(console, store.stats())


@app.command("history")
def history(
    ctx: typer.Context,
    dataset: Annotated[str | None, typer.Argument(help="Only this list.")] = None,
) -> None:
    """Every stored version of each list, with dates and what each load changed."""
    with settings(ctx).open(read_only=True) as store:
        render.versions(console, store.versions(dataset))


@app.command("diff")
def diff(
    ctx: typer.Context,
    dataset: Annotated[str, typer.Argument(help="The list, e.g. us_ofac_sdn or un_sc_sanctions.")],
    from_seq: Annotated[int | None, typer.Option("--from", help="Older version number.")] = None,
    to_seq: Annotated[
        int | None, typer.Option("--to", help="Newer version (default newest).")
    ] = None,
    program: Annotated[
        list[str] | None,
        typer.Option(
            help="Only parties listed under this sanctions program (the programs of their "
            "Sanction entities, any case; a name also matches its numbered forms): DPRK is "
            "OFAC's DPRK, DPRK2 ... DPRK-NKSPEA, the EU's PRK and OFSI's Democratic "
            "People's Republic of Korea (resources/programs.yaml). Repeat for several."
        ),
    ] = None,
    schema: Annotated[
        list[str] | None,
        typer.Option(
            help="Only parties of this kind (Person, Organization, Vessel ...); with "
            "--entities, entities of this schema (Address, Passport ... too)."
        ),
    ] = None,
    change: Annotated[
        str | None, typer.Option(help="Only this kind of change: added, removed, changed.")
    ] = None,
    entities: Annotated[
        bool,
        typer.Option(
            "--entities",
            help="Every changed entity on its own, as the store records them (addresses, "
            "documents and sanctions too), instead of by listed party.",
        ),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="JSON lines, one party (or entity) a line.")
    ] = False,
    limit: Annotated[int, typer.Option(help="Show at most this many (text).")] = 200,
) -> None:
    """What was added, removed and changed between two versions of a list, by listed party
    (each with the changes of its addresses, documents and sanctions), with dates."""
    from hermit.cli import render_diff
    from hermit.store.parties import KINDS as CHANGE_KINDS
    from hermit.store.parties import flatten
    from hermit.store.programs import matches_program

    if change is not None and change not in CHANGE_KINDS:
        raise typer.BadParameter(
            f"{change!r} is not one of {', '.join(CHANGE_KINDS)}", param_hint="--change"
        )
    with settings(ctx).open(read_only=True) as store:
        older, newer, found = store.party_diff(dataset, from_seq, to_seq)
    kept = [p for p in found if not program or matches_program(p.programs, program)]
    versions = {"from_version": older.seq if older else None, "to_version": newer.seq}
    if entities:  # --schema is then the entity's own (Address, Passport ... too)
        rows = [
            (c, programs)
            for c, programs in flatten(kept)
            if (change is None or c.change == change) and (not schema or c.schema in schema)
        ]
        if as_json:
            for c, programs in rows:
                data = {**_change_dict(c), "programs": list(programs), **versions}
                typer.echo(orjson.dumps(data).decode())
            return
        render.diff_title(console, older, newer)
        tally = Counter(c.change for c, _ in rows)
        kinds = ", ".join(f"{tally.get(kind, 0):,} {kind}" for kind in CHANGE_KINDS)
        console.print(f"entities: {kinds}", highlight=False)
        render_diff.entities(console, rows, limit)
        return
    kept = [p for p in kept if not schema or p.schema in schema]
    counts = Counter(p.change for p in kept)  # before --change, as GET /lists/.../changes
    if change is not None:
        kept = [p for p in kept if p.change == change]
    if as_json:
        for p in kept:
            data = {
                **_change_dict(p.own),
                "programs": list(p.programs),
                "parts": [_change_dict(c) for c in p.parts],
                **versions,
            }
            typer.echo(orjson.dumps(data).decode())
        return
    render.diff_title(console, older, newer)
    where = f" under {', '.join(program)}" if program else ""
    shown = ", ".join(f"{counts.get(kind, 0):,} {kind}" for kind in CHANGE_KINDS)
    console.print(f"listed parties{where}: {shown}", highlight=False)
    render_diff.parties(console, kept, limit)


def _change_dict(c: EntityChange) -> dict[str, object]:
    return {
        "entity_id": c.entity_id,
        "change": c.change,
        "schema": c.schema,
        "caption": c.caption,
        "added": c.added,
        "removed": c.removed,
    }
