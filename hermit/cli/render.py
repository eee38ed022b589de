"""Rich rendering of the core's results for the terminal (no logic of its own)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from hermit.store.records import (
    LinkedParty,
    LoadResult,
    StoredEntity,
    StoreStats,
    VersionInfo,
)


def _when(version: VersionInfo) -> str:
    published = version.published.date().isoformat() if version.published else "undated"
    return f"published {published}, loaded {version.loaded_at:%Y-%m-%d %H:%M} UTC"


def load_result(console: Console, result: LoadResult, warnings: list[str]) -> None:
    v = result.version
    if result.unchanged:
        console.print(
            f"[yellow]unchanged[/] {v.label}: same files as the stored version; nothing written"
        )
        return
    console.print(
        f"[green]loaded[/] {v.label}: {v.entity_count:,} entities, {v.statement_count:,} values; "
        f"{v.added:,} added, {v.removed:,} removed, {v.changed:,} changed"
    )
    for warning in warnings[:20]:
        console.print(f"  [yellow]warning[/] {warning}", highlight=False)
    if len(warnings) > 20:
        console.print(f"  ... and {len(warnings) - 20} more warnings (hermit lists history)")


def versions(console: Console, found: list[VersionInfo]) -> None:
    table = Table(title="List versions")
    for col in (
        "list",
        "version",
        "published",
        "loaded (UTC)",
        "entities",
        "added",
        "removed",
        "changed",
        "parser",
        "sha256",
    ):
        table.add_column(col)
    for v in found:
        table.add_row(
            v.dataset,
            str(v.seq),
            v.published.date().isoformat() if v.published else "-",
            f"{v.loaded_at:%Y-%m-%d %H:%M}",
            f"{v.entity_count:,}",
            f"{v.added:,}",
            f"{v.removed:,}",
            f"{v.changed:,}",
            v.parser,
            v.content_sha256[:12],
        )
    console.print(table)


def stats(console: Console, found: StoreStats) -> None:
    if not found.versions:
        console.print("the store is empty: load a list with 'hermit lists load FILE'")
        return
    versions(console, found.versions)
    console.print(_counts("Entities per list and schema", "schema", found.by_schema))
    console.print(_counts("Listed entities per program", "program", found.by_program))


def _counts(title: str, what: str, rows: list[tuple[str, str, int]]) -> Table:
    table = Table(title=title)
    table.add_column("list")
    table.add_column(what)
    table.add_column("count", justify="right")
    for dataset, key, count in rows:
        table.add_row(dataset, key, f"{count:,}")
    return table


def entity(console: Console, stored: StoredEntity) -> None:
    e = stored.entity
    p = e.provenance
    console.rule(f"[bold]{e.caption}[/]  {e.schema}  {e.id}")
    console.print(
        f"source: {p.dataset} record {p.record_id} ({p.file}"
        f"{'' if p.line is None else f', line {p.line}'})",
        highlight=False,
    )
    console.print(
        f"first seen: {stored.first_seen.label}; last changed: "
        f"{stored.last_changed.label}; current: {stored.current.label}"
    )
    table = Table(show_header=True)
    for col in ("property", "value", "qualifier", "as in the source"):
        table.add_column(col)
    for v in e.values:
        table.add_row(v.prop, v.value, v.qualifier or "", v.original or "")
    console.print(table)
    from hermit.store.links import is_link  # FtM's model: loaded for show, not at start-up

    records = [r for r in (*stored.references, *stored.referenced_by) if not is_link(r.schema)]
    if records:
        table = Table(title="Its records (sanctions, addresses, identity documents)")
        for col in ("kind", "caption", "id"):
            table.add_column(col)
        for ref in records:
            table.add_row(ref.schema, escape(ref.caption), ref.entity_id)
        console.print(table)
    linked(console, stored.links)


def linked(console: Console, links: list[LinkedParty]) -> None:
    """The parties linked to the entity and that it is linked to, by name."""
    if not links:
        return
    table = Table(title="Linked parties")
    details = any(link.details for link in links)
    for col in ("relation", "party", "kind", "id", *(("as listed",) if details else ())):
        table.add_column(col)
    for link in links:
        row = [escape(link.phrase), escape(link.caption), link.schema, link.entity_id]
        table.add_row(*row, *((escape("; ".join(link.details)),) if details else ()))
    console.print(table)


def diff_title(console: Console, older: VersionInfo | None, newer: VersionInfo) -> None:
    start = "nothing" if older is None else f"v{older.seq} ({_when(older)})"
    title = f"{newer.dataset}: from {start} to v{newer.seq} ({_when(newer)})"
    console.print(title, style="bold", highlight=False)
