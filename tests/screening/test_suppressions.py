"""Suppressions on the real lists: recording, matching by query id or normalised name,
withdrawing with an audit trail, lists untouched, and what a later run makes of them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from hermit.screening import suppressions
from hermit.screening.bulk.runner import BulkJob, run_bulk
from hermit.screening.engine import list_versions
from hermit.screening.query import make_query
from hermit.screening.store_screener import StoreScreener
from hermit.screening.suppressions import SuppressionError, SuppressionIndex, name_key
from hermit.store import Store
from tests.screening.bulk_files import read_results, write_queries

WHEN = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)
LATER = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def test_name_key_folds_case_spacing_accents_and_apostrophes() -> None:
    assert name_key("  KIM,  Yong-Chol ") == name_key("kim yong chol") == "kim yong chol"
    assert name_key("Ch'oe Ryong-hae") == name_key("CHOE RYONG HAE")
    assert name_key("José  Núñez") == "jose nunez"
    assert name_key("Kim Yong Chol") != name_key("Kim Yong Chon")


def test_lookup_by_query_id_then_by_name(store_copy: Path) -> None:
    with Store(store_copy) as store:
        suppressions.add(
            store.con,
            "ofac-17614",
            by="alice",
            reason="different DOB",
            query_name="KIM, Yong-Chol",
            at=WHEN,
        )
        suppressions.add(
            store.con, "unsc-kpi-024", by="bob", reason="customer is 30", query_id="C-77", at=WHEN
        )
        index = SuppressionIndex.from_store(store.con)
    assert len(index) == 2
    by_name = index.lookup(make_query({"name": "kim yong chol"}), "ofac-17614")
    assert by_name == "reviewed not a match by alice 2026-11-23: different DOB"
    assert index.lookup(make_query({"name": "Kim Yong Chon"}), "ofac-17614") is None
    assert index.lookup(make_query({"name": "kim yong chol"}), "unsc-kpi-024") is None
    by_id = index.lookup(make_query({"name": "Anything", "id": "C-77"}), "unsc-kpi-024")
    assert by_id == "reviewed not a match by bob 2026-11-23: customer is 30"
    assert index.lookup(make_query({"name": "Anything", "id": "C-78"}), "unsc-kpi-024") is None


def test_recording_leaves_the_lists_alone(store_copy: Path) -> None:
    with Store(store_copy) as store:
        before = store.versions()
        entities = store.stats()
        lists = list_versions(store.con)  # what a screening run records
        suppressions.add(store.con, "ofac-906", by="a", reason="r", query_name="Havin Bank")
        suppressions.remove(store.con, "ofac-906", by="b", query_name="havin bank")
        assert store.versions() == before and store.stats() == entities
        assert list_versions(store.con) == lists
        assert len(suppressions.listed(store.con, include_removed=True)) == 1


def test_replace_and_remove_keep_the_audit_trail(store_copy: Path) -> None:
    with Store(store_copy) as store:
        con = store.con
        first, replaced = suppressions.add(
            con, "ofac-906", by="alice", reason="first look", query_id="K1", at=WHEN
        )
        assert replaced is None
        second, replaced = suppressions.add(
            con, "ofac-906", by="bob", reason="second look", query_id="K1", at=LATER
        )
        assert replaced == first
        assert [s.reason for s in suppressions.listed(con)] == ["second look"]
        gone = suppressions.remove(con, "ofac-906", by="carol", query_id="K1")
        assert gone == second
        assert suppressions.listed(con) == []
        trail = suppressions.listed(con, include_removed=True)
        assert [(s.reason, s.removed_by) for s in trail] == [
            ("first look", "bob"),
            ("second look", "carol"),
        ]
        assert all(s.removed_at is not None for s in trail)
        with pytest.raises(SuppressionError, match="no standing suppression of 'ofac-906'"):
            suppressions.remove(con, "ofac-906", by="carol", query_id="K1")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"query_id": "K1", "query_name": "Kim"}, "exactly one"),
        ({}, "exactly one"),
        ({"query_name": "-- ."}, "no letters or digits"),
        ({"query_id": "K1", "entity": "ofac-0"}, "no entity 'ofac-0'"),
        ({"query_id": "K1", "by": " "}, "who reviewed"),
        ({"query_id": "K1", "reason": ""}, "why"),
    ],
)
def test_bad_decisions_are_refused(lists_store: Path, kwargs: dict[str, str], message: str) -> None:
    with Store(lists_store, read_only=True) as store, pytest.raises(SuppressionError) as err:
        suppressions.add(
            store.con,
            kwargs.pop("entity", "ofac-906"),
            by=kwargs.pop("by", "alice"),
            reason=kwargs.pop("reason", "why not"),
            **kwargs,  # type: ignore[arg-type]
        )
    assert message in str(err.value)


def test_a_store_made_before_suppressions_has_none(store_copy: Path) -> None:
    con = duckdb.connect(str(store_copy))
    con.execute("DROP TABLE suppressions")
    con.close()
    with Store(store_copy, read_only=True) as store:
        assert suppressions.listed(store.con) == []
        assert len(SuppressionIndex.from_store(store.con)) == 0
    with Store(store_copy) as store:  # opening it for writing adds the table
        suppressions.add(store.con, "ofac-906", by="a", reason="r", query_id="1")
        assert len(suppressions.listed(store.con)) == 1


def test_a_suppressed_pair_is_marked_and_raises_no_alert_on_the_next_run(
    store_copy: Path, tmp_path: Path
) -> None:
    rows = [
        {"id": "K1", "name": "Kim Yong Chol", "birth_date": "1962-02-18"},
        {"id": "K2", "name": "Havin Bank Ltd"},
        {"id": "K3", "name": "HAVIN BANK LTD"},
    ]
    source = write_queries(tmp_path / "q.csv", rows, "csv")
    job = BulkJob(source, tmp_path / "first.csv")
    first = run_bulk(job, StoreScreener(store_copy))
    before = {(r["query_id"], r["entity_id"]): r for r in read_results(job.output, "csv")}
    assert before["K1", "unsc-kpi-024"]["is_match"] and before["K2", "ofac-906"]["is_match"]
    assert first.counts.with_alerts == 3 and first.counts.suppressed == 0
    with Store(store_copy) as store:
        suppressions.add(
            store.con,
            "unsc-kpi-024",
            by="alice",
            reason="customer born in Seoul",
            query_id="K1",
            at=WHEN,
        )
        suppressions.add(
            store.con,
            "ofac-906",
            by="bob",
            reason="a café in Leeds",
            query_name="havin  bank ltd",
            at=WHEN,
        )
    job = BulkJob(source, tmp_path / "second.csv", workers=2)
    second = run_bulk(job, StoreScreener(store_copy))
    after = {(r["query_id"], r["entity_id"]): r for r in read_results(job.output, "csv")}
    assert after["K1", "unsc-kpi-024"]["suppressed"] == (
        "reviewed not a match by alice 2026-11-23: customer born in Seoul"
    )
    assert after["K1", "unsc-kpi-024"]["is_match"] is True  # the score is unchanged
    assert after["K2", "ofac-906"]["suppressed"] == after["K3", "ofac-906"]["suppressed"]
    assert "by bob 2026-11-23: a café in Leeds" in str(after["K2", "ofac-906"]["suppressed"])
    # everything else is as before
    unchanged = {k for k in before if k not in {("K1", "unsc-kpi-024")} and k[1] != "ofac-906"}
    assert all(after[k] == before[k] for k in unchanged)
    assert second.counts.suppressed == 3
    other_k1_matches = [
        k for k, r in after.items() if k[0] == "K1" and r["is_match"] and not r["suppressed"]
    ]
    assert second.counts.with_alerts == (1 if other_k1_matches else 0)
