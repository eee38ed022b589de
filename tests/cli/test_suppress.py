"""``hermit suppress`` with the reviewed facts, through the real program on the real
lists: the Kim Yong Chol born 1962 / born 1946 case, a bulk file, two real OFAC versions
between which one of the two listed KIM Yong Chol changed, and an old store."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import duckdb
import orjson
import pytest

from tests.cli.helpers import hermit
from tests.cli.test_screen_bulk import _flat
from tests.stores import copy_store

CIRCA_1947 = "ofac-12211"
BORN_1962 = "ofac-17614"


def _matches(store: Path, *args: str) -> dict[str, dict[str, Any]]:
    found = orjson.loads(hermit(store, "screen", *args, "--json", "--limit", "10").stdout)
    return {m["entity_id"]: m for m in found["matches"]}


@pytest.fixture()
def store(lists_store: Path, tmp_path: Path) -> Path:
    path = tmp_path / "store.duckdb"
    copy_store(lists_store, path)
    return path


def test_a_decision_with_facts_suppresses_only_the_reviewed_customer(
    store: Path, tmp_path: Path
) -> None:
    added = hermit(
        store,
        *("suppress", "add", "--entity", CIRCA_1947, "--name", "Kim Yong Chol"),
        *("--dob", "1962-02-18", "--by", "alice", "--reason", "ours born 1962, not c. 1947"),
    )
    assert f"suppressed {CIRCA_1947} (us_ofac_sdn version 1): reviewed not a match by alice" in (
        _flat(added.stdout)
    )
    assert "for birth date 1962-02-18: ours born 1962" in _flat(added.stdout)

    other = _matches(store, "Kim Yong Chol", "--dob", "1946")[CIRCA_1947]
    assert other["is_match"] and other["alert"] and other["suppressed"] is None
    assert other["lapsed"].endswith(
        "for birth date 1962-02-18; this query's birth date 1946 differs: alerting again"
    )
    table = _flat(hermit(store, "screen", "Kim Yong Chol", "--dob", "1946").stdout)
    assert "decision lapsed: reviewed not a match by alice" in table and "MATCH" in table

    listed = _flat(hermit(store, "suppress", "list").stdout)
    for shown in (CIRCA_1947, "us_ofac_sdn version 1", "name Kim Yong Chol", "alice"):
        assert shown in listed
    assert "birth date 1962-02-18" in listed
    decision = orjson.loads(hermit(store, "suppress", "list", "--json").stdout)
    assert decision["facts"] == {"birth_date": "1962-02-18"}
    assert (decision["dataset"], decision["list_seq"]) == ("us_ofac_sdn", 1)
    assert len(decision["entity_fingerprint"]) == 64

    # a bulk file: the reviewed row is suppressed, the other Kim alerts and says why
    customers = tmp_path / "customers.csv"
    customers.write_text(
        'id,name,dob\nC-1,"KIM, Yong-Chol",1962-02-18\nC-2,Kim Yong Chol,1946\n',
        encoding="utf-8",
    )
    out = tmp_path / "results.csv"
    hermit(store, "screen", "--file", str(customers), "-o", str(out), "--workers", "1")
    with out.open(encoding="utf-8", newline="") as fh:
        rows = {(r["query_id"], r["entity_id"]): r for r in csv.DictReader(fh)}
    reviewed = rows["C-1", CIRCA_1947]
    assert reviewed["suppressed"].endswith("for birth date 1962-02-18: ours born 1962, not c. 1947")
    assert not reviewed["lapsed"]
    assert not rows["C-2", CIRCA_1947]["suppressed"]
    assert "this query's birth date 1946 differs" in rows["C-2", CIRCA_1947]["lapsed"]
    counts = orjson.loads((tmp_path / "results.csv.run.json").read_bytes())["counts"]
    assert (counts["suppressed"], counts["lapsed"]) == (1, 1)


def test_facts_are_read_as_screen_reads_them(store: Path) -> None:
    base = ("suppress", "add", "--entity", "ofac-906", "--name", "Havin Bank", "--by", "a")
    bad = hermit(store, *base, "--reason", "r", "--dob", "1962-13-45", check=False)
    assert bad.returncode != 0 and "--dob" in bad.stderr
    bad = hermit(store, *base, "--reason", "r", "--imo", "1234568", check=False)
    assert bad.returncode != 0 and "--imo" in bad.stderr
    hermit(
        store,
        *base,
        *("--reason", "r", "--country", "United Kingdom", "--schema", "company"),
        *("--registration", "01234567"),
    )
    decision = orjson.loads(hermit(store, "suppress", "list", "--json").stdout)
    assert decision["facts"] == {
        "schema": "Company",
        "country": "gb",
        "registration_number": "01234567",
    }


def test_a_decision_resurfaces_when_ofac_changes_the_listed_entity(
    shared_lists: Path, tmp_path: Path
) -> None:
    """Between the OFAC files of 2019-01-15 and mid-2021, KIM Yong Chol born circa 1947
    gained four aliases; the KIM Yong Chol born 1962-02-18 did not change."""
    store = tmp_path / "ofac.duckdb"
    older = str(shared_lists / "ofac_sdn_2019-01-15.csv")  # alone, published without end mark
    flags = ("--no-end-mark", "--companions", "none", "--allow-large-change")
    hermit(store, "lists", "load", older, *flags)
    for entity, dob in ((CIRCA_1947, "1962-02-18"), (BORN_1962, "1946")):
        hermit(
            store,
            *("suppress", "add", "--entity", entity, "--name", "Kim Yong Chol", "--dob", dob),
            *("--by", "alice", "--reason", f"ours born {dob}"),
        )
    hermit(store, "lists", "load", str(shared_lists / "ofac_sdn.csv"))

    customers = tmp_path / "customers.csv"
    customers.write_text(
        "id,name,dob\nC-1,Kim Yong Chol,1962-02-18\nC-2,Kim Yong Chol,1946\n", encoding="utf-8"
    )
    out = tmp_path / "results.csv"
    hermit(store, "screen", "--file", str(customers), "-o", str(out), "--workers", "1")
    with out.open(encoding="utf-8", newline="") as fh:
        rows = {(r["query_id"], r["entity_id"]): r for r in csv.DictReader(fh)}
    changed = rows["C-1", CIRCA_1947]
    assert not changed["suppressed"]
    assert changed["lapsed"].endswith(
        "for birth date 1962-02-18; the listed entity changed since the review "
        "(us_ofac_sdn version 1 -> 2): alerting again"
    )
    unchanged = rows["C-2", BORN_1962]
    assert unchanged["suppressed"].endswith("for birth date 1946: ours born 1946")
    assert not unchanged["lapsed"]
    listed = _flat(hermit(store, "suppress", "list").stdout)
    assert listed.count("us_ofac_sdn version 1") == 2


def test_an_old_store_lists_its_decisions_as_lapsed(store: Path) -> None:
    con = duckdb.connect(str(store))
    con.execute("DROP TABLE suppressions")
    con.execute(
        "CREATE TABLE suppressions (entity_id VARCHAR NOT NULL, query_id VARCHAR, "
        "query_name VARCHAR, name_key VARCHAR, decided_by VARCHAR NOT NULL, decided_at "
        "TIMESTAMP NOT NULL, reason VARCHAR NOT NULL, removed_by VARCHAR, removed_at "
        "TIMESTAMP, CHECK ((query_id IS NULL) <> (name_key IS NULL)))"
    )
    con.execute(
        "INSERT INTO suppressions VALUES ('ofac-12211', NULL, 'Kim Yong Chol', "
        "'kim yong chol', 'alice', TIMESTAMP '2026-10-01 09:00:00', 'ours', NULL, NULL)"
    )
    con.close()
    listed = _flat(hermit(store, "suppress", "list").stdout)
    assert "facts not recorded (old decision: no longer applies)" in listed
    assert "version not recorded" in listed
    hit = _matches(store, "Kim Yong Chol")[CIRCA_1947]
    assert hit["suppressed"] is None
    assert "recorded before hermit kept the reviewed facts and list version" in hit["lapsed"]
