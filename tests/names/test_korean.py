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
    assert "김영철 is Kim Yŏng-ch'ŏl in McCune-Reischauer" in found.reasons[0]
    assert "read as Kim Yong-chol" in found.reasons[0]
    assert found.reasons[1:] == ("same surname", "given name agrees syllable by syllable")


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Kim Yong Chun", "KIM, Young-Chul"),  # OFAC alias of ofac-12211
        ("Kim Yong Chun", "KIM Yong Chol"),
        ("KIM JONG UN", "김정은"),
        ("Kim Young-Cheol", "Ким Ен Чхоль"),
        ("金英哲", "KIM YONG CHOL"),
        ("Choi Ryong Hae", "CHOE RYONG HAE"),
    ],
)
def test_reasons_hold_no_internal_keys(query: str, listed: str) -> None:
    """Readings are shown romanized as a person reads them, never as comparison classes
    ("KIM -YONG-COL", "KIM CONG--UN|NG")."""
    found = compare_names(query, listed)
    assert found is not None
    text = "; ".join(found.reasons)
    for key in ("-YONG", "COL", "CUL", "CONG", "|", "YO--", "KIM -"):
        assert key not in text, text


def test_a_reading_that_lines_up_decides() -> None:
    """The OFAC alias "KIM, Young-Chul" (ofac-12211) could also be cut YO-UNG-CHUL; the
    reading that lines up with the query's two syllables finds chun against chul, and
    that is the verdict, not the count mismatch of another cut."""
    found = compare_names("Kim Yong Chun", "KIM, Young-Chul")
    assert found is not None and found.score <= DIFFERENT_PERSON
    assert "given-name syllable 2 differs (chun against chul): a different person" in found.reasons
    assert found.aligned and not found.misread


@pytest.mark.parametrize("token", ["Young", "Eun", "Cheol", "Yeong", "Taek", "Choe", "Sou"])
def test_informal_spellings_are_one_syllable(token: str) -> None:
    found = readings(f"Kim {token}")
    assert found and {len(r.given) for r in found} == {1}


@pytest.mark.parametrize(
    ("query", "listed", "same"),
    [
        ("김종은", "김정은", False),  # 종 (o) is not 정 (ŏ), though both are "Jong"
        ("김정일", "김정은", False),
        ("리영철", "이영철", True),  # the North and South spellings of initial ㄹ
        ("최룡해", "최룡혜", False),
        ("최룡해", "최용해", True),
        ("金正恩", "김정은", True),  # Hanja read as Korean, then compared as Hangul
        ("金正恩", "金正銀", False),  # Chinese characters compared as written
        ("习近平", "習近平", True),  # simplified and traditional forms of one name
    ],
)
def test_names_in_characters_are_compared_as_written(query: str, listed: str, same: bool) -> None:
    found = compare_names(query, listed)
    if found is None:
        assert not same
        return
    assert (found.score >= THRESHOLD) == same, found
    if not same:
        assert any("differs" in r for r in found.reasons), found.reasons
    if query.startswith("리"):
        assert any("North and South Korean spellings" in r for r in found.reasons)


def test_non_korean_names_are_left_to_the_ordinary_comparison() -> None:
    assert compare_names("Maria Gonzalez", "KIM YONG CHOL") is None
    assert readings("KOREA RUNGRADO GENERAL TRADING CORPORATION") == ()


def test_a_typo_inside_a_syllable_is_left_undecided() -> None:
    """Joog reads as a syllable (j-oo-g) but none the romanization tables know: the
    syllable rule does not decide, the caller compares the names as spelled."""
    found = compare_names("Kim Joog Un", "KIM Jong Un")
    assert found is not None
    assert found.typos == (1,)
    assert found.score <= DIFFERENT_PERSON
    assert "joog is no syllable the romanization tables know" in found.reasons[-1]


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Kim Yong Chun", "KIM Yong Chol"),
        ("Kim Jon Un", "KIM Jong Un"),
        ("Min Byong Chou", "MIN Byong Chol"),
        ("Kim Joog Il", "KIM Jong Un"),
    ],
)
def test_real_different_syllables_still_decide(query: str, listed: str) -> None:
    """Both sides real syllables, or one real differing syllable beside a typo (Il)."""
    found = compare_names(query, listed)
    assert found is not None
    assert found.typos == ()
    assert found.score <= DIFFERENT_PERSON
