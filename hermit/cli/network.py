"""``hermit network``: the network of the registry store. ``build`` stores its graph
(hermit.network.graph), ``exposure`` ranks an entity's paths to listed parties
(hermit.network.exposure), ``blocked`` applies the OFAC 50% rule (hermit.network.ofac50)
as of a date."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import orjson
import typer
from rich.console import Console

from hermit.cli.flags import Group
from hermit.cli.registry import RegistryOpt
from hermit.errors import SourceError

if TYPE_CHECKING:
    from hermit.registry.store import RegistryStore

app = typer.Typer(
    cls=Group,
    help="Networks: the registry store's graph, exposure to listed parties, the OFAC 50% rule.",
    no_args_is_help=True,
)
console = Console()

#: The listed parties the network commands start from.
RootsOpt = Annotated[
    Path | None,
    typer.Option(
        "--roots",
        help="The listed parties: a file of registry record (or resolved entity) ids, one a "
        "line (default: those hermit network roots found).",
    ),
]
#: The date exposure and the flags are computed for.
AsOfOpt = Annotated[
    str | None, typer.Option("--as-of", help="The date, YYYY-MM-DD (default: today).")
]


def _as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not a date YYYY-MM-DD", param_hint="--as-of"
        ) from None


def _roots(path: Path) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise SourceError(path, "no such file (--roots: one listed party's id a line)") from None
    except UnicodeDecodeError as err:
        raise SourceError(path, f"not UTF-8 text (byte {err.start})") from None
    roots = [line.split("#", 1)[0].strip() for line in lines]
    found = [r for r in roots if r]
    if not found:
        raise SourceError(path, "no ids in the file (--roots: one listed party's id a line)")
    return found


@app.command("blocked")
def blocked(
    ctx: typer.Context,
    as_of: Annotated[str, typer.Option("--as-of", help="The date, YYYY-MM-DD.")],
    roots: RootsOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object a line.")] = False,
    show_all: Annotated[
        bool, typer.Option("--all", help="Also the entities that are not blocked.")
    ] = False,
    registry_store: RegistryOpt = None,
) -> None:
    """Entities blocked (lower bounds, scaled when over 100%) or possibly blocked (upper
    bounds) as of the date, each with the blocked owners and stakes that reach 50%."""
    from hermit.cli.registry import _path
    from hermit.network.edges import read_edges
    from hermit.network.ofac50 import NOT_BLOCKED, blocked_status
    from hermit.network.wire import blocked_json
    from hermit.registry.store import RegistryStore

    day = _as_of(as_of)
    path = _path(ctx, registry_store)
    if not path.exists():
        raise SourceError(path, "no registry store (hermit registry load)")
    with RegistryStore(path, read_only=True) as store:
        edges = read_edges(store)
        listed, _why = _listed(ctx, store, roots, registry_store)
    result = blocked_status([edges.entity(r) for r in listed], edges.holdings, day)
    for p in edges.problems:
        typer.echo(
            f"warning: {p.file} row {p.row} record {p.record_id}: {p.prop} {p.value!r}: {p.reason}",
            err=True,
        )
    shown = [f for f in result.findings.values() if show_all or f.status != NOT_BLOCKED]
    for finding in shown:
        if as_json:
            typer.echo(orjson.dumps(blocked_json(finding, result.algorithm, day)).decode())
        else:
            flag = (
                f" (stated stakes add up to {finding.over_full_pct:.4g}%)"
                if finding.over_full_pct
                else ""
            )
            typer.echo(finding.explain() + flag)
    counts = {s: len(result.with_status(s)) for s in ("blocked", "possibly_blocked")}
    typer.echo(
        f"{result.algorithm} as of {day}: {len(listed)} roots, {len(edges.holdings)} edges, "
        f"{counts['blocked']} blocked, {counts['possibly_blocked']} possibly blocked, "
        f"{len(edges.problems)} records set aside or with a field set aside",
        err=True,
    )


def _open_store(ctx: typer.Context, given: Path | None, *, read_only: bool) -> RegistryStore:
    from hermit.cli.registry import _path
    from hermit.registry.store import RegistryStore

    path = _path(ctx, given)
    if not path.exists():
        raise SourceError(path, "no registry store (hermit registry load)")
    return RegistryStore(path, read_only=read_only)


@app.command("build")
def build_graph(ctx: typer.Context, registry_store: RegistryOpt = None) -> None:
    """Build the graph of the registry store (entities of the latest resolve run, else
    records; every relation an edge with its record and dates; shared addresses, phones
    and e-mails as evidence edges, generic values set aside) and store it as edge tables."""
    from hermit.network.graph import ALGORITHM, build_from_store, save

    with _open_store(ctx, registry_store, read_only=False) as store:
        result, run = build_from_store(store)
        build_id = save(store, result, run)
    for p in result.problems:
        typer.echo(
            f"warning: {p.file} row {p.row} record {p.record_id}: {p.prop} {p.value!r}: {p.reason}",
            err=True,
        )
    for s in sorted(result.suppressed, key=lambda s: (-s.entities, s.kind, s.value)):
        typer.echo(f"generic {s.kind} set aside: {s.value!r} ({s.entities} entities)")
    kinds = ", ".join(f"{k} {n}" for k, n in result.counts().items())
    resolved = f"entities of resolve run {run}" if run is not None else "records (no resolve run)"
    typer.echo(
        f"{ALGORITHM} build {build_id}: {len(result.nodes)} nodes ({resolved}), "
        f"{len(result.edges)} edges ({kinds}), {len(result.suppressed)} generic values set "
        f"aside, {len(result.problems)} fields set aside"
    )


@app.command("exposure")
def exposure(
    ctx: typer.Context,
    entity: Annotated[str, typer.Argument(help="A record or entity id.")],
    roots: RootsOpt = None,
    as_of: AsOfOpt = None,
    paths: Annotated[
        int | None, typer.Option("--paths", min=1, help="Paths shown (default: exposure.yaml).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
    registry_store: RegistryOpt = None,
) -> None:
    """The ranked paths from an entity to listed parties within the hop limit, each step
    with its edge kind, source record and dates, and the score's contributions."""
    from hermit.network.exposure import Network
    from hermit.network.graph import load
    from hermit.network.wire import exposure_json

    day = _as_of(as_of) if as_of else date.today()
    with _open_store(ctx, registry_store, read_only=True) as store:
        built = load(store)
        listed, why = _listed(ctx, store, roots, registry_store)
    if built is None:
        raise SourceError(
            _path_of(ctx, registry_store), "no network built yet (hermit network build)"
        )
    network = Network(built, day)
    node = built.entity(entity)
    if node not in network.index:
        raise SourceError(
            _path_of(ctx, registry_store),
            f"{entity!r}: no such record or entity in build {built.build_id}",
        )
    why = {built.entity(record): text for record, text in reversed(list(why.items()))}
    found = network.exposure(entity, listed, paths, why)
    if as_json:
        typer.echo(orjson.dumps(exposure_json(found, built.build_id)).decode())
        return
    typer.echo(f"{found.entity}: exposure {found.score:.2f} ({found.algorithm}, as of {day})")
    for rank, path in enumerate(found.paths, 1):
        typer.echo(f"{rank}. to {path.listed}: {path.score:.2f} in {len(path.steps)} steps")
        for step in path.steps:
            typer.echo(f"   {step.describe()}")
        parts = " ".join(f"{c.value:+.2f}" for c in path.contributions())
        typer.echo(f"   score: {parts} = {path.score:.2f}")
    if not found.paths:
        typer.echo(f"no listed party within {network.weights.hop_limit} steps")


