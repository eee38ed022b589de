"""Organization names: legal forms and the same words across languages folded."""

from __future__ import annotations

import pytest

from hermit.names.organizations import distinctive, parse_org_name


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("TONGBANG U'NHAENG", "Tongbang Bank"),
        ("CHOSON KWANGSON UNHAENG", "Korea Kwangson Bank"),
        ("KOREA RUNGRADO GENERAL TRADING CORPORATION", "Choson Rungrado Chonghap Muyok Corp"),
        ("OOO CHKHOLSAN", "Chkholsan LLC"),
        ("Obshchestvo s Ogranichennoi Otvetstvennostyu Chkholsan", "CHKHOLSAN LTD"),
        ("KOREA RUNGRADO GENRAL TRADING CORPORATON", "KOREA RUNGRADO GENERAL TRADING CORP"),
    ],
)
def test_same_name_after_folding(left: str, right: str) -> None:
    assert parse_org_name(left).tokens == parse_org_name(right).tokens


def test_legal_forms_set_aside() -> None:
    assert parse_org_name("Acme Shipping Co., Ltd.").legal_forms == ("llc",)
    assert parse_org_name("ЗАО Гудзон").legal_forms == ("cjsc",)
    assert parse_org_name("OOO CHKHOLSAN").tokens == ("chkholsan",)


def test_distinctive_words() -> None:
    assert distinctive(parse_org_name("Korea Daesong General Trading Corp").tokens) == ("daesong",)
