"""``hermit screen`` on messy customer data, through the real program on the real lists:
every row with a usable name is screened on what can be read (the rest set aside with a
warning naming the field, the value and why), every screened row is in the results
(``clear`` when nothing reached the floor), only rows without a name are rejected, and
the exit code says so."""

from __future__ import annotations

import csv
from pathlib import Path

import orjson
import pyarrow.parquet as pq

from tests.cli.helpers import hermit

#: KIM YONG CHOL (UN KPi.024) was born on 18 February 1962: the same date as customer
#: files write it, each expected to agree with the listed day (or be consistent).
SAME_DAY = [
    "1962-02-18",
    "1962-2-18",
    "18/02/1962",
    "02/18/1962",
    "18.02.1962",
    "18-Feb-1962",
    "18 Feb 1962",
    "February 18, 1962",
    "18 février 1962",
    "18 февраля 1962 г.",
    "1962-02-18 00:00:00",
    "18/02/62",
]
CONSISTENT = ["1962", "1962-02", "Feb 1962", "circa 1962", "1960-1965"]
HEADER = ["id", "name", "dob", "nationality", "imo", "schema", "notes"]


def _write(path: Path) -> Path:
    rows: list[list[str]] = []
    rows += [[f"d{i}", "Kim Yong Chol", d, "", "", "Person", ""] for i, d in enumerate(SAME_DAY)]
    rows += [[f"p{i}", "Kim Yong Chol", d, "", "", "", ""] for i, d in enumerate(CONSISTENT)]
    rows += [
        ["bad-day", "Kim Yong Chol", "1974-01-32", "", "", "", ""],
        ["bad-month", "Kim Yong Chol", "1968-13-30", "", "", "", ""],
        ["ambiguous", "RYU JIN", "07/08/1965", "", "", "", ""],  # listed 7 August 1965
        ["country", "Kim Yong Chol", "", "Nort Korea", "", "", ""],
        ["iso", "Kim Yong Chol", "", "xx", "", "", ""],
        ["imo", "EVER BRIGHT 88", "", "", "8914935", "Vessel", ""],
        ["schema", "Kim Yong Chol", "", "", "", "Persn", ""],
        ["extra", "Kim Yong Chol", "1962-02-18", "", "", "", "vip", "shifted?"],
        ["missing", "Kim Yong Chol", "1962-02-18"],
        ["clear", "Margarethe Vandersloot", "1980-03-04", "Netherlands", "", "", ""],
        ["no-name", "", "1962-02-18", "", "", "", ""],
        ["placeholder", "N/A", "", "", "", "", ""],
        ["symbols", "***", "", "", "", "", ""],
    ]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def test_every_row_is_screened_or_rejected_with_a_reason(lists_store: Path, tmp_path: Path) -> None:
    source = _write(tmp_path / "customers.csv")
    output = tmp_path / "results.parquet"
    proc = hermit(lists_store, "screen", "--file", str(source), "-o", str(output), check=False)
    assert proc.returncode == 3, proc.stderr  # rows were rejected: an unattended job notices
    assert "3 row(s) rejected" in proc.stderr and "exit code 3" in proc.stderr
    rows = pq.read_table(output).to_pylist()
    by_id: dict[str, list[dict[str, object]]] = {}
    for r in rows:
        by_id.setdefault(str(r["query_id"]), []).append(r)
    read = len(SAME_DAY) + len(CONSISTENT) + 13
    assert len(by_id) == read - 3  # every screened row is in the results
    assert {"no-name", "placeholder", "symbols"}.isdisjoint(by_id)

    def kim(qid: str) -> dict[str, object]:
        return next(r for r in by_id[qid] if r["entity_id"] == "unsc-kpi-024")

    for i, text in enumerate(SAME_DAY):
        found = kim(f"d{i}")
        assert "birth_date +0.10: born on the listed date 1962-02-18" in str(
            found["explanation"]
        ), text
        assert found["status"] == "alert"
        warnings = found["warnings"]
        assert warnings == ([] if text != "18/02/62" else [
            "birth_date '18/02/62': two-digit year 62 read as 1962 (30-99 are 1930-1999, "
            "00-29 are 2000-2029); write the year in four digits to be sure"
        ]), text  # fmt: skip
    for i, text in enumerate(CONSISTENT):
        explanation = str(kim(f"p{i}")["explanation"])
        assert "birth_date +0.05:" in explanation and "consistent with listed" in explanation, text
    assert "circa 1962 is consistent" in str(kim("p3")["explanation"])
    assert "(the given range 1960-1965: 1962 fits best)" in str(kim("p4")["explanation"])
    for qid, text, why in [
        ("bad-day", "1974-01-32", "there is no day 32 in January 1974 (it has 31 days)"),
        ("bad-month", "1968-13-30", "there is no month 13"),
    ]:
        found = kim(qid)
        assert found["warnings"] == [f"birth_date '{text}' set aside: {why}"]
        assert "birth_date" not in str(found["explanation"])  # screened without it
    ryu = next(r for r in by_id["ambiguous"] if r["entity_id"] == "unsc-kpi-027")
    assert "born on the listed date 1965-08-07" in str(ryu["explanation"])
    assert "the date 07/08/1965 is ambiguous: read as 1965-08-07" in str(ryu["explanation"])
    assert ryu["warnings"] == [
        "birth_date '07/08/1965': day and month can be read either way: compared as "
        "7 August 1965 or 8 July 1965"
    ]
    assert kim("country")["warnings"] == [
        "nationality 'Nort Korea' set aside: not a country (did you mean North Korea (kp)? "
        "use a name or an ISO code: kp, ru)"
    ]
    assert kim("iso")["warnings"] == [
        "nationality 'xx' set aside: not a country (use a name or an ISO code: kp, ru)"
    ]
    ship = by_id["imo"][0]
    assert ship["entity_id"] == "ofac-19570" and ship["status"] == "alert"  # by name
    (imo,) = ship["warnings"]  # type: ignore[misc]
    assert imo.startswith("imo '8914935' set aside: 8914935 fails the IMO check digit")
    (schema,) = kim("schema")["warnings"]  # type: ignore[misc]
    assert schema.startswith("schema 'Persn' set aside: unknown schema (did you mean Person?")
    assert kim("extra")["warnings"] == [
        "row 'shifted?' set aside: 8 cells where the header has 7: the extra cells"
    ]
    assert kim("missing")["warnings"] == [
        "row: 3 cells where the header has 7: no 'nationality', 'imo', 'schema', 'notes'"
    ]
    assert kim("missing")["status"] == "alert"
    [clear] = by_id["clear"]
    assert (clear["status"], clear["entity_id"], clear["rank"], clear["score"]) == (
        "clear",
        None,
        None,
        None,
    )
    statuses = {str(r["status"]) for r in rows}
    assert statuses <= {"alert", "review", "suppressed", "clear"} and "review" in statuses
    with (tmp_path / "results.parquet.rejects.csv").open(encoding="utf-8") as fh:
        rejects = {r["row"]: r for r in csv.DictReader(fh)}
    assert {r["field"] for r in rejects.values()} == {"name"}
    assert [r["reason"] for r in rejects.values()] == [
        "missing (every query needs a name)",
        "'N/A' says the name is not known: there is nothing to screen",
        "'***' has no letter or digit: there is nothing to screen",
    ]
    record = orjson.loads((tmp_path / "results.parquet.run.json").read_bytes())
    counts = record["counts"]
    assert (counts["queries_read"], counts["screened"], counts["rejected"]) == (read, read - 3, 3)
    assert counts["clear"] == 1
    assert counts["with_warnings"] == 10  # a 2-digit year, 2 impossible dates, ...
    assert counts["warnings_by_field"] == {
        "birth_date": 4,
        "imo": 1,
        "nationality": 2,
        "row": 2,
        "schema": 1,
    }
    printed = " ".join(proc.stdout.replace("│", " ").split())
    for text in ("with warnings 10", "clear (no candidate) 1", "rejected 3"):
        assert text in printed, text
    assert "warnings by field: birth_date 4, imo 1, nationality 2, row 2, schema 1" in printed


