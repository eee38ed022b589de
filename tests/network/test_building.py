"""hermit.network.building: one key for one building however the registries write it,
two keys for two houses (graph@2's address key). The addresses are the dev registry's
forms (Russian EGRUL, its upper-case and English-database renderings, Chinese and English
forms of one Chinese address, Korean road-name addresses); bench/address_keys.py measures
the key on all 24,718 labelled address records."""

from __future__ import annotations

import pytest

from hermit.network.building import building_key
from hermit.network.shared import address_key, postcode_house_key

ONE_BUILDING = [
    [
        "195452, г. Санкт-Петербург, ул. Марата, д. 53, пом. 20",
        "195452, g. Saint Petersburg, ul. Marata, d. 53, Office 302, Saint Petersburg, Russia",
        "ul Marata 53, office 20, Saint Petersburg, Russia",  # no postcode
    ],
    [
        "675025, ОБЛАСТЬ АМУРСКАЯ, Г. БЛАГОВЕЩЕНСК, УЛ. ШИМАНОВСКОГО, Д. 53, ПОМ. I",
        "53 Shimanovskogo Street, Blagoveshchensk, 675025, Russia",  # house first, type after
    ],
    [
        "680010, КРАЙ ХАБАРОВСКИЙ, Г. ХАБАРОВСК, УЛ. ИСТОМИНА, Д. 30",
        "Pom. 775, 30 Istomina Street, Khabarovsk, 680010, Russia",  # the office first
    ],
    [
        "115411, Г. МОСКВА, ПР-КТ ЛОМОНОСОВСКИЙ, Д. 7, КВ. 261",
        "pr-t Lomonosovskii 7, Office II, Moscow, 115411, Russia",  # ий as ii, Moscow
    ],
    [
        "123217, г. Москва, пр-кт Ленинский, д. 10",
        "123217 Москва пр-ктЛенинский 10 офис 301",  # no commas, the type word glued on
        "Of. 452, 10 Leninskiy Ave., Moscow, 123217, Russia",
    ],
    [
        "692523, Приморский край, г. Уссурийск, ул. Выгонная, д. 10",
        "г.Уссурийск, Выгонная ул., 10-I",  # type word after the name, room after a dash
        "ul Vygonnaya 10, Ussuriysk, Russia",
    ],
    [
        "620001, Свердловская обл, г. Екатеринбург, ул. 8 Марта, д. 40",
        "40 8 Marta St., Yekaterinburg, Russia",  # a street named with a number
    ],
    [
        "127184, Г. МОСКВА, ПР-КТ КУТУЗОВСКИЙ, Д. 2А/1",
        "pr-t Kutuzovskii 2A/1, of. 501, Moscow, 127184, Russia",  # Cyrillic А, Latin A
    ],
    [
        "吉林省延吉市人民路317号5单元662室",
        "Room 662, Unit 5, No. 317 Renmin Road, Yanji, Yanji, China",
        "吉林省延吉市人民路317号6单元2386室",  # another unit of the building
    ],
    [
        "天津市滨海新区解放北路355号2单元326室",
        "Room 326, Unit 2, No. 355 Jiefang North Road, Binhai New Area, Tianjin, China",
    ],
    [
        "上海市浦东新区南京东路384号",
        "No. 384 East Nanjing Road, Pudong New Area, Shanghai, China",  # direction first
    ],
    [
        "吉林省珲春市新安街338号2单元426室",  # 珲 read hun, not hui
        "Room 2210, Unit 6, No. 338 Xin'an Street, Hunchun, Hunchun, China",
    ],
    [
        "2F, 146 Sejong-daero, Jung-gu, Seoul, South Korea",
        "4F, 146 Sejong-daero, Jung-gu, Seoul, 04519, South Korea",
    ],
    [
        "Gladstonos 50, 3rd floor, Office 386, Limassol, 3040, Cyprus",
        "Gladstonos 50, Limassol, 3040, Cyprus",
    ],
]

TWO_BUILDINGS = [
    # graph@1 joined these: one postcode, one house number, two streets
    (
        "693013, г. Южно-Сахалинск, ул. Пограничная, д. 47",
        "693013, г. Южно-Сахалинск, ул. Курильская, д. 47",
    ),
    # the same street and number, another корпус (another house, the labels say too)
    (
        "692504, Приморский край, г. Уссурийск, ул. Плантационная, д. 8",
        "692526, Приморский край, г. Уссурийск, ул. Плантационная, д. 8, корп. 2",
    ),
    # the same street and number in two towns
    ("ул. Ленина, д. 10, г. Хабаровск", "ул. Ленина, д. 10, г. Иркутск"),
    # one street, neighbouring houses (the dev registry's hard negatives beside a mission)
    (
        "690106, Приморский край, г. Владивосток, ул. Дальзаводская, д. 101",
        "690106, Приморский край, г. Владивосток, ул. Дальзаводская, д. 103",
    ),
    # the same number on two Chinese streets of a town
    ("吉林省珲春市新安街37号", "吉林省珲春市河南街37号"),
]


@pytest.mark.parametrize("forms", ONE_BUILDING, ids=lambda f: f[0][:24])
def test_one_building_one_key(forms: list[str]) -> None:
    keys = {building_key(text) for text in forms}
    assert len(keys) == 1 and None not in keys, keys


@pytest.mark.parametrize("pair", TWO_BUILDINGS, ids=lambda p: p[0][:24])
def test_two_buildings_two_keys(pair: tuple[str, str]) -> None:
    first, second = map(building_key, pair)
    assert first is not None and second is not None and first != second


def test_graph_1_joined_the_two_streets() -> None:
    pogranichnaya, kurilskaya = TWO_BUILDINGS[0]
    assert postcode_house_key(pogranichnaya) == postcode_house_key(kurilskaya) == "693013 47"
    assert address_key(pogranichnaya) != address_key(kurilskaya)


def test_the_key_reads_town_street_and_house() -> None:
    assert building_key("195452, г. Санкт-Петербург, ул. Марата, д. 53") == (
        "sanktpatarbarg|marata|53"
    )
    assert building_key("ул. 50 лет Октября, д. 17, г. Благовещенск") == (
        "blagavasansk|50 lataktabra|17"
    )
    assert building_key("ул. Садовая, д. 5, корп. 2, г. Москва") == "maskva|sadava|5 k2"


def test_what_names_no_building_has_no_building_key() -> None:
    assert building_key("Vladivostok, Russia") is None  # a town
    assert building_key("ул. Марата, г. Санкт-Петербург") is None  # no house number
    assert building_key("д. 53") is None  # no street
    # ... and the shared key falls back to graph@1's for what it cannot read
    hk = "Unit 3, Harbour Centre, Hong Kong"  # a building's name, no street
    assert building_key(hk) is None and address_key(hk) == postcode_house_key(hk) is not None
    assert address_key("Vladivostok, Russia") is None
