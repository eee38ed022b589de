"""The hits of a text search (GET /search): the engine's candidates for the name as
typed, the names a partial last word begins, and the vessel of an IMO number, each
scored by the screening engine and kept when its name is close enough (or its IMO
number agrees). The router filters, pages and counts them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from hermit.screening.engine import Screener
from hermit.screening.prefix import PrefixIndex
from hermit.screening.query import Query
from hermit.screening.result import Match

if TYPE_CHECKING:
    from hermit.api.state import Snapshot

#: A text search keeps entities whose name comparison reaches this (looser than screening).
NAME_FLOOR = 0.5


@dataclass(frozen=True, slots=True)
class Found:
    match: Match  # the engine's score of the entity for the query
    matched: str  # name | prefix | imo
    completed: str | None = None  # the name scored, when a partial word was completed


@lru_cache(maxsize=1)
def _prefixes(screener: Screener) -> PrefixIndex:
    """The prefix index of the current screener, built on its first search (the one
    before a rebuild is let go)."""
    return PrefixIndex(screener.entities)


def find(
    snapshot: Snapshot,
    text: str,
    imo: str | None,
    schema: str | None,
    typing: bool,
    candidates: int,
) -> list[Found]:
    """Every hit for ``text`` (and ``imo``), best first by the engine's rank."""
    screener = snapshot.screener
    best: dict[str, Found] = {}

    def offer(query: Query, ids: list[str], matched: str, completed: str | None) -> None:
        for m in screener.score(query, ids):
            features = m.by_feature()
            name = features.get("name", (0.0, ""))[0]
            agreed = features.get("imo", (0.0, ""))[0] > 0
            if name < NAME_FLOOR and not agreed:
                continue
            how = matched if name >= NAME_FLOOR else "imo"
            held = best.get(m.entity_id)
            if held is None or m.rank_key < held.match.rank_key:
                best[m.entity_id] = Found(m, how, completed)

    query = Query(name=text or f"IMO {imo}", schema=schema, imo=imo)
    offer(query, screener.candidates(query, limit=candidates), "name", None)
    if typing:
        by_name: dict[str, list[str]] = {}
        for c in _prefixes(screener).complete(text):
            by_name.setdefault(c.name, []).append(c.entity_id)
        for name, ids in by_name.items():
            offer(Query(name=name, schema=schema, imo=imo), ids, "prefix", name)
    return sorted(best.values(), key=lambda f: f.match.rank_key)
