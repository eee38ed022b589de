"""Reading labour files: date formats, bad rows rejected and bad values set aside with
file, line and field, a user's own file (Cyrillic headers, Excel) through a declared
column mapping, and files that cannot be read at all."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import orjson
import pytest

from hermit.compliance.columns import builtin_mapping, load_columns
from hermit.compliance.folder import read_folder
from hermit.compliance.records import LabourRecord, Problem
from hermit.compliance.values import read_amount, read_date, read_document
from hermit.errors import SourceError
from tests.cli.helpers import hermit
from tests.compliance.fixtures import PERMIT_COLUMNS, folder, permit

DATES = builtin_mapping().dates


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("11.09.2017", dt.date(2017, 9, 11)),
        ("2017-09-11", dt.date(2017, 9, 11)),
        ("11.09.17", dt.date(2017, 9, 11)),
        ("01.02.29", dt.date(2029, 2, 1)),  # below the pivot: 20xx
        ("01.02.30", dt.date(1930, 2, 1)),  # at the pivot: 19xx
        ("1.2.1975", dt.date(1975, 2, 1)),
    ],
)
def test_dates(text: str, day: dt.date) -> None:
    assert read_date(text, DATES) == day


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31.02.2018", "not a calendar date"),
        ("30.02.18", "not a calendar date"),
        ("2018-02-30", "not a calendar date"),
        ("вчера", "not a date in a known format"),
    ],
)
def test_bad_dates(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        read_date(text, DATES)


def test_documents_and_amounts() -> None:
    assert read_document("№ 836 123-456") == "836123456"
    assert read_amount("7 300,00") == 7300.0
    assert read_amount("21500,00") == 21500.0
    assert read_amount("1.234,5") == 1234.5


def _bad_folder(root: Path) -> Path:
    good = permit(1, "15.01.2018", "01.06.2017")
    bad_dob = permit(2, "15.01.2018", "01.06.2017", birth_date="31.06.1974")
    bad_key = permit(3, "15.01.2018", "01.06.2017", valid_to="31.04.2018")
    blank_key = permit(4, "", "01.06.2017")
    folder(root, [good, bad_dob, bad_key, blank_key])
    # append a row with an unquoted comma and a truncated row (raw lines)
    import gzip

    path = root / "work_permits.csv.gz"
    lines = gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()
    extra = ",".join(permit(5, "15.01.2018", "01.06.2017").values()).replace("«Тест»", "«Тест, М»")
    short = ",".join(list(permit(6, "15.01.2018", "01.06.2017").values())[:20])
    path.write_bytes(gzip.compress(("\n".join([*lines, extra, short]) + "\n").encode("utf-8")))
    return root


def test_bad_rows_and_values_are_named_and_counted(tmp_path: Path) -> None:
    data = read_folder(_bad_folder(tmp_path / "lab"), load_columns(), {"work_permits"})
    assert [r.record_id for r in data.of("work_permits")] == ["WP-0000001", "WP-0000002"]
    assert data.of("work_permits")[1].day("birth_date") is None  # set aside, row kept
    got = [(p.line, p.severity, p.record_id, p.field) for p in data.problems]
    assert got == [
        (3, "field", "WP-0000002", "birth_date"),
        (4, "row", "WP-0000003", "valid_to"),
        (5, "row", "WP-0000004", "issue_date"),
        (6, "row", "WP-0000005", None),
        (7, "row", "WP-0000006", None),
    ]
    assert all(p.file == "work_permits.csv.gz" for p in data.problems)
    assert "'31.06.1974' is not a calendar date" in data.problems[0].reason
    assert data.problems[3].reason.startswith("25 fields where the header has 24")
    s = data.summary
    assert (s.rows, s.records, s.rejected, s.set_aside) == (
        {"work_permits.csv.gz": 6},
        {"work_permits.csv.gz": 2},
        {"work_permits.csv.gz": 4},
        {"work_permits.csv.gz": 1},
    )


def test_cli_reports_every_problem(tmp_path: Path) -> None:
    root = _bad_folder(tmp_path / "lab")
    out, probs = tmp_path / "v.json", tmp_path / "p.csv"
    proc = hermit(
        tmp_path / "s.duckdb",
        "compliance",
        "check",
        str(root),
        "--json",
        str(out),
        "--problems",
        str(probs),
    )
    assert "work_permits.csv.gz" in proc.stdout
    body = orjson.loads(out.read_bytes())
    assert body["read"]["rejected"] == {"work_permits.csv.gz": 4}
    assert body["read"]["set_aside"] == {"work_permits.csv.gz": 1}
    assert len(body["problems"]) == 5
    rows = probs.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "file,line,severity,record_id,field,value,reason"
    assert rows[2].startswith("work_permits.csv.gz,4,row,WP-0000003,valid_to,31.04.2018,")


def test_a_missing_column_is_an_error_naming_it(tmp_path: Path) -> None:
    root = tmp_path / "lab"
    root.mkdir()
    (root / "work_permits.csv").write_text(
        ",".join(c for c in PERMIT_COLUMNS if c != "contract_date") + "\n", encoding="utf-8"
    )
    proc = hermit(tmp_path / "s.duckdb", "compliance", "check", str(root), check=False)
    assert proc.returncode == 1
    assert "work_permits.csv" in proc.stderr and "contract_date" in proc.stderr
    proc = hermit(tmp_path / "s.duckdb", "compliance", "check", str(tmp_path / "none"), check=False)
    assert proc.returncode == 1 and "not a folder" in proc.stderr
    with pytest.raises(SourceError, match="no labour record file found"):
        read_folder(tmp_path, load_columns())


USER_MAPPING = """\
kinds:
  work_permits:
    files: [разрешения.xlsx]
    id: Номер записи
    fields:
      series: Серия
      number: Номер
      issue_date: {column: Дата выдачи, type: date, required: true}
      valid_to: {column: Действительно до, type: date, required: true}
      birth_date: {column: Дата рождения, type: date}
      id_doc_number: {column: Паспорт, type: document}
      employer_inn: ИНН работодателя
      contract_no: Номер договора
      contract_date: {column: Дата договора, type: date}
      committee_ref: Решение Комитета
