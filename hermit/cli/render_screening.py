"""Rich rendering of screening results, bulk run summaries and suppressions (no logic of
its own). The screening types are imported for type checking only: the screening stack
(name tables) loads when a screening command runs, not when the CLI starts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from hermit.cli import render_hits

if TYPE_CHECKING:
    from hermit.screening.bulk.summary import BulkSummary
    from hermit.screening.query import Query, QueryWarning
    from hermit.screening.result import Match, RunInfo
    from hermit.screening.suppressions import Suppression


#: Warned and rejected rows printed after a bulk run (each kind; the files have all).
SHOWN_LINES = 10


def _query_title(query: Query) -> str:
    known = {k: v for k, v in query.facts().items() if k != "name"}
    labels = {"birth_date": "born", "registration_number": "registration"}
    extra = ", ".join(f"{labels.get(k, k)} {v}" for k, v in known.items())
    return query.name + (f" ({extra})" if extra else "")


def matches(console: Console, query: Query, found: list[Match], floor: float) -> None:
    """One query's candidates: score, decision (MATCH, review or suppressed), reasons
    under each (render_hits); without any, that nothing reached ``floor``."""
    render_hits.hits(console, _query_title(query), found, floor)


def query_warnings(console: Console, warnings: Sequence[QueryWarning]) -> None:
    """What was set aside or assumed in reading the query, each named by the option
    that gave it (``--dob '1974-01-32' set aside: ...``)."""
    for w in warnings:
        console.print(f"[yellow]warning[/] {escape(str(w))}", highlight=False)


def match_dict(m: Match) -> dict[str, object]:
    """A Match as JSON-ready data (for ``hermit screen --json``)."""
    return {
        "entity_id": m.entity_id,
        "caption": m.caption,
        "schema": m.schema,
        "datasets": list(m.datasets),
        "score": m.score,
        "is_match": m.is_match,
        "suppressed": m.suppressed,
        "lapsed": m.lapsed,
        "alert": m.alert,
        "explanation": m.explanation,
        "contributions": [
            {"feature": c.feature, "value": c.value, "reason": c.reason} for c in m.contributions
        ],
    }


def run_info(console: Console, info: RunInfo) -> None:
    lists = ", ".join(f"{v.dataset} v{v.seq} ({v.content_sha256[:12]})" for v in info.lists)
    console.print(
        f"algorithm {info.algorithm}, match at {info.threshold:.2f}, reported from "
        f"{info.report_floor:.2f}; lists: {lists or 'none loaded'}",
        highlight=False,
    )


def bulk_summary(console: Console, summary: BulkSummary) -> None:
    """Counts, the files written, the first rejected rows and the run's identity."""
    c = summary.counts
    busy = summary.screening_seconds
    rate = c.read / busy if busy > 0 else 0.0
    table = Table(title=f"Screened {summary.input}", title_justify="left")
    table.add_column("")
    table.add_column("count", justify="right")
    for label, value in (
        ("queries read", c.read),
        ("screened", c.screened),
        ("  with warnings", c.with_warnings),
        ("  clear (no candidate)", c.clear),
        ("  repeats of an earlier query", c.repeated),
        ("rejected", c.rejected),
        ("with alerts", c.with_alerts),
        ("candidates written", c.candidates),
        ("matches", c.matches),
        ("suppressed", c.suppressed),
        ("decisions lapsed", c.lapsed),
    ):
        table.add_row(label, f"{value:,}")
    console.print(table)
    console.print(
        f"{summary.seconds:.1f} s in all, {busy:.1f} s screening ({rate:,.0f} queries/s, "
        f"{summary.workers} worker(s))",
        highlight=False,
    )
    console.print(f"results: {summary.output}", highlight=False)
    console.print(f"rejects: {summary.rejects}", highlight=False)
    console.print(f"run record: {summary.run_record}", highlight=False)
    if summary.unknown_columns:
        shown = ", ".join(repr(c) for c in summary.unknown_columns)
        console.print(f"[yellow]ignored columns[/] (no query field): {shown}", highlight=False)
    if c.warnings_by_field:
        shown = ", ".join(f"{k} {v:,}" for k, v in sorted(c.warnings_by_field.items()))
        console.print(f"warnings by field: {shown}", highlight=False)
    for warned in c.first_warned[:SHOWN_LINES]:
        line = escape(warned.describe(str(summary.input)))
        console.print(f"  [yellow]warning[/] {line}", highlight=False)
    if c.with_warnings > SHOWN_LINES:
        more = c.with_warnings - SHOWN_LINES
        console.print(f"  ... and {more:,} more (the results' warnings column)")
    for rejected in c.first_rejects[:SHOWN_LINES]:
        line = escape(rejected.describe(str(summary.input)))
        console.print(f"  [red]rejected[/] {line}", highlight=False)
    if c.rejected > SHOWN_LINES:
        console.print(f"  ... and {c.rejected - SHOWN_LINES:,} more in {summary.rejects}")
    run_info(console, summary.run)


def suppressions(console: Console, found: list[Suppression]) -> None:
    if not found:
        console.print("no suppressions recorded")
        return
    from hermit.screening.suppressions import describe

    table = Table(title="Suppressions (reviewed, not a match)", title_justify="left")
    for col in ("entity (list version)", "query and facts reviewed", "by, when (UTC)", "reason"):
        table.add_column(col)
    for s in found:
        query = [f"id {s.query_id}"] if s.query_id is not None else []
        if s.query_name is not None:
            query.append(f"name {s.query_name}")
        if s.facts is None:
            query.append("facts not recorded (old decision: no longer applies)")
        else:
            query.append(describe(dict(s.facts)) or "no other facts")
        when = f"{s.decided_by} {s.decided_at:%Y-%m-%d %H:%M}"
        if s.removed_at is not None:
            when += f"\nremoved: {s.removed_by} {s.removed_at:%Y-%m-%d %H:%M}"
        table.add_row(
            f"{s.entity_id}\n{s.version or 'version not recorded'}",
            escape("\n".join(query)),
            escape(when),
            escape(s.reason),
        )
    console.print(table)
