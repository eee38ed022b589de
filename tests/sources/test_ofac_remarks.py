"""The OFAC remarks mini-language, clause by clause, with known answers."""

from __future__ import annotations

import pytest

from hermit.sources.ofac_remarks import birth_dates, parse_clause, parse_date, parse_remarks


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("18 Jun 1964", "1964-06-18"),
        ("Jun 1964", "1964-06"),
        ("1964", "1964"),
        ("07 Jan 1930.", "1930-01-07"),
        ("31 Feb 1964", None),
        ("circa", None),
    ],
)
def test_parse_date(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected


def test_birth_date_shapes() -> None:
    assert birth_dates("circa 1947") == (("1947",), "circa")
    assert birth_dates("18 Feb 1962") == (("1962-02-18",), "exact")
    assert birth_dates("1960 to 1962") == (("1960", "1961", "1962"), "between 1960 and 1962")
    assert birth_dates("01 Jan 1964 to 31 Dec 1964") == (
        ("1964-01-01", "1964-12-31"),
        "between 1964-01-01 and 1964-12-31",
    )
    assert birth_dates("sometime") is None


@pytest.mark.parametrize(
    ("text", "kind", "value", "prop"),
    [
        ("DOB circa 1947", "birth_date", "1947", "birthDate"),
        (
            "POB Pyongan-Pukto, North Korea",
            "birth_place",
            "Pyongan-Pukto, North Korea",
            "birthPlace",
        ),
        ("nationality Korea, North", "nationality", "Korea, North", "nationality"),
        ("citizen Turkey", "citizenship", "Turkey", "citizenship"),
        ("Gender Male", "gender", "Male", "gender"),
        ("Vessel Registration Identification IMO 7937317.", "ship_imo", "7937317", "imoNumber"),
        ("Vessel Registration Identification 8829725.", "ship_imo", "8829725", "imoNumber"),
        ("Company Number IMO 5607445.", "company_imo", "5607445", "registrationNumber"),
        ("Identification Number IMO 1991835", "company_imo", "1991835", "registrationNumber"),
        ("MMSI 445012000", "mmsi", "445012000", "mmsi"),
        (
            "Linked To: NATIONAL DEFENSE COMMISSION.",
            "linked_to",
            "NATIONAL DEFENSE COMMISSION.",
            None,
        ),
        ("a.k.a. 'KOMID'.", "weak_alias", "KOMID", "weakAlias"),
        (
            "f.k.a. 'KYONGYONG CREDIT BANK'.",
            "previous_name",
            "KYONGYONG CREDIT BANK",
            "previousName",
        ),
        ("SWIFT/BIC KORBKPPY", "identifier", "KORBKPPY", "swiftBic"),
        ("Email Address haejinsm@silibank.net.kp", "email", "haejinsm@silibank.net.kp", "email"),
        ("Aircraft Model IL62-M", "aircraft_model", "IL62-M", "model"),
        ("Aircraft Operator Air Koryo", "aircraft_operator", "Air Koryo", None),
        ("Organization Type: Mining of hard coal.", "sector", "Mining of hard coal", "sector"),
        (
            "Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and "
            "510.210",
            "sanctions",
            None,
            None,
        ),
        ("KOMID official in Syria.", "remark", "KOMID official in Syria", None),
    ],
)
def test_clause_kinds(text: str, kind: str, value: str | None, prop: str | None) -> None:
    clause = parse_clause(text)
    assert clause.kind == kind
    if value is not None:
        assert clause.value == value
    assert clause.prop == prop
    assert clause.text == text


def test_passport_with_country_and_dates() -> None:
    c = parse_clause(
        "alt. Passport 745120026 (Korea, North) issued 07 Mar 2015 expires 07 Mar 2020"
    )
    assert (c.kind, c.value, c.country, c.issued, c.expires, c.alt) == (
        "identifier",
        "745120026",
        "Korea, North",
        "2015-03-07",
        "2020-03-07",
        True,
    )
    assert c.prop == "passportNumber" and c.label == "Passport"


def test_alternative_dob_is_marked() -> None:
    (first, second) = parse_remarks("DOB circa 1947; alt. DOB circa 1946")
    assert (first.qualifier, second.qualifier) == ("circa", "alt. circa")


def test_nothing_is_dropped() -> None:
    remarks = "DOB 07 Aug 1965; nationality Korea, North; TELEX 360230 and 37041 KDP KP."
    clauses = parse_remarks(remarks)
    assert [c.text for c in clauses] == remarks.split("; ")
    assert clauses[-1].kind == "remark"
