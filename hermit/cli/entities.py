"""``hermit show`` and ``hermit export``: one entity in full, or many as FtM JSON lines."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import orjson
import typer
from rich.console import Console

from hermit.cli import render
from hermit.cli.context import settings
from hermit.errors import StoreError

if TYPE_CHECKING:
    from hermit.store.records import LinkedParty

console = Console()


def show(
    ctx: typer.Context,
    entity_id: Annotated[str, typer.Argument(help="Entity id, e.g. unsc-kpi-024 or ofac-19613.")],
    as_json: Annotated[bool, typer.Option("--json", help="FtM JSON with provenance.")] = False,
) -> None:
    """One entity with all its names, values, qualifiers, provenance, versions and links."""
    with settings(ctx).open(read_only=True) as store:
        stored = store.entity(entity_id)
    if stored is None:
        raise StoreError(f"no entity {entity_id!r} in the store")
    if as_json:
        data = stored.entity.to_ftm(stored.current.label)
        data["first_seen"] = stored.first_seen.label
        data["last_changed"] = stored.last_changed.label
        data["links"] = [link_dict(link) for link in stored.links]
        typer.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode())
        return
    render.entity(console, stored)


def link_dict(link: LinkedParty) -> dict[str, object]:
    """A linked party as ``hermit show --json`` writes it."""
    return {
        "entity_id": link.entity_id,
        "caption": link.caption,
        "schema": link.schema,
        "dataset": link.dataset,
        "relation": link.relation,
        "direction": "outgoing" if link.outgoing else "incoming",
        "via": link.via_id,
        "via_schema": link.via_schema,
        "details": list(link.details),
    }


def export(
    ctx: typer.Context,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="File to write (default: standard output)."),
    ] = None,
    dataset: Annotated[str | None, typer.Option(help="Only this list.")] = None,
    schema: Annotated[str | None, typer.Option(help="Only this FtM schema, e.g. Vessel.")] = None,
) -> None:
    """Export the current entities as FollowTheMoney JSON lines (with provenance)."""
    from hermit.sources.ftm_json import write_ftm_jsonl

    with settings(ctx).open(read_only=True) as store:
        entities = store.entities(dataset=dataset, schema=schema)
        versions = {v.dataset: v.label for v in store.stats().versions}
        if output is None:
            count = write_ftm_jsonl(entities, sys.stdout.buffer, versions)
        else:
            tmp = output.with_name(output.name + ".part")
            with tmp.open("wb") as fh:
                count = write_ftm_jsonl(entities, fh, versions)
            tmp.replace(output)
    Console(stderr=True).print(f"exported {count:,} entities")
