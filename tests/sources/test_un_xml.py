"""The UN consolidated list parser, on the real file and on broken ones."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hermit.errors import SourceError
from hermit.model import Entity
from hermit.sources.snapshot import ListSnapshot
from hermit.sources.un_xml import entity_id, parse_un_xml


@pytest.fixture(scope="module")
def un(shared_lists: Path) -> ListSnapshot:
    return parse_un_xml(shared_lists / "un_consolidated.xml")


@pytest.fixture(scope="module")
def by_id(un: ListSnapshot) -> dict[str, Entity]:
    return {e.id: e for e in un.entities}


def test_counts(un: ListSnapshot) -> None:
    main = [e for e in un.entities if e.schema in ("Person", "Organization")]
    assert Counter(e.schema for e in main) == {"Person": 730, "Organization": 273}
    dprk = [e for e in main if e.get("program") == ["DPRK"]]
    assert Counter(e.schema for e in dprk) == {"Person": 80, "Organization": 75}
    assert all(e.provenance.record_id.startswith("KP") for e in dprk)
    assert sum(1 for e in un.entities if e.schema == "Sanction") == 1003
    assert un.published == datetime(2026, 2, 27, 0, 0, 9, 554000, tzinfo=UTC)


def test_kim_yong_chol(by_id: dict[str, Entity]) -> None:
    kim = by_id["unsc-kpi-024"]
    assert kim.get("name") == ["KIM YONG CHOL"]
    assert kim.get("alias") == ["Kim Yong-Chol", "Kim Young-Chol", "Kim Young-Cheol", "Young-Chul"]
    assert {v.qualifier for v in kim.values if v.prop == "alias"} == {"Good"}
    assert kim.get("birthDate") == ["1962-02-18"]
    assert kim.get("nationality") == ["kp"]
    assert kim.get("passportNumber") == ["472310168"]
    passports = [
        e for e in by_id.values() if e.schema == "Passport" and e.get("holder") == [kim.id]
    ]
    assert [(p.get("number"), p.get("country")) for p in passports] == [(["472310168"], ["kp"])]
    sanction = by_id["unsc-kpi-024-sanction"]
    assert sanction.get("listingDate") == ["2016-03-02"]
    assert sanction.get("unscId") == ["KPi.024"]
    assert kim.get("firstName") == ["KIM"] and kim.get("secondName") == ["YONG CHOL"]


def test_date_shapes(un: ListSnapshot, by_id: dict[str, Entity]) -> None:
    between = by_id["unsc-kpi-066"]  # KIM JONG SIK, born between 1967 and 1969
    assert [(v.value, v.qualifier) for v in between.values if v.prop == "birthDate"] == [
        (str(y), "between 1967 and 1969") for y in (1967, 1968, 1969)
    ]
    approx = [
        v
        for e in un.entities
        for v in e.values
        if v.prop == "birthDate" and v.qualifier == "approximately"
    ]
    # 117 APPROXIMATELY elements in the file; one (LYi.022) has only a note, kept as such
    assert len(approx) == 116
    assert "date of birth: 30-35 years old" in by_id["unsc-lyi-022"].get("notes")


def test_alias_quality(by_id: dict[str, Entity]) -> None:
    choe = by_id["unsc-kpi-064"]
    assert [(v.value, v.qualifier) for v in choe.values if v.prop == "weakAlias"] == [
        ("Choe Sok Min", "Low")
    ]


def test_provenance_points_at_the_record(un: ListSnapshot, shared_lists: Path) -> None:
    lines = (shared_lists / "un_consolidated.xml").read_text(encoding="utf-8").splitlines()
    for entity in un.entities:
        if entity.schema in ("Person", "Organization"):
            assert entity.provenance.line is not None
            assert lines[entity.provenance.line - 1].strip() in ("<INDIVIDUAL>", "<ENTITY>")


def test_ids_are_stable() -> None:
    assert entity_id("KPi.024") == "unsc-kpi-024"
    assert entity_id("KPe.023 ") == "unsc-kpe-023"


def _write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "un.xml"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z">\n'
)


@pytest.mark.parametrize(
    ("text", "problem", "line"),
    [
        (b"", "empty", None),
        (HEAD + "<INDIVIDUALS><INDIVIDUAL><FIRST_NAME>KIM", "not well-formed", 3),
        ('<?xml version="1.0"?>\n<rss/>', "root element is <rss>", 2),
        (
            '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
            "<CONSOLIDATED_LIST>&e;</CONSOLIDATED_LIST>",
            "DOCTYPE",
            None,
        ),
        (
            HEAD + "<INDIVIDUALS>\n<INDIVIDUAL><FIRST_NAME>A</FIRST_NAME></INDIVIDUAL>\n"
            "</INDIVIDUALS></CONSOLIDATED_LIST>",
            "without REFERENCE_NUMBER",
            4,
        ),
        (
            HEAD + "<INDIVIDUALS>\n<INDIVIDUAL><REFERENCE_NUMBER>KPi.1</REFERENCE_NUMBER>"
            "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>18 Feb 62</DATE>"
            "</INDIVIDUAL_DATE_OF_BIRTH></INDIVIDUAL>\n</INDIVIDUALS></CONSOLIDATED_LIST>",
            "DATE: '18 Feb 62' is not a date",
            4,
        ),
        (
            HEAD + "<INDIVIDUALS>\n<INDIVIDUAL><REFERENCE_NUMBER>KPi.1</REFERENCE_NUMBER>"
            "</INDIVIDUAL>\n<INDIVIDUAL><REFERENCE_NUMBER>KPi.1 </REFERENCE_NUMBER></INDIVIDUAL>"
            "\n</INDIVIDUALS></CONSOLIDATED_LIST>",
            "occurs twice",
            5,
        ),
        (HEAD.encode() + b"<INDIVIDUALS>\n<INDIVIDUAL>\xff\xfe</INDIVIDUAL>", "not UTF-8", 4),
    ],
)
def test_bad_files(tmp_path: Path, text: str | bytes, problem: str, line: int | None) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(SourceError, match=problem) as info:
        parse_un_xml(path)
    assert info.value.path == str(path)
    if line is not None:
        assert info.value.line == line
