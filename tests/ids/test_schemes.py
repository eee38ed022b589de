"""Identifier schemes: each checked by its check digit (python-stdnum, rigour) or, with
none, by its format; the verdict and the reason."""

from __future__ import annotations

import csv
import re

import pytest

from hermit.ids.check import check_identifier, compact
from hermit.ids.schemes import get_scheme, load_schemes, scheme_for_property
from tests.conftest import shared_data_dir


@pytest.mark.parametrize(
    ("scheme", "value", "valid"),
    [
        ("inn", "7707083893", True),  # Sberbank's INN, as published
        ("inn", "7707083894", False),  # last digit changed
        ("inn", "500100732259", True),  # a 12-digit personal INN (two check digits)
        ("inn", "500100732258", False),
        ("inn", "770708389", False),  # nine digits
        ("ogrn", "1027700132195", True),  # Sberbank's OGRN
        ("ogrn", "1027700132196", False),
        ("uscc", "91110000802100433B", True),  # a published USCC
        ("uscc", "91110000802100433C", False),
        ("cn_regno", "110108000000016", True),
        ("cn_regno", "110108000000017", False),
        ("lei", "5493001KJTIIGC8Y1R12", True),  # GLEIF's example
        ("lei", "5493001KJTIIGC8Y1R13", False),
        ("uk_company", "00445790", True),  # Tesco PLC
        ("uk_company", "SC123456", True),
        ("uk_company", "XY123456", False),  # no such prefix
        ("uk_company", "1234567", False),  # seven characters
    ],
)
def test_check_digits_and_formats(scheme: str, value: str, valid: bool) -> None:
    found = check_identifier(get_scheme(scheme), value)
    assert found.valid is valid, found
    assert (found.reason is None) is valid
    assert found.strength == ("strong" if valid else "weak")


def test_separators_are_ignored_and_the_raw_value_kept() -> None:
    found = check_identifier(get_scheme("inn"), " 7707-083 893 ")
    assert found.valid and found.value == "7707083893" and found.raw == " 7707-083 893 "
    assert compact("ab.12/3") == "AB123"


def test_passport_formats_per_country() -> None:
    passport = get_scheme("passport")
    assert check_identifier(passport, "E12345678", "cn").valid
    assert not check_identifier(passport, "12345678", "cn").valid
    assert check_identifier(passport, "745310010", "kp").valid
    bad = check_identifier(passport, "7453100", "kp")
    assert not bad.valid and bad.reason == "does not match the format of kp"
    # an unlisted country: the general ICAO document-number format
    assert check_identifier(passport, "AB12345", "fr").valid
    assert not check_identifier(passport, "AB-12345-678", None).valid


def test_imo_company_numbers_of_the_real_ofac_list() -> None:
    """OFAC writes "Company Number IMO nnnnnnn": those numbers pass the company check
    (all but the ones that fail it in the list itself), and a changed digit fails."""
    sdn = shared_data_dir() / "lists" / "ofac_sdn.csv"
    text = sdn.read_text("utf-8", errors="replace")
    numbers = sorted(set(re.findall(r"Company Number IMO (\d{7})", text)))
    assert len(numbers) >= 20
    scheme = get_scheme("imo_company")
    valid = [n for n in numbers if check_identifier(scheme, n).valid]
    assert len(valid) >= 0.9 * len(numbers)
    for number in valid[:10]:
        changed = number[:6] + str((int(number[6]) + 1) % 10)
        assert not check_identifier(scheme, changed).valid


def test_dev_registry_identifiers_pass_and_a_changed_digit_fails() -> None:
    """The dev registry's INN and OGRN carry correct check digits (its README): every one
    of the first 500 companies passes, and each fails with its last digit changed."""
    path = shared_data_dir() / "registry" / "ru_egrul_companies.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [r for _, r in zip(range(500), csv.DictReader(fh, delimiter=";"), strict=False)]
    for column, scheme in (("ИНН", "inn"), ("ОГРН", "ogrn")):
        for row in rows:
            value = row[column]
            assert check_identifier(get_scheme(scheme), value).valid, value
            changed = value[:-1] + str((int(value[-1]) + 1) % 10)
            assert not check_identifier(get_scheme(scheme), changed).valid, changed


def test_schemes_file_names_properties_and_checks() -> None:
    schemes = load_schemes()
    assert {"inn", "ogrn", "uscc", "lei", "imo_company", "uk_company", "passport"} <= set(schemes)
    assert scheme_for_property("innCode") is schemes["inn"]
    assert scheme_for_property("name") is None


def test_unknown_scheme_is_a_clear_error() -> None:
    from hermit.errors import ModelError

    with pytest.raises(ModelError, match="unknown identifier scheme 'vat'"):
        get_scheme("vat")
