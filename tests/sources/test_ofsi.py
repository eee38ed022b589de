"""The OFSI Consolidated List reader on the three real versions (2018 and 2020 CSV, 2025
xlsx), checked against an independent plain csv / openpyxl read of the same files."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from hermit.ids.imo import is_valid_ship_imo
from hermit.model import Entity
from hermit.sources.ofsi import DATASET, PARSER, entity_id, parse_ofsi
from hermit.sources.ofsi.values import birth_date, document_number, items, other_information
from hermit.sources.snapshot import ListSnapshot

MAIN = ("Person", "Organization", "Vessel")
SCHEMA = {"Individual": "Person", "Entity": "Organization", "Ship": "Vessel"}
FILES = {
    "2018": "uk_ofsi_conlist_2018-11-29.csv",
    "2020": "uk_ofsi_conlist_2020-04-27.csv",
    "2025": "uk_ofsi_conlist_2025-04-14.xlsx",
}


def _plain_rows(path: Path) -> list[dict[str, str]]:
    """The data rows as dicts, read without hermit: csv + cp1252, or openpyxl."""
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        rows = [
            [c if c is not None else "" for c in r]
            for r in book.worksheets[0].iter_rows(values_only=True)
        ]
        book.close()
    else:
        rows = list(csv.reader(io.StringIO(path.read_bytes().decode("cp1252"), newline="")))
    header = [str(h) for h in rows[1]]
    return [dict(zip(header, (str(c) for c in r), strict=False)) for r in rows[2:]]


@pytest.fixture(scope="module")
def parsed(shared_lists: Path) -> dict[str, ListSnapshot]:
    return {year: parse_ofsi(shared_lists / name) for year, name in FILES.items()}


@pytest.fixture(scope="module")
def plain(shared_lists: Path) -> dict[str, list[dict[str, str]]]:
    return {year: _plain_rows(shared_lists / name) for year, name in FILES.items()}


def _by_id(snap: ListSnapshot) -> dict[str, Entity]:
    return {e.id: e for e in snap.entities}


def _qualified(entity: Entity, prop: str) -> list[tuple[str, str | None, str | None]]:
    return [(v.value, v.original, v.qualifier) for v in entity.values if v.prop == prop]


@pytest.mark.parametrize("year", list(FILES))
def test_one_entity_per_group_id(
    year: str, parsed: dict[str, ListSnapshot], plain: dict[str, list[dict[str, str]]]
) -> None:
    groups = {r["Group ID"]: SCHEMA[r["Group Type"]] for r in plain[year]}
    snap = parsed[year]
    main = [e for e in snap.entities if e.schema in MAIN]
    assert Counter(e.schema for e in main) == Counter(groups.values())
    assert {e.provenance.record_id for e in main} == set(groups)
    assert sum(1 for e in snap.entities if e.schema == "Sanction") == len(groups)
    assert all(e.id == entity_id(e.provenance.record_id) for e in main)
    assert (snap.dataset, snap.parser) == (DATASET, PARSER)


def test_known_counts(parsed: dict[str, ListSnapshot]) -> None:
    # the figures of ../shared/data/README.md: 2,137, 2,114 and 4,688 groups
    counts = {
        y: Counter(e.schema for e in s.entities if e.schema in MAIN) for y, s in parsed.items()
    }
    assert counts["2018"] == {"Person": 1468, "Organization": 669}
    assert counts["2020"] == {"Person": 1523, "Organization": 591}
    assert counts["2025"] == {"Person": 3663, "Organization": 1010, "Vessel": 15}


@pytest.mark.parametrize("year", list(FILES))
def test_dprk_groups(
    year: str, parsed: dict[str, ListSnapshot], plain: dict[str, list[dict[str, str]]]
) -> None:
    expected = {r["Group ID"] for r in plain[year] if "Korea" in r["Regime"]}
    found = {
        e.provenance.record_id
        for e in parsed[year].entities
        if e.schema in MAIN and any("Korea" in p for p in e.get("program"))
    }
    assert found == expected
    assert len(expected) == {"2018": 250, "2020": 248, "2025": 239}[year]


def test_published_from_the_last_updated_line(parsed: dict[str, ListSnapshot]) -> None:
    assert parsed["2018"].published == datetime(2018, 11, 29, tzinfo=UTC)
    assert parsed["2020"].published == datetime(2020, 4, 27, tzinfo=UTC)
    assert parsed["2025"].published == datetime(2025, 4, 14, tzinfo=UTC)


def test_the_fifteen_uk_ships_by_imo(
    parsed: dict[str, ListSnapshot], plain: dict[str, list[dict[str, str]]]
) -> None:
    expected: dict[str, set[str]] = {}
    for row in plain["2025"]:
        if row["Group Type"] == "Ship":
            found = re.search(r"\(IMO number\):(\d{7})", row["Other Information"])
            assert found is not None
            expected.setdefault(row["Group ID"], set()).add(found.group(1))
    vessels = [e for e in parsed["2025"].entities if e.schema == "Vessel"]
    assert len(vessels) == len(expected) == 15
    for vessel in vessels:
        assert set(vessel.get("imoNumber")) == expected[vessel.provenance.record_id]
        assert all(is_valid_ship_imo(i) for i in vessel.get("imoNumber"))
        assert vessel.get("program") == ["Democratic People's Republic of Korea"]
    assert sorted(i for e in vessels for i in e.get("imoNumber")) == sorted(
        i for ids in expected.values() for i in ids
    )


def test_a_ship_in_full(parsed: dict[str, ListSnapshot]) -> None:
    by_id = _by_id(parsed["2025"])
    ship = by_id["ofsi-13648"]
    assert ship.schema == "Vessel" and ship.provenance.line == 1739  # its first row
    assert ship.get("name") == ["AN SAN 1"]
    assert sorted(ship.get("alias")) == [
        "ALCHIMIST MARATHON", "ALCHIMIST ROTTERDAM", "ANSAN-1", "BESTE S",
        "CHIMISTE NANTES", "EFES", "ERMAK", "TIGER CUB",
    ]  # fmt: skip
    assert ship.get("imoNumber") == ["7303803"]
    assert _qualified(ship, "flag") == [("kp", "North Korea", None)]
    assert ship.get("pastFlags") == ["ru"] and ship.get("type") == ["Chemical Carrier"]
    assert ship.get("tonnage") == ["1757"] and ship.get("buildDate") == ["1973"]
    sanction = by_id["ofsi-13648-sanction"]
    assert sanction.get("authorityId") == ["DPR0097"]
    assert sanction.get("listingDate") == ["2018-04-03"]
    assert sanction.get("startDate") == ["2018-03-30"]


def test_kim_yong_chol_in_full(parsed: dict[str, ListSnapshot]) -> None:
    by_id = _by_id(parsed["2025"])
    kim = by_id["ofsi-12439"]
    assert kim.schema == "Person" and kim.provenance.record_id == "12439"
    assert _qualified(kim, "name") == [("Yong Chol KIM", None, "Primary name")]
    assert sorted(kim.get("alias")) == [
        "Yong-Chol KIM", "Young-Cheol KIM", "Young-Chol KIM", "Young-Chul KIM"
    ]  # fmt: skip
    assert {q for _, _, q in _qualified(kim, "alias")} == {"Primary name variation"}
    assert kim.get("birthDate") == ["1946"]
    assert _qualified(kim, "nationality") == [("kp", "North Korea", None)]
    assert kim.get("title") == ["Lieutenant General"]
    assert _qualified(kim, "gender") == [("male", "Male", None)]
    assert kim.get("birthPlace") == ["Pyongan-Pukto, North Korea"]
    sanction = by_id["ofsi-12439-sanction"]
    assert sanction.get("authorityId") == ["DPR0044"]
    assert _qualified(sanction, "listingDate") == [("2011-12-21", "21/12/2011", None)]
    assert sanction.get("modifiedAt") == ["2022-03-04"]
    assert sanction.get("program") == ["Democratic People's Republic of Korea"]
    notes = kim.get("notes")
    assert len(notes) == 1 and notes[0].startswith("(UK Sanctions List Ref):DPR0044.")


def test_the_2018_format_in_full(parsed: dict[str, ListSnapshot]) -> None:
    by_id = _by_id(parsed["2018"])
    person = by_id["ofsi-13349"]
    assert person.provenance.line == 3  # after "Last Updated" and the header
    assert person.get("name") == ["Nayef Salam Muhammad Ujaym AL-HABABI"]
    assert "Sheikh Farooq AL-QAHTANI" in person.get("alias")
    # OFSI writes 00 for an unknown day and month; the text is kept beside the value
    assert _qualified(person, "birthDate") == [
        ("1981", "00/00/1981", None),
        ("1980", "00/00/1980", None),
    ]
    assert person.get("nationality") == ["sa", "qa"]  # "1) Saudi Arabia 2) Qatar"
    assert _qualified(person, "passportNumber") == [
        ("592667", "Passport No: 592667 (Qatari passport issued on 3 May 2007)", None)
    ]
    assert by_id["ofsi-13349-sanction"].get("unscId") == ["QDe.004"]
    # latin-1 / cp1252 read right: the 2018 file's 0x92 is a right quotation mark
    texts = [v.value for e in parsed["2018"].entities for v in e.values]
    assert any("’" in t for t in texts) and not any("\x92" in t for t in texts)


def test_ids_stable_across_versions_and_formats(
    parsed: dict[str, ListSnapshot], plain: dict[str, list[dict[str, str]]]
) -> None:
    ids = {y: {e.id for e in s.entities if e.schema in MAIN} for y, s in parsed.items()}
    groups = {y: {entity_id(r["Group ID"]) for r in rows} for y, rows in plain.items()}
    assert ids == groups
    assert len(ids["2018"] & ids["2020"]) == 2006
    assert len(ids["2020"] & ids["2025"]) == 1757
    assert "ofsi-12439" in ids["2018"] & ids["2020"] & ids["2025"]


def test_nothing_silently_dropped(parsed: dict[str, ListSnapshot]) -> None:
    # values FtM cannot clean are kept in notes, marked unparsed (countries written as
    # "Afghanistan (since 2009)", phone numbers without a country code ...)
    for snap in parsed.values():
        unparsed = Counter(
            v.qualifier
            for e in snap.entities
            for v in e.values
            if (v.qualifier or "").startswith("unparsed:")
        )
        assert set(unparsed) <= {
            "unparsed:country", "unparsed:nationality", "unparsed:birthCountry",
            "unparsed:phone", "unparsed:email", "unparsed:website", "unparsed:pastFlags",
        }  # fmt: skip
    warnings = parsed["2025"].warnings
    assert len(warnings) == 2 and all("no primary name" in w for w in warnings)


def test_values() -> None:
    assert items("(1) Uganda (2) Uganda (3)Uganda") == ["Uganda"]
    assert items("(1-3) Libya (4) Morocco") == ["Libya", "Morocco"]
    assert items("a) Syrian Arab Republic b) State of Palestine") == [
        "Syrian Arab Republic", "State of Palestine"
    ]  # fmt: skip
    assert items("Former USSR (now Belarus)") == ["Former USSR (now Belarus)"]
    assert birth_date("17/08/1958") == "1958-08-17"
    assert birth_date("00/00/1981") == birth_date("1981") == "1981"
    assert birth_date("00/05/1981") == birth_date("05/1981") == "1981-05"
    assert birth_date("31/02/1981") is None and birth_date("circa 1960") is None
    assert document_number("Passport No. 836210029") == "836210029"
    assert document_number("D 000974 (Afghan)") == "D 000974"
    assert document_number("issued on 03/07/1996") is None
    assert document_number("(Eqypt). Issued 1993") is None
    info = other_information(
        "(UK Sanctions List Ref):DPR0100. Pursuant to ... (IMO number):7408873 "
        "(Flag of ship):North Korea"
    )
    assert info.get("UK Sanctions List Ref") == ["DPR0100"]
    assert info.get("IMO number") == ["7408873"] and info.get("Flag of ship") == ["North Korea"]
    assert info.free == "Pursuant to ..."
    assert other_information("UN Ref QDe.004. Emir ...").un_refs == ["QDe.004"]