def _listed(
    ctx: typer.Context, store: RegistryStore, given: Path | None, registry_store: Path | None
) -> tuple[list[str], dict[str, str]]:
    """The listed parties: the roots file's, else the latest ``hermit network roots``
    run's (with what each was screened as)."""
    from hermit.network import roots as found_roots

    if given is not None:
        return _roots(given), {}
    stored = found_roots.load(store)
    if stored is None:
        raise SourceError(
            _path_of(ctx, registry_store),
            "no listed parties: give --roots FILE or run hermit network roots",
        )
    why: dict[str, str] = {}
    for root in stored:
        why.setdefault(root.record_id, root.cites())
    return [r.record_id for r in stored], why


@app.command("roots")
def roots_command(ctx: typer.Context, registry_store: RegistryOpt = None) -> None:
    """Find the listed parties among the registry's records: every company, organization
    and person screened against the store's lists (name, kind, birth date, nationality,
    country, registration numbers); each at MATCH level is a root, stored with the entry
    and score, for exposure and blocked to use when no --roots file is given."""
    from hermit.cli.context import settings
    from hermit.network import roots as found_roots
    from hermit.screening.store_screener import StoreScreener

    list_store = settings(ctx).store_path
    if not list_store.exists():
        raise SourceError(
            list_store, "no list store (hermit lists load): nothing to screen against"
        )
    screener = StoreScreener(list_store).build()
    with _open_store(ctx, registry_store, read_only=False) as store:
        parties = list(found_roots.store_parties(store))
        typer.echo(f"screening {len(parties)} registry parties against the lists", err=True)
        found = found_roots.screen_records(
            parties, screener, lambda n: typer.echo(f"  {n} screened", err=True)
        )
        run_id = found_roots.save(store, found)
    for root in found:
        typer.echo(root.cites())
    typer.echo(
        f"{found_roots.ALGORITHM} run {run_id}: {len(found)} of {len(parties)} registry "
        f"parties match listed entries"
    )


