"""The labour compliance report: hermit.compliance's checks over a folder of labour
records, as report data. Every count cites the subject rows of the findings it counts
(file, line, record id), every rule its provision; the rules whose wording or paragraph
is unverified, and the data that is missing, are listed as not established."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

from hermit.compliance.folder import LabourData
from hermit.compliance.interpreter import ALGORITHM, RuleRun
from hermit.compliance.provisions import Provisions
from hermit.compliance.violations import RecordRef, Violation
from hermit.report.document import Report, Section
from hermit.report.labour_cap import cap_section
from hermit.report.labour_context import Context
from hermit.report.labour_repatriation import repatriation_section
from hermit.report.labour_revenue import revenue_section
from hermit.report.labour_ventures import ventures_section
from hermit.report.stamp import Stamp

NO_REGION = "(no region: not regional)"
EARLY_YEAR = 2015  # findings dated up to this year are one column of the year table


def subject_ref(v: Violation) -> RecordRef | None:
    """The row a finding is about: the ref with the subject's id, or (a person's
    finding) the first record it rests on; None for a finding about a day (the cap)."""
    for r in v.refs:
        if r.record_id == v.subject_id:
            return r
    if v.subject_file == "stats" or not v.refs:
        return None
    return v.refs[0]


def region_of(ctx: Context, ref: RecordRef) -> str:
    record = ctx.by_line.get((ref.file, ref.line))
    if record is None:
        return NO_REGION
    name = record.text("region")
    if name is not None:
        return name
    code = record.text("series") or record.text("permit_series")
    return NO_REGION if code is None else ctx.regions.get(code, f"region code {code}")


def count_figure(
    ctx: Context, fid: str, label: str, found: list[Violation], *, rules_cited: bool = True
) -> str:
    """A count of findings citing each one's subject row (method count: the number of
    distinct cited rows); a finding about a day (the 2371 cap) makes it derived."""
    refs = [subject_ref(v) for v in found]
    rules = sorted({v.rule_id for v in found})
    provisions = [ctx.provision(r) for r in rules] if rules_cited else []
    if any(r is None for r in refs):
        contributors = {r for v in found for r in v.refs}
        return ctx.doc.figure(
            fid,
            label,
            len(found),
            "findings",
            cite=[*provisions, *ctx.rows(contributors, "permits contributing")],
            method="derived",
            how="runs of consecutive days with the count of valid permits above the "
            "baseline (see the work-authorization section); cited: the permits issued "
            "after the baseline and valid during them",
        )
    subjects = [r for r in refs if r is not None]
    if len(set(subjects)) != len(subjects):
        raise AssertionError(f"{fid}: two findings about one record")
    return ctx.doc.figure(
        fid,
        label,
        len(found),
        "findings",
        cite=[*provisions, *ctx.rows(subjects, "the records the findings are about")],
        method="count",
        how="findings of hermit's checks, one per record cited",
    )


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")


def violations_section(ctx: Context) -> None:
    sec = ctx.doc.section("violations", "Findings by rule, region and period")
    found = [v for run in ctx.runs for v in run.violations]
    sec.text(
        f"hermit's checks ({ALGORITHM}) found {len(found):,} findings in the records of "
        f"{ctx.folder.name}. Each count below cites the records its findings are about; "
        "the findings themselves (with every record each rests on and its reason) are "
        "written by `hermit compliance check --csv`."
    )
    rows: list[dict[str, Any]] = []
    for run in ctx.runs:
        if run.skipped is not None:
            rows.append({"rule": run.rule.id, "pattern": f"not checked: {run.skipped}"})
            continue
        patterns: dict[str, list[Violation]] = defaultdict(list)
        for v in run.violations:
            patterns[v.pattern].append(v)
        for pattern, items in sorted(patterns.items()):
            fid = count_figure(
                ctx, f"findings.{run.rule.id}.{pattern}", f"{run.rule.id} {pattern}", items
            )
            rows.append(
                {
                    "rule": run.rule.id,
                    "kind": items[0].kind,
                    "pattern": pattern.replace("_", " "),
                    "n": {"figure": fid},
                }
            )
    sec.table(
        "findings-by-rule",
        "Findings by rule and pattern",
        [
            ("rule", "Rule", None),
            ("kind", "Kind", None),
            ("pattern", "Pattern", None),
            ("n", "Findings", "findings"),
        ],
        rows,
        how="kind: violation (the rule broken), indicator (for review), analytic "
        "(per-region 2371 counts, not the legal test).",
    )
    _by_year(ctx, sec, found)
    _by_region(ctx, sec, found)


def _by_year(ctx: Context, sec: Section, found: list[Violation]) -> None:
    def period(v: Violation) -> str:
        assert v.date is not None
        return str(v.date.year) if v.date.year > EARLY_YEAR else f"to {EARLY_YEAR}"

    dated = [v for v in found if v.date is not None and v.kind != "analytic"]
    years = sorted({period(v) for v in dated}, key=lambda y: (not y.startswith("to"), y))
    rules = sorted({v.rule_id for v in dated})
    cells: dict[tuple[str, str], list[Violation]] = defaultdict(list)
    for v in dated:
        cells[(v.rule_id, period(v))].append(v)
    rows: list[dict[str, Any]] = []
    for rule in rules:
        row: dict[str, Any] = {"rule": rule}
        for year in years:
            items = cells.get((rule, year))
            if items:
                fid = f"findings-year.{rule}.{_slug(year)}"
                label = f"{rule} findings dated {year}"
                row[year] = {"figure": count_figure(ctx, fid, label, items, rules_cited=False)}
        rows.append(row)
    sec.table(
        "findings-by-year",
        "Findings by rule and year of the finding (violations and indicators)",
        [("rule", "Rule", None), *[(y, y, None) for y in years]],
        rows,
        how="year of the finding's date: the permit's issue, the extension's decision, "
        "the notice's receipt, the day after the 2397 deadline, the incident, the "
        "latest founder row of a joint venture",
    )
    totals: dict[str, int] = defaultdict(int)
    for (_, year), items in cells.items():
        totals[year] += len(items)
    sec.chart(
        "findings-per-year",
        "bar",
        "Findings per year (violations and indicators, all rules)",
        ("year of the finding", None),
        ("findings", "findings"),
        [("all rules", [(y, totals.get(y, 0)) for y in years])],
        how="the sums of the columns of the table above",
    )


def _by_region(ctx: Context, sec: Section, found: list[Violation]) -> None:
    cells: dict[tuple[str, str], list[Violation]] = defaultdict(list)
    for v in found:
        ref = subject_ref(v)
        if ref is not None:
            cells[(region_of(ctx, ref), v.rule_id)].append(v)
    rules = sorted({rule for _, rule in cells})
    regions = sorted({region for region, _ in cells}, key=lambda r: (r == NO_REGION, r))
    rows: list[dict[str, Any]] = []
    for region in regions:
        row: dict[str, Any] = {"region": region}
        for rule in rules:
            items = cells.get((region, rule))
            if items:
                fid = f"findings-region.{_slug(region)}.{rule}"
                label = f"{rule} in {region}"
                row[rule] = {"figure": count_figure(ctx, fid, label, items, rules_cited=False)}
        rows.append(row)
    sec.table(
        "findings-by-region",
        "Findings by region of the record they are about",
        [("region", "Region", None), *[(r, r.removeprefix("UNSCR-"), None) for r in rules]],
        rows,
        how="the region of the permit, extension (its permit series), notice or company; "
        "accounts, cash and diplomats are not regional; the 2371 cap findings (about "
        "days, not records) are in the work-authorization section",
    )


def unverified(ctx: Context) -> None:
    for rule in ctx.provisions.rules:
        if not rule.wording.verified:
            ctx.doc.unknown(
                f"{rule.id} ({rule.citation})",
                "the provision's wording or paragraph number is marked unverified in "
                f"provisions.yaml ({rule.wording.against}); findings under it rest on "
                "hermit's reading",
                [ctx.provision(rule.id)],
            )
        for e in rule.exceptions:
            if not e.verified:
                ctx.doc.unknown(
                    f"{rule.id} exception {e.id}",
                    f"marked unverified in provisions.yaml: {e.summary}",
                    [ctx.provision(rule.id)],
                )
    for run in ctx.runs:
        if run.skipped is not None:
            ctx.doc.unknown(f"{run.rule.id} not checked", run.skipped, [ctx.provision(run.rule.id)])


def build(
    folder: Path,
    data: LabourData,
    runs: list[RuleRun],
    provisions: Provisions,
    stamp: Stamp,
    founders_screened: bool,
) -> dict[str, Any]:
    """The report data of one compliance run over ``folder``."""
    for name in sorted(data.files.values()):
        path = folder / name
        if not path.is_file():  # a file the mapping finds in a subfolder (reference/)
            path = min(folder.rglob(name))
        stamp.add_input(path, name, path.relative_to(folder).as_posix())
    stamp.add_algorithm(
        ALGORITHM,
        {
            "provisions": f"{provisions.source} version {provisions.version}",
            "rules": ", ".join(r.rule.id for r in runs),
            "founders_screened": founders_screened,
        },
    )
    days = [
        d
        for kind in ("work_permits", "employment_notifications")
        for r in data.of(kind)
        for d in [r.day("issue_date") or r.day("received_date")]
        if d is not None and d >= dt.date(2000, 1, 1)
    ]
    period: tuple[str | None, str | None] = (None, None)
    if days:
        period = (min(days).isoformat(), max(days).isoformat())
    doc = Report(
        "compliance",
        "Labour compliance report",
        stamp,
        period=period,
        subtitle="DPRK nationals' work, joint ventures, diplomats' accounts and cash: the "
        f"records of {folder.name}, checked against the provisions of "
        f"{provisions.source} (version {provisions.version})",
    )
    by_line = {(r.file, r.line): r for records in data.records.values() for r in records}
    regions = {
        code: region
        for p in data.of("work_permits")
        if (code := p.text("series")) is not None and (region := p.text("region")) is not None
    }
    ctx = Context(doc, folder, data, runs, provisions, by_line, regions)
    violations_section(ctx)
    cap_section(ctx)
    repatriation_section(ctx)
    ventures_section(ctx)
    revenue_section(ctx)
    rejected = sum(data.summary.rejected.values())
    if rejected:
        doc.unknown(
            f"{rejected:,} rows rejected when read",
            "a row whose required value is blank or unreadable cannot be judged and is in "
            "no count (`hermit compliance check --problems` lists them)",
        )
    if not founders_screened:
        doc.unknown(
            "founders not screened against the lists",
            "no store with the UN/OFAC lists was given, so a DPRK founder registered with "
            "a blank or another country is not recognised as DPRK",
        )
    unverified(ctx)
    return doc.to_dict()
