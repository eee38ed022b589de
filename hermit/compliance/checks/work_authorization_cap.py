"""UNSCR 2371 para 11: the number of valid work authorizations for DPRK nationals on
any day after the baseline day must not exceed the number valid on that day. The
national count is the legal test (kind of the rule); each region's own count is
reported as ``analytic``. Permits a 1718 Committee approval covers are not counted.
One finding per run of consecutive days above the baseline, resting on the permits
issued after the baseline that were valid during it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from hermit.compliance.checks.permit_after_ban import committee_covered
from hermit.compliance.contracts import build_evidence
from hermit.compliance.folder import LabourData
from hermit.compliance.predicate import Predicate
from hermit.compliance.provisions import Provision
from hermit.compliance.records import LabourRecord
from hermit.compliance.validity import periods
from hermit.compliance.violations import RecordRef, Violation

NATIONAL = "RU"
Span = tuple[LabourRecord, dt.date, dt.date]


@dataclass(frozen=True, slots=True)
class Run:
    """Consecutive days above the baseline."""

    first: dt.date
    last: dt.date
    peak: int
    peak_day: dt.date


def daily_counts(spans: list[Span], first: dt.date, last: dt.date) -> list[int]:
    """Valid permits on each day from ``first`` to ``last`` (difference array)."""
    size = (last - first).days + 1
    delta = [0] * (size + 1)
    for _, start, end in spans:
        if end < first or start > last:
            continue
        delta[max((start - first).days, 0)] += 1
        delta[min((end - first).days, size - 1) + 1] -= 1
    counts, running = [], 0
    for d in delta[:size]:
        running += d
        counts.append(running)
    return counts


def runs_above(counts: list[int], first: dt.date, cap: float) -> list[Run]:
    found: list[Run] = []
    start: int | None = None
    for i, n in enumerate([*counts, -1]):
        if n > cap and start is None:
            start = i
        elif n <= cap and start is not None:
            top = max(range(start, i), key=lambda j: counts[j])
            day = first + dt.timedelta(days=top)
            found.append(
                Run(
                    first + dt.timedelta(days=start),
                    first + dt.timedelta(days=i - 1),
                    counts[top],
                    day,
                )
            )
            start = None
    return found


def _scope_findings(
    rule: Provision, kind: str, scope: str, name: str, spans: list[Span], last: dt.date
) -> Iterator[Violation]:
    base_day = rule.date("baseline")
    counts = daily_counts(spans, base_day, last)
    baseline = counts[0]
    allowed = baseline + rule.threshold("max_above_baseline")
    for run in runs_above(counts[1:], base_day + dt.timedelta(days=1), allowed):
        contributors = sorted(
            (
                p
                for p, start, end in spans
                if (p.day("issue_date") or base_day) > base_day
                and start <= run.last
                and end >= run.first
            ),
            key=lambda p: p.line,
        )
        days = (run.last - run.first).days + 1
        pattern = "national_cap_exceeded" if scope == NATIONAL else "regional_cap_exceeded"
        yield Violation(
            rule.id,
            kind,
            pattern,
            "stats",
            f"cap:{scope}:{run.first}",
            run.first,
            tuple(RecordRef.of(p) for p in contributors),
            f"{name}: valid DPRK work permits exceeded the {base_day} baseline of {baseline} "
            f"on {days} days {run.first}..{run.last} (peak {run.peak} on {run.peak_day}); "
            f"{len(contributors)} permits issued after {base_day} were valid in that period",
        )


def counted_spans(rule: Provision, data: LabourData) -> list[Span]:
    """Each permit the cap counts (those a 1718 Committee approval covers left out),
    with its first and last valid day."""
    permits = data.of("work_permits")
    ev = build_evidence(
        data.of("employment_notifications"), data.of("employers"), data.of("committee_exemptions")
    )
    covered = committee_covered(permits, rule.date("baseline"), ev)
    return [
        s for s in periods(permits, data.of("permit_extensions")) if s[0].record_id not in covered
    ]


def _check(rule: Provision, data: LabourData) -> Iterator[Violation]:
    spans = counted_spans(rule, data)
    if not spans:
        return
    last = max(end for _, _, end in spans)
    yield from _scope_findings(rule, rule.kind, NATIONAL, "national count", spans, last)
    by_region: dict[str, list[Span]] = defaultdict(list)
    names: dict[str, str] = {}
    for span in spans:
        code = span[0].text("series") or "?"
        by_region[code].append(span)
        names.setdefault(code, span[0].text("region") or code)
    for code in sorted(by_region):
        yield from _scope_findings(rule, "analytic", code, names[code], by_region[code], last)


PREDICATE = Predicate(
    name="work_authorization_cap",
    dates=("baseline",),
    thresholds=("max_above_baseline",),
    exceptions=("committee_approval",),
    kinds=("work_permits", "permit_extensions", "committee_exemptions"),
    run=_check,
)
