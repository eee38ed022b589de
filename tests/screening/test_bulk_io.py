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
    # no candidate: one row, status clear, no entity, rank or score
    [clear] = [r for r in reference if r["query_id"] == "c4"]
    assert clear["status"] == "clear" and clear["entity_id"] is None
    assert (clear["rank"], clear["score"], clear["datasets"], clear["is_match"]) == (
        None,
        None,
        [],
        False,
    )
    assert clear["explanation"] == "nothing on the lists scored 0.60 or more"
    assert {r["query_id"] for r in reference} == {q["id"] for q in QUERIES}  # every query
    assert all(r["warnings"] == [] for r in reference)
    assert {r["status"] for r in reference} <= {"alert", "review", "clear"}
    assert all((r["status"] == "alert") == r["is_match"] for r in reference)
    # one row per candidate, best first, in input order, floor respected
    order = [q["id"] for q in QUERIES]
    assert [order.index(str(r["query_id"])) for r in reference] == sorted(
        order.index(str(r["query_id"])) for r in reference
    )
    for qid in {r["query_id"] for r in reference} - {"c4"}:
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


def test_csv_rows_are_screened_on_what_can_be_read_and_rejected_only_without_a_name(
    lists_store: Path, lists_screener: Screener, tmp_path: Path
) -> None:
    source = tmp_path / "q.csv"
    source.write_bytes(
        b"id,Name,Birth Date,imo,schema,segment\n"  # line 1 (header)
        b"r1,Kim Yong Chol,1962-02-18,,,retail\n"  # row 1
        b"r2,Paek Chang Ho,18 Feb 1962,,,\n"  # row 2: OFAC's date style, read
        b'r3,"Bad"quote,,,,\n'  # row 3: bad quoting: not readable
        b"r4,,1962,,,\n"  # row 4: no name
        b"\n"  # a blank line: not a row
        b"r5,Some Ship,,1234560,Vessel,\n"  # row 5 (line 7): IMO check digit
        b"r6,Too,Many,Cells,Here,x,y\n"  # row 6: more cells than the header
        b"r7,Kim,,,Spaceship,\n"  # row 7: unknown schema
        b"r8,M\xfcller Chol,,,,\n"  # row 8: not UTF-8 (Windows-1252)
        b",Korea Rungrado General Trading Corp,,,,\n"  # row 9: fine, no id
        b"r10,***,1962,,\n"  # row 10: no letter or digit, and a missing cell
    )
    output = tmp_path / "out.jsonl"
    summary = _run(lists_store, lists_screener, source, output)
    c = summary.counts
    assert (c.read, c.screened, c.rejected, c.with_warnings) == (10, 7, 3, 4)
    assert c.read == c.screened + c.rejected
    assert c.warnings_by_field == {"row": 1, "birth_date": 1, "imo": 2, "schema": 2, "name": 1}
    assert summary.unknown_columns == ("segment",)
    rejects = read_rejects(summary.rejects)
    assert summary.rejects == tmp_path / "out.jsonl.rejects.csv"
    got = {(r["row"], r["line"], r["field"]): r["reason"] for r in rejects}
    assert set(got) == {("3", "4", ""), ("4", "5", "name"), ("10", "12", "name")}
    assert "not readable as CSV" in got["3", "4", ""]
    assert "missing" in got["4", "5", "name"]
    assert got["10", "12", "name"] == "'***' has no letter or digit: there is nothing to screen"
    assert all(r["file"] == str(source) for r in rejects)
    assert orjson.loads(next(r["text"] for r in rejects if r["row"] == "4")) == {
        "id": "r4",
        "birth_date": "1962",
    }
    shown = [r.describe(str(source)) for r in c.first_rejects]
    assert shown[1] == f"{source} row 4 (line 5): name: missing (every query needs a name)"
    written = read_results(output, "jsonl")
    by_id: dict[str, list[dict[str, object]]] = {}
    for r in written:
        by_id.setdefault(str(r["query_id"]), []).append(r)
    assert set(by_id) == {"r1", "r2", "r5", "r6", "r7", "r8", "9"}  # no id: its row number
    assert any(r["entity_id"] == "ofac-19613" for r in by_id["9"])
    assert by_id["r1"][0]["warnings"] == [] and by_id["r2"][0]["warnings"] == []
    (imo,) = by_id["r5"][0]["warnings"]  # type: ignore[misc]
    assert imo.startswith("imo '1234560' set aside: 1234560 fails the IMO check digit")
    extra, schema6, date, imo6 = by_id["r6"][0]["warnings"]  # type: ignore[misc]
    assert extra == "row 'y' set aside: 7 cells where the header has 6: the extra cells"
    assert date.startswith("birth_date 'Many' set aside:")
    assert imo6.startswith("imo 'Cells' set aside: not an IMO number")
    assert schema6.startswith("schema 'Here' set aside: unknown schema")
    (schema,) = by_id["r7"][0]["warnings"]  # type: ignore[misc]
    assert schema.startswith("schema 'Spaceship' set aside: unknown schema")
    assert "screened as any kind of entity" in schema
    (encoding,) = by_id["r8"][0]["warnings"]  # type: ignore[misc]
    assert encoding == (
        "name 'Müller Chol': not UTF-8 text: read as Windows-1252 (save the file as UTF-8)"
    )
    assert all(r["query_name"] == "Müller Chol" for r in by_id["r8"])
    # every warning is on every row of its query, and in the summary
    assert all(r["warnings"] == rows[0]["warnings"] for rows in by_id.values() for r in rows)
    assert [w.row for w in c.first_warned] == [5, 6, 7, 8]
    record = orjson.loads(summary.run_record.read_bytes())
    assert record["counts"]["with_warnings"] == 4 and record["counts"]["rejected"] == 3
    assert [w["row"] for w in record["first_rows"]["warned"]] == [5, 6, 7, 8]
    assert record["first_rows"]["rejected"][1] == {
        "row": 4,
        "line": 5,
        "field": "name",
        "reason": "missing (every query needs a name)",
    }


