"""name_tokens: its ASCII path gives exactly what normality gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from normality import normalize
from normality.constants import UNICODE_CATEGORIES

from hermit.screening import text
from hermit.screening.text import ASCII_CATEGORIES, name_tokens


def _normality_tokens(name: str) -> list[str]:
    folded = normalize(text._APOSTROPHES.sub("", name), lowercase=True, latinize=True)
    return [] if folded is None else folded.split()


def test_ascii_categories_are_normalitys() -> None:
    import unicodedata

    seen = {unicodedata.category(chr(i)) for i in range(128)}
    assert {c: UNICODE_CATEGORIES[c] for c in seen if c in UNICODE_CATEGORIES} == ASCII_CATEGORIES


def test_every_ascii_character_alone_and_between_letters() -> None:
    for i in range(128):
        ch = chr(i)
        for sample in (ch, f"Ab{ch}cD", f" {ch}{ch} x", f"KIM{ch}Yong-Chol"):
            assert name_tokens(sample) == _normality_tokens(sample), repr(sample)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_random_ascii_names(name: str) -> None:
    assert name_tokens(name) == _normality_tokens(name)


def test_other_scripts_go_through_normality() -> None:
    for name in ("Ким Чен Ын", "Müller-Lüdenscheidt", "金正恩", "Ch’oe Yo’ng-ch’o’l"):
        assert name_tokens(name) == _normality_tokens(name)
    assert name_tokens("Ch'oe Yo'ng-ch'o'l") == ["choe", "yong", "chol"]
