"""One labelled screening case: a query, the entity it must find (or none), its slices."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from hermit.screening.query import Query, make_query

POSITIVE = "positive"
NEGATIVE = "negative"  # ordinary people and companies (bench/screening/negatives.tsv)
HARD_NEGATIVE = "hard-negative"  # DPRK-style names and relatives of listed people
GROUPS = (POSITIVE, NEGATIVE, HARD_NEGATIVE)
#: Stores a case is screened against: UN positives against the UN list alone, OFAC
#: positives against OFAC alone (a party listed on both is then not a wrong alert),
#: negatives against both lists.
STORES = ("un", "ofac", "both")


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    group: str
    store: str
    query: Query
    expected: str | None = None  # the entity id a positive must find
    #: Other entities of the store that carry the query's name exactly (normalised):
    #: an alert on them is a wrong alert, but one no name comparison can avoid.
    namesakes: frozenset[str] = frozenset()
    slices: tuple[tuple[str, str], ...] = ()

    def slice(self, dimension: str) -> str:
        return dict(self.slices).get(dimension, "-")


def build_query(fields: Mapping[str, str | None]) -> Query:
    """The query as hermit reads it: a field it cannot read (an odd passport number) is
    set aside, as it would be in a real screening run; QueryError without a name."""
    return make_query({k: v for k, v in fields.items() if v}).query
