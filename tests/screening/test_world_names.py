"""Names of the whole world against the real lists (UN and OFAC as loaded by the
session's store): titles, numbers, look-alike letters, swapped letters, scripts,
patronymics, name chains, short forms.

Every listed name below is on the lists as quoted. The queries are the listed names
as another writer would put them; the other-script forms are the persons' names as
their own languages write them (Russian Сечин, Чемезов; Chinese 李方伟; Arabic
أيمن الظواهري; Japanese katakana キヨタ ジロウ), checked against the listed Latin
spelling letter by letter, not made by hermit's tables.
"""

from __future__ import annotations

import pytest

from hermit.screening.engine import Screener
from hermit.screening.query import make_query
from hermit.screening.result import Match


def _screen(screener: Screener, name: str, **fields: str) -> dict[str, Match]:
    return {m.entity_id: m for m in screener.screen(make_query({"name": name, **fields}).query)}


@pytest.mark.parametrize(
    ("query", "entity_id", "how"),
    [
        # titles and honorifics, on both sides ("AL ZAWAHIRI, Dr. Ayman" on OFAC)
        ("Dr. Ayman al-Zawahiri", "ofac-2676", "title 'dr' set aside"),
        ("Генерал Сергей Чемезов", "ofac-16685", "title 'general' set aside"),
        # ordinals and numbers written as words
        ("1st Oil JV Co Ltd", "ofac-23725", "read '1st' as 1"),  # FIRST OIL JV CO LTD
        (
            "One Vision Investments Five",
            "ofac-16038",
            "'five' as 5",
        ),  # ... INVESTMENTS 5 (PTY) LTD.
        # letters written as digits or as look-alikes of another script
        ("Ig0r Sech1n", "ofac-16692", "look-alike letters"),  # SECHIN, Igor
        ("Igоr Sechin", "ofac-16692", ""),  # a Cyrillic о in Igor
        # transposed letters, short words too
        ("Adb al-Hamid Musalli", "ofac-16000", "'adb'~'abd'"),  # MUSALLI, 'Abd-al-Hamid
        ("Afiz Mohammed Karim Yusop", "ofac-24784", "'afiz'~'faiz'"),  # FAIZ, Mohammed Karim Yusop
        # Russian names that are not Korean, the patronymic left out
        ("Игорь Сечин", "ofac-16692", "transliterated from Russian"),
        ("Сергей Чемезов", "ofac-16685", "transliterated from Russian"),
        (
            "Vladislav Leontyev",
            "ofac-13086",
            "'vladimirovich' not in query",
        ),  # LEONTYEV, ... Vladimirovich
        # Chinese (not Korean) and Japanese
        ("李方伟", "ofac-11447", "'fang wei' written together"),  # LI, Fangwei
        ("キヨタ ジロウ", "ofac-15662", "'jirou'~'jiro'"),  # KIYOTA, Jiro
    ],
)
def test_found_as_a_match(lists_screener: Screener, query: str, entity_id: str, how: str) -> None:
    found = _screen(lists_screener, query)
    assert entity_id in found and found[entity_id].is_match, {k: m.score for k, m in found.items()}
    assert how in found[entity_id].explanation


def test_a_name_in_arabic_script_is_compared_on_consonants(lists_screener: Screener) -> None:
    """أيمن الظواهري against the OFAC entry, which has no Arabic script: the name alone
    is one to review (the script writes no short vowels); with the listed date of birth
    it is a match."""
    alone = _screen(lists_screener, "أيمن الظواهري")
    assert "ofac-2676" in alone and not alone["ofac-2676"].is_match
    assert "compared on consonants only" in alone["ofac-2676"].explanation
    born = _screen(lists_screener, "أيمن الظواهري", birth_date="1951-06-19")
    assert born["ofac-2676"].is_match


@pytest.mark.parametrize(
    ("query", "entity_id", "is_match"),
    [
        ("Bilal bin Marwan", "unsc-qdi-009", True),  # BILAL BIN MARWAN
        ("Marwan bin Bilal", "unsc-qdi-009", False),  # the son and the father swapped
        ("Bilal bin Marwan", "ofac-6945", True),  # BIN MARWAN, Bilal (OFAC order)
        ("Marwan bin Bilal", "ofac-6945", False),
    ],
)
def test_name_chains_keep_their_order(
    lists_screener: Screener, query: str, entity_id: str, is_match: bool
) -> None:
    found = _screen(lists_screener, query, schema="Person")
    assert (entity_id in found and found[entity_id].is_match) == is_match


def test_a_father_or_a_son_inside_a_chain_is_not_a_match(lists_screener: Screener) -> None:
    """UN lists Saddam Hussein (IQi.001) and his sons; their names contain his."""
    son = _screen(lists_screener, "ALI SADDAM HUSSEIN AL-TIKRITI", schema="Person")
    assert "unsc-iqi-001" not in son or not son["unsc-iqi-001"].is_match
    father = _screen(lists_screener, "SADDAM HUSSEIN AL-TIKRITI", schema="Person")
    assert father["unsc-iqi-001"].is_match
    assert "unsc-iqi-061" not in father or not father["unsc-iqi-061"].is_match