def test_one_name_with_unreadable_options_is_screened_with_warnings(lists_store: Path) -> None:
    proc = hermit(
        lists_store,
        "screen",
        "Kim Yong Chol",
        "--dob",
        "1962-02-30",
        "--nationality",
        "Atlantis",
        "--gender",
        "q",
        "--schema",
        "Persn",
        "--imo",
        "1234560",
        "--json",
    )
    data = orjson.loads(proc.stdout)
    assert data["query"] == {"name": "Kim Yong Chol"}
    assert [(w["field"], w["value"], w["set_aside"]) for w in data["warnings"]] == [
        ("schema", "Persn", True),
        ("birth_date", "1962-02-30", True),
        ("nationality", "Atlantis", True),
        ("imo", "1234560", True),
        ("gender", "q", True),
    ]
    assert any(m["entity_id"] == "unsc-kpi-024" and m["is_match"] for m in data["matches"])
    table = hermit(lists_store, "screen", "Kim Yong Chol", "--dob", "18/02/62")
    err = " ".join(table.stderr.split())
    assert "warning --dob '18/02/62': two-digit year 62 read as 1962" in err
    assert "unsc-kpi-024" in table.stdout


def test_a_name_that_cannot_be_screened_is_a_bad_argument(tmp_path: Path) -> None:
    proc = hermit(tmp_path / "none.duckdb", "screen", "***", check=False)
    err = " ".join(proc.stderr.replace("│", " ").split())
    assert proc.returncode == 2 and "NAME" in err and "has no letter or digit" in err, err
