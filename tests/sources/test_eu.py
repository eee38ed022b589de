"""The EU readers on the real files: the FSF XML extract (7 sanctionEntity records) and
OpenSanctions' transcription of the Regulation 2017/1509 annexes (checked against a
plain csv read)."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from hermit.ids.imo import is_valid_ship_imo
from hermit.model import Entity
from hermit.sources import eu_annex, eu_fsf
from hermit.sources.snapshot import ListSnapshot

FSF = "eu_fsf_sample_2020-04-15.xml"
ANNEX = "eu_dprk_annexes_2017-1509_opensanctions.csv"


@pytest.fixture(scope="module")
def fsf(shared_lists: Path) -> ListSnapshot:
    return eu_fsf.parse_eu_fsf(shared_lists / FSF)


@pytest.fixture(scope="module")
def annex(shared_lists: Path) -> ListSnapshot:
    return eu_annex.parse_eu_annex(shared_lists / ANNEX)


@pytest.fixture(scope="module")
def annex_rows(shared_lists: Path) -> list[dict[str, str]]:
    with (shared_lists / ANNEX).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _by_id(snap: ListSnapshot) -> dict[str, Entity]:
    return {e.id: e for e in snap.entities}


def _qualified(entity: Entity, prop: str) -> list[tuple[str, str | None, str | None]]:
    return [(v.value, v.original, v.qualifier) for v in entity.values if v.prop == prop]


# --- FSF XML ---------------------------------------------------------------------------


def test_fsf_counts(fsf: ListSnapshot, shared_lists: Path) -> None:
    text = (shared_lists / FSF).read_text("utf-8")
    assert text.count("<sanctionEntity ") == 7
    # two records share logicalId 5468 (the extract added a test record): merged, warned
    assert Counter(e.schema for e in fsf.entities if e.schema == "Person") == {"Person": 6}
    assert sum(1 for e in fsf.entities if e.schema == "Sanction") == 6
    assert len(fsf.warnings) == 1 and "logicalId 5468" in fsf.warnings[0]
    prk = [e for e in fsf.entities if e.schema == "Person" and "PRK" in e.get("program")]
    assert sorted(e.id for e in prk) == ["eu-fsf-5463", "eu-fsf-5468"]
    assert fsf.published == datetime(2020, 4, 15, 15, 29, 22, 497000, timezone(timedelta(hours=2)))
    assert (fsf.dataset, fsf.parser) == (eu_fsf.DATASET, eu_fsf.PARSER)


def test_fsf_person_in_full(fsf: ListSnapshot) -> None:
    by_id = _by_id(fsf)
    person = by_id["eu-fsf-927"]
    assert person.provenance.record_id == "927" and person.provenance.line == 119
    assert person.get("name") == ["Mohamed Ben Belkacem Aouadi"]
    assert person.get("firstName") == ["Mohamed"] and person.get("lastName") == ["Aouadi"]
    assert _qualified(person, "nationality") == [("tn", "TUNISIA", None)]
    assert person.get("birthDate") == ["1974-12-11"]
    assert person.get("birthPlace") == ["Tunis, TUNISIA"]
    assert _qualified(person, "passportNumber") == [("L191609", None, "National passport")]
    assert _qualified(person, "idNumber") == [("04643632", None, "National identification card")]
    address = by_id[person.get("addressEntity")[0]]
    assert address.get("street") == ["23 50th Street, Zehrouni"] and address.get("country") == [
        "tn"
    ]
    assert address.get("remarks") == ["Italian Fiscal Code: DAOMMD74T11Z352Z"]
    sanction = by_id["eu-fsf-927-sanction"]
    assert sanction.get("authorityId") == ["EU.3343.85"] and sanction.get("program") == ["TAQA"]
    passports = [
        e for e in fsf.entities if e.schema == "Passport" and e.get("holder") == [person.id]
    ]
    assert [(p.get("number"), p.get("country")) for p in passports] == [(["L191609"], ["tn"])]


def test_fsf_birth_dates_and_dprk(fsf: ListSnapshot) -> None:
    by_id = _by_id(fsf)
    assert _qualified(by_id["eu-fsf-5295"], "birthDate") == [
        ("1965-12-12", None, None),
        ("1958", None, "circa"),
    ]
    han = by_id["eu-fsf-5463"]
    assert han.get("name") == ["Yu-ro Han"]
    assert han.get("position") == ["Director of Korea Ryongaksan General Trading Corporation"]
    sanction = by_id["eu-fsf-5463-sanction"]
    assert sanction.get("listingDate") == ["2009-07-16"]
    assert sanction.get("provisions") == ["repealing 2017/1509 (OJ L224)"]
    assert _qualified(by_id["eu-fsf-191"], "gender") == [("male", "M", None)]


# --- the annexes of Regulation 2017/1509 -------------------------------------------------


def test_annex_counts(annex: ListSnapshot, annex_rows: list[dict[str, str]]) -> None:
    rows = Counter(r["schema"] for r in annex_rows)
    assert rows == {"Person": 157, "LegalEntity": 94, "Vessel": 75}
    found = Counter(
        e.schema for e in annex.entities if e.schema in ("Person", "Organization", "Vessel")
    )
    # one entity per person and entity row; one per ship, however many annexes list it
    ships = {
        r["imoNumber"] if is_valid_ship_imo(r["imoNumber"]) else r["name"]
        for r in annex_rows
        if r["schema"] == "Vessel"
    }
    assert found == {"Person": 157, "Organization": 94, "Vessel": len(ships)} == {
        "Person": 157, "Organization": 94, "Vessel": 61
    }  # fmt: skip
    # one Sanction per listing row (HAO FAN 6 is listed twice in XIV.B, as 2 and 29)
    assert sum(1 for e in annex.entities if e.schema == "Sanction") == len(annex_rows)
    assert (annex.dataset, annex.parser) == (eu_annex.DATASET, eu_annex.PARSER)


def test_annex_the_75_vessel_rows_imos(
    annex: ListSnapshot, annex_rows: list[dict[str, str]]
) -> None:
    listed = [r["imoNumber"] for r in annex_rows if r["schema"] == "Vessel"]
    assert len(listed) == 75
    valid = {i for i in listed if is_valid_ship_imo(i)}
    assert [i for i in listed if i not in valid] == ["Does not exist"]  # MIN NING DE YOU 078
    vessels = [e for e in annex.entities if e.schema == "Vessel"]
    assert {i for e in vessels for i in e.get("imoNumber")} == valid
    assert all(len(e.get("imoNumber")) <= 1 for e in vessels)
    no_imo = [e for e in vessels if not e.get("imoNumber")]
    assert [e.get("name") for e in no_imo] == [["MIN NING DE YOU 078"]]
    assert "IMO number: Does not exist" in no_imo[0].get("notes")


def test_annex_records_in_full(annex: ListSnapshot) -> None:
    by_id = _by_id(annex)
    yun = by_id["eu-dprk-xiii-a-1"]
    assert yun.provenance.line == 2 and yun.provenance.record_id == "XIII.A/1"
    assert yun.get("name") == ["Yun Ho-jin"] and yun.get("alias") == ["Yun Ho-chin"]
    assert _qualified(yun, "birthDate") == [("1944-10-13", "13.10.1944", None)]
    assert _qualified(yun, "nationality") == [("kp", "DPRK", None)]
    assert yun.get("address") == ["Pyongyang, DPRK"]
    sanction = by_id["eu-dprk-xiii-a-1-sanction-xiii-a-1"]
    assert _qualified(sanction, "listingDate") == [("2009-07-16", "16.7.2009", None)]
    assert sanction.get("provisions") == ["Annex XIII.A: Asset freeze"]
    assert sanction.get("program") == ["EU-PRK"]
    ship = by_id["eu-dprk-imo-7303803"]  # AN SAN 1: asset freeze (XIV.A) and port ban (XIV.B)
    assert ship.get("name") == ["AN SAN 1"]
    provisions = sorted(
        p
        for e in annex.entities
        if e.schema == "Sanction" and e.get("entity") == [ship.id]
        for p in e.get("provisions")
    )
    assert provisions == ["Annex XIV.A: Asset freeze", "Annex XIV.B: Transportation restrictions"]
    # several dates of birth, and a range
    assert by_id["eu-dprk-xiii-a-7"].get("birthDate") == ["1968-02-19", "1965", "1966"]
    assert _qualified(by_id["eu-dprk-xiii-a-66"], "birthDate")[0] == (
        "1967",
        "1967-1969.",
        "between 1967 and 1969",
    )


def test_annex_values() -> None:
    assert eu_annex.split_values('927234267; "108120258 (issued; expires)"') == [
        "927234267", "108120258 (issued; expires)"
    ]  # fmt: skip
    assert eu_annex.birth_dates("a) 1964 b) 28.8.1962") == [("1964", None), ("1962-08-28", None)]
    assert eu_annex.birth_dates("31.2.1960") is None
    assert eu_annex.birth_dates("in the 1960s") is None