"""


def test_users_excel_file_with_cyrillic_headers_through_a_mapping(tmp_path: Path) -> None:
    root = tmp_path / "own"
    root.mkdir()
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(
        [
            "Номер записи",
            "Серия",
            "Номер",
            "Дата выдачи",
            "Действительно до",
            "Дата рождения",
            "Паспорт",
            "ИНН работодателя",
            "Номер договора",
            "Дата договора",
            "Решение Комитета",
        ]
    )
    sheet.append(
        [
            "1",
            "25",
            "1800000001",
            dt.date(2018, 3, 14),
            "13.03.2019",
            "01.01.1980",
            "836 000 001",
            "2500012345",
            "ТД-1",
            "20.02.2018",
            "",
        ]
    )
    sheet.append(
        [
            "2",
            "25",
            "1800000002",
            "14.03.2018",
            "13.03.2019",
            "01.01.1981",
            "836000002",
            "2500012345",
            "ТД-2",
            dt.date(2017, 9, 10),
            "",
        ]
    )
    book.save(root / "разрешения.xlsx")
    mapping = tmp_path / "mine.yaml"
    mapping.write_text(USER_MAPPING, encoding="utf-8")
    out = tmp_path / "v.json"
    hermit(
        tmp_path / "s.duckdb",
        "compliance",
        "check",
        str(root),
        "--columns",
        str(mapping),
        "--rule",
        "UNSCR-2375-17",
        "--json",
        str(out),
    )
    found = orjson.loads(out.read_bytes())["violations"]
    assert [(v["subject_id"], v["pattern"]) for v in found] == [("1", "new_contract_after_ban")]
    assert found[0]["reason"].startswith(
        "permit 25 1800000001 issued 2018-03-14 on contract ТД-1 dated 2018-02-20"
    )
    assert found[0]["records"][0]["file"] == "разрешения.xlsx"
    assert found[0]["records"][0]["line"] == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("kinds: {visas_x: {files: [a.csv], fields: {a: b}}}", "kind visas_x: unknown kind"),
        (
            "kinds: {work_permits: {files: [a.csv], fields: {colour: b}}}",
            "kind work_permits, field colour: not a field of this kind",
        ),
        (
            "kinds: {work_permits: {files: [a.csv], fields: {series: b}}}",
            "kind work_permits, field issue_date: required",
        ),
        (
            "kinds: {work_permits: {files: [a.csv], fields: {issue_date: {column: x, type: day}}}}",
            "field issue_date: type 'day' is not one of",
        ),
    ],
)
def test_a_broken_column_mapping_is_named(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError, match=message):
        load_columns(path)


def test_records_and_problems_types() -> None:
    assert LabourRecord("k", "f", 2, "x", {}).ref == "k:x"
    assert Problem("f", 2, "row", "r").field is None
