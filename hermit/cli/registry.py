"""``hermit registry``: load company-registry files (built-in registry formats, FtM JSON
lines, or a CSV / Excel export read through a FollowTheMoney mapping file) into the
registry store beside the list store, and say what a load holds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import orjson
import typer
from rich.console import Console
from rich.table import Table

from hermit.cli.context import settings
from hermit.cli.flags import Group

if TYPE_CHECKING:
    from hermit.registry.records import Item

app = typer.Typer(
    cls=Group,
    help="Load company registries (EGRUL, SAMR, English-language, FtM, your own export "
    "through a mapping) and see what is loaded.",
    no_args_is_help=True,
)
console = Console()
RegistryOpt = Annotated[
    Path | None,
    typer.Option(
        "--registry-store",
        envvar="HERMIT_REGISTRY_STORE",
        help="The registry store (DuckDB). Default: beside the store, <store>.registry.duckdb.",
    ),
]


def _path(ctx: typer.Context, given: Path | None) -> Path:
    from hermit.registry.store import registry_store_path

    return given or registry_store_path(settings(ctx).store_path)


@app.command("load")
def load(
    ctx: typer.Context,
    files: Annotated[
        list[Path], typer.Argument(help="Registry files (CSV, .xlsx, FtM JSON lines, .gz).")
    ],
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            help="A FollowTheMoney mapping file (YAML) for your own CSV or Excel export.",
        ),
    ] = None,
    registry_store: RegistryOpt = None,
) -> None:
    """Read the files and store them as one new load (all or nothing)."""
    from hermit.registry.read import read_registry_file
    from hermit.registry.store import RegistryStore

    readers = [read_registry_file(path, mapping) for path in files]  # every header first

    def items() -> Iterator[Item]:
        for reader in readers:
            yield from reader

    with RegistryStore(_path(ctx, registry_store)) as store:
        counts = store.load([str(f) for f in files], items())
    console.print(
        f"registry load {counts.load_id}: {counts.records:,} records, "
        f"{counts.rejected:,} rejected rows, {counts.refused:,} refused values "
        "(hermit registry status)",
        highlight=False,
        markup=False,
    )


@app.command("status")
def status(
    ctx: typer.Context,
    load_id: Annotated[
        int | None, typer.Option("--load", help="A load's number (default: the latest).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
    registry_store: RegistryOpt = None,
) -> None:
    """Records per registry and schema, rejected rows and refused values with their
    reasons, identifiers valid and invalid per scheme."""
    from hermit.registry.status import load_status
    from hermit.registry.store import RegistryStore

    with RegistryStore(_path(ctx, registry_store), read_only=True) as store:
        found = load_status(store, load_id)
    if as_json:
        typer.echo(orjson.dumps(found.to_dict()).decode())
        return
    console.print(
        f"registry load {found.load_id} ({found.loaded_at:%Y-%m-%d %H:%M} UTC): "
        + ", ".join(found.files),
        highlight=False,
        markup=False,
    )
    table = Table("registry", "schema", "records")
    for registry, schemata in found.records.items():
        for schema, n in schemata.items():
            table.add_row(registry, schema, f"{n:,}")
    console.print(table)
    ids = Table("scheme", "valid (strong)", "invalid (weak text)")
    for scheme, (valid, invalid) in found.identifiers.items():
        ids.add_row(scheme, f"{valid:,}", f"{invalid:,}")
    console.print(ids)
    if not found.problems:
        console.print("no rejected rows, no refused values")
        return
    problems = Table("kind", "property", "reason", "count")
    for kind, prop, reason, n in found.problems:
        problems.add_row(kind, prop, reason, f"{n:,}")
    console.print(problems)
