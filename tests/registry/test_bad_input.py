"""Bad input for every registry reader: a clear error naming the file (and line), or a
rejected row / refused value with its reason; never a traceback, never a silent loss.
Fixtures are small files written here, in the dev registry's formats."""

from __future__ import annotations

import gzip
from pathlib import Path

import openpyxl
import pytest

from hermit.errors import SourceError
from hermit.registry.read import read_registry_file
from hermit.registry.records import Item, Refused, RegistryRecord, Rejected

RU_HEADER = (
    "record_id;ОГРН;Дата присвоения ОГРН;ИНН;КПП;Полное наименование;Сокращенное наименование;"
    "Прежнее наименование;Дата регистрации;Регистрационный номер до 01.07.2002;Статус;"
    "Способ прекращения;Дата прекращения;Индекс;Регион;Адрес;Сведения о недостоверности адреса;"
    "ОКВЭД основной;Наименование ОКВЭД;ОКВЭД дополнительные;Уставный капитал, руб.;"
    "Правопредшественник ОГРН;Правопредшественник наименование"
)


def _ru_row(record_id: str, ogrn: str, inn: str, registered: str, name: str = "«Альфа»") -> str:
    cells = [record_id, ogrn, "", inn, "", f"ООО {name}", "", "", registered]
    return ";".join(cells + [""] * (23 - len(cells)))


def _write(tmp: Path, name: str, lines: list[str]) -> Path:
    path = tmp / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _items(path: Path, mapping: Path | None = None) -> list[Item]:
    return list(read_registry_file(path, mapping))


def _only(items: list[Item], kind: type) -> list:  # type: ignore[type-arg]
    return [i for i in items if isinstance(i, kind)]


def test_egrul_bad_rows_are_rejected_or_refused_with_reasons(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "ru.csv",
        [
            RU_HEADER,
            _ru_row("ru-co-1021655793510", "1021655793510", "1655704296", "16.09.1998"),
            _ru_row("ru-co-x", "1021655793510", "1655704296", "31.02.2002"),  # no such date
            _ru_row("ru-co-y", "1021655793511", "1655704297", "01.01.2000"),  # check digits
            _ru_row("", "1021655793510", "1655704296", "01.01.2000"),  # no record id
            "ru-co-z;1021655793510;only three fields",
        ],
    )
    items = _items(path)
    records = {r.provenance.record_id: r for r in _only(items, RegistryRecord)}
    assert set(records) == {"ru-co-1021655793510", "ru-co-x", "ru-co-y"}
    good = records["ru-co-1021655793510"]
    assert (good.provenance.row, good.valid_from) == (2, "1998-09-16")

    refused = _only(items, Refused)
    assert [(r.row, r.prop, r.value) for r in refused] == [(3, "incorporationDate", "31.02.2002")]
    assert refused[0].reason == "not a valid date in the format %d.%m.%Y"
    assert records["ru-co-x"].valid_from is None

    weak = records["ru-co-y"]
    assert "innCode" not in weak.entity["properties"]
    assert "ogrnCode" not in weak.entity["properties"]
    assert {(c.scheme, c.valid) for c in weak.identifiers} == {("inn", False), ("ogrn", False)}
    notes = weak.entity["properties"]["notes"]
    assert "inn 1655704297 (weak: the number's checksum or check digit is invalid)" in notes

    rejected = _only(items, Rejected)
    assert [(r.row, r.reason) for r in rejected] == [
        (
            5,
            "no record: every key column is empty (company: record_id; succession: "
            "record_id, Правопредшественник ОГРН)",
        ),
        (
            6,
            "3 fields where the header has 23 (separator ';'; an unquoted separator or "
            "line break?)",
        ),
    ]


