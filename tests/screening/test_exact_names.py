"""An exact listed name always finds its entity, however common its words.

The names are enumerated from the real lists (UN and OFAC): every listed name and alias
whose words are all common, each on more listed entities than the index keeps
candidates (DEFAULT_LIMIT), so that ranking by shared rarity alone could crowd the
entity out, like "AUNG, Aung", "AL-MUHAMMAD, Muhammad", MARIA or the vessel DANIEL (about 1,950
names of 1,160 entities; hermit-candidates@1 lost 157 of them). Each is
screened as written, and its entity must be among the results as a match: retrieval
pins an entity whose whole name (normalised, or written together) is the query's, as
it pins an identifier.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hermit.screening.candidates import DEFAULT_LIMIT
from hermit.screening.engine import Screener
from hermit.screening.query import make_query
from tests.cli.helpers import hermit


def _common_names(screener: Screener) -> list[tuple[str, str]]:
    postings = screener.index.postings
    out = []
    for entity in screener.entities.values():
        for name in entity.names:
            if name.kind == "acronym" or not name.tokens:
                continue
            if all(len(postings.get(f"t:{t}", ())) > DEFAULT_LIMIT for t in name.tokens):
                out.append((entity.entity_id, name.text))
    return sorted(set(out))


@pytest.fixture(scope="module")
def common(lists_screener: Screener) -> list[tuple[str, str]]:
    return _common_names(lists_screener)


def test_the_real_lists_have_such_names(common: list[tuple[str, str]]) -> None:
    assert len(common) >= 50
    assert {("ofac-27224", "AUNG, Aung"), ("ofac-22089", "AL-MUHAMMAD, Muhammad")} <= set(common)
    assert {("ofac-15903", "DANIEL"), ("ofac-10938", "MARIA")} <= set(common)


def test_every_name_of_common_words_finds_its_entity(
    lists_screener: Screener, common: list[tuple[str, str]]
) -> None:
    lost = []
    for entity_id, text in common:
        found = {
            m.entity_id: m for m in lists_screener.screen(make_query({"name": text}).query, 100)
        }
        if entity_id not in found or not found[entity_id].is_match:
            lost.append((entity_id, text, found.get(entity_id)))
    assert not lost, f"{len(lost)} of {len(common)}: {lost[:10]}"


@pytest.mark.parametrize(
    ("query", "schema", "entity_id"),
    [
        ("Chongchongang", "Vessel", "ofac-17069"),  # the vessel CHONG CHON GANG
        ("Rungrado", "Vessel", "ofac-23166"),  # the vessel RUNG RA DO
        ("Rung Ra Do General Trading", "Organization", "ofac-19613"),  # KOREA RUNGRADO ...
        ("Chong Chon Gang Shipping", "Organization", "ofac-17067"),  # CHONGCHONGANG SHIPPING
        ("Ocean Maritime Management Company Limited", "Organization", "unsc-kpe-020"),
    ],
)
def test_names_written_together_or_apart(
    lists_screener: Screener, query: str, schema: str, entity_id: str
) -> None:
    """Organizations and vessels too, not only people; the UN name with "(OMM)"
    scores like the same name without it."""
    screened = lists_screener.screen(make_query({"name": query, "schema": schema}).query)
    found = {m.entity_id: m for m in screened}
    assert entity_id in found and found[entity_id].is_match, list(found)


def test_the_acronym_alone_is_a_weak_form(lists_screener: Screener) -> None:
    """ "(OMM)" after the UN name of Ocean Maritime Management: the name scores as if
    it were not there, and OMM alone is a name to review, not a match."""
    found = {m.entity_id: m for m in lists_screener.screen(make_query({"name": "OMM"}).query)}
    assert "unsc-kpe-020" in found
    assert not found["unsc-kpe-020"].is_match
    assert "acronym" in found["unsc-kpe-020"].explanation


def test_an_exact_common_name_through_the_command(lists_store: Path) -> None:
    proc = hermit(lists_store, "screen", "AUNG, Aung", "--json")
    import orjson

    ids = [m["entity_id"] for m in orjson.loads(proc.stdout)["matches"] if m["is_match"]]
    assert ids, proc.stdout[:500]
