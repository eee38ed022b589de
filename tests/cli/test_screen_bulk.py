"""``hermit screen`` (one name and --file) and ``hermit suppress`` through the real
program, on the real lists."""

from __future__ import annotations

from pathlib import Path

import orjson
import pyarrow.parquet as pq
import pytest

from tests.cli.helpers import hermit
from tests.stores import copy_store


def _flat(text: str) -> str:
    """Table text on one line, borders and wrapping gone (cells wrap at any width)."""
    for border in "│┃┆":
        text = text.replace(border, " ")
    return " ".join(text.split())


@pytest.fixture()
def queries(tmp_path: Path) -> Path:
    path = tmp_path / "customers.csv"
    path.write_text(
        "Customer ID,Name,DOB,Schema,Segment\n"
        "C-1,Kim Yong Chol,1962-02-18,Person,retail\n"
        "C-2,Jane Quill,1980,,retail\n"
        "C-3,EVER BRIGT 88,,Vessel,shipping\n"
        "C-4,Paek Chang Ho,18/06/1964,,retail\n"
        ",Korea Rungrado General Trading Corp,,,trade\n"
        "C-6,N/A,1970,,retail\n",
        encoding="utf-8",
    )
    return path


def test_bulk_file_to_parquet_with_two_workers(
    lists_store: Path, queries: Path, tmp_path: Path
) -> None:
    output = tmp_path / "results.parquet"
    proc = hermit(
        lists_store,
        "screen",
        "--file",
        str(queries),
        "-o",
        str(output),
        "--workers",
        "2",
        check=False,
    )
    assert proc.returncode == 3  # a row was rejected; the files are written
    out = _flat(proc.stdout)
    for text in (
        "queries read 6",
        "screened 5",
        "with warnings 0",
        "clear (no candidate) 1",
        "rejected 1",
        f"results: {output}",
        f"rejects: {output}.rejects.csv",
        f"run record: {output}.run.json",
        "ignored columns (no query field): 'Customer ID', 'Segment'",
        f"rejected {queries} row 6 (line 7): name: 'N/A' says the name is not known",
        "algorithm hermit-screen@5",
        "un_sc_sanctions v1",
    ):
        assert text in out, text
    rows = pq.read_table(output).to_pylist()
    assert {r["query_id"] for r in rows} == {"1", "2", "3", "4", "5"}  # no id: row numbers
    assert [r["status"] for r in rows if r["query_id"] == "2"] == ["clear"]  # Jane Quill
    assert any(r["query_id"] == "4" and r["entity_id"] for r in rows)  # 18/06/1964 read
    assert any(r["query_id"] == "5" and r["entity_id"] == "ofac-19613" for r in rows)
    record = orjson.loads((tmp_path / "results.parquet.run.json").read_bytes())
    assert record["workers"] == 2 and record["counts"]["rejected"] == 1


def test_bulk_json_prints_the_run_record(lists_store: Path, queries: Path, tmp_path: Path) -> None:
    output = tmp_path / "results.jsonl"
    proc = hermit(
        lists_store,
        "screen",
        "--file",
        str(queries),
        "-o",
        str(output),
        "--workers",
        "1",
        "--json",
        "--limit",
        "1",
        check=False,
    )
    assert proc.returncode == 3
    printed = orjson.loads(proc.stdout)
    assert printed == orjson.loads((tmp_path / "results.jsonl.run.json").read_bytes())
    assert printed["limit"] == 1 and printed["counts"]["queries_read"] == 6
    rows = [orjson.loads(line) for line in output.read_bytes().splitlines()]
    assert len(rows) == 5 and all(r["rank"] == 1 or r["status"] == "clear" for r in rows)


def test_bulk_file_without_a_name_column(lists_store: Path, tmp_path: Path) -> None:
    source = tmp_path / "people.csv"
    source.write_text("id,full_name\n1,Kim Yong Chol\n", encoding="utf-8")
    proc = hermit(
        lists_store, "screen", "--file", str(source), "-o", str(tmp_path / "out.csv"), check=False
    )
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        f"error: {source}, line 1: no 'name' column (columns found: 'id', 'full_name'); "
        "the query columns are name, id, schema, birth_date, nationality, country, passport, "
        "registration_number, imo, mmsi, gender"
    ]
    assert "Traceback" not in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["people.csv"]


def test_one_name_with_identifiers_as_json(lists_store: Path) -> None:
    proc = hermit(
        lists_store, "screen", "EVER BRIGHT 88", "--schema", "vessel", "--imo", "8914934", "--json"
    )
    data = orjson.loads(proc.stdout)
    assert data["query"] == {"name": "EVER BRIGHT 88", "schema": "Vessel", "imo": "8914934"}
    assert data["run"]["algorithm"] == "hermit-screen@5"
    top = data["matches"][0]
    assert top["entity_id"] == "ofac-19570" and top["is_match"] and top["alert"]
    assert any(c["feature"].startswith("imo") for c in top["contributions"])


@pytest.mark.parametrize(
    ("args", "option", "problem"),
    [
        (["--file", "q.csv"], "NAME", "not both"),
        (["--output", "o.csv"], "--output", "applies to --file only"),
    ],
)
def test_bad_options_name_the_option(
    tmp_path: Path, args: list[str], option: str, problem: str
) -> None:
    proc = hermit(tmp_path / "none.duckdb", "screen", "Kim", *args, check=False)
    err = " ".join(proc.stderr.replace("│", " ").split())
    assert proc.returncode == 2 and option in err and problem in err, err
    assert not (tmp_path / "none.duckdb").exists()


def test_suppress_add_list_remove_and_screen(lists_store: Path, tmp_path: Path) -> None:
    store = tmp_path / "store.duckdb"
    copy_store(lists_store, store)
    added = hermit(
        store,
        "suppress",
        "add",
        "--entity",
        "ofac-906",
        "--name",
        "havin bank ltd",
        "--by",
        "alice",
        "--reason",
        "a café in Leeds",
    )
    assert "suppressed ofac-906 (us_ofac_sdn version 1): reviewed not a match by alice" in (
        _flat(added.stdout)
    )
    listed = _flat(hermit(store, "suppress", "list").stdout)
    assert "ofac-906" in listed and "name havin bank ltd" in listed and "alice" in listed
    screened = _flat(hermit(store, "screen", "HAVIN BANK LTD", "--limit", "1").stdout)
    assert "ofac-906" in screened and "suppressed" in screened and "MATCH" not in screened
    assert "reviewed not a match by alice" in screened and "a café in Leeds" in screened
    missing = hermit(
        store,
        "suppress",
        "remove",
        "--entity",
        "ofac-906",
        "--name",
        "other",
        "--by",
        "bob",
        check=False,
    )
    assert missing.returncode == 1
    assert missing.stderr.strip() == (
        "error: no standing suppression of 'ofac-906' for query name 'other'"
    )
    hermit(
        store,
        "suppress",
        "remove",
        "--entity",
        "ofac-906",
        "--name",
        "Havin Bank Ltd",
        "--by",
        "bob",
    )
    assert "no suppressions recorded" in hermit(store, "suppress", "list").stdout
    trail = [
        orjson.loads(line)
        for line in hermit(store, "suppress", "list", "--all", "--json").stdout.splitlines()
    ]
    assert [(t["by"], t["removed_by"]) for t in trail] == [("alice", "bob")]
    bad = hermit(
        store,
        "suppress",
        "add",
        "--entity",
        "no-such",
        "--query-id",
        "7",
        "--by",
        "alice",
        "--reason",
        "x",
        check=False,
    )
    assert bad.returncode == 1 and "no entity 'no-such'" in bad.stderr
