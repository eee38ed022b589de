"""A very long query word costs memory in proportion to its length, not its square:
its one-letter deletions (typo neighbours) are looked up only for words of at most
``max_fuzzy_word_chars`` (resources/limits.yaml)."""

from __future__ import annotations

import tracemalloc

from hermit.limits import screening_limits
from hermit.screening.engine import Screener
from hermit.screening.query import make_query


def test_a_long_word_is_screened_without_its_square_in_memory(lists_screener: Screener) -> None:
    word = "abcdefghij" * 500  # 5,000 characters: all its deletions would be 25 MB
    query = make_query({"name": f"Kim {word}"}).query
    tracemalloc.start()
    try:
        lists_screener.screen(query, 10)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8_000_000, peak


def test_the_bound_is_read_from_the_reviewed_table() -> None:
    assert screening_limits().max_fuzzy_word_chars == 64
