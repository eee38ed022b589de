"""The revenue range in the compliance report: worker-months per year (permits valid
on a day of each month) times the published per-worker pay and the share the DPRK state
takes, low / central / high, every assumption cited to revenue.yaml and its source."""

from __future__ import annotations

from collections import Counter
from typing import Any

from hermit.compliance.checks.work_authorization_cap import counted_spans
from hermit.compliance.revenue import BOUNDS, FILE, load_model, state_take_usd, worker_months
from hermit.report import cite
from hermit.report.labour_context import Context

RULE = "UNSCR-2371-11"  # whose counted permits (Committee-approved ones out) are the workers


def revenue_section(ctx: Context) -> None:
    if not ctx.data.of("work_permits") or RULE not in {r.id for r in ctx.provisions.rules}:
        ctx.doc.unknown("the revenue range", "no work permits in the folder")
        return
    model = load_model()
    ctx.doc.stamp.add_algorithm(
        model.algorithm,
        {
            "day_of_month": model.day_of_month,
            "years": f"{model.years[0]}-{model.years[1]}",
            **{f"wage_usd_month.{b}": model.wage[b].value for b in BOUNDS},
            **{f"state_take.{b}": model.take[b].value for b in BOUNDS},
        },
    )
    sec = ctx.doc.section("revenue", "Revenue to the DPRK state: the range and its assumptions")
    doc = ctx.doc
    params = []
    for name, table in (("wage", model.wage), ("take", model.take)):
        for b in BOUNDS:
            p = table[b]
            n = doc.cite(cite.parameter(FILE, p.key, p.value, p.unit, p.source))
            label = "Gross pay per worker-month" if name == "wage" else "Share taken by the state"
            params.append(
                doc.figure(
                    f"revenue.{name}.{b}", f"{label}, {b}", p.value, p.unit,
                    cite=[n], method="given", how=p.source,
                )
            )  # fmt: skip
    months = worker_months(counted_spans(ctx.provisions.get(RULE), ctx.data), model.day_of_month)
    years: Counter[int] = Counter()
    for month, n in months.items():
        year = int(month[:4])
        if model.years[0] <= year <= model.years[1]:
            years[year] += n
    files = [ctx.file_cite("work_permits"), ctx.file_cite("permit_extensions")]
    rows: list[dict[str, Any]] = []
    series: dict[str, list[tuple[str, float]]] = {b: [] for b in BOUNDS}
    for year in sorted(years):
        wm = doc.figure(
            f"revenue.worker_months.{year}",
            f"Worker-months in {year}",
            years[year],
            "worker-months",
            cite=files,
            method="derived",
            how=f"for each month of {year}, the permits valid on its {model.day_of_month}th "
            "(Committee-approved permits not counted), summed",
        )
        row: dict[str, Any] = {"year": str(year), "wm": {"figure": wm}}
        usd = state_take_usd(years[year], model)
        for b in BOUNDS:
            fid = doc.figure(
                f"revenue.usd.{year}.{b}",
                f"State take {year}, {b}",
                usd[b],
                "US$",
                cite=[],
                method="product",
                of=[wm, f"revenue.wage.{b}", f"revenue.take.{b}"],
                how=f"worker-months x {b} pay x {b} share",
            )
            row[b] = {"figure": fid}
            series[b].append((str(year), round(usd[b])))
        rows.append(row)
    totals = []
    for b in BOUNDS:
        totals.append(
            doc.figure(
                f"revenue.usd.total.{b}",
                f"State take {min(years)}-{max(years)}, {b}",
                sum(state_take_usd(years[y], model)[b] for y in years),
                "US$",
                cite=[],
                method="sum_of",
                of=[f"revenue.usd.{y}.{b}" for y in sorted(years)],
                how="the years summed",
            )
        )
    sec.text(
        "No wage or transfer records are in the data: the range is an estimate. Each "
        "worker-month (a permit valid on the 15th) is multiplied by the published gross "
        "pay per worker and the share the DPRK state is reported to take, the low bound "
        "by the low figures, the high by the high ones; the spread is the uncertainty of "
        "the published figures, not a statistical interval. "
        f"Years {model.years[0]}-{model.years[1]}: {model.years_source}.",
    )
    sec.figures(params)
    sec.table(
        "revenue-years",
        "Worker-months and the state's take per year",
        [
            ("year", "Year", None),
            ("wm", "Worker-months", None),
            ("low", "Low", "US$"),
            ("central", "Central", "US$"),
            ("high", "High", "US$"),
        ],
        rows,
    )
    sec.figures(totals)
    sec.chart(
        "revenue-chart",
        "bar",
        "The DPRK state's take per year: low, central and high",
        ("year", None),
        ("state take", "US$"),
        [(b, series[b]) for b in BOUNDS],
        how="the table above",
    )
    for pub in model.published:
        n = doc.cite(cite.publication(pub["title"], pub["source"], pub["where"], pub["value"], ""))
        sec.text(f"For comparison, a published estimate: {pub['title']}, {pub['value']}.", cite=[n])
    doc.unknown(
        "what each worker was paid and what was transferred",
        "no wage, payroll or bank-transfer records in the folder; the revenue range rests "
        "on published per-worker figures (revenue.yaml), not on records",
        [doc.cite(cite.parameter(FILE, model.wage["central"].key, model.wage["central"].value,
                                 model.wage["central"].unit, model.wage["central"].source))],
    )  # fmt: skip
