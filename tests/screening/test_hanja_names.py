"""Screening names written in Hanja on the real lists (UN + OFAC, the session's store):
KIM MUN CHOL, KIM NAM UNG and JO CHOL SONG, whose lists carry no Chinese characters,
are reached on both lists when a query writes them in Hanja (traditional, simplified,
spaced, LAST, First), and a different given-name syllable is not. Issue 10 (names)."""

from __future__ import annotations

from typing import Any

import pytest

from hermit.screening.engine import Screener
from hermit.screening.query import make_query

#: listed person -> (UN id, OFAC id)
LISTED = {
    "KIM MUN CHOL": ("unsc-kpi-060", "ofac-21745"),
    "KIM NAM UNG": ("unsc-kpi-061", "ofac-21746"),
    "JO CHOL SONG": ("unsc-kpi-058", "ofac-21744"),
}


def screened(screener: Screener, query: str) -> dict[str, Any]:
    """The matches of a person's name, by listed entity id."""
    found = screener.screen(make_query({"name": query, "schema": "Person"}).query)
    return {m.entity_id: m for m in found}


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("金文哲", "KIM MUN CHOL"),
        ("金文铁", "KIM MUN CHOL"),
        ("金, 文哲", "KIM MUN CHOL"),
        ("金南雄", "KIM NAM UNG"),
        ("金 南雄", "KIM NAM UNG"),
        ("趙哲成", "JO CHOL SONG"),
        ("赵铁成", "JO CHOL SONG"),
        ("曺哲成", "JO CHOL SONG"),
    ],
)
def test_hanja_query_reaches_both_listings(
    lists_screener: Screener, query: str, listed: str
) -> None:
    found = screened(lists_screener, query)
    for entity_id in LISTED[listed]:
        assert entity_id in found and found[entity_id].is_match, (query, list(found))


@pytest.mark.parametrize(
    ("query", "listed"),
    [("金文植", "KIM MUN CHOL"), ("金南植", "KIM NAM UNG"), ("趙哲鎬", "JO CHOL SONG")],
)
def test_another_given_syllable_is_not_a_match(
    lists_screener: Screener, query: str, listed: str
) -> None:
    found = screened(lists_screener, query)
    for entity_id in LISTED[listed]:
        assert entity_id not in found or not found[entity_id].is_match, (query, list(found))