def _path_of(ctx: typer.Context, given: Path | None) -> Path:
    from hermit.cli.registry import _path

    return _path(ctx, given)


@app.command("export")
def export_command(
    ctx: typer.Context,
    entity: Annotated[str, typer.Argument(help="A record or entity id: the centre.")],
    hops: Annotated[int, typer.Option("--hops", min=0, max=20, help="Steps from it.")] = 2,
    fmt: Annotated[
        str, typer.Option("--format", help="ftm (FtM JSON lines), graphml or csv (edge list).")
    ] = "ftm",
    out: Annotated[
        Path | None, typer.Option("--out", help="The file (default: standard output).")
    ] = None,
    registry_store: RegistryOpt = None,
) -> None:
    """Export the neighbourhood of an entity in the stored graph, every edge with its
    kind, share, role, dates and source record: FollowTheMoney JSON lines (for Aleph and
    OpenSanctions users), GraphML or a CSV edge list."""
    from hermit.network.export import FORMATS, csv_text, ftm_lines, subgraph, write_graphml
    from hermit.network.graph import load

    if fmt not in FORMATS:
        raise typer.BadParameter(f"{fmt!r}: one of {', '.join(FORMATS)}", param_hint="--format")
    if fmt == "graphml" and out is None:
        raise typer.BadParameter("GraphML is written to a file: give --out", param_hint="--out")
    with _open_store(ctx, registry_store, read_only=True) as store:
        built = load(store)
    if built is None:
        raise SourceError(
            _path_of(ctx, registry_store), "no network built yet (hermit network build)"
        )
    try:
        sub = subgraph(built, entity, hops)
    except KeyError:
        raise SourceError(
            _path_of(ctx, registry_store),
            f"{entity!r}: no such record or entity in build {built.build_id}",
        ) from None
    if fmt == "graphml":
        assert out is not None
        write_graphml(built, sub, out)
    else:
        text = (
            b"".join(line + b"\n" for line in ftm_lines(built, sub)).decode()
            if fmt == "ftm"
            else csv_text(sub)
        )
        if out is None:
            typer.echo(text, nl=False)
        else:
            out.write_text(text, encoding="utf-8")
    typer.echo(
        f"{sub.center}: {len(sub.nodes)} nodes and {len(sub.edges)} edges within {hops} "
        f"steps ({fmt})",
        err=True,
    )


