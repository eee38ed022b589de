"""The ``hermit`` command line: parses options and calls the core, nothing more."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from hermit.cli import (
    ais,
    compliance,
    entities,
    keys,
    lists,
    network,
    registry,
    report,
    resolve,
    screen,
    serve,
    suppress,
)
from hermit.cli.context import Settings
from hermit.cli.flags import Group
from hermit.errors import HermitError
from hermit.store import default_store_path

app = typer.Typer(
    cls=Group,
    name="hermit",
    help=(
        "hermit: enforce the UN and US sanctions on North Korea. Load the official lists "
        "into a versioned embedded store, see what changed, look entities up, export them "
        "as FollowTheMoney, screen names (one, or files of many) against them, and record "
        "reviewed hits that are not matches."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
app.add_typer(lists.app, name="lists")
app.add_typer(suppress.app, name="suppress")
app.add_typer(keys.app, name="keys")
app.add_typer(registry.app, name="registry")
app.add_typer(compliance.app, name="compliance")
app.add_typer(ais.app, name="ais")
app.add_typer(resolve.app, name="resolve")
app.add_typer(network.app, name="network")
app.add_typer(report.app, name="report")
app.command("show")(entities.show)
app.command("export")(entities.export)
app.command("screen")(screen.screen)
app.command("demo")(screen.demo)
app.command("serve")(serve.serve)


@app.callback()
def _settings(
    ctx: typer.Context,
    store: Annotated[
        Path | None,
        typer.Option(
            "--store",
            envvar="HERMIT_STORE",
            help="The store file (DuckDB). Default: $XDG_DATA_HOME/hermit/hermit.duckdb.",
        ),
    ] = None,
) -> None:
    """Global options."""
    ctx.obj = Settings(store_path=store or default_store_path())


def main() -> None:
    """Entry point: a HermitError becomes one clear line on stderr and exit code 1."""
    try:
        app()
    except HermitError as exc:
        shown = escape(str(exc))  # a message's own [brackets] are text, not markup
        Console(stderr=True).print(f"[bold red]error:[/] {shown}", highlight=False, soft_wrap=True)
        sys.exit(1)
