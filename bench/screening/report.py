"""Markdown for the screening benchmark: the machine, the figures side by side, slices,
and hermit's failures (for tuning; printed, never committed: they quote list names)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from importlib.metadata import version

from bench.machine import machine
from bench.screening import easy_part
from bench.screening.case import GROUPS, HARD_NEGATIVE, NEGATIVE, POSITIVE, Case
from bench.screening.cases import CaseSet
from bench.screening.evaluate import LIMIT, Outcome
from bench.screening.metrics import Quality, SliceRow, Speed, found, slices

POSITIVE_DIMENSIONS = ("dataset", "schema", "dprk", "name", "dob", "script", "ids")
NEGATIVE_DIMENSIONS = ("source", "script", "schema", "dob")


@dataclass(frozen=True, slots=True)
class SystemRun:
    """One system's figures and what it cost."""

    name: str
    algorithm: str
    threshold: float
    quality: Quality
    speed: Speed
    peak_rss_mb: float
    setup_seconds: float  # its index (and for anchors, FtM proxies) for the three stores
    run_seconds: float


def revision() -> str:
    """The commit measured, and whether hermit/ differed from it (read-only git)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(["git", "diff", "--quiet", "HEAD", "--", "hermit"]).returncode
    except (OSError, subprocess.CalledProcessError):
        return "hermit revision unknown"
    return f"hermit at {head}" + (" with uncommitted changes under hermit/" if dirty else "")


def _f(value: float, digits: int = 3) -> str:
    return "-" if value != value else f"{value:.{digits}f}"  # NaN: no cases


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def summary(runs: list[SystemRun]) -> str:
    header = [
        "system",
        "threshold",
        "recall",
        "recall@1",
        "wrong alerts / positive",
        "FPR ordinary",
        "FPR hard",
        "recall perturbed DOB",
        "queries/s",
        "µs/pair",
        "p50 ms",
        "p95 ms",
        "peak RSS MB",
    ]
    rows = []
    for r in runs:
        q, s = r.quality, r.speed
        rows.append(
            [
                r.name,
                f"{r.threshold:.2f}",
                _f(q.recall),
                _f(q.recall_at_1),
                f"{_f(q.wrong_per_positive)} ({_f(q.wrong_on_namesakes)} namesakes)",
                _f(q.fpr, 4),
                _f(q.fpr_hard),
                _f(q.recall_perturbed_dob),
                f"{s.qps:.0f}",
                f"{s.us_per_pair:.0f}",
                f"{s.p50_ms:.1f}",
                f"{s.p95_ms:.1f}",
                f"{r.peak_rss_mb:.0f}",
            ]
        )
    return table(header, rows)


def _slice_rows(
    rows: list[SliceRow], systems: list[str], cells: Callable[[SliceRow, str], list[str]]
) -> list[list[str]]:
    return [[r.value, str(r.cases), *(c for s in systems for c in cells(r, s))] for r in rows]


def positive_slices(cases: list[Case], results: dict[str, dict[str, Outcome]]) -> str:
    """Per slice of the positives: candidate recall, then each system's recall,
    recall@1 and wrong alerts per positive."""
    systems = list(results)
    header = ["value", "positives", "candidate recall"]
    header += [f"{s} {what}" for s in systems for what in ("recall", "@1", "wrong")]
    out = []
    for dimension in POSITIVE_DIMENSIONS:
        rows = slices(cases, results, dimension, {POSITIVE})
        body = _slice_rows(
            rows,
            systems,
            lambda r, s: [_f(r.recall[s]), _f(r.recall_at_1[s]), _f(r.wrong_per_positive[s])],
        )
        for row, line in zip(rows, body, strict=True):
            line.insert(2, _f(row.candidate_recall))
        out.append(f"Positives by {dimension}:\n\n" + table(header, body))
    return "\n\n".join(out)


def negative_slices(cases: list[Case], results: dict[str, dict[str, Outcome]]) -> str:
    """Per slice of the ordinary and the hard negatives: each system's FPR."""
    systems = list(results)
    out = []
    for dimension in NEGATIVE_DIMENSIONS:
        for group, label in ((NEGATIVE, "ordinary"), (HARD_NEGATIVE, "hard")):
            rows = slices(cases, results, dimension, {group})
            body = _slice_rows(rows, systems, lambda r, s: [_f(r.fpr[s], 4)])
            header = ["value", "queries", *(f"{s} FPR" for s in systems)]
            out.append(f"{label.capitalize()} negatives by {dimension}:\n\n" + table(header, body))
    return "\n\n".join(out)


def _query(case: Case) -> str:
    q = case.query
    extra = [
        f"{k}={v}"
        for k, v in (
            ("dob", q.birth_date),
            ("nat", q.nationality),
            ("country", q.country),
            ("passport", q.passport),
            ("imo", q.imo),
        )
        if v
    ]
    return f"{q.name!r}" + (f" ({', '.join(extra)})" if extra else "")


def _top(outcome: Outcome, captions: dict[str, str], k: int = 3) -> str:
    return "; ".join(
        f"{eid} {captions.get(eid, '?')!r} {score:.2f}" for eid, score in outcome.ranked[:k]
    )


