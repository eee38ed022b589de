"""``hermit keys``: API keys for ``hermit serve``. A key is printed once, when it is
made; the store keeps only its hash. Roles: read (reads when the service runs with
--keyed-reads), write (suppressions, list loads, batch jobs), admin (keys, audit log).

Keys are in the service state beside the store (hermit.store.state), which takes writes
from several processes: these commands work while the service runs, and a running
service sees a new or revoked key within a second (as it does a change made over the
API, ``POST /admin/keys``)."""

from __future__ import annotations

import getpass
from typing import Annotated

import orjson
import typer
from rich.console import Console
from rich.table import Table

from hermit.cli.context import settings
from hermit.cli.flags import Group

app = typer.Typer(
    cls=Group, help="Create, list and revoke API keys for hermit serve.", no_args_is_help=True
)
console = Console()


def _default_by() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment
        return "cli"


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Who or what uses the key (alice, crm-sync).")],
    role: Annotated[str, typer.Option("--role", help="read, write or admin.")] = "read",
    by: Annotated[
        str | None, typer.Option("--by", help="Who creates it (default: your user name).")
    ] = None,
) -> None:
    """Create a key and print it. It is shown this once: store it where it is used."""
    from hermit.api import keys

    with settings(ctx).state() as db:
        key, token = keys.add(db, name, role, by=by or _default_by())
    typer.echo(token)
    Console(stderr=True).print(
        f"key {key.id} for {key.name} ({key.role}); shown once, only its hash is stored",
        highlight=False,
        markup=False,
    )


@app.command("list")
def list_(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines, one a line.")] = False,
) -> None:
    """Every key's id, name, role, creation and revocation (never the keys)."""
    from hermit.api import keys

    with settings(ctx).state() as db:
        found = keys.listed(db)
    if as_json:
        for k in found:
            typer.echo(orjson.dumps(k.to_dict()).decode())
        return
    if not found:
        console.print("no API keys")
        return
    table = Table("id", "name", "role", "created", "by", "revoked", "by")
    for k in found:
        table.add_row(
            k.id,
            k.name,
            k.role,
            k.created_at.strftime("%Y-%m-%d %H:%M"),
            k.created_by,
            "" if k.revoked_at is None else k.revoked_at.strftime("%Y-%m-%d %H:%M"),
            k.revoked_by or "",
        )
    console.print(table)


@app.command("revoke")
def revoke(
    ctx: typer.Context,
    key_id: Annotated[str, typer.Argument(help="The key's id (hermit keys list).")],
    by: Annotated[
        str | None, typer.Option("--by", help="Who revokes it (default: your user name).")
    ] = None,
) -> None:
    """Revoke a key: refused by a running service within a second (its record stays)."""
    from hermit.api import keys

    with settings(ctx).state() as db:
        key = keys.revoke(db, key_id, by=by or _default_by())
    console.print(f"revoked {key.id} ({key.name}, {key.role})", highlight=False, markup=False)