def test_jsonl_lines_are_screened_on_what_can_be_read(
    lists_store: Path, lists_screener: Screener, tmp_path: Path
) -> None:
    source = tmp_path / "q.ndjson"
    source.write_bytes(
        b'{"id": "j1", "name": "Choe Ryong Hae", "extra": 1}\n'  # line 1
        b'{"id": "j2", "name": "Kim Yong Chol",\n'  # line 2: not JSON
        b'["Kim Yong Chol"]\n'  # line 3: not an object
        b"\n"  # line 4: blank
        b'{"id": "j5", "name": ["Kim", "Yong"]}\n'  # line 5: a list as the name
        b'{"id": "j6", "name": "Kim Yong Chol", "gender": "q", "dob": [1962]}\n'  # line 6
        b'{"id": "j7", "name": "HAVIN BANK", "imo": null, "Country": "GB"}\n'  # line 7
        b'"Kim Yong Chol"\n'  # line 8: a string, not an object
    )
    summary = _run(lists_store, lists_screener, source, tmp_path / "out.parquet")
    c = summary.counts
    assert (c.read, c.screened, c.rejected, c.with_warnings) == (7, 3, 4, 1)
    assert summary.unknown_columns == ("extra",)
    got = {(r["row"], r["field"]): r for r in read_rejects(summary.rejects)}
    assert set(got) == {("2", ""), ("3", ""), ("5", "name"), ("8", "")}
    assert got["2", ""]["reason"].startswith("not valid JSON")
    assert got["2", ""]["text"] == '{"id": "j2", "name": "Kim Yong Chol",'
    assert got["3", ""]["reason"] == "a JSON array, not an object of query fields"
    assert got["8", ""]["reason"] == "a JSON string, not an object of query fields"
    assert "list is not a single value" in got["5", "name"]["reason"]
    assert all(r["line"] == "" for r in got.values())  # the row is the line
    rows = read_results(tmp_path / "out.parquet", "parquet")
    assert {r["query_id"] for r in rows} == {"j1", "j6", "j7"}
    j6 = [r for r in rows if r["query_id"] == "j6"]
    assert j6[0]["warnings"] == [
        "birth_date '[1962]' set aside: a list is not a single value",
        "gender 'q' set aside: not a gender (male, female, m, f)",
    ]
    assert any(r["entity_id"] == "unsc-kpi-024" and r["is_match"] for r in j6)


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
    assert (summary.counts.screened, summary.counts.rejected) == (4, 0)
    assert summary.unknown_columns == ("tags",)  # ignored, never read
    assert read_rejects(summary.rejects) == []
    rows = read_results(tmp_path / "out.csv", "csv")
    ship = [r for r in rows if r["query_id"] == "4"]
    assert ship and all(r["warnings"] == ship[0]["warnings"] for r in ship)
    assert ship[0]["warnings"] == [
        "imo '1234560' set aside: 1234560 fails the IMO check digit (a typo?): a ship IMO "
        "number's seventh digit is the check of the first six"
    ]
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
    assert first.problem is None and first.line == 2
    assert first.values == {"name": "KIM, Yong Chol", "birth_date": "1962-02-18"}
    assert [str(w) for w in first.warnings] == [
        "row 'b' set aside: 5 cells where the header has 4: the extra cells"
    ]
    assert second.values == {"name": "Société Générale", "registration_number": "552120222"}
    assert (second.row, second.line) == (2, 3)
    with pytest.raises(SourceError, match="'DOB' and 'birth_date' are both"):
        (tmp_path / "two.csv").write_text("name,DOB,birth_date\n", encoding="utf-8")
        CsvReader(tmp_path / "two.csv")
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(SourceError, match=r"empty\.csv, line 1: empty"):
        CsvReader(tmp_path / "empty.csv")