def test_founder_of_an_unknown_type_is_rejected(tmp_path: Path) -> None:
    header = (
        "record_id;ОГРН ЮЛ;Тип учредителя;founder_record_id;Наименование / ФИО;ОГРН учредителя;"
        "ИНН учредителя;Страна происхождения;Рег. номер в стране происхождения;"
        "Адрес учредителя (ин. ЮЛ);Гражданство;Дата рождения;"
        "Номинальная стоимость доли, руб.;Размер доли, %;Размер доли (дробь);"
        "Дата внесения записи;Дата прекращения"
    )
    person = (
        "ru-fnd-1;1021655793510;Физическое лицо;ru-fl-1;Иванов Иван;;;;;;РОССИЯ;;"
        "5000;33,33;;16.09.1998;"
    )
    other = "ru-fnd-2;1021655793510;Паевой фонд;ru-x-2;Фонд;;;;;;;;5000;;1/2;16.09.1998;"
    items = _items(_write(tmp_path, "founders.csv", [header, person, other]))
    ownership = [r for r in _only(items, RegistryRecord) if r.schema == "Ownership"]
    assert len(ownership) == 1
    props = ownership[0].entity["properties"]
    assert props["percentage"] == ["33.33"]
    assert props["asset"] == ["ru-co-1021655793510"] and props["owner"] == ["ru-fl-1"]
    assert [(r.row, r.reason) for r in _only(items, Rejected)] == [
        (3, "the row matches none of the mapping's filters")
    ]


@pytest.mark.parametrize(
    ("content", "problem", "line"),
    [
        (b"", "the file is empty", None),
        (
            RU_HEADER.encode() + b"\n" + _ru_row("a", "1", "2", "3").encode("cp1251") + b"\n",
            "not UTF-8 text",
            2,
        ),
        (b"name;inn\nAcme;7707083893\n", "not a registry file hermit knows", None),
        (b"record_id,name,name\n1,a,b\n", "the column 'name' appears twice in the header", 1),
    ],
    ids=["empty", "cp1251", "unknown_header", "duplicate_column"],
)
def test_unreadable_tables_are_clear_errors(
    tmp_path: Path, content: bytes, problem: str, line: int | None
) -> None:
    path = tmp_path / "registry.csv"
    path.write_bytes(content)
    with pytest.raises(SourceError) as caught:
        _items(path)
    assert caught.value.path == str(path)
    assert problem in caught.value.problem
    assert caught.value.line == line


def test_ftm_lines_bad_lines_are_rejected(tmp_path: Path) -> None:
    lines = [
        '{"id": "c1", "schema": "Company", "properties": {"name": ["Acme"], '
        '"innCode": ["7707083894"], "incorporationDate": ["not a date"]}}',
        "{not json",
        '["a list"]',
        '{"schema": "Company", "properties": {}}',
        '{"id": "x", "schema": "Starship", "properties": {}}',
        '{"id": "c2", "schema": "Company", "properties": {"wingspan": ["3 m"]}}',
    ]
    path = tmp_path / "ftm.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = _items(path)
    rejected = [(r.row, r.reason) for r in _only(items, Rejected)]
    assert rejected[0][0] == 2 and rejected[0][1].startswith("not JSON: ")
    assert rejected[1:] == [
        (3, "not a JSON object"),
        (4, "no entity id"),
        (5, "unknown schema 'Starship'"),
    ]
    assert [(r.row, r.prop, r.reason) for r in _only(items, Refused)] == [
        (1, "incorporationDate", "not a valid date"),
        (6, "wingspan", "not a property of Company"),
    ]
    first = _only(items, RegistryRecord)[0]
    assert [(c.scheme, c.valid) for c in first.identifiers] == [("inn", False)]
    assert "innCode" not in first.entity["properties"]


def test_truncated_gzip_is_a_clear_error(tmp_path: Path) -> None:
    data = gzip.compress(b'{"id": "a", "schema": "Company", "properties": {}}\n' * 2000)
    path = tmp_path / "entities.ftm.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(SourceError, match="cannot be read"):
        _items(path)