@app.command("lists")
def lists_command(
    ctx: typer.Context,
    top: Annotated[int, typer.Option("--top", min=1, help="Components shown.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
) -> None:
    """The lists alone as a network: OFAC's "Linked To" relations of its DPRK entries,
    the UN's DPRK entries joined to OFAC entries of the same name; components (largest
    first) with their hubs, and the hubs overall."""
    from hermit.cli.context import settings
    from hermit.network.lists_graph import ALGORITHM, LINKED_TO, SAME_NAME, lists_graph
    from hermit.store import Store

    path = settings(ctx).store_path
    if not path.exists():
        raise SourceError(path, "no list store (hermit lists load)")
    with Store(path, read_only=True) as store:
        graph = lists_graph(store.con)
    linked = sum(1 for e in graph.edges if e.kind == LINKED_TO)
    same = sum(1 for e in graph.edges if e.kind == SAME_NAME)
    sizes = [len(c.entries) for c in graph.components]
    if as_json:
        typer.echo(
            orjson.dumps(
                {
                    "algorithm": ALGORITHM,
                    "entries": len(graph.names),
                    "linked_to": linked,
                    "same_name": same,
                    "component_sizes": sizes,
                    "components": [
                        {
                            "entries": c.entries,
                            "hubs": [
                                {"entry": e, "name": graph.names[e], "links": d} for e, d in c.hubs
                            ],
                        }
                        for c in graph.components[:top]
                    ],
                    "hubs": [
                        {"entry": e, "name": graph.names[e], "links": d}
                        for e, d in graph.hubs[:top]
                    ],
                }
            ).decode()
        )
        return
    for rank, comp in enumerate(graph.components[:top], 1):
        hubs = ", ".join(f"{graph.names[e]} ({d})" for e, d in comp.hubs[:3] if d)
        typer.echo(f"{rank}. {len(comp.entries)} entries; hubs: {hubs}")
    typer.echo("hubs: " + "; ".join(f"{graph.names[e]} {d}" for e, d in graph.hubs[:top]))
    typer.echo(
        f"{ALGORITHM}: {len(graph.names)} entries, {linked} Linked To relations, {same} UN "
        f"entries joined by name; {len(sizes)} components of 2 or more (largest "
        f"{', '.join(map(str, sizes[:5]))})"
    )


@app.command("flags")
def flags_command(
    ctx: typer.Context,
    roots: RootsOpt = None,
    as_of: AsOfOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object a line.")] = False,
    screen: Annotated[
        bool,
        typer.Option(
            "--screen/--no-screen",
            help="listed_officer: screen the officers with a birth date, or of DPRK "
            "nationality, against the list store (default: when the list store exists).",
        ),
    ] = True,
    registry_store: RegistryOpt = None,
) -> None:
    """Front-company red flags over the stored graph, each finding with its detector
    (name@version), its evidence and the source records: dprk_name (a DPRK place name
    or state symbol in a company's name, in any script, and a path to a listed party),
    dprk_mission_address (a company in the building of a DPRK mission), successor
    (re-registered or renamed successor of a DPRK firm), proxy_owner (the companies of an
    owner fronting several DPRK-linked ones), joint_venture (with a DPRK legal person,
    its dates against UNSCR 2371 para 12 and 2375 para 18), all_dprk_officers,
    location_mismatch (registered in one country, described in another), listed_officer
    (an officer the screening matches with a listed person, birth dates agreeing, or
    without a birth date a DPRK national whose nationality the listed entry shares)."""
    from hermit.cli.context import settings
    from hermit.network.exposure import Network
    from hermit.network.findings import red_flags
    from hermit.network.graph import load, store_records
    from hermit.network.wire import finding_json

    day = _as_of(as_of) if as_of else date.today()
    screener = None
    list_store = settings(ctx).store_path
    if screen and list_store.exists():
        from hermit.screening.store_screener import StoreScreener

        screener = StoreScreener(list_store).build()
    elif screen:
        typer.echo(
            f"warning: no list store at {list_store}: listed_officer not run "
            "(hermit lists load, or --no-screen)",
            err=True,
        )
    with _open_store(ctx, registry_store, read_only=True) as store:
        built = load(store)
        listed, _why = _listed(ctx, store, roots, registry_store)
        if built is None:
            raise SourceError(
                _path_of(ctx, registry_store), "no network built yet (hermit network build)"
            )
        network = Network(built, day)
        findings = red_flags(lambda: store_records(store), network, listed, screener)
    for f in findings:
        if as_json:
            typer.echo(orjson.dumps(finding_json(f, day)).decode())
            continue
        typer.echo(f"{f.detector} {f.entity}: {f.summary}")
        for e in f.evidence:
            typer.echo(f"   {e.what} [{e.record}]")
    by: dict[str, int] = {}
    for f in findings:
        by[f.detector] = by.get(f.detector, 0) + 1
    counts = ", ".join(f"{d} {n}" for d, n in sorted(by.items())) or "none"
    typer.echo(f"{len(findings)} findings ({counts}), as of {day}", err=True)
