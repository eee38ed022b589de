"""The reasons of the features other than the name, on the real lists, as an analyst
reads them: whose identifier it is (and under which names a vessel is listed), which
nationality or country, and the score's cap shown as a cap."""

from __future__ import annotations

import pytest

from hermit.screening.engine import Screener
from hermit.screening.query import make_query
from hermit.screening.result import Match
from hermit.screening.scorer import REPORT_FLOOR, THRESHOLD


def scored(screener: Screener, entity_id: str, **query: str) -> Match:
    parsed = make_query(query)
    assert not parsed.warnings, parsed.warnings
    return screener.score(parsed.query, [entity_id])[0]


def reason(m: Match, feature: str) -> str:
    return next(c.reason for c in m.contributions if c.feature == feature)


def test_a_vessel_found_by_imo_under_another_name_says_so(lists_screener: Screener) -> None:
    m = scored(lists_screener, "ofac-17086", name="Chong Chon Gang", imo="IMO 7944695")
    assert m.is_match  # DAI HONG DAN, IMO 7944695
    assert reason(m, "imo") == (
        "IMO 7944695 is the listed vessel's (the same hull whatever its name); it is now "
        "called 'Chong Chon Gang', listed as 'DAI HONG DAN'"
    )


def test_the_former_names_of_a_renamed_vessel_are_named(lists_screener: Screener) -> None:
    # ARTAVIL (OFAC 15036), IMO 9187629, formerly ABADAN, SHONA and ALPHA
    m = scored(lists_screener, "ofac-15036", name="Sea Pearl", imo="9187629", schema="Vessel")
    text = reason(m, "imo")
    assert text.startswith("IMO 9187629 is the listed vessel's")
    assert "it is now called 'Sea Pearl', listed as 'ARTAVIL' (formerly " in text
    assert all(name in text for name in ("'ABADAN'", "'SHONA'", "'ALPHA'"))


def test_a_vessel_listed_under_the_queried_name_is_not_called_renamed(
    lists_screener: Screener,
) -> None:
    m = scored(lists_screener, "ofac-17069", name="CHONG CHON GANG", imo="7937317")
    assert reason(m, "imo") == (
        "IMO 7937317 is the listed vessel's (the same hull whatever its name)"
    )


def test_another_imo_names_the_listed_hull(lists_screener: Screener) -> None:
    m = scored(lists_screener, "ofac-17069", name="CHONG CHON GANG", imo="9187629")
    assert reason(m, "imo") == (
        "IMO 9187629 is not the listed vessel's (listed: IMO 7937317): another hull"
    )
    assert m.score < THRESHOLD


def test_a_passport_says_it_is_listed_and_whether_the_names_agree(
    lists_screener: Screener,
) -> None:
    same = scored(lists_screener, "unsc-kpi-024", name="Kim Yong Chol", passport="472310168")
    assert reason(same, "passport").startswith("passport 472310168 is listed")
    assert reason(same, "passport").endswith(", and the names are alike")
    other = scored(lists_screener, "unsc-kpi-024", name="Kim Yong Chol", passport="123456789")
    assert reason(other, "passport").startswith("passport 123456789 is not among the listed")
    assert "472310168" in reason(other, "passport")


def test_nationality_and_country_say_what_is_listed(lists_screener: Screener) -> None:
    same = scored(lists_screener, "unsc-kpi-024", name="Kim Yong Chol", nationality="kp")
    assert reason(same, "nationality").startswith("kp is among the listed nationalit")
    other = scored(lists_screener, "unsc-kpi-024", name="Kim Yong Chol", nationality="kr")
    assert reason(other, "nationality").startswith("kr is not among the listed nationalit")


@pytest.mark.parametrize(
    ("entity_id", "query", "held"),
    [
        (
            "unsc-kpi-024",
            {"name": "Kim Yong Chol", "birth_date": "1962-02-18", "nationality": "kp"},
            1.0,
        ),
        # CHONG CHON GANG: another name and another hull's IMO sum below nothing
        ("ofac-17069", {"name": "Sea Pearl", "imo": "9187629", "schema": "Vessel"}, 0.0),
    ],
)
def test_the_bounds_line_reads_as_a_cap_and_the_sum_is_the_score(
    lists_screener: Screener, entity_id: str, query: dict[str, str], held: float
) -> None:
    m = scored(lists_screener, entity_id, **query)
    cap = m.contributions[-1]
    assert cap.feature == "bounds" and cap.is_cap
    assert m.score == held
    evidence = sum(c.value for c in m.contributions[:-1])
    word = "capped at 1.00" if held == 1.0 else "held at 0.00"
    assert cap.reason == f"{word} (the evidence adds up to {evidence:.2f})"
    assert abs(sum(c.value for c in m.contributions) - m.score) < 1e-9
    assert cap.text == cap.reason  # no "bounds -0.15" in the explanation
    assert m.explanation.endswith(f"; {cap.reason}") and "bounds" not in m.explanation


def test_the_report_floor_is_what_the_cli_names() -> None:
    assert f"{REPORT_FLOOR:.2f}" == "0.60"