#: one query of the FollowTheMoney mapping format, as Aleph users write it
MAPPING = """registry: acme_crm
entities:
  company:
    schema: Company
    keys: [Company number]
    properties:
      name: {column: Company name}
      registrationNumber: {column: Company number, scheme: uk_company}
      leiCode: {column: LEI}
      incorporationDate: {column: Incorporated}
      jurisdiction: {literal: gb}
  director:
    schema: Person
    keys: [Director]
    properties:
      name: {column: Director}
  directorship:
    schema: Directorship
    keys: [Company number, Director]
    properties:
      director: {entity: director}
      organization: {entity: company}
"""


def _mapping(tmp: Path, text: str = MAPPING) -> Path:
    """The query under a dataset name, as FtM's own mapping files hold it."""
    path = tmp / "mapping.yml"
    body = "".join(f"    {line}\n" for line in text.splitlines())
    path.write_text("acme:\n  queries:\n  -\n" + body, encoding="utf-8")
    return path


def test_user_excel_export_through_a_mapping(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Company name", "Company number", "LEI", "Incorporated", "Director"])
    sheet.append(["Acme Ltd", "SC123456", "5493001KJTIIGC8Y1R12", "2001-02-03", "Jane Roe"])
    sheet.append(["Bad Ltd", "ZZ123456", "5493001KJTIIGC8Y1R13", "2001-02-30", ""])
    sheet.append(["", "", "", "", ""])
    sheet.append(["No number", "", "", "", ""])
    path = tmp_path / "export.xlsx"
    book.save(path)
    items = _items(path, _mapping(tmp_path))
    records = _only(items, RegistryRecord)
    assert {(r.schema, r.provenance.row) for r in records} == {
        ("Company", 2),
        ("Person", 2),
        ("Directorship", 2),
        ("Company", 3),
        ("Directorship", 3),
    }  # FtM keys: a directorship keyed by company and director has a key with either
    assert {r.provenance.registry for r in records} == {"acme_crm"}
    acme = next(r for r in records if r.schema == "Company" and r.provenance.row == 2)
    assert acme.entity["properties"]["registrationNumber"] == ["SC123456"]
    assert acme.valid_from == "2001-02-03"
    bad = next(r for r in records if r.schema == "Company" and r.provenance.row == 3)
    assert "registrationNumber" not in bad.entity["properties"]
    assert "leiCode" not in bad.entity["properties"]
    assert {(c.scheme, c.valid) for c in bad.identifiers} == {("uk_company", False), ("lei", False)}
    assert [(r.row, r.prop, r.reason) for r in _only(items, Refused)] == [
        (3, "incorporationDate", "not a valid date"),
        (3, "director", "no director in this row (its key columns are empty)"),
    ]
    assert [(r.row, r.reason) for r in _only(items, Rejected)] == [
        (
            5,
            "no record: every key column is empty (company: Company number; director: "
            "Director; directorship: Company number, Director)",
        )
    ]


def test_user_csv_export_missing_a_mapped_column(tmp_path: Path) -> None:
    path = _write(tmp_path, "export.csv", ["Company name,Company number", "Acme,SC123456"])
    with pytest.raises(SourceError, match="not in the header: Director, Incorporated, LEI"):
        _items(path, _mapping(tmp_path))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("entities: [", "not a YAML mapping file"),
        ("just a string", "query 1 is not a mapping"),
        (MAPPING.replace("schema: Company", "schema: Starship"), "Invalid schema: Starship"),
        (MAPPING.replace("leiCode:", "wingspan:"), "Invalid property: wingspan"),
        (MAPPING.replace("scheme: uk_company", "scheme: vat"), "unknown identifier scheme 'vat'"),
    ],
    ids=["yaml", "not_mapping", "schema", "property", "scheme"],
)
def test_bad_mapping_files_are_clear_errors(tmp_path: Path, text: str, problem: str) -> None:
    export = _write(tmp_path, "export.csv", ["Company name", "Acme"])
    mapping = _mapping(tmp_path, text)
    with pytest.raises(SourceError) as caught:
        _items(export, mapping)
    assert caught.value.path == str(mapping)
    assert problem in caught.value.problem
