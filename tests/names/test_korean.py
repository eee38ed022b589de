"""The Korean-aware comparison: same person across scripts, different syllable = different
person. Names and variants are the real list entries (UN KPi, OFAC DPRK)."""

from __future__ import annotations

import pytest

from hermit.names.korean import DIFFERENT_PERSON, compare_names, readings

THRESHOLD = 0.8


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("김영철", "KIM YONG CHOL"),
        ("金英哲", "KIM YONG CHOL"),
        ("Ким Ен Чхоль", "KIM YONG CHOL"),
        ("Ким Чен Ын", "KIM JONG UN"),
        ("Ким Ир Сен", "KIM IL SONG"),
        ("최룡해", "CHOE RYONG HAE"),
        ("Ri Eun Song", "RI U'N SO'NG"),
        ("Cho'n Myo'ng-kuk", "JON MYONG GUK"),
        ("Kim Young-Cheol", "KIM YONG CHOL"),
        ("Yong Chol Kim", "KIM YONG CHOL"),
        ("KIM, Yong-Chol", "KIM YONG CHOL"),
        ("Lee Su Yong", "RI SU YONG"),
        ("Choi Ryong Hae", "CHOE RYONG HAE"),
        ("JONG Kyong Thaek", "CHONG KYONG-T'AEK"),
    ]
    + [(f"KIM, {v}", "KIM Su-Kwang") for v in ("Su-gwang", "Sou-kwang", "Sou-gwang")],
)
def test_same_person(query: str, listed: str) -> None:
    found = compare_names(query, listed)
    assert found is not None and found.score >= THRESHOLD, found


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Kim Jong Un", "Kim Jong Il"),
        ("Kim Jong Un", "Kim Jong Nam"),
        ("Kim Jong Un", "Kim Yo Jong"),
        ("김정은", "KIM JONG IL"),
        ("Kim Yong Chol", "Kim Yong Chun"),
        ("Pak Yong Chol", "Kim Yong Chol"),
    ],
)
def test_different_person(query: str, listed: str) -> None:
    found = compare_names(query, listed)
    assert found is not None and found.score <= DIFFERENT_PERSON < THRESHOLD
    assert any("differ" in r for r in found.reasons)


def test_reasons_show_the_reading() -> None:
    found = compare_names("김영철", "KIM YONG CHOL")
    assert found is not None
    assert "김영철 read as Kim Yo'ng-ch'o'l (MR)" in found.reasons[0]


def test_non_korean_names_are_left_to_the_ordinary_comparison() -> None:
    assert compare_names("Maria Gonzalez", "KIM YONG CHOL") is None
    assert readings("KOREA RUNGRADO GENERAL TRADING CORPORATION") == ()
