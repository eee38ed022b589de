"""Organizations' comparison columns across scripts: the kind words read in each script
(hermit.names.kind_words) leave the same core, and its consonant key, in the Cyrillic,
Chinese and English names of one company (features.org_readings, name_cores,
name_sounds), on which organizations are blocked."""

from __future__ import annotations

import pytest

from hermit.resolve.features import features, org_readings
from hermit.resolve.records import Record


def _row(name: str) -> dict[str, object]:
    return features(Record("r", "Company", "test", "f.csv", 1, {"name": [name]}))


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Торговая корпорация Тангун", "KOREA TANGUN TRADING CORPORATION"),
        ("ООО «Торговый дом Восток»", "Vostok Trading House LLC"),
        ("МЕЖДУНАРОДНЫЙ БАНК «ИЛЬСИМ»", "Ilsim International Bank"),
        ("大连百川船务有限公司", "Dalian Baichuan Shipping Co., Ltd."),
    ],
)
def test_one_company_has_one_core_in_every_script(left: str, right: str) -> None:
    assert set(_row(left)["name_cores"] or ()) & set(_row(right)["name_cores"] or ())


@pytest.mark.parametrize(
    ("left", "right"),
    [  # Kontsevich's Russian writes a Korean final ng as н
        ("КОРЕЙСКАЯ БАНКОВСКАЯ КОРПОРАЦИЯ «КВАНСОН»", "KOREA KWANGSON BANKING CORP"),
        ("СТРОИТЕЛЬНАЯ КОМПАНИЯ «НАМГАН»", "Namgang Construction Company"),
    ],
)
def test_transcriptions_meet_in_the_consonant_key(left: str, right: str) -> None:
    assert not set(_row(left)["name_cores"] or ()) & set(_row(right)["name_cores"] or ())
    assert set(_row(left)["name_sounds"] or ()) & set(_row(right)["name_sounds"] or ())


def test_different_companies_keep_different_cores() -> None:
    assert not set(_row("Vostok Trading")["name_cores"] or ()) & set(
        _row("Zapad Trading")["name_cores"] or ()
    )
    assert _row("Korea Trading Corporation")["name_cores"] is None  # kind words only


def test_a_chinese_names_core_is_its_reading_by_words() -> None:
    readings = org_readings("丹东恒丰矿业有限公司")
    assert readings[0].tokens == ("dandong", "hengfeng", "kuangie")  # as @5 read it
    cored = [r for r in readings if r.core]
    assert [(r.tokens, r.core) for r in cored] == [
        (("dandong", "hengfeng", "mining"), ("dandong", "hengfeng"))
    ]


def test_a_name_transliterated_keeps_its_same_name() -> None:
    # the English database writes a Russian company in transliteration
    assert (
        _row("ООО «Торговый дом Восток»")["name_key"] == _row("OOO TORGOVYI DOM VOSTOK")["name_key"]
    )
