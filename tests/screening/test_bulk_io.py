"""Bulk screening input and output on the real lists: every input format into every
output format, header checks, and bad rows reported with their row and reason (never
dropped). One worker (in-process) here; worker processes are tested in test_bulk_runner."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from hermit.errors import BulkError, SourceError
from hermit.screening.bulk.csv_io import CsvReader
from hermit.screening.bulk.runner import BulkJob, run_bulk
from hermit.screening.bulk.summary import BulkSummary
from hermit.screening.engine import Screener
from hermit.screening.store_screener import StoreScreener
from tests.screening.bulk_files import QUERIES, read_rejects, read_results, write_queries

FORMATS = ("csv", "jsonl", "parquet")


def _run(store: Path, screener: Screener, source: Path, output: Path, **job: object) -> BulkSummary:
    return run_bulk(
        BulkJob(source, output, **job),  # type: ignore[arg-type]
        StoreScreener(store),
        screener=screener,
    )


def test_every_input_format_into_every_output_format(
    lists_store: Path, lists_screener: Screener, tmp_path: Path
) -> None:
    results = {}
    for fin in FORMATS:
        source = write_queries(tmp_path / f"queries.{fin}", QUERIES, fin)
        for fout in FORMATS:
            output = tmp_path / f"from-{fin}.{fout}"
            summary = _run(lists_store, lists_screener, source, output)
            assert (summary.counts.read, summary.counts.screened) == (len(QUERIES), len(QUERIES))
            assert summary.counts.rejected == 0 and summary.unknown_columns == ()
            results[fin, fout] = read_results(output, fout)
    reference = results["csv", "csv"]
    for key, rows in results.items():
        assert rows == reference, key
    matched = {(r["query_id"], r["entity_id"]) for r in reference if r["is_match"]}
    for pair in [
        ("c1", "unsc-kpi-024"),
        ("c2", "ofac-19613"),
        ("c3", "ofac-19570"),
        ("c5", "unsc-kpi-024"),
        ("c6", "ofac-906"),
    ]:
        assert pair in matched, pair
    assert "c4" not in {r["query_id"] for r in reference}  # no candidate: no row
    # one row per candidate, best first, in input order, floor respected
    order = [q["id"] for q in QUERIES]
    assert [order.index(str(r["query_id"])) for r in reference] == sorted(
        order.index(str(r["query_id"])) for r in reference
    )
    for qid in {r["query_id"] for r in reference}:
        ranks = [r for r in reference if r["query_id"] == qid]
        assert [r["rank"] for r in ranks] == list(range(1, len(ranks) + 1))
        scores = [float(r["score"]) for r in ranks]  # type: ignore[arg-type]
        assert scores == sorted(scores, reverse=True) and min(scores) >= 0.6
    first = reference[0]
    assert first["datasets"] and first["explanation"].startswith("name ")  # type: ignore[union-attr]
    assert first["query_name"] == "Kim Yong Chol" and first["suppressed"] is None


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_file_without_a_name_column_fails_before_anything_runs(tmp_path: Path, fmt: str) -> None:
    rows = [{"id": "1", "full_name": "Kim Yong Chol"}]
    source = write_queries(tmp_path / f"q.{fmt}", rows, fmt)
    output = tmp_path / "out.csv"
    # the store does not exist: building the Screener would fail with another error
    missing_store = StoreScreener(tmp_path / "no-store.duckdb")
    with pytest.raises(SourceError) as err:
        run_bulk(BulkJob(source, output), missing_store)
    assert str(source) in str(err.value) and "no 'name' column" in str(err.value)
    assert "'full_name'" in str(err.value)
    assert list(tmp_path.iterdir()) == [source]


def test_csv_bad_rows_are_rejected_with_row_and_reason(
    lists_store: Path, lists_screener: Screener, tmp_path: Path
) -> None:
    source = tmp_path / "q.csv"
    source.write_bytes(
        b"id,Name,Birth Date,imo,schema,segment\n"  # line 1 (header)
        b"r1,Kim Yong Chol,1962-02-18,,,retail\n"  # row 1
        b"r2,Paek Chang Ho,18 Feb 1962,,,\n"  # row 2: malformed date
        b'r3,"Bad"quote,,,,\n'  # row 3: bad quoting
        b"r4,,1962,,,\n"  # row 4: no name
        b"\n"  # a blank line: not a row
        b"r5,Some Ship,,1234560,Vessel,\n"  # row 5 (line 7): IMO check digit
        b"r6,Too,Many,Cells,Here,x,y\n"  # row 6: more cells than the header
        b"r7,Kim,,,Spaceship,\n"  # row 7: unknown schema
        b"r8,Kim \xff Chol,,,,\n"  # row 8: not UTF-8
        b",Korea Rungrado General Trading Corp,,,,\n"  # row 9: fine, no id
    )
    output = tmp_path / "out.jsonl"
    summary = _run(lists_store, lists_screener, source, output)
    c = summary.counts
    assert (c.read, c.screened, c.rejected) == (9, 2, 7)
    assert c.read == c.screened + c.rejected
    assert summary.unknown_columns == ("segment",)
    rejects = read_rejects(summary.rejects)
    assert summary.rejects == tmp_path / "out.jsonl.rejects.csv"
    got = {(r["row"], r["line"], r["field"]): r["reason"] for r in rejects}
    assert set(got) == {
        ("2", "3", "birth_date"),
        ("3", "4", ""),
        ("4", "5", "name"),
        ("5", "7", "imo"),
        ("6", "8", ""),
        ("7", "9", "schema"),
        ("8", "10", "name"),
    }
    assert "'18 Feb 1962' is not a date" in got["2", "3", "birth_date"]
    assert "not readable as CSV" in got["3", "4", ""]
    assert "missing" in got["4", "5", "name"]
    assert "not a ship IMO number" in got["5", "7", "imo"]
    assert "7 cells, the header has 6" in got["6", "8", ""]
    assert "unknown schema 'Spaceship'" in got["7", "9", "schema"]
    assert "not UTF-8" in got["8", "10", "name"]
    assert all(r["file"] == str(source) for r in rejects)
    assert orjson.loads(next(r["text"] for r in rejects if r["row"] == "2")) == {
        "id": "r2",
        "name": "Paek Chang Ho",
        "birth_date": "18 Feb 1962",
    }
    shown = [r.describe(str(source)) for r in c.first_rejects]
    assert shown[0] == (
        f"{source} row 2 (line 3): birth_date: '18 Feb 1962' is not a date like "
        "1962-02-18, 1962-02 or 1962"
    )
    written = read_results(output, "jsonl")
    assert {r["query_id"] for r in written} == {"r1", "9"}  # no id: its row number
    assert any(r["entity_id"] == "ofac-19613" and r["query_id"] == "9" for r in written)


def test_jsonl_bad_lines_are_rejected_with_line_number(
    lists_store: Path, lists_screener: Screener, tmp_path: Path
) -> None:
    source = tmp_path / "q.ndjson"
    source.write_bytes(
        b'{"id": "j1", "name": "Choe Ryong Hae", "extra": 1}\n'  # line 1
        b'{"id": "j2", "name": "Kim Yong Chol",\n'  # line 2: not JSON
        b'["Kim Yong Chol"]\n'  # line 3: not an object
        b"\n"  # line 4: blank
        b'{"id": "j5", "name": ["Kim", "Yong"]}\n'  # line 5: a list as the name
        b'{"id": "j6", "name": "Kim Yong Chol", "gender": "x"}\n'  # line 6: gender
        b'{"id": "j7", "name": "HAVIN BANK", "imo": null, "Country": "GB"}\n'  # line 7
        b'"Kim Yong Chol"\n'  # line 8: a string, not an object
    )
    summary = _run(lists_store, lists_screener, source, tmp_path / "out.parquet")
    c = summary.counts
    assert (c.read, c.screened, c.rejected) == (7, 2, 5)
    assert summary.unknown_columns == ("extra",)
    got = {(r["row"], r["field"]): r for r in read_rejects(summary.rejects)}
    assert set(got) == {("2", ""), ("3", ""), ("5", "name"), ("6", "gender"), ("8", "")}
    assert got["2", ""]["reason"].startswith("not valid JSON")
    assert got["2", ""]["text"] == '{"id": "j2", "name": "Kim Yong Chol",'
    assert got["3", ""]["reason"] == "a JSON array, not an object of query fields"
    assert got["8", ""]["reason"] == "a JSON string, not an object of query fields"
    assert "list is not a single value" in got["5", "name"]["reason"]
    assert "'x' is not a gender" in got["6", "gender"]["reason"]
    assert all(r["line"] == "" for r in got.values())  # the row is the line
    ids = {r["query_id"] for r in read_results(tmp_path / "out.parquet", "parquet")}
    assert ids == {"j1", "j7"}


def test_parquet_typed_columns_are_read_as_query_text(
    lists_store: Path, lists_screener: Screener, tmp_path: Path
) -> None:
    source = tmp_path / "typed.parquet"
    table = pa.table(
        {
            "name": ["EVER BRIGHT 88", "Kim Yong Chol", "Kim Yong Chol", "Ship"],
            "DOB": pa.array([None, dt.date(1962, 2, 18), dt.date(1947, 1, 1), None]),
            "IMO": pa.array([8914934, None, None, 1234560], pa.int64()),
            "tags": pa.array([["a"], [], ["b"], []], pa.list_(pa.string())),
        }
    )
    pq.write_table(table, source)
    summary = _run(lists_store, lists_screener, source, tmp_path / "out.csv")
    assert (summary.counts.screened, summary.counts.rejected) == (3, 1)
    assert summary.unknown_columns == ("tags",)  # ignored, never read
    [rejected] = read_rejects(summary.rejects)
    assert (rejected["row"], rejected["field"]) == ("4", "imo")
    rows = read_results(tmp_path / "out.csv", "csv")
    vessel = [r for r in rows if r["query_id"] == "1"]
    assert vessel[0]["entity_id"] == "ofac-19570" and "imo" in str(vessel[0]["explanation"])
    # the dates were read as dates: the 1962 query matches the UN entry born that day
    born_1962 = {r["entity_id"]: r for r in rows if r["query_id"] == "2"}
    born_1947 = {r["entity_id"]: r for r in rows if r["query_id"] == "3"}
    assert born_1962["unsc-kpi-024"]["is_match"] is True
    assert "unsc-kpi-024" not in born_1947 or born_1947["unsc-kpi-024"]["is_match"] is False


def test_formats_from_the_extension_or_given(
    lists_store: Path, lists_screener: Screener, tmp_path: Path
) -> None:
    source = write_queries(tmp_path / "queries.txt", QUERIES[:2], "jsonl")
    with pytest.raises(SourceError, match=r"queries\.txt: cannot tell the format"):
        _run(lists_store, lists_screener, source, tmp_path / "out.csv")
    with pytest.raises(SourceError, match="unknown format 'ods'"):
        _run(lists_store, lists_screener, source, tmp_path / "o.csv", input_format="ods")
    output = tmp_path / "results.data"
    summary = _run(
        lists_store,
        lists_screener,
        source,
        output,
        input_format="jsonl",
        output_format="parquet",
    )
    assert summary.output_format == "parquet" and summary.counts.screened == 2
    assert pq.read_table(output).num_rows == summary.counts.candidates > 0


def test_output_where_it_cannot_be_written(
    lists_store: Path, lists_screener: Screener, tmp_path: Path
) -> None:
    source = write_queries(tmp_path / "q.csv", QUERIES[:1], "csv")
    with pytest.raises(BulkError, match="does not exist"):
        _run(lists_store, lists_screener, source, tmp_path / "missing" / "out.csv")
    with pytest.raises(BulkError, match="would overwrite the input"):
        _run(lists_store, lists_screener, source, source)
    assert source.read_text(encoding="utf-8").startswith("id,name")


def test_csv_separator_bom_and_column_names_are_read_as_spreadsheets_write_them(
    tmp_path: Path,
) -> None:
    source = tmp_path / "excel.csv"
    source.write_bytes(
        "\ufeffName;DOB;Registration Number;Notes\r\nKIM, Yong Chol;1962-02-18;;a;b\r\n".encode()
        + "Société Générale;;552120222;\r\n".encode()
    )
    reader = CsvReader(source)
    assert reader.separator == ";"
    assert reader.columns.fields == {
        "Name": "name",
        "DOB": "birth_date",
        "Registration Number": "registration_number",
    }
    assert reader.unknown_columns() == ("Notes",)
    first, second = reader.rows()
    assert first.problem == "5 cells, the header has 4" and first.line == 2
    assert second.values == {"name": "Société Générale", "registration_number": "552120222"}
    assert (second.row, second.line) == (2, 3)
    with pytest.raises(SourceError, match="'DOB' and 'birth_date' are both"):
        (tmp_path / "two.csv").write_text("name,DOB,birth_date\n", encoding="utf-8")
        CsvReader(tmp_path / "two.csv")
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(SourceError, match=r"empty\.csv, line 1: empty"):
        CsvReader(tmp_path / "empty.csv")
