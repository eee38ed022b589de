"""What a long run of queries remembers: the same query, or the same name, screened
again is answered from what was found the first time.

Screening is a pure function of the query and the index, so an answer remembered is the
answer that screening again would give (tests/screening/test_memo.py holds remembered
answers to the answers screened afresh, on the real lists). Customer files repeat names
(namesakes, one customer holding several accounts, a file screened with its updates):
a query whose every field is the same as an earlier one (its id aside) reuses the
earlier matches; a query whose name is the same reuses its candidates (the prepared
name is remembered by hermit.screening.features.name_query itself). Suppressions are
applied after, per query, so a remembered answer never carries another query's review.

Each memo is bounded (least recently used entries go first), so memory stays flat
however long the run. They live in one process: a bulk run's workers each have theirs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hermit.screening.lru import Lru
from hermit.screening.query import Query
from hermit.screening.result import Match

#: Entries kept by a bulk run's memos, per worker (tens of MB each: see BENCHMARKS.md).
ROWS = 65_536
NAMES = 32_768


RowKey = tuple[object, ...]


def row_key(query: Query, limit: int) -> RowKey:
    """Everything screening reads from a query (its id is only reported, never read),
    with the number of matches asked for. A date of birth counts with the text it was
    given in, so a remembered explanation never shows another row's writing."""
    born = query.birth_date
    date = None if born is None else (born.readings, born.approximate, born.span, born.text)
    return (
        query.name,
        query.schema,
        date,
        query.nationality,
        query.country,
        query.passport,
        query.registration_number,
        query.imo,
        query.mmsi,
        query.gender,
        limit,
    )


@dataclass(slots=True)
class ScreenMemo:
    """The memos of one Screener: whole answers by query, and candidates by name and
    what else retrieval reads."""

    rows: Lru[RowKey, tuple[Match, ...]] = field(default_factory=lambda: Lru(ROWS))
    candidates: Lru[tuple[object, ...], list[str]] = field(default_factory=lambda: Lru(NAMES))

    def counts(self) -> dict[str, int]:
        """Hits and misses of each memo (a run's record shows them)."""
        return {
            f"{name}_{what}": getattr(lru, what)
            for name, lru in (
                ("rows", self.rows),
                ("candidates", self.candidates),
            )
            for what in ("hits", "misses")
        }
