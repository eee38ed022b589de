"""hermit's name scorer as a DuckDB function, so that Splink's comparisons use it:
``hermit_name_score(readings_l, readings_r, organization)`` is the best
``hermit-tokens`` score (hermit.names.compare) over the two records' Latin readings
('|'-separated, words space-separated), taken both ways round (a name that lacks a
middle name or patronymic of the other scores as the shorter one). Organizations are
compared without person-name edges."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from hermit.names.compare import compare_tokens

FUNCTION = "hermit_name_score"


@lru_cache(maxsize=1 << 18)
def name_score(left: str | None, right: str | None, organization: bool) -> float:
    if not left or not right:
        return 0.0
    best = 0.0
    for a in left.split("|"):
        for b in right.split("|"):
            if a == b:
                return 1.0
            best = max(best, reading_score(*sorted((a, b)), organization))
    return best


@lru_cache(maxsize=1 << 19)
def reading_score(a: str, b: str, organization: bool) -> float:
    """The score of two readings (words space-separated), both ways round; cached by the
    pair of readings, which many pairs of records share (a common surname's or company
    word's readings), and symmetric (called with the two in sorted order)."""
    edges: tuple[int, ...] | None = () if organization else None
    ta, tb = a.split(), b.split()
    if ta == tb:
        return 1.0
    return max(
        compare_tokens(ta, tb, edges=edges).score,
        compare_tokens(tb, ta, edges=edges).score,
    )


def register(con: Any) -> None:
    """Register the function on a DuckDB connection."""
    from duckdb import sqltypes

    con.create_function(
        FUNCTION,
        name_score,
        [sqltypes.VARCHAR, sqltypes.VARCHAR, sqltypes.BOOLEAN],
        sqltypes.DOUBLE,
        null_handling="special",
        side_effects=False,
    )
