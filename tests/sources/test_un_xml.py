"""The UN consolidated list parser, on the real file and on broken or hostile ones."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hermit.errors import SourceError
from hermit.model import Entity
from hermit.sources.snapshot import ListSnapshot
from hermit.sources.un_xml import DATASET, PARSER, entity_id, parse_un_xml, reader

MAIN = ("Person", "Organization")


@pytest.fixture(scope="module")
def un_path(shared_lists: Path) -> Path:
    return shared_lists / "un_consolidated.xml"


@pytest.fixture(scope="module")
def un(un_path: Path) -> ListSnapshot:
    return parse_un_xml(un_path)


@pytest.fixture(scope="module")
def by_id(un: ListSnapshot) -> dict[str, Entity]:
    return {e.id: e for e in un.entities}


def _qualified(entity: Entity, prop: str) -> list[tuple[str, str | None]]:
    return [(v.value, v.qualifier) for v in entity.values if v.prop == prop]


def _related(un: ListSnapshot, schema: str, holder: str) -> list[Entity]:
    return [e for e in un.entities if e.schema == schema and e.id.startswith(f"{holder}-")]


# --- the real file ------------------------------------------------------------------


def test_counts_and_version(un: ListSnapshot) -> None:
    main = [e for e in un.entities if e.schema in MAIN]
    assert Counter(e.schema for e in main) == {"Person": 730, "Organization": 273}
    dprk = [
        e for e in main if e.get("program") == ["DPRK"] or e.provenance.record_id.startswith("KP")
    ]
    assert Counter(e.schema for e in dprk) == {"Person": 80, "Organization": 75}
    assert all(e.get("program") == ["DPRK"] for e in dprk)
    assert all(e.provenance.record_id.startswith("KP") for e in dprk)
    assert sum(1 for e in un.entities if e.schema == "Sanction") == 1003
    assert un.published == datetime(2026, 2, 27, 0, 0, 9, 554000, tzinfo=UTC)
    assert un.published.tzinfo is not None
    assert (un.dataset, un.parser) == (DATASET, PARSER)
    assert len(un.files) == 1 and len(un.files[0].sha256) == 64


def test_ids_are_unique_and_nothing_unparsed(un: ListSnapshot) -> None:
    ids = Counter(e.id for e in un.entities)
    assert [i for i, n in ids.items() if n > 1] == []
    unparsed = [
        (e.id, v.value)
        for e in un.entities
        for v in e.values
        if (v.qualifier or "").startswith("unparsed:")
    ]
    assert unparsed == []


def test_only_known_oddities_warned(un: ListSnapshot) -> None:
    # SDi.001's nationality is "na" (not available); FtM alone would make it Namibia
    assert len(un.warnings) == 1
    assert "line 31267" in un.warnings[0] and "'na'" in un.warnings[0]


def test_kim_yong_chol(un: ListSnapshot, by_id: dict[str, Entity]) -> None:
    kim = by_id["unsc-kpi-024"]
    assert kim.schema == "Person" and kim.provenance.record_id == "KPi.024"
    assert kim.get("name") == ["KIM YONG CHOL"]
    assert _qualified(kim, "firstName") == [("KIM", "un:FIRST_NAME")]
    assert _qualified(kim, "secondName") == [("YONG CHOL", "un:SECOND_NAME")]
    assert _qualified(kim, "alias") == [
        ("Kim Yong-Chol", "Good"),
        ("Kim Young-Chol", "Good"),
        ("Kim Young-Cheol", "Good"),
        ("Young-Chul", "Good"),
    ]
    assert _qualified(kim, "birthDate") == [("1962-02-18", "exact")]
    assert kim.get("nationality") == ["kp"]
    assert kim.get("passportNumber") == ["472310168"]
    passports = _related(un, "Passport", kim.id)
    assert [(p.get("number"), p.get("country"), p.get("holder")) for p in passports] == [
        (["472310168"], ["kp"], [kim.id])
    ]
    sanction = by_id["unsc-kpi-024-sanction"]
    assert sanction.get("entity") == [kim.id]
    assert sanction.get("listingDate") == ["2016-03-02"]
    assert sanction.get("unscId") == ["KPi.024"]
    assert sanction.get("program") == ["DPRK"]
    assert sanction.get("authority") == ["United Nations Security Council"]
    assert sanction.get("modifiedAt") == ["2017-06-01", "2022-07-26"]
    assert sanction.get("recordId") == ["6908511"]


def test_approximately(un: ListSnapshot, by_id: dict[str, Entity]) -> None:
    # CDi.014: EXACT 1962-03-17 and APPROXIMATELY 1966
    assert _qualified(by_id["unsc-cdi-014"], "birthDate") == [
        ("1962-03-17", "exact"),
        ("1966", "approximately"),
    ]
    approx = [v for e in un.entities for v in e.values if v.qualifier == "approximately"]
    # 117 APPROXIMATELY elements: 116 with a YEAR, one (LYi.022) with only a note
    assert len(approx) == 116
    assert "date of birth: 30-35 years old" in by_id["unsc-lyi-022"].get("notes")
    assert by_id["unsc-lyi-022"].get("birthDate") == []


def test_between(by_id: dict[str, Entity]) -> None:
    kim_jong_sik = by_id["unsc-kpi-066"]  # born between 1967 and 1969
    assert _qualified(kim_jong_sik, "birthDate") == [
        (str(y), "between 1967 and 1969") for y in (1967, 1968, 1969)
    ]
    two_ranges = by_id["unsc-tai-002"]  # two BETWEEN elements, each noted "Approximately"
    assert two_ranges.get("birthDate") == [str(y) for y in [*range(1955, 1959), *range(1945, 1951)]]
    assert "date of birth: Approximately" in two_ranges.get("notes")


def test_dates_given_in_notes(by_id: dict[str, Entity]) -> None:
    assert ("1973-11", "exact") in _qualified(by_id["unsc-cdi-004"], "birthDate")  # "Nov. 1973"
    assert [d for d, _ in _qualified(by_id["unsc-cfi-009"], "birthDate") if len(d) == 7] == [
        "1961-08",
        "1961-07",
        "1963-04",
    ]
    assert ("1958-09", "exact") in _qualified(by_id["unsc-qdi-395"], "birthDate")  # YEAR + "Sep."
    assert _qualified(by_id["unsc-qdi-306"], "birthDate")[:2] == [
        ("1977-08", "between 1977-08 and 1977-09"),
        ("1977-09", "between 1977-08 and 1977-09"),
    ]
    hijri = by_id["unsc-qdi-291"]  # "24/06/1402 (Hijri Calendar)": kept as a note only
    assert "date of birth: 24/06/1402 (Hijri Calendar)" in hijri.get("notes")
    assert hijri.get("birthDate") == ["1982-04-19", "1982-04-18"]


def test_alias_dates_of_birth(by_id: dict[str, Entity]) -> None:
    birth = [
        (d, q)
        for e in by_id.values()
        for d, q in _qualified(e, "birthDate")
        if (q or "").startswith("with alias ")
    ]
    assert birth and all(len(d) in (4, 10) for d, _ in birth)


def test_alias_qualities(by_id: dict[str, Entity]) -> None:
    assert _qualified(by_id["unsc-kpi-064"], "weakAlias") == [("Choe Sok Min", "Low")]
    assert ("CHANGGWANG CREDIT BANK", "f.k.a.") in _qualified(by_id["unsc-kpe-003"], "previousName")
    assert all(q == "a.k.a." for _, q in _qualified(by_id["unsc-kpe-003"], "alias"))


def test_several_names_in_one_alias(by_id: dict[str, Entity]) -> None:
    sabet = [v for v in by_id["unsc-iri-034"].values if v.prop == "alias"]
    assert [v.value for v in sabet] == [
        "Mohammed Sabet",
        "Mohammad Sabet",
        "M. Javad Kareemi Sabet",
        "M. Jawad Kareemi Sabet",
        "M. Jawad Karimi Sabet",
    ]
    assert all(v.original and v.original.startswith("Mohammed Sabet; ") for v in sabet)
    ghul = _qualified(by_id["unsc-qdi-306"], "alias")  # "حسن غول (Hassan Ghul; ...)"
    assert ghul[0][1] == "original-script"
    assert [name for name, _ in ghul[1:5]] == ["حسن غول", "Hassan Ghul", "Hassan Gul", "Hasan Gul"]
    # a name with brackets but no list is kept as written
    assert "Hilarion Santos, III (third)" in by_id["unsc-qdi-244"].get("alias")


def test_document_numbers(un: ListSnapshot, by_id: dict[str, Entity]) -> None:
    ri = by_id["unsc-kpi-021"]  # "381110042 (Expired 25 Jan. 2016)" in NUMBER
    assert ri.get("passportNumber") == ["199421147", "381110042", "563210184"]
    expired = [p for p in _related(un, "Passport", ri.id) if p.get("number") == ["381110042"]]
    assert [p.get("summary") for p in expired] == [["Expired 25 Jan. 2016"]]
    [number] = [v for v in expired[0].values if v.prop == "number"]
    assert number.original == "381110042 (Expired 25 Jan. 2016)"
    faca = by_id["unsc-cfi-008"]
    assert faca.get("idNumber") == ["911-10-77"]
    [ident] = _related(un, "Identification", faca.id)
    assert ident.get("type") == [
        "National Identification Number / Central African Republic armed forces (FACA) "
        "Military identification number"
    ]
    tazkira = by_id["unsc-tai-071"]  # the number is in TYPE_OF_DOCUMENT2
    assert tazkira.get("idNumber") == ["545167"]
    # NUMBER written with text that is not a plain "... number N" stays as written
    assert "Russian passport number 8208 No. 555627" in by_id["unsc-qdi-398"].get("passportNumber")


def test_addresses(un: ListSnapshot, by_id: dict[str, Entity]) -> None:
    bank = by_id["unsc-kpe-003"]
    addresses = _related(un, "Address", bank.id)
    assert [a.id for a in addresses] == bank.get("addressEntity")
    assert [a.get("full") for a in addresses] == [[f] for f in bank.get("address")]
    assert bank.get("country") == ["kp"]
    assert all(a.get("country") == ["kp"] and a.get("city") == ["Pyongyang"] for a in addresses)
    # an address given only as a NOTE: the note is the full address, kept as written too
    kitab = [a for a in _related(un, "Address", "unsc-qde-005") if "Kitab Ghar" in a.caption]
    assert [a.get("remarks") for a in kitab] == [
        ["Kitab Ghar, Darul Ifta Wal Irshad, Nazimabad No. 4, Karachi, Pakistan, Phone "
         "6683301; Phone 0300-8209199; Fax 6623814"]
    ]  # fmt: skip


def test_places_of_birth(by_id: dict[str, Entity]) -> None:
    person = by_id["unsc-cdi-004"]
    assert person.get("birthPlace") == [
        "Bunagana, Rutshuru territory, Democratic Republic of the Congo"
    ]
    assert person.get("birthCountry") == ["cd"]


def test_text_as_written(by_id: dict[str, Entity]) -> None:
    # stray space in the reference number
    assert by_id["unsc-kpe-023"].provenance.record_id == "KPe.023"
    # multi-line value collapsed
    assert by_id["unsc-sdi-001"].get("position") == [
        "Major-General and Commander of the Western Military Region for the Sudanese Armed "
        "Forces (SAF)"
    ]
    assert by_id["unsc-sdi-001"].get("nationality") == []  # "na", not Namibia
    # both apostrophes kept
    assert by_id["unsc-iqi-012"].get("name") == ["MUZAHIM SA'B HASSAN AL-TIKRITI"]
    assert "Dr. Adib Sha\u2019ban" in by_id["unsc-iqi-076"].get("alias")
    # LISTED_ON with a zone suffix (2015-07-01-04:00)
    assert by_id["unsc-ssi-001-sanction"].get("listingDate") == ["2015-07-01"]


def test_provenance_points_at_the_record(un: ListSnapshot, un_path: Path) -> None:
    lines = un_path.read_text(encoding="utf-8").splitlines()
    expected = {
        "Person": "<INDIVIDUAL>",
        "Organization": "<ENTITY>",
        "Passport": "<INDIVIDUAL_DOCUMENT>",
        "Identification": "<INDIVIDUAL_DOCUMENT>",
    }
    for entity in un.entities:
        line = entity.provenance.line
        assert line is not None and entity.provenance.file == str(un_path)
        text = lines[line - 1].strip()
        if entity.schema in expected:
            assert text == expected[entity.schema], entity.id
        elif entity.schema == "Address":
            assert text in ("<INDIVIDUAL_ADDRESS>", "<ENTITY_ADDRESS>"), entity.id
        else:
            assert text in ("<INDIVIDUAL>", "<ENTITY>"), entity.id


def test_ids_are_stable() -> None:
    assert entity_id("KPi.024") == "unsc-kpi-024"
    assert entity_id("KPe.023 ") == "unsc-kpe-023"


# --- small files --------------------------------------------------------------------

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z">\n'
)


def _write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "un.xml"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def _person(body: str, ref: str = "KPi.1") -> str:
    """A file (lines 1-2 HEAD, 3 INDIVIDUALS, 4 the record, 5 ...) with one person."""
    return (
        HEAD + "<INDIVIDUALS>\n<INDIVIDUAL><FIRST_NAME>KIM</FIRST_NAME>"
        f"<REFERENCE_NUMBER>{ref}</REFERENCE_NUMBER>{body}</INDIVIDUAL>\n"
        "</INDIVIDUALS></CONSOLIDATED_LIST>"
    )


def _dob(inner: str) -> str:
    return f"<INDIVIDUAL_DATE_OF_BIRTH>{inner}</INDIVIDUAL_DATE_OF_BIRTH>"


XXE = (
    '<?xml version="1.0"?>\n'
    '<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
    "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&e;</FIRST_NAME>"
    "<REFERENCE_NUMBER>KPi.1</REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"
)
LAUGHS = (
    '<?xml version="1.0"?>\n<!-- lol -->\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + str(i - 1 if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n<CONSOLIDATED_LIST>&lol9;</CONSOLIDATED_LIST>"
)


def _records(*records: str) -> str:
    """A file with one INDIVIDUAL per argument, on lines 4, 5, ..."""
    lines = "\n".join(f"<INDIVIDUAL>{r}</INDIVIDUAL>" for r in records)
    return f"{HEAD}<INDIVIDUALS>\n{lines}\n</INDIVIDUALS></CONSOLIDATED_LIST>"


NAMELESS = "<REFERENCE_NUMBER>KPi.1</REFERENCE_NUMBER>"
EXTERNAL_DTD = (
    '<?xml version="1.0"?>\n'
    '<!DOCTYPE CONSOLIDATED_LIST SYSTEM "http://example.invalid/un.dtd">\n<CONSOLIDATED_LIST/>'
)
DOCUMENT = (
    "<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>1</NUMBER>"
    "\n<DATE_OF_ISSUE>2016</DATE_OF_ISSUE></INDIVIDUAL_DOCUMENT>"
)
ALIAS_DOB = (
    "<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>X</ALIAS_NAME>"
    "\n<DATE_OF_BIRTH>c. 1960</DATE_OF_BIRTH></INDIVIDUAL_ALIAS>"
)
BACKWARDS = _dob(
    "<TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1969</FROM_YEAR><TO_YEAR>1967</TO_YEAR>"
)
BAD_FILES = [
    pytest.param(b"", "the file is empty", None, id="empty"),
    pytest.param(b"  \n\n ", "the file is empty", None, id="blank"),
    pytest.param(
        HEAD + "<INDIVIDUALS><INDIVIDUAL><FIRST_NAME>KIM", "not well-formed", 3, id="truncated"
    ),
    pytest.param("ent_num,name\n1,KIM\n", "not XML: the file starts with 'ent_num", 1, id="csv"),
    pytest.param('\n\n{"id": "x"}', "not XML", 3, id="json"),
    pytest.param(
        '<?xml version="1.0"?>\n<rss version="2.0"/>', "root element is <rss>", 2, id="wrong-root"
    ),
    pytest.param(XXE, "DOCTYPE with entity declarations", 2, id="xxe"),
    pytest.param(LAUGHS, "billion laughs", 3, id="billion-laughs"),
    pytest.param(EXTERNAL_DTD, "DOCTYPE \\(DTD\\)", 2, id="external-dtd"),
    pytest.param(
        HEAD.encode() + b"<INDIVIDUALS>\n<INDIVIDUAL>\xff\xfe</INDIVIDUAL>",
        "byte 0xff is not valid UTF-8",
        4,
        id="bad-utf8",
    ),
    pytest.param(
        _records("<FIRST_NAME>A</FIRST_NAME>"), "without REFERENCE_NUMBER", 4, id="no-reference"
    ),
    pytest.param(
        _records("<FIRST_NAME>A</FIRST_NAME><REFERENCE_NUMBER/>"),
        "without REFERENCE_NUMBER",
        4,
        id="empty-reference",
    ),
    pytest.param(
        _records(
            "<FIRST_NAME>A</FIRST_NAME><REFERENCE_NUMBER>KPi.1</REFERENCE_NUMBER>",
            "<FIRST_NAME>B</FIRST_NAME><REFERENCE_NUMBER>KPi.1 </REFERENCE_NUMBER>",
        ),
        "KPi.1 occurs twice \\(records on lines 4 and 5\\)",
        5,
        id="duplicate-reference",
    ),
    pytest.param(_records(NAMELESS), "has no name", 4, id="no-name"),
    pytest.param(
        _person(_dob("<TYPE_OF_DATE>EXACT</TYPE_OF_DATE>\n<DATE>18 Feb 62</DATE>")),
        "DATE: '18 Feb 62' is not a date",
        5,
        id="bad-date",
    ),
    pytest.param(
        _person(_dob("<TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1962-02-30</DATE>")),
        "DATE: '1962-02-30' is not a date",
        4,
        id="impossible-date",
    ),
    pytest.param(
        _person(_dob("<TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><YEAR>62</YEAR>")),
        "YEAR: '62' is not a year",
        4,
        id="bad-year",
    ),
    pytest.param(_person(BACKWARDS), "FROM_YEAR 1969 is after TO_YEAR", 4, id="backwards-range"),
    pytest.param(
        _person("\n<LISTED_ON>02/03/2016</LISTED_ON>"),
        "LISTED_ON: '02/03/2016' is not a date",
        5,
        id="bad-listed-on",
    ),
    pytest.param(
        _person("<LAST_DAY_UPDATED>\n<VALUE>yesterday</VALUE></LAST_DAY_UPDATED>"),
        "LAST_DAY_UPDATED: 'yesterday' is not a date",
        5,
        id="bad-updated",
    ),
    pytest.param(_person(DOCUMENT), "DATE_OF_ISSUE: '2016' is not a date", 5, id="bad-issue-date"),
    pytest.param(
        _person(ALIAS_DOB), "DATE_OF_BIRTH: 'c. 1960' is not a date", 5, id="bad-alias-dob"
    ),
    pytest.param(
        HEAD.replace("2026-02-27T00:00:09.554Z", "last Tuesday") + "</CONSOLIDATED_LIST>",
        "dateGenerated 'last Tuesday'",
        2,
        id="bad-date-generated",
    ),
    pytest.param(
        HEAD + "<INDIVIDUALS/></CONSOLIDATED_LIST>", "no INDIVIDUAL or ENTITY", 2, id="no-records"
    ),
]


@pytest.mark.parametrize(("text", "problem", "line"), BAD_FILES)
def test_bad_files(tmp_path: Path, text: str | bytes, problem: str, line: int | None) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(SourceError, match=problem) as info:
        parse_un_xml(path)
    assert info.value.path == str(path)
    assert str(info.value).startswith(str(path))
    assert info.value.line == line
    if line is not None:
        assert f"line {line}:" in str(info.value)
    assert "root:" not in str(info.value)  # nothing from /etc/passwd


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="cannot read") as info:
        parse_un_xml(tmp_path / "nope.xml")
    assert info.value.path == str(tmp_path / "nope.xml")


def test_lxml_layer_refuses_a_dtd_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the byte-level DOCTYPE check out of the way, the hardened parser still
    neither reads the file nor accepts the document."""
    monkeypatch.setattr(reader, "_refuse_doctype", lambda src, body: None)
    for text in (XXE, LAUGHS):
        path = _write(tmp_path, text)
        with pytest.raises(SourceError) as info:
            parse_un_xml(path)
        assert "root:" not in str(info.value)
        assert info.value.path == str(path)


