"""Bulk runs account for every row of a damaged query file (issue 11 section 2), through
the real ``hermit screen --file``: bytes that are not UTF-8 in any format, NUL in a
name, a missing (NaN) name from Parquet. Each row is screened or rejected with its row
number; no run ends in a traceback."""

from __future__ import annotations

import csv
import struct
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from tests.cli.helpers import hermit


def _screen(store: Path, source: Path, output: Path) -> tuple[int, str, dict[str, object]]:
    proc = hermit(
        store, "screen", "--file", str(source), "-o", str(output), "--workers", "1", check=False
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    record = orjson.loads(Path(f"{output}.run.json").read_bytes())
    return proc.returncode, proc.stdout + proc.stderr, record


def _rejects(output: Path) -> list[dict[str, str]]:
    with Path(f"{output}.rejects.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _unchecked_text(values: list[bytes]) -> pa.Array:
    """A Parquet text column holding these bytes as they are (pyarrow checks UTF-8 when
    it builds a column from Python, another writer need not)."""
    offsets = [0]
    for value in values:
        offsets.append(offsets[-1] + len(value))
    packed = struct.pack(f"<{len(offsets)}i", *offsets)
    return pa.Array.from_buffers(
        pa.string(), len(values), [None, pa.py_buffer(packed), pa.py_buffer(b"".join(values))]
    )


def test_csv_bytes_that_are_not_utf8_in_the_header_and_extra_cells(
    lists_store: Path, tmp_path: Path
) -> None:
    """On main the run wrote its results, then died writing the run record."""
    source = tmp_path / "q.csv"
    source.write_bytes(
        b"name,country,Stra\xdfe\n"
        b"Kim Yong Chol,kp,Haupt,extra \xff cell\n"
        b"Jos\xe9 Garcia,es,x\n"
        b"N/A,k\xffp,y\n"
    )
    output = tmp_path / "out.csv"
    code, _, record = _screen(lists_store, source, output)
    assert code == 3
    counts = record["counts"]
    assert isinstance(counts, dict)
    assert (counts["queries_read"], counts["screened"], counts["rejected"]) == (3, 2, 1)
    assert record["input"] == {**record["input"], "ignored_columns": ["Straße"]}  # type: ignore[dict-item]
    with output.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["query_name"] for r in rows} == {"Kim Yong Chol", "José Garcia"}
    assert any("extra ÿ cell" in r["warnings"] for r in rows)
    assert [(r["row"], r["field"]) for r in _rejects(output)] == [("3", "name")]


def test_parquet_text_that_is_not_utf8_is_rejected_by_row(
    lists_store: Path, tmp_path: Path
) -> None:
    """On main: UnicodeDecodeError from pyarrow, a traceback and no output."""
    source = tmp_path / "q.parquet"
    names = [b"Kim Yong Chol", b"Jos\xe9 Garcia", b"Ri Jong Ho"]
    countries = [b"kp", b"es", b"k\xffp"]
    pq.write_table(
        pa.table({"name": _unchecked_text(names), "country": _unchecked_text(countries)}), source
    )
    output = tmp_path / "out.csv"
    code, _, record = _screen(lists_store, source, output)
    assert code == 3
    assert [(r["row"], r["field"], r["reason"]) for r in _rejects(output)] == [
        ("2", "name", "bytes that are not UTF-8 text")
    ]
    assert "Jos\ufffd Garcia" in _rejects(output)[0]["text"]
    with output.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    ri = [r for r in rows if r["query_name"] == "Ri Jong Ho"]
    assert ri and "country" in ri[0]["warnings"] and "not UTF-8" in ri[0]["warnings"]
    counts = record["counts"]
    assert isinstance(counts, dict) and counts["screened"] == 2 and counts["rejected"] == 1


def test_nul_in_a_name_and_a_nan_name_are_rejected_as_such(
    lists_store: Path, tmp_path: Path
) -> None:
    """On main a name with NUL was screened, and a NaN name (a float column, as pandas
    writes a column with gaps) was screened as the text 'nan'."""
    source = tmp_path / "q.parquet"
    pq.write_table(
        pa.table(
            {
                "name": pa.array([3.0, float("nan"), None]),
                "id": pa.array(["a", "b", "c"]),
            }
        ),
        source,
    )
    output = tmp_path / "out.jsonl"
    code, out, _ = _screen(lists_store, source, output)
    assert code == 3
    assert [(r["row"], r["reason"]) for r in _rejects(output)] == [
        ("2", "missing (every query needs a name)"),
        ("3", "missing (every query needs a name)"),
    ]
    csv_source = tmp_path / "nul.csv"
    csv_source.write_bytes(b"name,passport\nKim\x00Yong Chol,\nRi Jong Ho,PD\x0012345\n")
    output = tmp_path / "nul.csv.out.csv"
    code, out, record = _screen(lists_store, csv_source, output)
    assert code == 3
    rejects = _rejects(output)
    assert [(r["row"], r["field"]) for r in rejects] == [("1", "name")]
    assert "contains NUL" in rejects[0]["reason"]
    assert f"{csv_source} row 1 (line 2): name: 'Kim\\x00Yong Chol' contains NUL" in " ".join(
        out.split()
    )
    warned = record["first_rows"]["warned"]  # type: ignore[index]
    assert warned[0]["warnings"][0]["field"] == "passport"
    assert "contains NUL" in warned[0]["warnings"][0]["message"]


def test_an_unclosed_quote_rejects_its_line_and_the_rest_is_read(
    lists_store: Path, tmp_path: Path
) -> None:
    """On main the quote swallowed every line up to the next quote into one reject
    (here 290 of 600 rows vanished) and the counts did not add up to the file's rows."""
    lines = ["id,name,country,notes"]
    for i in range(1, 601):
        name = f"Person {i:04d}"
        notes = "two\nlines" if i == 5 else ""  # a quoted cell with a line break: one record
        if i == 10:
            name = '"Kim Yong Chol'  # the quote is never closed on its line
        if i == 300:
            name = 'Ri "Jong" Ho"'
        lines.append(f'c{i},{name},kp,"{notes}"' if notes else f"c{i},{name},kp,")
    source = tmp_path / "q.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    output = tmp_path / "out.csv"
    code, _, record = _screen(lists_store, source, output)
    assert code == 3
    counts = record["counts"]
    assert isinstance(counts, dict)
    assert (counts["queries_read"], counts["screened"], counts["rejected"]) == (600, 599, 1)
    (reject,) = _rejects(output)
    assert (reject["row"], reject["line"]) == ("10", "12")  # row 5 has two lines
    assert reject["reason"].startswith("unclosed quote: the quote opened on line 12")
    assert "lines 13 to 302 are read as records of their own" in reject["reason"]
    assert reject["text"] == 'c10,"Kim Yong Chol,kp,'
    with output.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    ids = {r["query_id"] for r in rows}
    assert ids == {f"c{i}" for i in range(1, 601)} - {"c10"}
    warned = {
        r["query_id"] for r in rows if "opened a quote that it did not close" in r["warnings"]
    }
    assert warned == {f"c{i}" for i in range(11, 301)}  # the rows it would have taken
    c5 = [r for r in rows if r["query_id"] == "c5"]
    assert "a quoted cell with line breaks: the record runs to line 7" in c5[0]["warnings"]


def test_jsonl_lines_that_are_not_utf8_are_rejected_as_such(
    lists_store: Path, tmp_path: Path
) -> None:
    """On main the reason was orjson's "not valid JSON: str is not valid UTF-8:
    surrogates not allowed" for a line that is valid JSON in another encoding."""
    source = tmp_path / "q.jsonl"
    source.write_bytes(b'{"name": "Kim Yong Chol"}\n{"name": "Jos\xe9 Garcia"}\n')
    output = tmp_path / "out.csv"
    code, _, _ = _screen(lists_store, source, output)
    assert code == 3
    assert [(r["row"], r["reason"]) for r in _rejects(output)] == [
        ("2", "bytes that are not UTF-8 text (byte 14 of the line)")
    ]
