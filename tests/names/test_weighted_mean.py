"""max_weighted_mean (the bound both the pair scorer's cut-off and the name bound use)
tries only the splits that can give another mean: its result must be the all-splits
one to the last bit, or a bound, and so the screening output, could move."""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest

from hermit.names.compare import max_weighted_mean


def every_split(values: Sequence[float], low: Sequence[float], high: Sequence[float]) -> float:
    """The definition: every split of the values ranked best first, summed in rank order."""
    if all(lo == hi for lo, hi in zip(low, high, strict=True)):
        total = sum(high)
        return sum(v * w for v, w in zip(values, high, strict=True)) / total if total else 0.0
    order = sorted(range(len(values)), key=lambda i: -values[i])
    best = 0.0
    for split in range(len(order) + 1):
        num = den = 0.0
        for rank, i in enumerate(order):
            w = high[i] if rank < split else low[i]
            num += values[i] * w
            den += w
        if den > 0.0:
            best = max(best, num / den)
    return best


def test_the_same_bits_as_every_split() -> None:
    rng = random.Random(20261203)
    ranged = 0
    for _ in range(20000):
        n = rng.randint(1, 7)
        values = [rng.choice([0.0, 0.5, 0.8, 0.95, 1.0, rng.random()]) for _ in range(n)]
        high = [rng.choice([0.3, 1.0, rng.uniform(0.05, 3.0)]) for _ in range(n)]
        low = [w * rng.choice([1.0, 1.0, 0.5, 0.3, 0.05]) for w in high]
        ranged += low != high
        assert max_weighted_mean(values, low, high) == every_split(values, low, high)
    assert ranged > 10000  # both paths taken


def test_weights_of_another_length_are_refused() -> None:
    with pytest.raises(ValueError):
        max_weighted_mean([1.0, 0.5], [1.0], [1.0, 1.0])
