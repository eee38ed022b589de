"""Bad UK and EU list files through the real command: a clear message naming the file
and the line (CSV, XML) or row (xlsx), exit code 1, and the store exactly as it was.
Each case is made from the real file in ../shared/data, damaged in a temporary folder."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.cli.helpers import SAMPLES, hermit
from tests.conftest import shared_data_dir

LISTS = shared_data_dir() / "lists"
EU_XXE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE export [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2020-04-15T15:29:22">
<sanctionEntity logicalId="1"><subjectType code="person"/><nameAlias wholeName="&xxe;"/>
</sanctionEntity></export>
"""


def _workbook(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with_doctype(xlsx: bytes) -> bytes:
    """The workbook with a DOCTYPE (and an entity) declared in its workbook part."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/workbook.xml":
                body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
                data = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "b">]>' + body
            dst.writestr(info, data)
    return out.getvalue()


def _cases() -> dict[str, tuple[bytes, str, str | None]]:
    """name -> (content, file name, "line N" / "row N" expected in the message or None)."""
    old = (LISTS / "uk_ofsi_conlist_2020-04-27.csv").read_bytes()
    old_lines = old.splitlines(keepends=True)
    quoted = old.index(b',"') + 2  # inside the first quoted cell
    xlsx = (LISTS / "uk_ofsi_conlist_2025-04-14.xlsx").read_bytes()
    fsf = (LISTS / "eu_fsf_sample_2020-04-15.xml").read_bytes()
    annex = (LISTS / "eu_dprk_annexes_2017-1509_opensanctions.csv").read_bytes()
    annex_lines = annex.splitlines(keepends=True)
    header = list((old_lines[1].decode("cp1252").strip()).split(","))
    return {
        "ofsi_truncated_in_a_quote": (old[: quoted + 10], "conlist.csv", None),
        "ofsi_short_row": (b"".join(old_lines[:5]) + b"X,Y,Z\r\n", "conlist.csv", "line 6"),
        "ofsi_wrong_encoding": (
            b"".join(old_lines[:3]) + old_lines[3].replace(b",", b",\x81", 1),
            "conlist.csv",
            "line 4",
        ),
        "ofsi_utf16": (old[:2000].decode("cp1252").encode("utf-16"), "conlist.csv", None),
        "ofsi_no_group_id": (
            b"Last Updated,01/01/2020\r\nName 6,Group Type,Alias Type,Regime\r\nA,Entity,AKA,X\r\n",
            "conlist.csv",
            "line 2",
        ),
        "ofsi_bad_group_id": (
            b"".join(old_lines[:3]) + old_lines[3].rsplit(b",", 1)[0] + b",X12\r\n",
            "conlist.csv",
            "line 4",
        ),
        "ofsi_bad_date": (
            b"Last Updated,2020-04-27\r\n" + b"".join(old_lines[1:4]),
            "conlist.csv",
            "line 1",
        ),
        "ofsi_header_only": (b"".join(old_lines[:2]), "conlist.csv", "line 2"),
        "xlsx_truncated": (xlsx[: len(xlsx) // 2], "conlist.xlsx", None),
        "xlsx_not_a_workbook": (_zip({"hello.txt": b"hi"}), "conlist.xlsx", None),
        "xlsx_doctype": (
            _with_doctype(_workbook([["Last Updated", "14/04/2025"]])),
            "conlist.xlsx",
            None,
        ),
        "xlsx_other_workbook": (
            _workbook([["name", "dob"], ["Kim", "1962"]]),
            "conlist.xlsx",
            "row 1",
        ),
        "xlsx_lacks_columns": (
            _workbook([["Last Updated", "14/04/2025"], [h for h in header if h != "Group ID"]]),
            "conlist.xlsx",
            "row 2",
        ),
        "xlsx_unknown_group_type": (
            _workbook(
                [
                    ["Last Updated", "14/04/2025"],
                    header,
                    ["A"] + [""] * 22 + ["Planet", "AKA", "X", "", "", "1"],
                ]
            ),
            "conlist.xlsx",
            "row 3",
        ),
        "eu_truncated": (fsf[: len(fsf) // 2], "eu.xml", None),
        "eu_xxe": (EU_XXE.encode(), "eu.xml", "line 2"),
        "eu_no_logical_id": (fsf.replace(b'logicalId="5463"', b"", 1), "eu.xml", "line 34"),
        "eu_wrong_encoding": (fsf.replace(b"Hammadou", b"Hammad\xf6u", 1), "eu.xml", "line 8"),
        "annex_wrong_width": (
            b"".join(annex_lines[:4]) + b"32017R1509,99,EU-PRK\n",
            "annex.csv",
            "line 5",
        ),
        "annex_no_name_column": (annex_lines[0].replace(b",name,", b",nom,"), "annex.csv", None),
        "annex_wrong_encoding": (
            b"".join(annex_lines[:3]).replace(b"Ri Je-Son", b"Ri J\xe9-Son"),
            "annex.csv",
            "line 3",
        ),
        "annex_unknown_schema": (
            annex_lines[0] + annex_lines[1].replace(b",Person,", b",Planet,"),
            "annex.csv",
            "line 2",
        ),
    }


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.fixture(scope="module")
def history(loaded_store: Path) -> str:
    """The store's history before any bad load (each test checks it is still this)."""
    return hermit(loaded_store, "lists", "history").stdout


@pytest.fixture(scope="module")
def loaded_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("store") / "store.duckdb"
    hermit(
        store,
        "lists",
        "load",
        str(SAMPLES / "un_consolidated_sample.xml"),
        str(LISTS / "eu_fsf_sample_2020-04-15.xml"),
    )
    return store


@pytest.mark.parametrize("case", list(_cases()))
def test_bad_file_is_refused_and_store_untouched(
    case: str, loaded_store: Path, history: str, tmp_path: Path
) -> None:
    data, filename, where = _cases()[case]
    path = tmp_path / filename
    path.write_bytes(data)
    proc = hermit(loaded_store, "lists", "load", str(path), check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    message = proc.stderr
    assert "error:" in message and str(path) in message, message
    if where is not None:
        assert where in message, message
    assert "Traceback" not in message
    assert hermit(loaded_store, "lists", "history").stdout == history


def test_messages_say_what_is_wrong(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    expected = {
        "xlsx_doctype": "declares a DOCTYPE",
        "xlsx_not_a_workbook": "not an Excel workbook",
        "xlsx_lacks_columns": "lacks the column(s) Group ID",
        "ofsi_wrong_encoding": "neither UTF-8 nor Windows-1252",
        "eu_xxe": "entity declarations",
        "annex_no_name_column": "lacks name",
    }
    cases = _cases()
    for case, words in expected.items():
        data, filename, _ = cases[case]
        path = tmp_path / case / filename
        path.parent.mkdir()
        path.write_bytes(data)
        proc = hermit(store, "lists", "load", str(path), check=False)
        assert proc.returncode == 1 and words in proc.stderr, (case, proc.stderr)
