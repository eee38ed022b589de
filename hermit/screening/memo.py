"""What a long run of queries remembers: the same query, or the same name, screened
again is answered from what was found the first time.

Screening is a pure function of the query and the index, so an answer remembered is the
answer that screening again would give (tests/screening/test_memo.py holds remembered
answers to the answers screened afresh, on the real lists). Customer files repeat names
(namesakes, one customer holding several accounts, a file screened with its updates):
a query whose every field is the same as an earlier one (its id aside) reuses the
earlier matches; a query whose name is the same reuses its candidates and the quick
bounds of its name against them (hermit.screening.scorer.PreparedQuery.name_bound), so
a name screened again with other facts is prepared (its readings, variants) only when a
candidate's bound can reach the report floor (the prepared name is also remembered, a
few thousand of them, by hermit.screening.features.name_query itself). Suppressions are
applied after, per query, so a remembered answer never carries another query's review.

Each memo is bounded (least recently used entries go first), so memory stays flat
however long the run. They live in one process: a bulk run's workers each have theirs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hermit.screening.lru import Lru
from hermit.screening.query import Query
from hermit.screening.result import Match
from hermit.screening.scorer import NameBounds

#: Entries kept by a bulk run's memos, per worker (tens of MB each: see BENCHMARKS.md).
#: A customer file's names come back far apart (bench/bulk's 1,000,000-row mix has
#: 307,002 distinct names; 91 % of its plain-name rows have a name seen more than
#: once), so the name memos keep more of them than the rows memo, whose answers weigh
#: more.
ROWS = 65_536
NAMES = 131_072


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
    #: A name's bounds against the entities it was scored with, by (name, person).
    bounds: Lru[tuple[str, bool], NameBounds] = field(default_factory=lambda: Lru(NAMES))

    def name_bounds(self, query: Query) -> NameBounds:
        """The bounds remembered for ``query``'s name (a new, empty one remembered now
        when there is none): a name is prepared alike for every query of the same
        name and kind (person or not)."""
        key = (query.name, query.schema == "Person")
        found = self.bounds.get(key)
        if found is None:
            found = {}
            self.bounds.put(key, found)
        return found

    def counts(self) -> dict[str, int]:
        """Hits and misses of each memo (a run's record shows them)."""
        return {
            f"{name}_{what}": getattr(lru, what)
            for name, lru in (
                ("rows", self.rows),
                ("candidates", self.candidates),
                ("bounds", self.bounds),
            )
            for what in ("hits", "misses")
        }
