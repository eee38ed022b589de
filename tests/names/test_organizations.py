"""Organization names: legal forms and the same words across languages folded."""

from __future__ import annotations

import pytest

from hermit.names.organizations import distinctive, parse_org_name
from hermit.names.russian import transliterate


def _latin(name: str) -> str:
    """Cyrillic as the lists write it in Latin (what the screening compares)."""
    return transliterate(name)[0] if any("\u0400" <= c <= "\u04ff" for c in name) else name


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
    assert parse_org_name("ЗАО Гудзон").legal_forms == ("jsc",)
    assert parse_org_name("OOO CHKHOLSAN").tokens == ("chkholsan",)


@pytest.mark.parametrize(
    ("left", "right", "form"),
    [  # legal forms of rigour's organization-type database, in any language and script
        ("Siemens AG", "SIEMENS AKTIENGESELLSCHAFT", "jsc"),
        ("OAO Gazprom", "Open Joint Stock Company Gazprom", "jsc"),
        ("ОАО Газпром", "PJSC GAZPROM", "jsc"),
        ("ООО Ромашка", "Romashka Limited Liability Company", "llc"),
        ("OOO Romashka", "ROMASHKA LLC", "llc"),
        ("Acme Sp. z o.o.", "ACME SP Z O O", "llc"),
        ("Acme S.A.", "ACME S A", "jsc"),
        ("Acme SRL", "Societatea cu Răspundere Limitată Acme", "llc"),
        ("Acme Co., Ltd", "ACME COMPANY LIMITED", "llc"),
        ("Acme GmbH", "Acme Gesellschaft mit beschränkter Haftung", "llc"),
        ("华为技术有限公司", "华为技术 有限公司", "llc"),
        ("株式会社トヨタ", "トヨタ 株式会社", "jsc"),
        ("ZIDCO HOLDINGS (PVT) LTD", "Zidco Holdings Private Limited", "llc"),
    ],
)
def test_legal_forms_in_every_language(left: str, right: str, form: str) -> None:
    a, b = parse_org_name(_latin(left)), parse_org_name(_latin(right))
    assert a.tokens == b.tokens and a.tokens, (a, b)
    assert form in a.legal_forms and form in b.legal_forms, (a, b)


@pytest.mark.parametrize(
    ("name", "tokens"),
    [  # short forms are legal forms only where a name puts them
        ("AL SAQR AS SAMAWI", ("al", "saqr", "as", "samawi")),  # Arabic article, not AS
        ("SPA HOLDING", ("spa", "holding")),  # S.p.A. comes last
        ("Limited", ("limited",)),  # a name that is only a form stays whole
        ("ABC LIMITED (HONG KONG)", ("abc", "hong", "kong")),
    ],
)
def test_short_forms_only_where_names_put_them(name: str, tokens: tuple[str, ...]) -> None:
    assert parse_org_name(name).tokens == tokens


def test_distinctive_words() -> None:
    assert distinctive(parse_org_name("Korea Daesong General Trading Corp").tokens) == ("daesong",)


def test_rigour_core_flags_are_rigours_defaults() -> None:
    """legal_forms calls rigour's core with Normalize.CASEFOLD and Cleanup.Noop, the
    defaults of rigour.names.org_types.extract_org_types: the same answers."""
    from rigour.names.org_types import extract_org_types
    from rigour.text.normalize import Cleanup, Normalize

    from hermit.names import legal_forms

    assert int(Normalize.CASEFOLD) == legal_forms.CASEFOLD
    assert int(Cleanup.Noop) == legal_forms.CLEANUP_NOOP
    for text in ("korea rungrado general trading corp", "ооо ромашка", "abc co., ltd", "x gmbh"):
        assert legal_forms._org_types(text) == extract_org_types(text, generic=True)
