"""Cash at the border. EAEU Customs Code art. 260: cash above the threshold (all
currencies of one incident together, in US$ at that month's rates) must be declared in
writing; undeclared is a violation. UNSCR 2094 para 11 (indicator): a DPRK national
carrying the threshold or more on a route to or from the DPRK, declared or not; and
structuring: several DPRK nationals on one trip, each just under the threshold,
undeclared. Rates come from the folder's monthly rate table (roubles per unit)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from hermit.compliance.folder import LabourData
from hermit.compliance.predicate import Predicate
from hermit.compliance.provisions import Provision
from hermit.compliance.records import LabourRecord
from hermit.compliance.violations import RecordRef, Violation
from hermit.compliance.vocabulary import vocabulary

RATE_FIELDS = {"USD": "usd_rub", "EUR": "eur_rub", "CNY": "cny_rub"}


@dataclass(frozen=True, slots=True)
class Incident:
    rows: tuple[LabourRecord, ...]
    day: dt.date
    usd: float

    @property
    def first(self) -> LabourRecord:
        return self.rows[0]

    def declared(self) -> bool:
        return vocabulary().term("declared", self.first.text("declared")) == "written"

    def dprk_national(self) -> bool:
        return vocabulary().term("citizenship", self.first.text("citizenship")) == "dprk"

    def dprk_route(self) -> bool:
        return vocabulary().mentions("route", self.first.text("transport")) == "dprk"


def _rates(data: LabourData) -> dict[str, LabourRecord]:
    return {m: r for r in data.of("fx_rates") if (m := r.text("month")) is not None}


def incidents(data: LabourData) -> list[Incident]:
    """The incidents with their US$ equivalent (an incident with a currency or month
    that has no rate is left out of the cash checks; none is in the dev set)."""
    rates = _rates(data)
    by_no: dict[str, list[LabourRecord]] = defaultdict(list)
    for r in data.of("cash_declarations"):
        by_no[r.text("incident_no") or r.record_id].append(r)
    found = []
    for rows in by_no.values():
        rows.sort(key=lambda r: r.line)
        day = rows[0].day("date")
        assert day is not None
        rate = rates.get(f"{day.year:04d}-{day.month:02d}")
        usd_rub = None if rate is None else rate.amount("usd_rub")
        total = 0.0
        for r in rows:
            cur, amount = (r.text("currency") or "").upper(), r.amount("amount") or 0.0
            rub = amount if cur == "RUB" else None
            if cur in RATE_FIELDS and rate is not None:
                per = rate.amount(RATE_FIELDS[cur])
                rub = None if per is None else amount * per
            if rub is None or usd_rub is None:
                total = float("nan")
                break
            total += rub / usd_rub
        if total == total:  # not NaN
            found.append(Incident(tuple(rows), day, total))
    return found


def _money(rows: tuple[LabourRecord, ...]) -> str:
    return ", ".join(f"{r.amount('amount') or 0:,.0f} {r.text('currency')}" for r in rows)


def _undeclared(rule: Provision, data: LabourData) -> Iterator[Violation]:
    limit = rule.threshold("declare_above_usd")
    for inc in incidents(data):
        if inc.usd > limit and not inc.declared():
            yield Violation(
                rule.id,
                rule.kind,
                "undeclared_cash_over_threshold",
                "cash_declarations",
                inc.first.record_id,
                inc.day,
                tuple(RecordRef.of(r) for r in inc.rows),
                f"undeclared cash of about US${inc.usd:,.0f} ({_money(inc.rows)}) found on "
                f"{inc.day}, above US${limit:,.0f}",
            )


def _bulk(rule: Provision, data: LabourData) -> Iterator[Violation]:
    limit, low = rule.threshold("bulk_cash_usd"), rule.threshold("structuring_low_usd")
    group_min = rule.threshold("structuring_min_persons")
    trips: dict[tuple[dt.date, str], list[Incident]] = defaultdict(list)
    for inc in incidents(data):
        if not inc.dprk_national():
            continue
        if inc.usd >= limit and inc.dprk_route():
            how = "declared" if inc.declared() else "undeclared"
            yield Violation(
                rule.id,
                rule.kind,
                "bulk_cash_dprk_route",
                "cash_declarations",
                inc.first.record_id,
                inc.day,
                tuple(RecordRef.of(r) for r in inc.rows),
                f"DPRK national carrying about US${inc.usd:,.0f} ({how}) "
                f"{inc.first.text('direction') or ''} on route {inc.first.text('transport')}",
            )
        elif low <= inc.usd < limit and not inc.declared():
            trips[(inc.day, inc.first.text("transport") or "")].append(inc)
    for (day, transport), group in sorted(trips.items()):
        if len(group) >= group_min:
            group.sort(key=lambda i: i.first.line)
            yield Violation(
                rule.id,
                rule.kind,
                "structuring",
                "cash_declarations",
                group[0].first.record_id,
                day,
                tuple(RecordRef.of(r) for i in group for r in i.rows),
                f"{len(group)} DPRK nationals on {transport} on {day} each carrying "
                f"US${low:,.0f}-{limit:,.0f} undeclared (about US$"
                f"{sum(i.usd for i in group):,.0f} together)",
            )


UNDECLARED = Predicate(
    name="cash_undeclared",
    dates=(),
    thresholds=("declare_above_usd",),
    exceptions=(),
    kinds=("cash_declarations", "fx_rates"),
    run=_undeclared,
)
BULK = Predicate(
    name="bulk_cash",
    dates=(),
    thresholds=("bulk_cash_usd", "structuring_low_usd", "structuring_min_persons"),
    exceptions=(),
    kinds=("cash_declarations", "fx_rates"),
    run=_bulk,
)
