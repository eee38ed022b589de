"""Quality and speed figures from cases and one system's outcomes (pure functions).

- recall: share of positives whose labelled entity is alerted (at the threshold,
  within the first LIMIT results);
- recall@1: share of positives whose labelled entity ranks first (ties count);
- wrong alerts per positive: alerts on any other entity, per positive query; those on
  an entity carrying exactly the query's name (an unavoidable namesake) are also
  counted apart;
- false-positive rate: share of negative queries with any alert;
- candidate recall: share of positives whose labelled entity hermit's index retrieves.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from bench.screening.case import HARD_NEGATIVE, NEGATIVE, POSITIVE, Case
from bench.screening.evaluate import Outcome

#: Date-of-birth damage that counts as perturbed (the issue's "perturbed-DOB positives").
PERTURBED_DOB = ("day", "month", "year")


@dataclass(frozen=True, slots=True)
class Quality:
    positives: int
    recall: float
    recall_at_1: float
    wrong_per_positive: float
    wrong_on_namesakes: float  # per positive, part of wrong_per_positive
    candidate_recall: float
    recall_perturbed_dob: float
    negatives: int
    fpr: float
    hard_negatives: int
    fpr_hard: float


@dataclass(frozen=True, slots=True)
class Speed:
    queries: int
    qps: float
    us_per_pair: float
    p50_ms: float
    p95_ms: float


def found(case: Case, outcome: Outcome) -> bool:
    return case.expected in outcome.alerts


def top1(case: Case, outcome: Outcome) -> bool:
    if not outcome.ranked:
        return False
    best = outcome.ranked[0][1]
    return any(eid == case.expected and score >= best for eid, score in outcome.ranked)


def wrong(case: Case, outcome: Outcome) -> list[str]:
    return [e for e in outcome.alerts if e != case.expected]


def _share(flags: Iterable[bool]) -> float:
    values = list(flags)
    return sum(values) / len(values) if values else float("nan")


def quality(cases: list[Case], outcomes: dict[str, Outcome]) -> Quality:
    pos = [(c, outcomes[c.id]) for c in cases if c.group == POSITIVE]
    neg = [outcomes[c.id] for c in cases if c.group == NEGATIVE]
    hard = [outcomes[c.id] for c in cases if c.group == HARD_NEGATIVE]
    n = len(pos) or 1
    return Quality(
        positives=len(pos),
        recall=_share(found(c, o) for c, o in pos),
        recall_at_1=_share(top1(c, o) for c, o in pos),
        wrong_per_positive=sum(len(wrong(c, o)) for c, o in pos) / n,
        wrong_on_namesakes=sum(len(set(wrong(c, o)) & c.namesakes) for c, o in pos) / n,
        candidate_recall=_share(bool(o.candidate_hit) for _, o in pos),
        recall_perturbed_dob=_share(found(c, o) for c, o in pos if c.slice("dob") in PERTURBED_DOB),
        negatives=len(neg),
        fpr=_share(bool(o.alerts) for o in neg),
        hard_negatives=len(hard),
        fpr_hard=_share(bool(o.alerts) for o in hard),
    )


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def speed(outcomes: Iterable[Outcome]) -> Speed:
    done = list(outcomes)
    seconds = [o.seconds for o in done]
    pairs = sum(o.pairs for o in done)
    return Speed(
        queries=len(done),
        qps=len(done) / sum(seconds),
        us_per_pair=sum(o.score_seconds for o in done) / pairs * 1e6 if pairs else 0.0,
        p50_ms=_percentile(seconds, 0.50) * 1e3,
        p95_ms=_percentile(seconds, 0.95) * 1e3,
    )


@dataclass(frozen=True, slots=True)
class SliceRow:
    value: str
    cases: int
    candidate_recall: float
    recall: dict[str, float]  # system -> figure
    recall_at_1: dict[str, float]
    wrong_per_positive: dict[str, float]
    fpr: dict[str, float]


def slices(
    cases: list[Case], results: dict[str, dict[str, Outcome]], dimension: str, groups: set[str]
) -> list[SliceRow]:
    """Figures per value of one slice dimension, over the cases of ``groups``."""
    by_value: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        if case.group in groups:
            by_value[case.slice(dimension)].append(case)
    rows = []
    for value in sorted(by_value):
        members = by_value[value]
        pos = [c for c in members if c.group == POSITIVE]
        neg = [c for c in members if c.group != POSITIVE]
        any_system = next(iter(results.values()))
        rows.append(
            SliceRow(
                value,
                len(members),
                _share(bool(any_system[c.id].candidate_hit) for c in pos),
                {s: _share(found(c, r[c.id]) for c in pos) for s, r in results.items()},
                {s: _share(top1(c, r[c.id]) for c in pos) for s, r in results.items()},
                {
                    s: sum(len(wrong(c, r[c.id])) for c in pos) / (len(pos) or 1)
                    for s, r in results.items()
                },
                {s: _share(bool(r[c.id].alerts) for c in neg) for s, r in results.items()},
            )
        )
    return rows
