"""The memo of a long run (hermit.screening.memo): a query screened again, or a name
screened again with other facts, is answered as screening it afresh answers it, on the
real lists; a reviewed decision by query id stays with that id; the memo is bounded."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from pathlib import Path

from hermit.screening import suppressions
from hermit.screening.bulk.runner import BulkJob, run_bulk
from hermit.screening.engine import Screener
from hermit.screening.features.names import PreparedName, name_bound
from hermit.screening.lru import Lru
from hermit.screening.memo import ScreenMemo
from hermit.screening.query import make_query
from hermit.screening.store_screener import StoreScreener
from hermit.store import Store
from tests.screening.bulk_files import read_results, write_queries

#: Repeats of every kind: the same facts under other ids, the same name with other
#: facts, one date written two ways, a vessel by IMO under another name.
ROWS: list[dict[str, str]] = [
    {"id": "a1", "name": "Kim Yong Chol", "birth_date": "1962-02-18"},
    {"id": "a2", "name": "Kim Yong Chol", "birth_date": "1962-02-18"},
    {"id": "a3", "name": "Kim Yong Chol", "birth_date": "18/02/1962"},
    {"id": "a4", "name": "Kim Yong Chol", "birth_date": "1947"},
    {"id": "a5", "name": "Kim Yong Chol"},
    {"id": "a6", "name": "Kim Yong Chol", "schema": "Person"},
    {"id": "b1", "name": "HAVIN BANK LTD", "country": "gb"},
    {"id": "b2", "name": "HAVIN BANK LTD"},
    {"id": "b3", "name": "HAVIN BANK LTD", "country": "gb"},
    {"id": "c1", "name": "Chong Chon Gang", "schema": "Vessel"},
    {"id": "c2", "name": "Some Other Name", "imo": "7937317"},
    {"id": "c3", "name": "Chong Chon Gang", "schema": "Vessel"},
    {"id": "d1", "name": "Margarethe Vandersloot"},
    {"id": "d2", "name": "Margarethe Vandersloot"},
    {"id": "e1", "name": "김영철"},
    {"id": "e2", "name": "김영철", "nationality": "kp"},
]
#: Rows whose every screened field repeats an earlier row's.
REPEATS = 4  # a2, b3, c3, d2


def test_remembered_answers_are_the_answers_screened_afresh(lists_screener: Screener) -> None:
    fresh = [lists_screener.screen(make_query(row).query, 10) for row in ROWS]
    memo_screener = _with_memo(lists_screener)
    remembered = [memo_screener.screen(make_query(row).query, 10) for row in ROWS]
    assert remembered == fresh
    assert memo_screener.memo is not None
    assert memo_screener.memo.rows.hits == REPEATS
    assert memo_screener.memo.candidates.hits > 0  # the same name with other facts
    # ... and the bounds of its name against those candidates, computed once: each
    # remembered bound is the bound computed afresh for that name and entity
    assert memo_screener.memo.bounds.hits > 0
    weight = lists_screener.index.word_weights.get
    remembered_bounds = 0
    for name, person in {(r["name"], r.get("schema") == "Person") for r in ROWS}:
        bounds = memo_screener.memo.bounds.get((name, person)) or {}
        prepared = PreparedName.of(name, person=person)
        for eid, bound in bounds.items():
            assert bound == name_bound(prepared, lists_screener.entities[eid], weight)
            remembered_bounds += 1
    assert remembered_bounds > 10
    assert lists_screener.memo is None  # the shared Screener is left as it was
    assert any(fresh), "the real lists find some of these"


def test_a_bulk_run_writes_what_screening_each_row_afresh_gives(
    lists_store: Path, lists_screener: Screener, tmp_path: Path
) -> None:
    source = write_queries(tmp_path / "q.csv", ROWS, "csv")
    for workers in (1, 2):
        job = BulkJob(source, tmp_path / f"out-{workers}.csv", workers=workers, chunk_rows=3)
        summary = run_bulk(job, StoreScreener(lists_store), screener=lists_screener)
        assert summary.counts.screened == len(ROWS)
        rows = read_results(job.output, "csv")
        got = [(r["query_id"], r["entity_id"], r["score"], r["explanation"]) for r in rows]
        want = []
        for row in ROWS:
            found = lists_screener.screen(make_query(row).query, job.limit)
            want += [(row["id"], m.entity_id, m.score, m.explanation) for m in found]
            want += [] if found else [(row["id"], None, None, _clear(lists_screener))]
        assert got == want
        # with two workers, rows of a chunk land in one process: fewer are repeats there
        assert 0 < summary.counts.repeated <= REPEATS
    assert lists_screener.memo is None


def test_a_decision_by_query_id_stays_with_that_id(store_copy: Path, tmp_path: Path) -> None:
    rows = [
        {"id": "K1", "name": "Kim Yong Chol", "birth_date": "1962-02-18"},
        {"id": "K2", "name": "Kim Yong Chol", "birth_date": "1962-02-18"},
    ]
    with Store(store_copy) as store:
        suppressions.add(
            store.state,
            store.con,
            "unsc-kpi-024",
            by="alice",
            reason="customer born in Seoul",
            query_id="K1",
            facts={"birth_date": "1962-02-18"},
            at=datetime(2026, 11, 23, tzinfo=UTC),
        )
    job = BulkJob(write_queries(tmp_path / "q.csv", rows, "csv"), tmp_path / "out.csv")
    summary = run_bulk(job, StoreScreener(store_copy))
    assert summary.counts.repeated == 1
    rows = read_results(job.output, "csv")
    found = {r["query_id"]: r for r in rows if r["entity_id"] == "unsc-kpi-024"}
    assert found["K1"]["status"] == "suppressed"
    assert found["K2"]["status"] == "alert" and found["K2"]["suppressed"] is None
    assert found["K1"]["score"] == found["K2"]["score"]


def test_the_memo_is_bounded_and_forgets_the_least_recently_used() -> None:
    lru: Lru[str, int] = Lru(2)
    lru.put("a", 1)
    lru.put("b", 2)
    assert lru.get("a") == 1  # a is now the most recent
    lru.put("c", 3)
    assert len(lru) == 2
    assert lru.get("b") is None and lru.get("a") == 1 and lru.get("c") == 3
    assert (lru.hits, lru.misses) == (3, 1)


def _with_memo(screener: Screener) -> Screener:
    own = copy.copy(screener)
    own.memo = ScreenMemo()
    return own


def _clear(screener: Screener) -> str:
    return f"nothing on the lists scored {screener.info.report_floor:.2f} or more"
