"""Script detection, Russian list-style transliteration, pinyin, Latin forms."""

from __future__ import annotations

import pytest

from hermit.names.chinese import to_pinyin
from hermit.names.forms import latin_forms
from hermit.names.russian import transliterate
from hermit.names.script import CYRILLIC, HAN, HANGUL, LATIN, MIXED, detect_script


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("김영철", HANGUL),
        ("金英哲", HAN),
        ("Ким Чен Ын", CYRILLIC),
        ("KIM YONG CHOL", LATIN),
        ("Kim Yŏng-ch'ŏl", LATIN),
        ("ООО Chkholsan", MIXED),
    ],
)
def test_detect_script(text: str, script: str) -> None:
    assert detect_script(text) == script


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Чхольсан", "Chkholsan"),
        ("Рынрадо", "Rynrado"),
        ("Гудзон", "Gudzon"),
        ("ООО", "OOO"),
        (
            "Общество с ограниченной ответственностью",
            "Obshchestvo s ogranichennoi otvetstvennostyu",
        ),
        ("Щукин", "Shchukin"),
        ("Хабаровск", "Khabarovsk"),
        ("Находка", "Nakhodka"),
    ],
)
def test_russian_as_the_lists_write_it(cyrillic: str, latin: str) -> None:
    assert transliterate(cyrillic)[0] == latin


def test_initial_ye_variant() -> None:
    assert transliterate("Елена") == ["Elena", "Yelena"]


def test_pinyin() -> None:
    assert to_pinyin("李成赫") == "Li Cheng He"  # OFAC lists RI Song Hyok as LI, Cheng He
    assert to_pinyin("丹东") == "Dan Dong"


def test_latin_forms_keep_their_trail() -> None:
    forms = {f.text: f.how for f in latin_forms("李成赫")}
    assert "Li Cheng He" in forms and "pinyin" in forms["Li Cheng He"]
    assert any("read as Korean" in how for how in forms.values())
    hangul = {f.text for f in latin_forms("김영철")}
    assert {"kim yo'ng-ch'o'l", "gim yeong-cheol"} <= hangul
