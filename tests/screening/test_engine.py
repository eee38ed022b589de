"""hermit-screen@5 on the real lists: names in any script, every feature, explanations."""

from __future__ import annotations

import pytest

from hermit.screening import scorer
from hermit.screening.engine import Screener
from hermit.screening.features.identifiers import IMO_IDENTITY
from hermit.screening.query import Query, make_query
from hermit.screening.result import Match


@pytest.fixture(scope="module")
def screener(lists_screener: Screener) -> Screener:
    """The session's UN + OFAC screener (tests/screening/conftest.py; read only here),
    not a store of the same two files loaded and indexed again in this process."""
    return lists_screener


def _top(screener: Screener, name: str, **kw: str) -> dict[str, Match]:
    query = make_query({"name": name, **kw}).query
    return {m.entity_id: m for m in screener.screen(query, limit=10)}


@pytest.mark.parametrize(
    ("query", "entity_id"),
    [
        ("김영철", "unsc-kpi-024"),
        ("金英哲", "unsc-kpi-024"),
        ("Ким Ен Чхоль", "unsc-kpi-024"),
        ("Kim Young-Cheol", "unsc-kpi-024"),
        ("Ким Чен Ын", "ofac-20157"),
        ("Kim Jongun", "ofac-20157"),
        ("최룡해", "ofac-23213"),
        ("Ri Eun Song", "unsc-kpi-078"),
        ("Korea Rungrado General Trading Corp", "ofac-19613"),
        ("HAVIN BANK LTD", "ofac-906"),
        ("Bank Havin Limited", "ofac-906"),
        ("EVER BRIGT 88", "ofac-19570"),
    ],
)
def test_listed_names_found_as_matches(screener: Screener, query: str, entity_id: str) -> None:
    found = _top(screener, query)
    assert entity_id in found and found[entity_id].is_match, list(found)


def test_close_relatives_are_not_matches(screener: Screener) -> None:
    for name in ("Kim Jong Il", "Kim Jong Nam", "Kim Yo Jong", "김정일"):
        found = _top(screener, name, schema="Person")
        assert "ofac-20157" not in found or not found["ofac-20157"].is_match, name


def test_common_names_alone_do_not_match_longer_listed_names(screener: Screener) -> None:
    for name in ("Ali Hussein", "Carlos Fernandez", "Hassan Mahmoud"):
        assert not [m for m in _top(screener, name).values() if m.is_match], name


def test_date_of_birth_separates_namesakes(screener: Screener) -> None:
    found = _top(screener, "KIM Yong Chol", birth_date="1947")
    assert found["ofac-12211"].is_match
    assert not found["unsc-kpi-024"].is_match  # born 1962-02-18


def test_contributions_add_up_to_the_score(screener: Screener) -> None:
    queries = [
        {"name": "김영철", "birth_date": "1962-02-18", "nationality": "North Korea"},
        {"name": "KIM YONG CHOL", "passport": "472310168", "gender": "male"},
        {"name": "EVER BRIGHT 88", "imo": "8914934", "schema": "Vessel"},
        {"name": "HAVIN BANK", "registration_number": "01074897", "country": "gb"},
    ]
    for values in queries:
        for match in screener.screen(make_query(values).query):
            total = sum(c.value for c in match.contributions)
            assert total == pytest.approx(match.score, abs=1e-6), match.explanation
            assert 0.0 <= match.score <= 1.0


def test_explanation_names_the_reading_and_features(screener: Screener) -> None:
    found = _top(screener, "김영철", birth_date="1962-02-18", nationality="kp")
    best = found["unsc-kpi-024"]
    assert "김영철 is Kim Yŏng-ch'ŏl in McCune-Reischauer" in best.explanation
    assert "given name agrees syllable by syllable" in best.explanation
    features = [c.feature for c in best.contributions]
    assert features[:3] == ["name", "birth_date", "nationality"]


def test_imo_finds_a_renamed_vessel(screener: Screener) -> None:
    found = _top(screener, "SUNRISE STAR", imo="IMO 8914934", schema="Vessel")
    match = found["ofac-19570"]
    assert match.is_match and match.score == pytest.approx(IMO_IDENTITY)
    assert "same hull" in match.explanation


def test_a_different_imo_counts_against(screener: Screener) -> None:
    same = _top(screener, "EVER BRIGHT 88", schema="Vessel")["ofac-19570"]
    other = _top(screener, "EVER BRIGHT 88", schema="Vessel", imo="9187629")
    assert same.is_match
    assert "ofac-19570" not in other or other["ofac-19570"].score < same.score - 0.4


def test_passport_agrees_and_contradicts(screener: Screener) -> None:
    base = _top(screener, "KIM YONG CHOL")["unsc-kpi-024"].score
    agree = _top(screener, "KIM YONG CHOL", passport="472-310-168")["unsc-kpi-024"]
    differ = _top(screener, "KIM YONG CHOL", passport="123456789")["unsc-kpi-024"]
    assert agree.score >= base and "passport" in agree.explanation
    assert differ.score < base


def test_nationality_agrees_and_contradicts(screener: Screener) -> None:
    agree = _top(screener, "KIM YONG CHOL", nationality="kp")["unsc-kpi-024"]
    differ = _top(screener, "KIM YONG CHOL", nationality="South Korea")["unsc-kpi-024"]
    assert agree.score > differ.score
    assert "kr is not among the listed nationality (kp)" in differ.explanation


def test_schema_rules_out_a_person_for_a_vessel(screener: Screener) -> None:
    assert "ofac-19570" not in _top(screener, "EVER BRIGHT 88", schema="Person")
    scored = screener.score(Query(name="EVER BRIGHT 88", schema="Person"), ["ofac-19570"])
    assert (
        scored[0].score == 0.0 and "a Person cannot be the listed Vessel" in scored[0].explanation
    )


def test_gender_contradiction_counts_against(screener: Screener) -> None:
    listed = _top(screener, "Pak Il Kyu")["unsc-kpi-062"]  # listed male
    same = _top(screener, "Pak Il Kyu", gender="m")["unsc-kpi-062"]
    other = _top(screener, "Pak Il Kyu", gender="female")["unsc-kpi-062"]
    assert listed.score == same.score
    assert (
        other.score < listed.score
        and "the query is female, the listed person male" in other.explanation
    )


def test_identifier_hit_is_a_candidate_even_with_another_name(screener: Screener) -> None:
    ids = screener.candidates(Query(name="NOTHING LIKE IT", imo="8914934"))
    assert ids[0] == "ofac-19570"


def test_run_info_records_algorithm_and_list_versions(screener: Screener) -> None:
    info = screener.info.as_dict()
    assert info["algorithm"] == scorer.ALGORITHM
    assert {v["dataset"] for v in info["lists"]} == {"un_sc_sanctions", "us_ofac_sdn"}  # type: ignore[attr-defined]


def test_ties_at_full_score_rank_the_pair_with_more_evidence_first(screener: Screener) -> None:
    """Two listed KIM Yong Chols both reach 1.0 on the name; the one holding the
    query's passport number must come first, not the one with the smaller id."""
    passports = screener.entities["unsc-kpi-024"].identifiers.get("passport", {})
    assert passports, "KPi.024 carries a passport number in the UN list"
    number = next(iter(passports))
    found = screener.screen(make_query({"name": "Kim Yong Chol", "passport": number}).query)
    assert found[0].entity_id == "unsc-kpi-024"
    assert found[0].score == found[1].score == 1.0
    assert found[0].evidence > found[1].evidence
