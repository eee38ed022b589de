"""A typo in a Korean name is not a different person (issue 10). The syllable rule
(a different given-name syllable is a different person) decides only between syllables
the romanization tables know; a typo inside a syllable that makes no known syllable
("Joog", "Cool" for Chol, "Youg" for Yong) or none at all ("Jnog", "Jongg", "Ryng")
is compared as spelled, so the listed person is still found. Real, different syllables
still make a different person. Through the Screener of the real UN and OFAC lists."""

from __future__ import annotations

import pytest

from hermit.screening.engine import Screener
from hermit.screening.query import Query
from hermit.screening.scorer import REPORT_FLOOR

#: (query, listed entity, what the typo did)
TYPOS = [
    ("Kim Joog Un", "ofac-20157", "n typed o: Joog is no syllable"),
    ("Kim Jong Uun", "ofac-20157", "u doubled"),
    ("Kim Jongg Un", "ofac-20157", "g doubled"),
    ("Kim Jnog Un", "ofac-20157", "o and n swapped"),
    ("Kim Yo Joog", "ofac-21444", "n typed o"),
    ("Kim Youg Chol", "ofac-12211", "n typed u: Youg is no syllable"),
    ("Min Byong Cool", "ofac-21305", "h typed o: Cool is no syllable"),
    ("Ri Pyoug Chol", "unsc-kpi-076", "n typed u"),
    ("Hwang Pyoog So", "ofac-19496", "n typed o"),
    ("Choe Ryng Hae", "ofac-23213", "o dropped"),
    ("Ri Su Yyong", "ofac-21735", "y doubled"),
]


def _score(screener: Screener, name: str, entity_id: str) -> tuple[float, bool, str]:
    match = screener.score(Query(name=name, schema="Person"), [entity_id])[0]
    return match.score, match.is_match, match.contributions[0].reason


@pytest.mark.parametrize(("name", "entity_id", "typo"), TYPOS)
def test_a_typo_inside_a_syllable_still_finds_the_listed_person(
    lists_screener: Screener, name: str, entity_id: str, typo: str
) -> None:
    score, is_match, reason = _score(lists_screener, name, entity_id)
    assert is_match, (name, typo, score, reason)
    found = lists_screener.screen(Query(name=name, schema="Person"))
    assert entity_id in [m.entity_id for m in found if m.score >= REPORT_FLOOR], name


def test_the_reason_says_the_syllable_is_no_known_syllable(lists_screener: Screener) -> None:
    score, _, reason = _score(lists_screener, "Kim Joog Un", "ofac-20157")
    assert "joog is no syllable the romanization tables know: a typo?" in reason
    assert "compared as spelled" in reason
    assert score <= 0.85  # a typo never scores as the name as listed


@pytest.mark.parametrize(
    ("name", "entity_id"),
    [
        ("Kim Yong Chun", "ofac-12211"),  # chun is a real syllable: 춘, not 철
        ("Kim Jong Il", "ofac-20157"),
        ("Kim Jon Un", "ofac-20157"),  # a dropped g that makes a real syllable (전/존)
        ("Kim Su-Kwan", "ofac-22286"),
        ("Kim Jong Chou", "ofac-20157"),  # chou: the informal spelling of 추 (as Sou-kwang)
    ],
)
def test_real_different_syllables_are_still_a_different_person(
    lists_screener: Screener, name: str, entity_id: str
) -> None:
    score, is_match, reason = _score(lists_screener, name, entity_id)
    assert not is_match, (name, score, reason)
    assert score < REPORT_FLOOR, (name, score, reason)
