"""The OFAC SDN CSV set parser, on the real files and on broken ones."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from hermit.errors import SourceError
from hermit.ids.imo import is_valid_ship_imo
from hermit.model import Entity
from hermit.sources.ofac_csv import find_companion_files, parse_ofac_csv
from hermit.sources.snapshot import ListSnapshot

MAIN = ("Person", "Organization", "Vessel", "Airplane")


@pytest.fixture(scope="module")
def ofac(shared_lists: Path) -> ListSnapshot:
    sdn = shared_lists / "ofac_sdn.csv"
    return parse_ofac_csv(sdn, **find_companion_files(sdn))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def by_id(ofac: ListSnapshot) -> dict[str, Entity]:
    return {e.id: e for e in ofac.entities}


def _dprk(entities: list[Entity]) -> list[Entity]:
    return [
        e
        for e in entities
        if e.schema in MAIN and any(p.startswith("DPRK") for p in e.get("program"))
    ]


def test_companions_found(shared_lists: Path) -> None:
    found = find_companion_files(shared_lists / "ofac_sdn.csv")
    assert {k: p.name for k, p in found.items()} == {
        "alt": "ofac_alt.csv",
        "add": "ofac_add.csv",
        "comments": "ofac_sdn_comments.csv",
    }
    assert find_companion_files(shared_lists / "ofac_sdn_2024-05-02.csv") == {}


def test_counts(ofac: ListSnapshot) -> None:
    main = [e for e in ofac.entities if e.schema in MAIN]
    assert len(main) == 8976
    dprk = _dprk(ofac.entities)
    assert len(dprk) == 414
    assert Counter(e.schema for e in dprk) == {
        "Organization": 162,
        "Person": 130,
        "Vessel": 106,
        "Airplane": 16,
    }
    # every alt.csv row is kept (11,910 rows, 11,908 distinct entry/name pairs)
    from_alt = [v for e in main for v in e.values if v.qualifier in ("aka", "fka", "nka")]
    assert len(from_alt) == 11908


def test_every_dprk_vessel_has_a_valid_imo(ofac: ListSnapshot) -> None:
    vessels = [e for e in _dprk(ofac.entities) if e.schema == "Vessel"]
    assert len(vessels) == 106
    for vessel in vessels:
        assert vessel.get("imoNumber"), vessel.id
        assert all(is_valid_ship_imo(imo) for imo in vessel.get("imoNumber")), vessel.id


def test_linked_to_of_dprk_entries_resolve(ofac: ListSnapshot, by_id: dict[str, Entity]) -> None:
    dprk = {e.id for e in _dprk(ofac.entities)}
    links = [e for e in ofac.entities if e.schema == "UnknownLink" and e.first("subject") in dprk]
    assert len(links) == 132
    assert len({e.first("subject") for e in links}) == 121
    for link in links:
        assert link.first("object") in by_id
    unresolved = [
        v
        for e in ofac.entities
        if e.id in dprk
        for v in e.values
        if v.qualifier == "ofac:unresolved-link"
    ]
    assert unresolved == []


def test_rungrado(by_id: dict[str, Entity]) -> None:
    e = by_id["ofac-19613"]
    assert e.schema == "Organization"
    assert e.get("name") == ["KOREA RUNGRADO GENERAL TRADING CORPORATION"]
    assert e.get("alias") == [
        "RUNGRADO TRADE COMPANY",
        "RYNRADO GENERAL TRADING CORPORATION",
        "RYNRADO",
    ]
    assert e.get("country") == ["kp", "ru"]
    assert e.get("program") == ["DPRK3"]
    assert by_id["ofac-19613-addr-45340"].get("country") == ["ru"]
    assert e.provenance.record_id == "19613" and e.provenance.line == 4803


def test_kim_yong_chol_circa(by_id: dict[str, Entity]) -> None:
    e = by_id["ofac-12211"]
    assert [(v.value, v.qualifier) for v in e.values if v.prop == "birthDate"] == [
        ("1947", "circa"),
        ("1946", "alt. circa"),
    ]
    assert e.get("lastName") == ["KIM"] and e.get("firstName") == ["Yong Chol"]
    assert "KIM, Young-Cheol" in e.get("alias")


def test_vessel_with_owner(by_id: dict[str, Entity]) -> None:
    ship = by_id["ofac-19570"]  # EVER BRIGHT 88, Sierra Leone flag
    assert ship.get("imoNumber") == ["8914934"] and ship.get("flag") == ["sl"]
    link = by_id["ofac-19570-link-17068"]
    assert link.get("subject") == ["ofac-19570"] and link.get("role") == ["Linked To"]
    assert by_id["ofac-17068"].get("name") == ["OCEAN MARITIME MANAGEMENT COMPANY LIMITED"]


def test_person_with_passport(by_id: dict[str, Entity]) -> None:
    paek = by_id["ofac-15667"]
    assert paek.get("passportNumber") == ["381420754"]
    (doc,) = [e for e in by_id.values() if e.schema == "Passport" and e.get("holder") == [paek.id]]
    assert doc.get("startDate") == ["2011-12-07"] and doc.get("endDate") == ["2016-12-07"]


def test_company_imo_is_not_a_ship_imo(ofac: ListSnapshot) -> None:
    company = [
        e
        for e in ofac.entities
        if e.schema == "Organization" and any(v.qualifier == "imo-company-number" for v in e.values)
    ]
    assert len(company) >= 40
    assert all(not e.get("imoNumber") for e in company)


def test_comments_continue_remarks(by_id: dict[str, Entity]) -> None:
    # 28263's remarks break inside "a.k.a. 'snowsjo" and continue in sdn_comments.csv
    assert "snowsjohn" in by_id["ofac-28263"].get("weakAlias")


def test_later_sdn_file_alone(shared_lists: Path) -> None:
    snap = parse_ofac_csv(shared_lists / "ofac_sdn_2024-05-02.csv")
    main = [e for e in snap.entities if e.schema in MAIN]
    assert len(main) == 14973
    assert len(_dprk(snap.entities)) == 484


def _sdn(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "sdn.csv"
    path.write_bytes(data)
    return path


END = b"\x1a\r\n"
GOOD = b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'


@pytest.mark.parametrize(
    ("data", "problem", "line"),
    [
        (b"", "empty", None),
        (b"\x1a\r\n", "empty", None),
        (GOOD + b'37,"X","individual"\r\n', "expected 12 columns", 2),
        (b'19613,30812,"aka","RUNGRADO TRADE COMPANY",-0- \r\n', "looks like alt.csv", 1),
        (GOOD + b'x1,"X",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n', "not a number", 2),
        (GOOD + GOOD, "occurs twice", 2),
        (GOOD.replace(b'-0- ,"CUBA"', b'"ship","CUBA"'), "unknown SDN type", 1),
        (GOOD + GOOD.replace(b"36", b"37").replace(b"AERO", b"A\xe9RO"), "not ASCII", 2),
        (GOOD + b'38,"UNCLOSED,-0- \r\n', "malformed CSV", 3),  # the quote runs to the end
    ],
)
def test_bad_files(tmp_path: Path, data: bytes, problem: str, line: int | None) -> None:
    path = _sdn(tmp_path, data + END if data.strip(b"\x1a\r\n") else data)
    with pytest.raises(SourceError, match=problem) as info:
        parse_ofac_csv(path)
    assert info.value.path == str(path)
    if line is not None:
        assert info.value.line == line


def test_orphan_alias_is_a_warning_not_silent(tmp_path: Path) -> None:
    sdn = _sdn(tmp_path, GOOD + END)
    alt = tmp_path / "alt.csv"
    alt.write_bytes(b'36,1,"aka","CUBANA",-0- \r\n99,2,"aka","NOBODY",-0- \r\n\x1a\r\n')
    snap = parse_ofac_csv(sdn, alt=alt)
    assert snap.entities[0].get("alias") == ["CUBANA"]
    assert snap.warnings == [f"{alt}, line 2: alias of unknown ent_num 99"]


@pytest.mark.parametrize(
    ("data", "rows"),
    [(GOOD, 1), (GOOD + END + GOOD.replace(b"36", b"37"), 2)],  # no mark; a mark mid-file
)
def test_no_end_mark_looks_truncated(tmp_path: Path, data: bytes, rows: int) -> None:
    path = _sdn(tmp_path, data)
    with pytest.raises(SourceError, match=f"looks truncated: {rows} rows read, no end mark"):
        parse_ofac_csv(path)
    assert len(parse_ofac_csv(path, end_mark=False).entities) == 2 * rows  # with Sanctions


def test_end_mark_without_a_final_newline(tmp_path: Path) -> None:
    """The real files end ``\\r\\n\\x1a`` with no newline after the mark."""
    assert parse_ofac_csv(_sdn(tmp_path, GOOD + b"\x1a")).entities
