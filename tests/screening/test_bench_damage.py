"""The screening benchmark's damage does what its slices say (bench/screening/damage.py):
a typo is one edit, a shifted date is shifted by exactly that much, a legal form is
changed or dropped and nothing else."""

from __future__ import annotations

import random
from datetime import date

import pytest
from rapidfuzz.distance import Levenshtein

from bench.screening import damage


@pytest.mark.parametrize("seed", range(200))
def test_typo_is_one_edit_and_keeps_first_letters(seed: int) -> None:
    name = "Mohammed Salahaldin Zidane"
    typo = damage.typo(name, random.Random(seed))
    assert typo is not None
    assert Levenshtein.distance(name, typo) == 1 or _is_swap(name, typo)
    assert [t[0] for t in typo.split()] == [t[0] for t in name.split()]


def _is_swap(a: str, b: str) -> bool:
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]


def test_no_typo_in_short_names() -> None:
    assert damage.typo("Ri Jin", random.Random(1)) is None


@pytest.mark.parametrize(
    ("kind", "days"), [("day", {1}), ("month", set(range(28, 32))), ("year", {365, 366})]
)
def test_dates_shift_by_the_kind(kind: str, days: set[int]) -> None:
    for seed in range(20):
        shifted = damage.shift_date("1962-02-18", kind, random.Random(seed))
        assert shifted is not None
        gap = abs((date.fromisoformat(shifted) - date(1962, 2, 18)).days)
        assert gap in days


def test_year_only_dates_take_only_year_damage() -> None:
    assert damage.applicable_dob("1962") == ("exact", "year", "missing")
    assert damage.shift_date("1962", "year", random.Random(0)) in ("1961", "1963")


@pytest.mark.parametrize("seed", range(30))
def test_legal_form_changes_only_the_form(seed: int) -> None:
    changed = damage.legal_form("Korea Ryonbong General Corporation", random.Random(seed))
    assert changed is not None and changed != "Korea Ryonbong General Corporation"
    assert "Korea Ryonbong General" in changed
    assert "Corporation" not in changed


def test_legal_form_added_to_a_company_without_one() -> None:
    changed = damage.legal_form("Hesong Trading", random.Random(3))
    assert changed is not None and changed.replace("Hesong Trading", "").strip(" ,") != ""


def test_no_legal_form_for_what_is_not_a_company() -> None:
    assert damage.legal_form("Munitions Industry Department", random.Random(3)) is None


def test_joined_and_split_given_names() -> None:
    rng = random.Random(0)
    assert damage.join_or_split(["Jong", "Un"], rng) in (["Jong-un"], ["Jongun"])
    assert damage.join_or_split(["Ho-Jin"], rng) in (["Ho Jin"], ["Hojin"])
    assert damage.join_or_split(["Jin"], rng) is None
    assert damage.join_or_split(["Irina", "Igorevna"], rng) is None
    assert damage.join_or_split(["Abd", "Rahman"], rng) in (["Abd-rahman"], ["Abdrahman"])


def test_initials_keep_the_surname_where_it_was() -> None:
    assert damage.initials("Kim", ["Yong", "Chol"], surname_first=True) == "Kim Y. C."
    assert damage.initials("Badege", ["Eric"], surname_first=False) == "E. Badege"
    assert damage.initials("Yun", ["Ho-Jin"], surname_first=True) == "Yun H. J."
    assert damage.initials("Al-Nu'aymi", ["‘Abd"], surname_first=False) == "A. Al-Nu'aymi"


def test_korean_variant_respells_one_syllable() -> None:
    variant = damage.korean_variant(["Kim", "Yong", "Chol"], random.Random(0))
    assert variant is not None
    before, after = ["Kim", "Yong", "Chol"], variant.split()
    assert sum(a != b for a, b in zip(before, after, strict=True)) == 1