def failures(
    cases: list[Case], outcomes: dict[str, Outcome], captions: dict[str, str], misses: int = 20
) -> str:
    """Missed positives (``misses`` of them, spread over the kinds of name damage) and
    every false alert on a negative."""
    missed = [c for c in cases if c.group == POSITIVE and not found(c, outcomes[c.id])]
    by_kind: dict[str, list[Case]] = {}
    for case in sorted(missed, key=lambda c: outcomes[c.id].label_score or 0.0):
        by_kind.setdefault(case.slice("name"), []).append(case)
    picked: list[Case] = []
    while len(picked) < misses and any(by_kind.values()):
        for kind in sorted(by_kind):
            if by_kind[kind] and len(picked) < misses:
                picked.append(by_kind[kind].pop(0))
    lines = [f"Missed positives: {len(missed)}; {len(picked)} shown (lowest label score first):"]
    for case in picked:
        o = outcomes[case.id]
        label = o.label_score
        lines.append(
            f"- {case.id} [{case.slice('name')}, dob {case.slice('dob')}] {_query(case)} -> "
            f"label {case.expected} {captions.get(case.expected or '', '?')!r} "
            f"(score alone {_f(label if label is not None else float('nan'), 2)}, "
            f"candidate {'yes' if o.candidate_hit else 'NO'}); top: {_top(o, captions) or 'none'}"
        )
    alerts = [c for c in cases if c.group != POSITIVE and outcomes[c.id].alerts]
    lines.append(f"\nFalse alerts on negatives: {len(alerts)}")
    for case in alerts:
        lines.append(
            f"- {case.id} [{case.group}, {case.slice('source')}] {_query(case)} -> "
            f"{_top(outcomes[case.id], captions)}"
        )
    return "\n".join(lines)


def describe(caseset: CaseSet, cases: list[Case]) -> str:
    """The cases and what was left out (the generated names only: no list data)."""
    counts = {g: sum(c.group == g for c in cases) for g in GROUPS}
    notes = caseset.notes
    korean = ", ".join(name for name, _ in notes.dropped_korean)
    relatives = ", ".join(name for name, _ in notes.listed_relatives)
    return (
        f"Cases: {counts[POSITIVE]:,} positives, {counts[NEGATIVE]:,} ordinary negatives, "
        f"{counts[HARD_NEGATIVE]:,} hard negatives (of {len(caseset.cases):,} generated). "
        f"Negatives file: {notes.read:,} rows; dropped {len(notes.dropped_listed)} identical "
        f"(normalised) to a listed name ({', '.join(notes.dropped_listed)}) and "
        f"{len(notes.dropped_korean)} that read as a listed person's Korean name ({korean}). "
        f"Relatives left out because they are listed: {relatives or 'none'}."
    )


METHOD = (
    "Wrong alert: an alert on any entity but the labelled one, within the first {limit} "
    "results. UN positives are screened against a UN-only store, OFAC positives (DPRK "
    "programs) against an OFAC-only store (a party listed on both is then no wrong "
    "alert), negatives against both lists. Every system scores the same candidates: "
    "hermit's index (Screener.candidates), kept to the query's schema. hermit is timed "
    "end to end (Screener.screen); an anchor on the same retrieval plus its scoring. "
    "µs/pair: scoring alone over those candidates (Screener.score; nomenklatura "
    "compare). Latency: one query at a time, after a warm-up. Peak RSS: the system's "
    "own process (three stores' index, the cases; anchors also their FtM entities). "
    "Thresholds: {thresholds}."
)


def results(
    caseset: CaseSet,
    cases: list[Case],
    runs: list[SystemRun],
    outcomes: dict[str, dict[str, Outcome]],
    command: str,
    seconds: float,
    easy: dict[str, str | None] | None = None,
) -> str:
    """The whole markdown section (RESULTS.md); ``easy``: the positives' easy rules."""
    anchors = ", ".join(f"{n} {version(n)}" for n in ("nomenklatura", "followthemoney"))
    costs = "; ".join(
        f"{r.name} setup {r.setup_seconds:.1f} s, run {r.run_seconds:.0f} s" for r in runs
    )
    thresholds = ", ".join(f"{r.name} ({r.algorithm}) {r.threshold:.2f}" for r in runs)
    hermit = runs[0].quality
    return "\n\n".join(
        [
            "## Screening quality and speed (bench/screening)",
            f"Command:\n\n{command}",
            f"Machine: {machine()} ({date.today().isoformat()}). {revision()}; {anchors}. "
            f"Total {seconds:.0f} s ({costs}).",
            describe(caseset, cases),
            METHOD.format(limit=LIMIT, thresholds=thresholds),
            summary(runs),
            "Candidate recall (the labelled entity among hermit's candidates): "
            f"{hermit.candidate_recall:.4f} of {hermit.positives:,} positives.",
            *([] if easy is None else [easy_part.section(cases, outcomes, easy)]),
            positive_slices(cases, outcomes),
            negative_slices(cases, outcomes),
        ]
    )
