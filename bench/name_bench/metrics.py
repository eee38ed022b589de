"""Precision, recall and F1 at a system's threshold, as nomenklatura's harness counts
them (contrib/name_bench/run.py ``confusion``): a pair is predicted a match when its
score reaches the threshold; P = TP / (TP + FP), R = TP / (TP + FN)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bench.name_bench.cases import Pair


@dataclass(frozen=True, slots=True)
class Confusion:
    n: int
    tp: int
    fp: int
    tn: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def outcome(pair: Pair, predicted: bool) -> str:
    if pair.is_match:
        return "TP" if predicted else "FN"
    return "FP" if predicted else "TN"


def confusion(rows: Iterable[tuple[Pair, bool]]) -> Confusion:
    counts = {"TP": 0, "FP": 0, "TN": 0, "FN": 0}
    n = 0
    for pair, predicted in rows:
        counts[outcome(pair, predicted)] += 1
        n += 1
    return Confusion(n, counts["TP"], counts["FP"], counts["TN"], counts["FN"])


def by(
    pairs: list[Pair], verdicts: dict[str, bool], key: Callable[[Pair], str]
) -> dict[str, Confusion]:
    """One confusion per value of ``key``, values sorted."""
    groups: dict[str, list[Pair]] = defaultdict(list)
    for pair in pairs:
        groups[key(pair)].append(pair)
    return {
        value: confusion((p, verdicts[p.case_id]) for p in groups[value])
        for value in sorted(groups)
    }
