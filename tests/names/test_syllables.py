"""Latin and Cyrillic spellings read as Korean syllable keys."""

from __future__ import annotations

import pytest

from hermit.names import hangul
from hermit.names.syllables import classes_match, is_known_spelling, parse_token, simplify


def _keys(text: str) -> tuple[hangul.Key, ...]:
    return tuple(hangul.syllable_key(c) for c in text)


@pytest.mark.parametrize(
    ("token", "hangul_text"),
    [
        ("Yong-chol", "영철"),
        ("Yo'ng-ch'o'l", "영철"),
        ("Yongchol", "영철"),
        ("Young-Cheol", "영철"),
        ("YEONG CHEOL", "영철"),
        ("Ri", "리"),
        ("Lee", "리"),
        ("Li", "리"),
        ("Yi", "리"),
        ("Rhee", "리"),
        ("Park", "박"),
        ("Pak", "박"),
        ("Choe", "최"),
        ("Ch'oe", "최"),
        ("Choi", "최"),
        ("Eun", "은"),
        ("U'n", "은"),
        ("Thaek", "택"),
        ("Ryong", "룡"),
        ("Yong", "룡"),
        ("Kwang", "광"),
        ("gwang", "광"),
        ("Чхоль", "철"),
        ("Ким", "김"),
        ("Ли", "리"),
        ("Цой", "최"),
        ("Ёнчхоль", "영철"),
    ],
)
def test_spellings_reach_the_hangul_keys(token: str, hangul_text: str) -> None:
    target = _keys(hangul_text)
    assert any(
        len(r) == len(target)
        and all(
            classes_match(a.initial, b.initial)
            and classes_match(a.vowel, b.vowel)
            and classes_match(a.final, b.final)
            for a, b in zip(r, target, strict=True)
        )
        for r in parse_token(token)
    ), [list(map(str, r)) for r in parse_token(token)]


def test_unreadable_tokens() -> None:
    assert parse_token("Gonzalez") == []
    assert parse_token("") == []


def test_simplify() -> None:
    assert simplify("Yŏng-ch'ŏl") == "yong-chol"
    assert simplify("Ёнчхоль") == "ёнчхоль"


def test_alternatives() -> None:
    assert classes_match("N|NG", "NG") and classes_match("E|O", "O")
    assert not classes_match("N", "NG")


@pytest.mark.parametrize(
    "spelled",
    # MR, DPRK and RR spellings; Kontsevich; the informal spellings of the lists and of
    # domain.md (Young, Woo, Sou, Hoon, Sub, Tsang, Chul, Shin, Choi); table tokens.
    [
        "chol",
        "jong",
        "thaek",
        "cheol",
        "eun",
        "young",
        "woo",
        "sou",
        "hoon",
        "sub",
        "wu",
        "tsang",
        "chul",
        "shin",
        "choi",
        "hyuk",
        "lee",
        "park",
        "чхоль",
        "ын",
        "ир",
        "영",
    ],
)
def test_known_spellings(spelled: str) -> None:
    assert is_known_spelling(spelled)


@pytest.mark.parametrize(
    "spelled",
    # typos: two informal parts (Joog, Cool for Chol), no vowel (Jng), a doubled or
    # swapped letter the grammar cannot cut as one syllable (Jongg, Jnog)
    ["joog", "cool", "youg", "jng", "jongg", "jnog", "cjol"],
)
def test_typos_are_no_known_spelling(spelled: str) -> None:
    assert not is_known_spelling(spelled)
