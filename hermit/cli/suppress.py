"""``hermit suppress``: record, list and withdraw analysts' decisions that a screening
hit was reviewed and is not a match. A decision records the facts of the reviewed query
(read by the same ``make_query`` as ``hermit screen``) and the listed entity's list
version; it is kept in the service state beside the store (never in a list version) and
applies from the next screening run, while a query has the same facts and the entity is
unchanged (a running service sees it within a second)."""

from __future__ import annotations

from typing import Annotated

import orjson
import typer
from rich.console import Console

from hermit.cli import render_screening
from hermit.cli.context import settings
from hermit.cli.flags import Group

app = typer.Typer(
    cls=Group,
    help="Record, list and withdraw decisions that a screening hit is not a match.",
    no_args_is_help=True,
)
console = Console()

_Entity = Annotated[
    str, typer.Option("--entity", help="The listed entity's id, e.g. unsc-kpi-024.")
]
_QueryId = Annotated[
    str | None,
    typer.Option(
        "--query-id", help="The query's id (a customer number ...); with --name, its name too."
    ),
]
_Name = Annotated[
    str | None,
    typer.Option("--name", help="The query's name (matched ignoring case, spacing, accents)."),
]

#: The option that gave each query field, for error messages.
OPTION_OF = {
    "name": "--name",
    "schema": "--schema",
    "birth_date": "--dob",
    "nationality": "--nationality",
    "country": "--country",
    "passport": "--passport",
    "registration_number": "--registration",
    "imo": "--imo",
    "mmsi": "--mmsi",
    "gender": "--gender",
}


@app.command("add")
def add(
    ctx: typer.Context,
    entity: _Entity,
    by: Annotated[str, typer.Option("--by", help="Who reviewed the pair.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is not a match.")],
    query_id: _QueryId = None,
    name: _Name = None,
    birth_date: Annotated[
        str | None, typer.Option("--dob", help="The reviewed date of birth, as for screen.")
    ] = None,
    nationality: Annotated[str | None, typer.Option(help="Country name or ISO code.")] = None,
    country: Annotated[
        str | None, typer.Option(help="Country of residence, registration or flag.")
    ] = None,
    passport: Annotated[str | None, typer.Option(help="Passport number.")] = None,
    registration_number: Annotated[
        str | None,
        typer.Option("--registration", "--registration-number", help="Registration number."),
    ] = None,
    imo: Annotated[str | None, typer.Option(help="Ship IMO number (7 digits).")] = None,
    mmsi: Annotated[str | None, typer.Option(help="Ship MMSI (9 digits).")] = None,
    gender: Annotated[str | None, typer.Option(help="male or female.")] = None,
    schema: Annotated[
        str | None,
        typer.Option(help="Person, Organization, Company, LegalEntity, Vessel, Airplane."),
    ] = None,
) -> None:
    """Record that a (query id or query name, entity) pair was reviewed and is not a
    match, with the facts of the query reviewed (give every fact the screened query
    had). Later screening marks the pair suppressed while a query has exactly these
    facts and the listed entity is unchanged; otherwise the hit alerts again and says
    which decision lapsed and why."""
    from hermit.screening import suppressions
    from hermit.screening.query import QueryError, make_query

    values = {
        # make_query needs a name; by query id alone none is recorded
        "name": name if name is not None else "reviewed query",
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
    try:
        parsed = make_query(values)
    except QueryError as exc:
        raise typer.BadParameter(exc.problem, param_hint=OPTION_OF[exc.field]) from exc
    for w in parsed.warnings:
        if w.set_aside:  # screening would set it aside; a decision records only facts read
            hint = OPTION_OF.get(w.field, w.field)
            raise typer.BadParameter(f"{w.value!r} cannot be read: {w.message}", param_hint=hint)
    facts = suppressions.query_facts(parsed.query)
    with settings(ctx).open(read_only=True) as store:
        new, replaced = suppressions.add(
            store.state,
            store.con,
            entity,
            by=by,
            reason=reason,
            query_id=query_id,
            query_name=name,
            facts=facts,
        )
    if replaced is not None:
        console.print(f"replaced: {replaced.text}", highlight=False, markup=False)
    console.print(f"suppressed {entity} ({new.version}): {new.text}", highlight=False, markup=False)


@app.command("list")
def list_(
    ctx: typer.Context,
    include_removed: Annotated[
        bool, typer.Option("--all", help="Also the withdrawn and replaced decisions.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines, one a line.")] = False,
) -> None:
    """The standing decisions, oldest first: the query and facts reviewed, the list
    version of the entity then, who decided, when and why."""
    from hermit.screening import suppressions

    with settings(ctx).open(read_only=True) as store:
        found = suppressions.listed(store.state, include_removed=include_removed)
    if as_json:
        for s in found:
            typer.echo(
                orjson.dumps(
                    {
                        "entity_id": s.entity_id,
                        "query_id": s.query_id,
                        "query_name": s.query_name,
                        "facts": None if s.facts is None else dict(s.facts),
                        "dataset": s.dataset,
                        "list_seq": s.list_seq,
                        "entity_fingerprint": s.entity_fingerprint,
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

    with settings(ctx).open(read_only=True) as store:
        gone = suppressions.remove(store.state, entity, by=by, query_id=query_id, query_name=name)
    console.print(f"withdrawn for {entity}: {gone.text}", highlight=False, markup=False)
