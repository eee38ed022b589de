"""Hangul to the list romanizations, Kontsevich Cyrillic and comparison keys."""

from __future__ import annotations

import pytest

from hermit.names import hangul


@pytest.mark.parametrize(
    ("word", "mr", "dprk", "rr", "cyrillic"),
    [
        ("영철", "yo'ng-ch'o'l", "yong-chol", "yeong-cheol", "ён-чхоль"),
        ("김", "kim", "kim", "gim", "ким"),
        ("은", "u'n", "un", "eun", "ын"),
        ("정", "cho'ng", "jong", "jeong", "чон"),
        ("최", "ch'oe", "choe", "choe", "чхве"),
        ("경택", "kyo'ng-t'aek", "kyong-thaek", "gyeong-taek", "кён-тхэк"),
        ("자형", "cha-hyo'ng", "ja-hyong", "ja-hyeong", "ча-хён"),
        ("명국", "myo'ng-kuk", "myong-kuk", "myeong-guk", "мён-кук"),
    ],
)
def test_romanizations(word: str, mr: str, dprk: str, rr: str, cyrillic: str) -> None:
    assert hangul.romanize_word(word, "mr") == mr
    assert hangul.romanize_word(word, "dprk") == dprk
    assert hangul.romanize_word(word, "rr") == rr
    assert hangul.romanize_word(word, "cyrillic") == cyrillic


def test_jamo_indices() -> None:
    assert hangul.jamo_indices("가") == (0, 0, 0)
    assert hangul.jamo_indices("힣") == (18, 20, 27)
    with pytest.raises(ValueError):
        hangul.jamo_indices("A")


@pytest.mark.parametrize(
    ("north", "south"),
    [
        ("리", "이"),
        ("량", "양"),
        ("로", "노"),
        ("류", "유"),
        ("룡", "용"),
        ("림", "임"),
        ("련", "연"),
        ("라", "나"),
        ("김", "김"),
    ],
)
def test_north_south_spelling(north: str, south: str) -> None:
    assert hangul.to_south(north) == south
    assert hangul.syllable_key(north) == hangul.syllable_key(south)


def test_keys_fold_spelling_noise_not_syllables() -> None:
    key = hangul.syllable_key
    assert key("정") == key("종")  # ŏ and o: the lists' ASCII form does not tell them apart
    assert key("은") != key("일")
    assert key("철") != key("천")
    assert str(key("철")) == "COL"
