"""Excel (.xlsx) query files: the same header check, row numbers and rejects as CSV,
and the same results as the same queries in CSV (files written with openpyxl)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from hermit.errors import SourceError
from hermit.screening.bulk.formats import format_of, open_reader
from hermit.screening.bulk.runner import BulkJob, run_bulk
from hermit.screening.bulk.xlsx_io import XlsxReader
from hermit.screening.engine import Screener
from hermit.screening.store_screener import StoreScreener
from tests.screening.bulk_files import QUERIES, read_rejects, read_results, write_queries


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_same_results_as_csv(lists_store: Path, lists_screener: Screener, tmp_path: Path) -> None:
    columns = list(dict.fromkeys(k for row in QUERIES for k in row))
    source = _xlsx(tmp_path / "q.xlsx", [columns, *[[r.get(c) for c in columns] for r in QUERIES]])
    csv_source = write_queries(tmp_path / "q.csv", QUERIES, "csv")
    out: dict[str, list[dict[str, object]]] = {}
    for src in (source, csv_source):
        target = tmp_path / f"{src.suffix[1:]}.csv"
        run_bulk(
            BulkJob(src, target, workers=1), StoreScreener(lists_store), screener=lists_screener
        )
        out[src.suffix] = read_results(target, "csv")
    assert out[".xlsx"] == out[".csv"] and len(out[".csv"]) > 0
    assert format_of(source) == "xlsx"


def test_typed_cells_rows_and_rejects(
    lists_store: Path, lists_screener: Screener, tmp_path: Path
) -> None:
    source = _xlsx(
        tmp_path / "customers.xlsx",
        [
            [],  # a blank first row: the header is the first non-empty row (row 2)
            ["Customer ID", "Name", "Date of birth", "IMO", "Notes"],
            [1001, "Kim Yong Chol", dt.datetime(1962, 2, 18), None, "x"],
            [1002, "KANG NAM 1", None, 8523670.0, None],
            [],
            [1003, "Ri Eun Song", None, None, None, "a stray cell"],
            [1004, None, "1962", None, None],
        ],
    )
    reader = XlsxReader(source)
    assert reader.header_row == 2 and reader.unknown_columns() == ("Customer ID", "Notes")
    rows = list(reader.rows())
    assert [(r.row, r.line) for r in rows] == [(1, 3), (2, 4), (3, 6), (4, 7)]
    assert rows[0].values == {"name": "Kim Yong Chol", "birth_date": "1962-02-18"}
    assert rows[1].values == {"name": "KANG NAM 1", "imo": "8523670"}
    assert rows[2].problem is None and rows[2].values == {"name": "Ri Eun Song"}
    assert [str(w) for w in rows[2].warnings] == [
        "row 'a stray cell' set aside: 6 cells where the header has 5: the extra cells"
    ]
    target = tmp_path / "out.csv"
    summary = run_bulk(
        BulkJob(source, target, workers=1), StoreScreener(lists_store), screener=lists_screener
    )
    assert (summary.counts.rejected, summary.counts.screened) == (1, 3)
    assert summary.counts.with_warnings == 1
    rejects = read_rejects(Path(f"{target}.rejects.csv"))
    assert [(r["row"], r["line"], r["field"]) for r in rejects] == [("4", "7", "name")]


def test_header_without_name_and_bad_files(tmp_path: Path) -> None:
    no_name = _xlsx(tmp_path / "a.xlsx", [["id", "dob"], [1, "1962"]])
    with pytest.raises(SourceError, match="no 'name' column") as err:
        open_reader(no_name, "xlsx")
    assert err.value.path == str(no_name) and err.value.line == 1
    with pytest.raises(SourceError, match="empty"):
        XlsxReader(_xlsx(tmp_path / "b.xlsx", []))
    not_a_book = tmp_path / "c.xlsx"
    with zipfile.ZipFile(not_a_book, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(SourceError, match="not an Excel workbook"):
        XlsxReader(not_a_book)
    text = tmp_path / "d.xlsx"
    text.write_text("name\nKim\n")
    with pytest.raises(SourceError, match="not an Excel workbook"):
        XlsxReader(text)