def test_small_file_mapping(tmp_path: Path) -> None:
    text = _person(
        "<LISTED_ON>2016-03-02</LISTED_ON><SUBMITTED_BY><VALUE>France</VALUE></SUBMITTED_BY>"
        "<NEW_FIELD>something new</NEW_FIELD>"
        "<INDIVIDUAL_ALIAS><QUALITY>n.k.a.</QUALITY><ALIAS_NAME>Kim Y</ALIAS_NAME>"
        "</INDIVIDUAL_ALIAS><INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>"
        "<INDIVIDUAL_ADDRESS><STREET/><COUNTRY/></INDIVIDUAL_ADDRESS>"
        "<INDIVIDUAL_ADDRESS><CITY>Pyongyang</CITY><COUNTRY>Democratic People's Republic of "
        "Korea</COUNTRY></INDIVIDUAL_ADDRESS>"
        "<INDIVIDUAL_ADDRESS><CITY>Pyongyang</CITY><COUNTRY>Democratic People's Republic of "
        "Korea</COUNTRY></INDIVIDUAL_ADDRESS>"
        "<INDIVIDUAL_DOCUMENT/>"
        + _dob("<TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1962-02-18-05:00</DATE>")
        + _dob("<TYPE_OF_DATE/>"),
    )
    snap = parse_un_xml(_write(tmp_path, text))
    by_schema = {e.schema: e for e in snap.entities}
    assert Counter(e.schema for e in snap.entities) == {"Person": 1, "Sanction": 1, "Address": 1}
    person = by_schema["Person"]
    assert person.get("birthDate") == ["1962-02-18"]
    assert _qualified(person, "alias") == [("Kim Y", "n.k.a.")]
    assert "NEW_FIELD: something new" in person.get("notes")
    assert person.get("country") == ["kp"]
    assert by_schema["Sanction"].get("summary") == ["SUBMITTED_BY: France"]
    assert any("unknown element <NEW_FIELD>" in w for w in snap.warnings)
    assert any("unknown alias QUALITY 'n.k.a.'" in w for w in snap.warnings)


def test_date_generated_without_zone(tmp_path: Path) -> None:
    text = _person("").replace("2026-02-27T00:00:09.554Z", "2026-02-27T00:00:09")
    snap = parse_un_xml(_write(tmp_path, text))
    assert snap.published == datetime(2026, 2, 27, 0, 0, 9, tzinfo=UTC)
    assert any("no time zone" in w for w in snap.warnings)
    bare = _person("").replace(' dateGenerated="2026-02-27T00:00:09.554Z"', "")
    assert parse_un_xml(_write(tmp_path, bare)).published is None
