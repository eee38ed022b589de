"""Markdown tables of a name-pair run: P/R/F1 per system, per slice, timings, guards."""

from __future__ import annotations

from collections.abc import Callable

from bench.name_bench.cases import QUALITY_TIERS, Pair
from bench.name_bench.guards import Figure
from bench.name_bench.metrics import Confusion, by, confusion
from bench.name_bench.systems import Scored
from hermit.names import korean

#: system name -> case id -> what it gave
Results = dict[str, dict[str, Scored]]


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def verdicts(results: Results, thresholds: dict[str, float]) -> dict[str, dict[str, bool]]:
    return {
        s: {cid: r.score >= thresholds[s] for cid, r in per.items()} for s, per in results.items()
    }


def _prf(c: Confusion) -> list[str]:
    return [f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}"]


def overall(
    pairs: list[Pair], decided: dict[str, dict[str, bool]], thresholds: dict[str, float]
) -> str:
    """Every pair, and every pair but the rule-contradicting set."""
    rest = [p for p in pairs if p.contradiction is None]
    rows = []
    for system, verdict in decided.items():
        for label, members in (("all pairs", pairs), ("without the contradicting set", rest)):
            c = confusion((p, verdict[p.case_id]) for p in members)
            counts = [str(c.n), str(c.tp), str(c.fp), str(c.tn), str(c.fn)]
            rows.append([system, f"{thresholds[system]:.2f}", label, *counts, *_prf(c)])
    header = ["system", "threshold", "pairs", "n", "TP", "FP", "TN", "FN", "P", "R", "F1"]
    return table(header, rows)


def sliced(
    pairs: list[Pair], decided: dict[str, dict[str, bool]], title: str, key: Callable[[Pair], str]
) -> str:
    systems = list(decided)
    per = {s: by(pairs, decided[s], key) for s in systems}
    values = list(next(iter(per.values())))
    if title == "quality":
        values = [q for q in QUALITY_TIERS if q in values]
    header = ["value", "n", *(f"{s} {m}" for s in systems for m in ("P", "R", "F1"))]
    rows = []
    for value in values:
        first = per[systems[0]][value]
        rows.append([value, str(first.n), *(x for s in systems for x in _prf(per[s][value]))])
    return f"By {title}:\n\n" + table(header, rows)


def categories(pairs: list[Pair], decided: dict[str, dict[str, bool]]) -> str:
    """Misses (false negatives + false positives) per labelled category."""
    systems = list(decided)
    labelled = sorted({p.category for p in pairs if p.category})
    rows = []
    for category in labelled:
        members = [p for p in pairs if p.category == category]
        misses = [str(sum(decided[s][p.case_id] != p.is_match for p in members)) for s in systems]
        rows.append([category, str(len(members)), *misses])
    header = ["category", "n", *(f"{s} misses" for s in systems)]
    return "Misses per labelled category:\n\n" + table(header, rows)


def contradictions(pairs: list[Pair], results: Results, thresholds: dict[str, float]) -> str:
    systems = list(results)
    header = ["case", "schema", "name1", "name2", *systems, f"{korean.ALGORITHM} reading"]
    rows = []
    for p in pairs:
        if p.contradiction is None:
            continue
        scores = [
            f"{results[s][p.case_id].score:.2f}"
            + (" M" if results[s][p.case_id].score >= thresholds[s] else "")
            for s in systems
        ]
        rows.append([p.case_id, p.schema, p.name1, p.name2, *scores, p.contradiction])
    return table(header, rows) + "\n\n(M: at or above the system's threshold)"


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timings(results: Results) -> str:
    rows = []
    for system, per in results.items():
        seconds = [r.seconds for r in per.values()]
        mean = sum(seconds) / len(seconds) * 1e6
        p50, p95 = _percentile(seconds, 0.5) * 1e6, _percentile(seconds, 0.95) * 1e6
        rows.append([system, str(len(seconds)), f"{mean:.0f}", f"{p50:.0f}", f"{p95:.0f}"])
    return table(["system", "pairs", "mean µs/pair", "p50 µs", "p95 µs"], rows)


def guards(figures: list[Figure], old: dict[str, float] | None = None) -> str:
    header = ["figure", "queries", "hermit"] + (["before", "moved"] if old is not None else [])
    rows = []
    for f in figures:
        row = [f.name, str(f.queries), f"{f.value:.3f}"]
        if old is not None:
            before = old.get(f.name)
            worse = before is not None and (
                f.value < before if f.higher_is_better else f.value > before
            )
            moved = "-" if before is None else ("**back**" if worse else "")
            row += ["-" if before is None else f"{before:.3f}", moved]
        rows.append(row)
    return table(header, rows)


def misses(pairs: list[Pair], results: Results, threshold: float) -> str:
    """hermit's wrong verdicts, false negatives then false positives, with its reason."""
    lines = []
    for label, want in (("False negatives", True), ("False positives", False)):
        wrong = [
            p
            for p in pairs
            if p.is_match == want and (results["hermit"][p.case_id].score >= threshold) != want
        ]
        lines.append(f"{label} ({len(wrong)}):")
        for p in wrong:
            r = results["hermit"][p.case_id]
            mark = " [contradicting set]" if p.contradiction else ""
            lines.append(
                f"- {p.case_id} {p.case_group}/{p.schema} {p.quality} {p.name1!r} / "
                f"{p.name2!r} {r.score:.2f}{mark}: {r.reason}"
            )
    return "\n".join(lines)
