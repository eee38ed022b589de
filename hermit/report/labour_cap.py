"""The work-authorization count against its baseline (UNSCR 2371 para 11) in the
compliance report: the permits valid on the baseline day and on the peak day (each
count citing the permits), the days above the baseline, the count at each month's end
in a chart, and the data set's own published count beside hermit's."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from hermit.compliance.checks.work_authorization_cap import (
    NATIONAL,
    Span,
    counted_spans,
    daily_counts,
    runs_above,
)
from hermit.report import cite
from hermit.report.labour_context import Context
from hermit.report.verify import csv_rows

RULE = "UNSCR-2371-11"
STATS = "valid_permits_region_month.csv"  # the data set's count per region and month


def valid_on(spans: list[Span], day: dt.date) -> list[Span]:
    return [s for s in spans if s[1] <= day <= s[2]]


def _count(ctx: Context, fid: str, label: str, spans: list[Span], day: dt.date) -> str:
    on = valid_on(spans, day)
    return ctx.doc.figure(
        fid,
        label,
        len(on),
        "permits",
        cite=ctx.record_rows([s[0] for s in on], f"permits valid on {day}"),
        method="count",
        how=f"permits valid on {day}: issued by then, valid to (with the latest extension) "
        "on or after it, not annulled before it; Committee-approved permits not counted",
    )


def _stats_row(ctx: Context, day: dt.date, code: str) -> int | None:
    path = ctx.folder / "stats" / STATS
    if not path.is_file():
        return None
    sha = ctx.doc.stamp.add_input(path, STATS, f"stats/{STATS}")
    for line, header, cells in csv_rows(path):
        row = dict(zip(header, cells, strict=False))
        if row.get("date") == day.isoformat() and row.get("region_code") == code:
            n = ctx.doc.cite(
                cite.input_rows(STATS, sha, [(line, cells[0])], "the data set's count")
            )
            return n
    return None


def cap_section(ctx: Context) -> None:
    if RULE not in {r.id for r in ctx.provisions.rules}:
        return
    rule = ctx.provisions.get(RULE)
    sec = ctx.doc.section("work-authorizations", "Work authorizations against the 2371 baseline")
    spans = counted_spans(rule, ctx.data)
    if not spans:
        ctx.doc.unknown("the work-authorization count", "no usable work permits in the folder")
        return
    base = rule.date("baseline")
    last = max(end for _, _, end in spans)
    counts = daily_counts(spans, base, last)
    allowed = counts[0] + rule.threshold("max_above_baseline")
    runs = runs_above(counts[1:], base + dt.timedelta(days=1), allowed)
    peak = max(range(len(counts)), key=lambda i: counts[i])
    peak_day = base + dt.timedelta(days=peak)
    prov = ctx.provision(RULE)
    ids = [
        _count(ctx, "cap.baseline", f"Valid work permits on {base} (the baseline)", spans, base),
        _count(ctx, "cap.peak", f"Valid work permits on {peak_day} (the peak)", spans, peak_day),
    ]
    ids.append(
        ctx.doc.figure(
            "cap.excess",
            "Peak above the baseline",
            counts[peak] - counts[0],
            "permits",
            cite=[prov],
            method="difference",
            of=["cap.peak", "cap.baseline"],
            how="peak minus baseline",
        )
    )
    above = sum((r.last - r.first).days + 1 for r in runs)
    ids.append(
        ctx.doc.figure(
            "cap.days_above",
            f"Days after {base} with the national count above the baseline",
            above,
            "days",
            cite=[prov, ctx.file_cite("work_permits"), ctx.file_cite("permit_extensions")],
            method="derived",
            how="the count of valid permits on each day from the baseline to the last valid "
            "day (difference array over every permit's validity); "
            + "; ".join(f"{r.first}..{r.last}" for r in runs),
        )
    )
    published = _stats_row(ctx, base, NATIONAL)
    if published is not None:
        ids.append(
            ctx.doc.figure(
                "cap.baseline_published",
                f"The data set's own count on {base} (stats/{STATS})",
                _published_value(ctx, base),
                "permits",
                cite=[published],
                method="value",
                field="valid_permits",
                how="the row of the data set's statistics for the whole country on that day, "
                "shown beside hermit's count",
            )
        )
    sec.text(
        f"UNSCR 2371 para 11 caps the work authorizations in force after {base} at their "
        "number on that day. hermit counts each permit from its issue to its latest "
        "extension's end (or the day before its annulment); permits a 1718 Committee "
        "approval covers are not counted.",
        cite=[prov],
    )
    sec.figures(ids)
    _chart(ctx, sec, spans, base, counts[0])
    _regions(ctx, sec, spans, base, last, rule.threshold("max_above_baseline"))


def _published_value(ctx: Context, day: dt.date) -> int | None:
    for _, header, cells in csv_rows(ctx.folder / "stats" / STATS):
        row = dict(zip(header, cells, strict=False))
        if row.get("date") == day.isoformat() and row.get("region_code") == NATIONAL:
            return int(row["valid_permits"])
    return None


def _month_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    out: list[dt.date] = []
    year, month = first.year, first.month
    while True:
        nxt = dt.date(year + month // 12, month % 12 + 1, 1)
        end = nxt - dt.timedelta(days=1)
        if end > last:
            return out
        out.append(end)
        year, month = nxt.year, nxt.month


def _chart(ctx: Context, sec: Any, spans: list[Span], base: dt.date, baseline: int) -> None:
    first = min(s[1] for s in spans)
    ends = _month_ends(max(first, dt.date(2013, 1, 1)), dt.date(2020, 12, 31))
    if not ends:
        return
    counts = daily_counts(spans, ends[0], ends[-1])
    points = [(d.strftime("%Y-%m"), counts[(d - ends[0]).days]) for d in ends]
    sec.chart(
        "cap-monthly",
        "line",
        "Valid DPRK work permits at each month's end, whole country",
        ("month", None),
        ("valid permits", "permits"),
        [("valid permits", points)],
        cite=[ctx.file_cite("work_permits"), ctx.file_cite("permit_extensions")],
        how=f"the dashed line is the {base} baseline; the marks are UNSCR 2371 "
        "(2017-08), 2375 (2017-09), 2397 (2017-12) and its deadline (2019-12)",
        markers=[
            ("2017-08", "2371"),
            ("2017-09", "2375"),
            ("2017-12", "2397"),
            ("2019-12", "deadline"),
        ],
        lines=[(f"baseline {baseline:,}", baseline)],
    )


def _regions(
    ctx: Context, sec: Any, spans: list[Span], base: dt.date, last: dt.date, margin: float
) -> None:
    by_code: dict[str, list[Span]] = defaultdict(list)
    names: dict[str, str] = {}
    for s in spans:
        code = s[0].text("series") or "?"
        by_code[code].append(s)
        names.setdefault(code, s[0].text("region") or code)
    rows: list[dict[str, Any]] = []
    for code in sorted(by_code, key=lambda c: -len(valid_on(by_code[c], base))):
        counts = daily_counts(by_code[code], base, last)
        runs = runs_above(counts[1:], base + dt.timedelta(days=1), counts[0] + margin)
        fid = _count(
            ctx, f"cap.region.{code}", f"{names[code]}: valid on {base}", by_code[code], base
        )
        rows.append(
            {
                "region": names[code],
                "baseline": {"figure": fid},
                "peak": max(counts),
                "days": sum((r.last - r.first).days + 1 for r in runs),
            }
        )
    sec.table(
        "cap-regions",
        "Per region (analytic: the legal test is the national count)",
        [
            ("region", "Region", None),
            ("baseline", f"Valid on {base}", "permits"),
            ("peak", "Peak after it", "permits"),
            ("days", "Days above", "days"),
        ],
        rows,
        cite=[ctx.file_cite("work_permits"), ctx.file_cite("permit_extensions")],
        how="region: the permit's series (its region code)",
    )
