"""``hermit resolve``: resolve the registry store's records into entities (Splink on
hermit's comparison columns) and keep the run, with the analysts' judgements in force;
``hermit resolve show ID`` explains one resolved entity: its records and where each came
from, its links and their reasons (comparisons or the analyst's decision). The
judgement commands are in resolve_review.py."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.console import Console
from rich.table import Table

from hermit.cli.flags import Group
from hermit.cli.registry import RegistryOpt, _path

app = typer.Typer(
    cls=Group,
    help="Resolve the loaded registry records into entities (hermit resolve), explain one "
    "(hermit resolve show ID), judge pairs (hermit resolve judge, review, judgements).",
    invoke_without_command=True,
)
console = Console()


@app.callback()
def resolve(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
    registry_store: RegistryOpt = None,
    incremental: Annotated[
        bool,
        typer.Option(
            "--incremental",
            help="Join only the records the latest run does not hold to its entities, "
            "scored by that run's trained models (hermit.resolve.incremental).",
        ),
    ] = False,
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            help="Where Splink runs: duckdb (in this process) or spark (Splink's Spark "
            "backend on a Spark session; the same links and entities).",
        ),
    ] = "duckdb",
    spark_master: Annotated[
        str | None,
        typer.Option(help="With --engine spark: the master URL (default local[2])."),
    ] = None,
) -> None:
    """Resolve every record of the registry store (all loads; a record id loaded twice
    is one record) and store the clusters and links as a new run."""
    if ctx.invoked_subcommand is not None:
        return
    if engine not in ("duckdb", "spark"):
        raise typer.BadParameter(f"{engine!r}: duckdb or spark", param_hint="--engine")
    if spark_master is not None and engine != "spark":
        raise typer.BadParameter("applies to --engine spark only", param_hint="--spark-master")
    if incremental and engine != "duckdb":
        raise typer.BadParameter("--incremental runs on duckdb only", param_hint="--engine")
    from hermit.registry.store import RegistryStore
    from hermit.resolve import judgements as jg
    from hermit.resolve.records import read_records
    from hermit.resolve.store import save

    path: Path = _path(ctx, registry_store)
    with RegistryStore(path, read_only=True) as store:
        records = read_records(store)
        force = jg.in_force(jg.history(store))
        joined = _incremental(store, records, force) if incremental else None
    found = _resolve(records, force, engine, spark_master) if joined is None else joined.resolution
    with RegistryStore(path) as store:
        counts = save(store, records, found)
    if as_json:
        typer.echo(
            orjson.dumps(
                {
                    "run": counts.run_id,
                    "algorithm": found.algorithm,
                    "records": counts.records,
                    "clusters": counts.clusters,
                    "links": counts.links,
                    "possible": counts.possible,
                    "judgements": len(force),
                    **_joined_json(joined),
                }
            ).decode()
        )
        return
    console.print(
        f"resolve run {counts.run_id} ({found.algorithm}): {counts.records:,} records, "
        f"{counts.clusters:,} entities of two records or more, {counts.links:,} links, "
        f"{counts.possible:,} possible links kept for review (hermit resolve show ID, "
        f"hermit resolve review); {len(force):,} judgements in force applied",
        highlight=False,
        markup=False,
    )
    if joined is not None:
        console.print(
            f"model of run {joined.model_run}: {joined.new_records:,} new records; "
            f"{len(joined.grown):,} entities grew, {len(joined.new_entities):,} new entities",
            highlight=False,
            markup=False,
        )
        for entity, added in sorted(joined.grown.items()):
            console.print(f"  grew {entity}: + {', '.join(added)}", highlight=False, markup=False)


def _resolve(records: Any, force: Any, name: str, master: str | None) -> Any:
    """The resolution with the judgements in ``force``, on DuckDB (in process) or on a
    Spark session started on ``master`` (hermit.engine; under spark-submit, the
    session it set up)."""
    from hermit.resolve.run import resolve as run_resolution

    if name == "duckdb":
        return run_resolution(records, judgements=force)
    from hermit.engine import open_engine
    from hermit.errors import EngineError

    try:
        eng = open_engine(name, master=master)
    except EngineError as exc:
        console.print(f"error: {exc}", highlight=False, markup=False)
        raise typer.Exit(2) from None
    try:
        return run_resolution(records, judgements=force, engine=eng)
    finally:
        eng.close()


def _incremental(store: Any, records: Any, force: Any) -> Any:
    from hermit.resolve.incremental import join_new

    return join_new(store, records, judgements=force)


def _joined_json(joined: Any) -> dict[str, Any]:
    if joined is None:
        return {}
    return {
        "model_run": joined.model_run,
        "new_records": joined.new_records,
        "grown": joined.grown,
        "new_entities": joined.new_entities,
    }


@app.command("show")
def show(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(help="An entity id, or the id of one of its records.")],
    run: Annotated[int | None, typer.Option("--run", help="A run (default: the latest).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
    registry_store: RegistryOpt = None,
) -> None:
    """One resolved entity: its records (registry, file, row, record id), each link
    with its match weight, probability and the comparisons that made it, and the
    links below the link probability that touch it ("possibly the same")."""
    from hermit.registry.store import RegistryStore
    from hermit.resolve.store import explain

    with RegistryStore(_path(ctx, registry_store), read_only=True) as store:
        found = explain(store, ident, run)
    if as_json:
        typer.echo(orjson.dumps(found).decode())
        return
    _render(found)


def _render(found: dict[str, Any]) -> None:
    console.print(
        f"entity {found['entity']} (run {found['run']}, {found['algorithm']}, links at "
        f"probability >= {found['settings']['link_probability']}): "
        f"{len(found['records'])} records",
        highlight=False,
        markup=False,
    )
    records = Table("record", "schema", "registry", "file", "row", "name")
    for r in found["records"]:
        records.add_row(
            r["record_id"],
            r["schema"],
            r["registry"],
            Path(r["file"]).name,
            str(r["row"]),
            r["name"] or "",
        )
    console.print(records)
    for tier, word in (("links", "link"), ("possible", "possibly the same")):
        for link in found[tier]:
            _render_link(word, link)
    for j in found.get("judgements", []):
        console.print(
            f"judged {j['left']} / {j['right']}: {j['decision']} ({j['who']}, "
            f"{j['judged_at'][:16].replace('T', ' ')} UTC: {j['why']})"
            + (" - after this run: the next hermit resolve applies it" if j["after_run"] else ""),
            highlight=False,
            markup=False,
        )


def _render_link(word: str, link: dict[str, Any]) -> None:
    console.print(
        f"{word} {link['left']} = {link['right']}: match weight "
        f"{link['match_weight']:.2f}, probability {link['probability']:.4f}",
        highlight=False,
        markup=False,
    )
    for reason in link["reasons"]:
        console.print(
            f"  {reason['comparison']}: {reason['level']} ({reason['weight']:+.2f})",
            highlight=False,
            markup=False,
        )


def _register() -> None:
    from hermit.cli import resolve_review

    app.command("judge")(resolve_review.judge)
    app.command("judgements")(resolve_review.judgements)
    app.command("review")(resolve_review.review)


_register()
