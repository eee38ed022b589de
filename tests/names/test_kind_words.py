"""Kind words of organization names read in the name's own script (hermit.names.kind_words)."""

from __future__ import annotations

import pytest

from hermit.names.kind_words import kind_words, word_token


def _kinds(name: str) -> list[str]:
    return [w.text for w in kind_words(name) if w.kind]


def _rest(name: str) -> list[str]:
    return [w.text for w in kind_words(name) if not w.kind]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Торговый дом Восток", "Trading House Vostok"),  # rigour's symbols, two scripts
        ("Торговое агентство Восток", "Vostok Trading Agency"),  # торговое: by its endings
        (
            "Корейская генеральная торговая корпорация Рынрадо",
            "Korea Rungrado General Trading Corporation",
        ),
        ("КОРИ РЫНРАДО ГЕНЕРАЛ ТРАДИНГ КОРПОРАШН", "Korea Rungrado General Trading Corporation"),
        ("МЕЖДУНАРОДНЫЙ БАНК ИЛЬСИМ", "Ilsim International Bank"),
        ("朝鲜大成贸易", "Korea Taesong Trading"),
        ("CHOSON TAESONG MUYOK HOESA", "Korea Taesong Trading Company"),  # organizations.yaml
    ],
)
def test_one_companys_kind_words_are_the_same_in_every_script(left: str, right: str) -> None:
    assert sorted(_kinds(left)) == sorted(_kinds(right))
    assert _kinds(left)


def test_the_other_words_stay_as_written() -> None:
    assert _rest("Торговая корпорация Тангун") == ["тангун"]
    assert _rest("ООО Ромашка") == ["ооо", "ромашка"]  # legal forms are hermit.names.legal_forms'


def test_a_chinese_name_is_cut_at_its_kind_words() -> None:
    words = kind_words("大连百川船务")
    assert [(w.text, w.kind) for w in words] == [
        ("大连", False),
        ("百川", False),
        ("shipping", True),
    ]
    assert _kinds("丹东恒丰矿业") == ["mining"]
    assert _kinds("朝鲜檀君贸易公司") == ["korea", "trading", "company"]


def test_a_word_that_is_no_kind_word_has_no_token() -> None:
    assert word_token("ромашка") is None
    assert word_token("восток") is None
    assert word_token("торговая") == word_token("trading") == "trading"
