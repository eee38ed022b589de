"""``hermit network``: the ownership network of the registry store; ``blocked`` applies
the OFAC 50% rule (hermit.network.ofac50) as of a date."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.console import Console

from hermit.cli.flags import Group
from hermit.cli.registry import RegistryOpt
from hermit.errors import SourceError

app = typer.Typer(
    cls=Group,
    help="Ownership networks: the OFAC 50% rule over the registry store's holdings.",
    no_args_is_help=True,
)
console = Console()


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
    roots: Annotated[
        Path,
        typer.Option(
            "--roots",
            help="The listed parties: a file of registry record (or cluster) ids, one a line.",
        ),
    ],
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
    from hermit.registry.store import RegistryStore

    day = _as_of(as_of)
    listed = _roots(roots)
    path = _path(ctx, registry_store)
    if not path.exists():
        raise SourceError(path, "no registry store (hermit registry load)")
    with RegistryStore(path, read_only=True) as store:
        edges = read_edges(store)
    result = blocked_status([edges.entity(r) for r in listed], edges.holdings, day)
    for p in edges.problems:
        typer.echo(
            f"warning: {p.file} row {p.row} record {p.record_id}: {p.prop} {p.value!r}: {p.reason}",
            err=True,
        )
    shown = [f for f in result.findings.values() if show_all or f.status != NOT_BLOCKED]
    for finding in shown:
        if as_json:
            typer.echo(
                orjson.dumps(
                    {
                        "entity": finding.entity,
                        "status": finding.status,
                        "stake_definite": round(finding.definite_pct, 4),
                        "stake_possible": round(finding.possible_pct, 4),
                        "over_100": finding.over_full_pct,
                        "reasons": [
                            {"owner": s.owner, "pct": round(s.pct, 4), "source": s.source}
                            for s in finding.reasons
                        ],
                        "algorithm": result.algorithm,
                        "as_of": day.isoformat(),
                    }
                ).decode()
            )
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
