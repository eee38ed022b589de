"""``hermit screen`` and ``hermit demo``."""

from __future__ import annotations

import tempfile
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from hermit.cli import render
from hermit.cli.context import settings
from hermit.sources.detect import read_list_files
from hermit.store import Store

console = Console()


def screen(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The name to screen (any script).")],
    birth_date: Annotated[
        str | None, typer.Option("--dob", help="Date of birth, YYYY[-MM[-DD]].")
    ] = None,
    schema: Annotated[
        str | None, typer.Option(help="Person, Organization, Vessel, Airplane.")
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many candidates.")] = 5,
) -> None:
    """Screen one name against the loaded lists; shows score, decision and reasons."""
    from hermit.screening import matcher
    from hermit.screening.dates import parse_query_date
    from hermit.screening.index import NameIndex
    from hermit.screening.query import Query

    if birth_date is not None:
        try:
            birth_date = parse_query_date(birth_date)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--dob") from exc
    with settings(ctx).open(read_only=True) as store:
        index = NameIndex.from_store(store.con)
    query = Query(name=name, birth_date=birth_date, schema=schema)
    render.matches(console, query, matcher.screen(index, query, limit=limit))


def _sample_dir() -> Path:
    return Path(str(resources.files("hermit") / "resources" / "samples"))


def demo(
    ctx: typer.Context,
    keep: Annotated[bool, typer.Option(help="Use --store instead of a throw-away store.")] = False,
) -> None:
    """Load the bundled sample lists (extracts of the UN and OFAC lists) into a fresh store
    and screen the bundled sample names, printing what matched and why."""
    from hermit.screening import matcher
    from hermit.screening.index import NameIndex
    from hermit.screening.query import Query

    samples = _sample_dir()
    files = [samples / "un_consolidated_sample.xml", samples / "sdn.csv"]
    with tempfile.TemporaryDirectory(prefix="hermit-demo-") as tmp:
        path = settings(ctx).store_path if keep else Path(tmp) / "demo.duckdb"
        console.rule(f"[bold]hermit demo[/] store {path}")
        with Store(path) as store:
            for snap in read_list_files(files):
                render.load_result(console, store.load(snap), snap.warnings)
            render.stats(console, store.stats())
            index = NameIndex.from_store(store.con)
        for line in (samples / "names.csv").read_text(encoding="utf-8").splitlines()[1:]:
            name, dob, schema = ([*line.split(","), "", ""])[:3]
            query = Query(name=name, birth_date=dob or None, schema=schema or None)
            render.matches(console, query, matcher.screen(index, query, limit=3))
