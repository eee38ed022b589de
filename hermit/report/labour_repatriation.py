"""Repatriation progress under UNSCR 2397 para 8 in the compliance report: the DPRK
nationals holding a valid work permit on the day of adoption (the cohort; records
linked into persons by hermit.compliance.persons), how many of them had left Russia
(their last crossing by the day an exit) at the end of the first 12 months, which the
midterm report covers, and at the deadline, which the final report covers; and who was
still present and earning after it (the rule's findings)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hermit.compliance.checks.repatriation import PERSON_KINDS
from hermit.compliance.persons import link_persons
from hermit.compliance.records import LabourRecord
from hermit.compliance.validity import latest_extensions, validity
from hermit.compliance.vocabulary import vocabulary
from hermit.report.labour_context import Context

RULE = "UNSCR-2397-8"


def _last_crossing(crossings: list[LabourRecord], day: dt.date) -> LabourRecord | None:
    before = [c for c in crossings if (c.day("crossed_at") or dt.date.max) <= day]
    return before[-1] if before else None


def _month_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    out: list[dt.date] = []
    year, month = first.year, first.month
    while True:
        nxt = dt.date(year + month // 12, month % 12 + 1, 1)
        if nxt - dt.timedelta(days=1) > last:
            return out
        out.append(nxt - dt.timedelta(days=1))
        year, month = nxt.year, nxt.month


def repatriation_section(ctx: Context) -> None:
    if RULE not in {r.id for r in ctx.provisions.rules} or not ctx.data.of("border_crossings"):
        ctx.doc.unknown("repatriation progress", "no border crossings or no 2397 rule")
        return
    rule = ctx.provisions.get(RULE)
    adopted, deadline = rule.date("adopted"), rule.date("repatriate_by")
    midterm_day = dt.date(adopted.year + 1, adopted.month, adopted.day)
    words = vocabulary()
    latest = latest_extensions(ctx.data.of("permit_extensions"))
    cohort: list[tuple[LabourRecord, list[LabourRecord]]] = []
    records = [r for k in PERSON_KINDS for r in ctx.data.of(k)]
    for group in link_persons(records):
        permits = [
            p
            for p in group
            if p.kind == "work_permits"
            and (span := validity(p, latest)) is not None
            and span[0] <= adopted <= span[1]
        ]
        if permits:
            crossings = sorted(
                (c for c in group if c.kind == "border_crossings" and c.day("crossed_at")),
                key=lambda c: (c.moment("crossed_at") or dt.datetime.min, c.line),
            )
            cohort.append((permits[0], crossings))
    if not cohort:
        ctx.doc.unknown("repatriation progress", f"nobody held a valid permit on {adopted}")
        return

    def gone(day: dt.date) -> list[LabourRecord]:
        out = []
        for _, crossings in cohort:
            last = _last_crossing(crossings, day)
            if last is not None and words.term("direction", last.text("direction")) == "exit":
                out.append(last)
        return out

    prov = ctx.provision(RULE)
    doc = ctx.doc
    ids = [
        doc.figure(
            "repatriation.cohort",
            f"DPRK nationals holding a valid work permit on {adopted} (adoption)",
            len(cohort),
            "persons",
            cite=[prov, *ctx.record_rows([p for p, _ in cohort], "one valid permit per person")],
            method="count",
            how="records linked into persons (passport, contract, birth date and name); "
            "one permit valid that day cited per person",
        )
    ]
    for key, day, report in (
        (
            "midterm",
            midterm_day,
            f"the first 12 months (midterm report due {rule.date('report_midterm')})",
        ),
        ("final", deadline, f"the deadline (final report due {rule.date('report_final')})"),
    ):
        left = gone(day)
        ids.append(
            doc.figure(
                f"repatriation.gone.{key}",
                f"... of whom out of Russia on {day}, {report}",
                len(left),
                "persons",
                cite=ctx.record_rows(left, f"each person's last crossing by {day}: an exit"),
                method="count",
                how=f"the person's last border crossing on or before {day} is an exit; one "
                "crossing cited per person",
            )
        )
        ids.append(
            doc.figure(
                f"repatriation.share.{key}",
                f"Share of the cohort out of Russia on {day}",
                len(left) / len(cohort),
                "of the cohort",
                cite=[],
                method="ratio",
                of=[f"repatriation.gone.{key}", "repatriation.cohort"],
                how="persons out / cohort",
            )
        )
    present = [
        v
        for run in ctx.runs
        if run.rule.id == RULE
        for v in run.violations
        if v.subject_file == "persons"
    ]
    sec = doc.section("repatriation", "Repatriation under UNSCR 2397 para 8")
    sec.text(
        f"UNSCR 2397 para 8 requires every DPRK national earning income to be repatriated "
        f"by {deadline}, a midterm report on those repatriated in the first 12 months "
        f"(to {midterm_day}; due {rule.date('report_midterm')}) and a final report (due "
        f"{rule.date('report_final')}). {len(present):,} persons were still in Russia "
        "after the deadline with income records valid after it (the findings of the "
        "first section).",
        cite=[prov],
    )
    sec.figures(ids)
    ends = _month_ends(adopted, dt.date(deadline.year + 1, 6, 30))
    points: list[tuple[str, Any]] = [
        (d.strftime("%Y-%m"), len(cohort) - len(gone(d))) for d in ends
    ]
    sec.chart(
        "repatriation-chart",
        "line",
        f"The {adopted} cohort still in Russia at each month's end",
        ("month", None),
        ("persons still in Russia", "persons"),
        [("cohort still in Russia", points)],
        cite=[ctx.file_cite("border_crossings")],
        how="still in Russia: the last crossing by that day is not an exit (or there is none)",
        markers=[
            (midterm_day.strftime("%Y-%m"), "12 months"),
            (deadline.strftime("%Y-%m"), "deadline"),
        ],
    )
