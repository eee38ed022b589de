"""The screening engine: candidate index, pair scorer and suppressions behind one call.

``Screener.from_store`` builds everything from the current lists in a store;
``Screener.screen`` answers one query with the listed entities it may be, best first.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from hermit.screening import matcher
from hermit.screening.index import NameIndex
from hermit.screening.query import Query
from hermit.screening.result import ListVersion, Match, RunInfo
from hermit.store import read

#: Looks up an analyst's decision for a (query, entity id) pair: its text, or None.
SuppressionLookup = Callable[[Query, str], str | None]


def list_versions(con: duckdb.DuckDBPyConnection) -> tuple[ListVersion, ...]:
    """The latest version of every list in the store."""
    latest: dict[str, ListVersion] = {}
    for v in read.versions(con):
        latest[v.dataset] = ListVersion(v.dataset, v.seq, v.title, v.content_sha256)
    return tuple(sorted(latest.values(), key=lambda v: v.dataset))


class Screener:
    """Screens queries against the lists one index was built from."""

    def __init__(
        self,
        index: NameIndex,
        lists: tuple[ListVersion, ...] = (),
        suppressions: SuppressionLookup | None = None,
    ) -> None:
        self.index = index
        self.info = RunInfo(matcher.ALGORITHM, matcher.THRESHOLD, matcher.REPORT_FLOOR, lists)
        self.suppressions = suppressions

    @classmethod
    def from_store(
        cls, con: duckdb.DuckDBPyConnection, suppressions: SuppressionLookup | None = None
    ) -> Screener:
        return cls(NameIndex.from_store(con), list_versions(con), suppressions)

    def candidates(self, query: Query) -> list[str]:
        """The ids of the listed entities the index retrieves for ``query`` (the only
        ones the scorer looks at), in a stable order."""
        return matcher.candidate_ids(self.index, query)

    def score(self, query: Query, entity_ids: list[str]) -> list[Match]:
        """The scorer alone on given entities: one Match per id (even below the floor)."""
        return [matcher.score_pair(self.index, query, eid) for eid in entity_ids]

    def screen(self, query: Query, limit: int = 10) -> list[Match]:
        """Listed entities that may be ``query``, best first, down to the report floor."""
        found = matcher.screen(self.index, query, limit=limit)
        if self.suppressions is None:
            return found
        out = []
        for m in found:
            decision = self.suppressions(query, m.entity_id)
            out.append(m if decision is None else _suppressed(m, decision))
        return out


def _suppressed(match: Match, decision: str) -> Match:
    return Match(
        match.entity_id,
        match.schema,
        match.caption,
        match.datasets,
        match.score,
        match.is_match,
        match.contributions,
        decision,
    )
