"""Founders screened against the official lists (hermit's screening, over a store with
lists loaded): a foreign founder the register shows with no country, or another
country, is a DPRK party when its name matches a listed entity of the DPRK."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hermit.compliance.records import LabourRecord
from hermit.compliance.vocabulary import vocabulary

DPRK = "kp"


@dataclass(frozen=True, slots=True)
class ListMatch:
    entity_id: str
    caption: str
    datasets: tuple[str, ...]
    score: float


def screen_founders(founders: list[LabourRecord], store_path: Path) -> dict[str, ListMatch]:
    """Founder record id -> the DPRK-listed entity its name matches (foreign founders
    only: Russian citizens and companies are not DPRK parties by name)."""
    from hermit.screening.query import QueryError, make_query
    from hermit.screening.store_screener import StoreScreener

    words = vocabulary()
    screener = StoreScreener(store_path).build()
    found: dict[str, ListMatch] = {}
    for f in founders:
        kind = words.term("founder_type", f.text("founder_type"))
        if kind not in ("foreign_company", "foreign_national"):
            continue
        schema = "Company" if kind == "foreign_company" else "Person"
        for name in (f.text("founder_name_lat"), f.text("founder_name")):
            if name is None:
                continue
            try:
                query = make_query({"name": name, "schema": schema}).query
            except QueryError:
                continue
            hits = [
                m
                for m in screener.screen(query, limit=3)
                if m.is_match and DPRK in _countries(screener, m.entity_id)
            ]
            if hits:
                m = hits[0]
                found[f.record_id] = ListMatch(m.entity_id, m.caption, m.datasets, m.score)
                break
    return found


def _countries(screener: object, entity_id: str) -> set[str]:
    entities = getattr(screener, "entities", {})
    listed = entities.get(entity_id)
    if listed is None:
        return set()
    return set(listed.countries) | set(listed.nationalities)
