"""Suppressions on the real lists: a decision records the reviewed query's facts and
suppresses a hit only while a later query has the same facts, by query id or by
normalised name; a different person with the same name alerts again and says which
decision no longer applies. Withdrawing keeps an audit trail; the lists are untouched."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from hermit.screening import suppressions
from hermit.screening.bulk.runner import BulkJob, run_bulk
from hermit.screening.engine import Screener, list_versions
from hermit.screening.query import make_query
from hermit.screening.result import Match
from hermit.screening.store_screener import StoreScreener
from hermit.screening.suppressions import SuppressionError, SuppressionIndex, name_key, query_facts
from hermit.store import Store
from tests.screening.bulk_files import read_results, write_queries

WHEN = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)
LATER = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
#: The two KIM Yong Chol of OFAC's SDN list (checked in the data below).
CIRCA_1947 = "ofac-12211"
BORN_1962 = "ofac-17614"


def _hit(screener: Screener, entity_id: str, **values: str) -> Match:
    found = {m.entity_id: m for m in screener.screen(make_query(values).query, limit=10)}
    assert entity_id in found, sorted(found)
    return found[entity_id]


def _facts(**values: str) -> dict[str, str]:
    return query_facts(make_query({"name": "unused", **values}).query)


def test_name_key_folds_case_spacing_accents_and_apostrophes() -> None:
    assert name_key("  KIM,  Yong-Chol ") == name_key("kim yong chol") == "kim yong chol"
    assert name_key("Ch'oe Ryong-hae") == name_key("CHOE RYONG HAE")
    assert name_key("José  Núñez") == "jose nunez"
    assert name_key("Kim Yong Chol") != name_key("Kim Yong Chon")


def test_the_two_listed_kim_yong_chol(lists_store: Path) -> None:
    with Store(lists_store, read_only=True) as store:
        born = dict(
            store.con.execute(
                "SELECT entity_id, list(value ORDER BY value) FROM current_statements "
                "WHERE prop = 'birthDate' AND entity_id IN (?, ?) GROUP BY entity_id",
                [CIRCA_1947, BORN_1962],
            ).fetchall()
        )
    assert born == {CIRCA_1947: ["1946", "1947"], BORN_1962: ["1962-02-18"]}


def test_a_decision_for_one_kim_yong_chol_does_not_hide_the_listed_one(
    store_copy: Path,
) -> None:
    """Reviewed: our customer Kim Yong Chol born 1962-02-18 is not the KIM Yong Chol
    born circa 1947. A later Kim Yong Chol born 1946 fits that listed man: it alerts."""
    with Store(store_copy) as store:
        new, _ = suppressions.add(
            store.state,
            store.con,
            CIRCA_1947,
            by="alice",
            reason="ours born 1962, the listed man c. 1947",
            query_name="Kim Yong Chol",
            facts=_facts(birth_date="1962-02-18"),
            at=WHEN,
        )
    assert (new.dataset, new.list_seq) == ("us_ofac_sdn", 1) and new.entity_fingerprint
    screener = StoreScreener(store_copy).build()

    reviewed = _hit(screener, CIRCA_1947, name="KIM, Yong-Chol", birth_date="1962-02-18")
    assert reviewed.suppressed == (
        "reviewed not a match by alice 2026-11-23 for birth date 1962-02-18: "
        "ours born 1962, the listed man c. 1947"
    )
    assert reviewed.lapsed is None and not reviewed.alert

    other = _hit(screener, CIRCA_1947, name="Kim Yong Chol", birth_date="1946")
    assert other.is_match and other.alert and other.suppressed is None
    assert other.lapsed == (
        "reviewed not a match by alice 2026-11-23 for birth date 1962-02-18; "
        "this query's birth date 1946 differs: alerting again"
    )
    undated = _hit(screener, CIRCA_1947, name="Kim Yong Chol")
    assert undated.alert and undated.lapsed is not None
    assert "; this query has no birth date: alerting again" in undated.lapsed
    more = _hit(
        screener, CIRCA_1947, name="Kim Yong Chol", birth_date="1962-02-18", nationality="kp"
    )
    assert more.suppressed is None and more.lapsed is not None
    assert "this query's nationality kp was not part of the review" in more.lapsed
    # the decision is about one listed entity: the other KIM Yong Chol is screened as ever
    same_day = _hit(screener, BORN_1962, name="Kim Yong Chol", birth_date="1962-02-18")
    assert same_day.alert and same_day.suppressed is None and same_day.lapsed is None


def test_a_decision_by_query_id_lapses_when_the_customer_facts_change(store_copy: Path) -> None:
    with Store(store_copy) as store:
        suppressions.add(
            store.state,
            store.con,
            BORN_1962,
            by="bob",
            reason="customer C-77 is a Seoul dentist",
            query_id="C-77",
            query_name="Kim Yong Chol",
            facts=_facts(birth_date="1962-02-18", nationality="kr"),
            at=WHEN,
        )
        suppressions.add(
            store.state,
            store.con,
            "unsc-kpi-024",
            by="bob",
            reason="customer C-90, id only",
            query_id="C-90",
            facts=_facts(birth_date="1962-02-18"),
            at=WHEN,
        )
        index = SuppressionIndex.from_store(store.state, store.con)
    assert len(index) == 2
    same = {"name": "KIM Yong-chol", "id": "C-77", "birth_date": "1962-02-18", "nationality": "kr"}

    def review(entity_id: str, **changes: str) -> tuple[str | None, str | None]:
        found = index.lookup(make_query({**same, **changes}).query, entity_id)
        assert found is not None
        return found.suppressed, found.lapsed

    suppressed, lapsed = review(BORN_1962)
    assert lapsed is None and suppressed == (
        "reviewed not a match by bob 2026-11-23 for query id C-77, name Kim Yong Chol, "
        "birth date 1962-02-18, nationality kr: customer C-77 is a Seoul dentist"
    )
    assert review(BORN_1962, nationality="kp")[1] == (
        "reviewed not a match by bob 2026-11-23 for query id C-77, name Kim Yong Chol, "
        "birth date 1962-02-18, nationality kr; this query's nationality kp differs: "
        "alerting again"
    )
    renamed = review(BORN_1962, name="Kim Yong Chun")[1]
    assert renamed is not None
    assert "this query's name 'Kim Yong Chun' differs from the reviewed 'Kim Yong Chol'" in renamed
    never = make_query({**same, "id": "C-78"}).query
    assert index.lookup(never, BORN_1962) is None  # never reviewed
    # decided by id without a name: the name is not compared, the facts are
    assert review("unsc-kpi-024", id="C-90", nationality="")[0] is not None
    assert review("unsc-kpi-024", id="C-90", name="Anyone", nationality="")[0] is not None
    assert review("unsc-kpi-024", id="C-90", nationality="")[1] is None
    assert "this query has no birth date" in str(
        review("unsc-kpi-024", id="C-90", birth_date="", nationality="")[1]
    )


def test_a_name_decision_without_facts_covers_the_bare_name_only(store_copy: Path) -> None:
    with Store(store_copy) as store:
        suppressions.add(
            store.state,
            store.con,
            "ofac-906",
            by="a",
            reason="café",
            query_name="Havin Bank Ltd",
            at=WHEN,
        )
        index = SuppressionIndex.from_store(store.state, store.con)
    bare = index.lookup(make_query({"name": "HAVIN BANK LTD"}).query, "ofac-906")
    assert bare is not None and bare.suppressed == (
        "reviewed not a match by a 2026-11-23 for the name alone: café"
    )
    company = make_query({"name": "havin bank ltd", "schema": "Company"}).query
    kind = index.lookup(company, "ofac-906")
    assert kind is not None and kind.suppressed is None
    assert kind.lapsed == (
        "reviewed not a match by a 2026-11-23 for the name alone; this query's schema "
        "Company was not part of the review: alerting again"
    )


def test_recording_leaves_the_lists_alone(store_copy: Path) -> None:
    with Store(store_copy) as store:
        before = store.versions()
        entities = store.stats()
        lists = list_versions(store.con)  # what a screening run records
        suppressions.add(
            store.state, store.con, "ofac-906", by="a", reason="r", query_name="Havin Bank"
        )
        suppressions.remove(store.state, "ofac-906", by="b", query_name="havin bank")
        assert store.versions() == before and store.stats() == entities
        assert list_versions(store.con) == lists
        assert len(suppressions.listed(store.state, include_removed=True)) == 1


def test_replace_and_remove_keep_the_audit_trail(store_copy: Path) -> None:
    with Store(store_copy) as store:
        db, con = store.state, store.con
        first, replaced = suppressions.add(
            db, con, "ofac-906", by="alice", reason="first look", query_id="K1", at=WHEN
        )
        assert replaced is None
        _, replaced = suppressions.add(
            db,
            con,
            "ofac-906",
            by="bob",
            reason="second look",
            query_id="K1",
            facts=_facts(country="gb"),
            at=LATER,
        )
        assert replaced == first  # one standing decision per key, whatever its facts
        assert [(s.reason, s.facts) for s in suppressions.listed(db)] == [
            ("second look", (("country", "gb"),))
        ]
        gone = suppressions.remove(db, "ofac-906", by="carol", query_id="K1")
        assert gone.reason == "second look" and gone.removed_by == "carol"
        assert suppressions.listed(db) == []
        trail = suppressions.listed(db, include_removed=True)
        assert [(s.reason, s.removed_by) for s in trail] == [
            ("first look", "bob"),
            ("second look", "carol"),
        ]
        assert trail[-1] == gone
        assert all(s.removed_at is not None for s in trail)
        with pytest.raises(SuppressionError, match="no standing suppression of 'ofac-906'"):
            suppressions.remove(db, "ofac-906", by="carol", query_id="K1")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "give a query id or a query name"),
        ({"query_name": "-- ."}, "no letters or digits"),
        ({"query_id": "K1", "query_name": "!!"}, "no letters or digits"),
        ({"query_id": " "}, "the query id is blank"),
        ({"query_id": "K1", "entity": "ofac-0"}, "no entity 'ofac-0'"),
        ({"query_id": "K1", "by": " "}, "who reviewed"),
        ({"query_id": "K1", "reason": ""}, "why"),
        ({"query_id": "K1", "facts": {"name": "x"}}, "'name' is a key of the decision"),
    ],
)
def test_bad_decisions_are_refused(lists_store: Path, kwargs: dict[str, str], message: str) -> None:
    with Store(lists_store, read_only=True) as store, pytest.raises(SuppressionError) as err:
        suppressions.add(
            store.state,
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
        assert suppressions.listed(store.state) == []
        assert len(SuppressionIndex.from_store(store.state, store.con)) == 0
    with Store(store_copy) as store:  # opening it for writing adds the table
        suppressions.add(store.state, store.con, "ofac-906", by="a", reason="r", query_id="1")
        assert len(suppressions.listed(store.state)) == 1


def test_a_bulk_run_suppresses_the_reviewed_rows_and_alerts_on_the_others(
    store_copy: Path, tmp_path: Path
) -> None:
    rows = [
        {"id": "K1", "name": "Kim Yong Chol", "birth_date": "1962-02-18"},
        {"id": "K2", "name": "Havin Bank Ltd"},
        {"id": "K3", "name": "HAVIN BANK LTD"},
        {"id": "K4", "name": "Havin Bank Ltd", "country": "gb"},
        {"id": "K1", "name": "Kim Yong Chol", "birth_date": "1970-05-05"},
    ]
    source = write_queries(tmp_path / "q.csv", rows, "csv")
    job = BulkJob(source, tmp_path / "first.csv")
    first = run_bulk(job, StoreScreener(store_copy))
    before = read_results(job.output, "csv")
    assert first.counts.suppressed == 0 and first.counts.lapsed == 0
    with Store(store_copy) as store:
        suppressions.add(
            store.state,
            store.con,
            "unsc-kpi-024",
            by="alice",
            reason="customer born in Seoul",
            query_id="K1",
            facts=_facts(birth_date="1962-02-18"),
            at=WHEN,
        )
        suppressions.add(
            store.state,
            store.con,
            "ofac-906",
            by="bob",
            reason="a café in Leeds",
            query_name="havin  bank ltd",
            at=WHEN,
        )
    job = BulkJob(source, tmp_path / "second.csv", workers=2)
    second = run_bulk(job, StoreScreener(store_copy))
    after = read_results(job.output, "csv")
    assert len(after) == len(before)

    def row(query_name: str, entity_id: str, n: int = 0) -> dict[str, object]:
        return [r for r in after if r["query_name"] == query_name and r["entity_id"] == entity_id][
            n
        ]

    kim = row("Kim Yong Chol", "unsc-kpi-024")
    assert kim["suppressed"] == (
        "reviewed not a match by alice 2026-11-23 for query id K1, birth date 1962-02-18: "
        "customer born in Seoul"
    )
    assert kim["is_match"] is True and kim["lapsed"] is None  # the score is unchanged
    kim_1970 = row("Kim Yong Chol", "unsc-kpi-024", 1)
    assert kim_1970["suppressed"] is None
    assert "this query's birth date 1970-05-05 differs: alerting again" in str(kim_1970["lapsed"])
    assert (
        row("Havin Bank Ltd", "ofac-906")["suppressed"]
        == row("HAVIN BANK LTD", "ofac-906")["suppressed"]
    )
    in_gb = row("Havin Bank Ltd", "ofac-906", 1)
    assert in_gb["suppressed"] is None
    assert "this query's country gb was not part of the review" in str(in_gb["lapsed"])
    assert second.counts.suppressed == 3 and second.counts.lapsed == 2
    # everything else is as before
    changed = {("unsc-kpi-024",), ("ofac-906",)}
    same = [(a, b) for a, b in zip(before, after, strict=True) if (a["entity_id"],) not in changed]
    assert same and all(a == b for a, b in same)
