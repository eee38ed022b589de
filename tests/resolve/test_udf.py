"""The name scorer as DuckDB calls it (udf.name_score): the best score over the two
records' readings, both ways round, whatever is cached."""

from __future__ import annotations

from itertools import product

from hermit.names.compare import compare_tokens
from hermit.resolve.udf import name_score, reading_score


def _reference(left: str, right: str, organization: bool) -> float:
    edges: tuple[int, ...] | None = () if organization else None
    best = 0.0
    for a, b in product(left.split("|"), right.split("|")):
        ta, tb = a.split(), b.split()
        if ta == tb:
            return 1.0
        best = max(
            best,
            compare_tokens(ta, tb, edges=edges).score,
            compare_tokens(tb, ta, edges=edges).score,
        )
    return best


PAIRS = [
    ("kim iong chol|kim iongchol", "kim iong chel", False),
    ("pak kvang hun", "pak kvanhun|pak kvang hun ivanovich", False),
    ("lebedev georgii", "georgii lebedev", False),
    ("korea tangun trading|trading corporation tangun", "korea tangun trading", True),
    ("dalian bichuan chuanvu|dalian bichuan shiping", "dalian bichuan shiping", True),
    ("vest stil", "vostok trading", True),
]


def test_the_score_is_the_best_over_readings_both_ways_round() -> None:
    for left, right, organization in PAIRS:
        expected = _reference(left, right, organization)
        assert name_score(left, right, organization) == expected
        assert name_score(right, left, organization) == expected  # symmetric


def test_a_reading_pairs_score_does_not_depend_on_the_order_asked() -> None:
    reading_score.cache_clear()
    one = reading_score("kim iong chol", "kim iong chel", False)
    reading_score.cache_clear()
    assert reading_score("kim iong chel", "kim iong chol", False) == one


def test_no_name_scores_nothing() -> None:
    assert name_score(None, "kim iong chol", False) == 0.0
    assert name_score("", "kim iong chol", False) == 0.0
