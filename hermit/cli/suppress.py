"""``hermit suppress``: record, list and withdraw analysts' decisions that a screening
hit was reviewed and is not a match. Decisions are kept in the store beside the lists
(never in a list version) and apply from the next screening run."""

from __future__ import annotations

from typing import Annotated

import orjson
import typer
from rich.console import Console

from hermit.cli import render_screening
from hermit.cli.context import settings

app = typer.Typer(
    help="Record, list and withdraw decisions that a screening hit is not a match.",
    no_args_is_help=True,
)
console = Console()

_Entity = Annotated[
    str, typer.Option("--entity", help="The listed entity's id, e.g. unsc-kpi-024.")
]
_QueryId = Annotated[
    str | None, typer.Option("--query-id", help="The query's id (a customer number ...).")
]
_Name = Annotated[
    str | None,
    typer.Option("--name", help="The query's name (matched ignoring case, spacing, accents)."),
]


@app.command("add")
def add(
    ctx: typer.Context,
    entity: _Entity,
    by: Annotated[str, typer.Option("--by", help="Who reviewed the pair.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is not a match.")],
    query_id: _QueryId = None,
    name: _Name = None,
) -> None:
    """Record that a (query id or query name, entity) pair was reviewed and is not a
    match: later screening marks the pair suppressed and raises no alert for it."""
    from hermit.screening import suppressions

    with settings(ctx).open() as store:
        new, replaced = suppressions.add(
            store.con, entity, by=by, reason=reason, query_id=query_id, query_name=name
        )
    if replaced is not None:
        console.print(f"replaced: {replaced.text}", highlight=False, markup=False)
    console.print(f"suppressed {entity}: {new.text}", highlight=False, markup=False)


@app.command("list")
def list_(
    ctx: typer.Context,
    include_removed: Annotated[
        bool, typer.Option("--all", help="Also the withdrawn decisions.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines, one a line.")] = False,
) -> None:
    """The standing decisions, oldest first."""
    from hermit.screening import suppressions

    with settings(ctx).open(read_only=True) as store:
        found = suppressions.listed(store.con, include_removed=include_removed)
    if as_json:
        for s in found:
            typer.echo(
                orjson.dumps(
                    {
                        "entity_id": s.entity_id,
                        "query_id": s.query_id,
                        "query_name": s.query_name,
                        "by": s.decided_by,
                        "at": s.decided_at.isoformat(),
                        "reason": s.reason,
                        "removed_by": s.removed_by,
                        "removed_at": None if s.removed_at is None else s.removed_at.isoformat(),
                    }
                ).decode()
            )
        return
    render_screening.suppressions(console, found)


@app.command("remove")
def remove(
    ctx: typer.Context,
    entity: _Entity,
    by: Annotated[str, typer.Option("--by", help="Who withdraws the decision.")],
    query_id: _QueryId = None,
    name: _Name = None,
) -> None:
    """Withdraw a decision: the pair is screened (and alerts) as before from the next run.
    The decision stays on record as withdrawn (``hermit suppress list --all``)."""
    from hermit.screening import suppressions

    with settings(ctx).open() as store:
        gone = suppressions.remove(store.con, entity, by=by, query_id=query_id, query_name=name)
    console.print(f"withdrawn for {entity}: {gone.text}", highlight=False, markup=False)
