"""Decisions are tied to the listed entity as it was reviewed: a change of that entity in
a later list version (a new alias, removed and added back) makes the decision resurface,
a change elsewhere in the list does not. And a store whose decisions predate recorded
facts is migrated, its old decisions alerting again with a clear note.

The lists here are FtM files written by the test from real OFAC entities of the session
store, each version with one change."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import duckdb
import orjson
import pytest

from hermit.screening import suppressions
from hermit.screening.engine import Screener
from hermit.screening.query import make_query
from hermit.screening.result import Match
from hermit.screening.store_screener import StoreScreener
from hermit.screening.suppressions import SuppressionIndex, query_facts
from hermit.screening.suppressions.index import OLD_FORMAT
from hermit.sources.detect import read_list_files
from hermit.sources.ftm_json import write_ftm_jsonl
from hermit.store import Store, read
from tests.stores import copy_store

CIRCA_1947 = "ofac-12211"  # KIM, Yong Chol, born circa 1947 (alt. circa 1946)
BORN_1962 = "ofac-17614"  # KIM, Yong Chol, born 1962-02-18
BANK = "ofac-906"  # HAVIN BANK LTD
CUSTOMER = {"name": "Kim Yong Chol", "birth_date": "1962-02-18"}


@pytest.fixture(scope="module")
def real_entities(lists_store: Path) -> list[dict[str, Any]]:
    """Three real OFAC entities as FtM JSON objects (hermit's own export)."""
    import io

    with Store(lists_store, read_only=True) as store:
        wanted = [
            e
            for e in read.iter_entities(store.con, dataset="us_ofac_sdn")
            if e.id in {CIRCA_1947, BORN_1962, BANK}
        ]
    out = io.BytesIO()
    write_ftm_jsonl(wanted, out)
    return [orjson.loads(line) for line in out.getvalue().splitlines()]


class Lists:
    """A store that receives one FtM file per list version."""

    def __init__(self, folder: Path, entities: list[dict[str, Any]]) -> None:
        self.folder = folder
        self.path = folder / "store.duckdb"
        self.entities = {e["id"]: copy.deepcopy(e) for e in entities}
        self.loads = 0

    def load(self) -> None:
        self.loads += 1
        file = self.folder / f"v{self.loads}.ftm.json"
        file.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in self.entities.values()))
        with Store(self.path) as store:
            for snap in read_list_files([file]):
                store.load(snap)

    def add_alias(self, entity_id: str, alias: str) -> None:
        self.entities[entity_id]["properties"].setdefault("alias", []).append(alias)

    def decide(self, entity_id: str, reason: str, **facts: str) -> suppressions.Suppression:
        with Store(self.path) as store:
            new, _ = suppressions.add(
                store.state,
                store.con,
                entity_id,
                by="alice",
                reason=reason,
                query_name="Kim Yong Chol",
                facts=query_facts(make_query({"name": "x", **facts}).query),
            )
        return new

    def screener(self) -> Screener:
        return StoreScreener(self.path).build()


def _hit(screener: Screener, entity_id: str, **values: str) -> Match | None:
    found = {m.entity_id: m for m in screener.screen(make_query(values).query, limit=10)}
    return found.get(entity_id)


def test_a_decision_resurfaces_when_its_listed_entity_changes(
    real_entities: list[dict[str, Any]], tmp_path: Path
) -> None:
    lists = Lists(tmp_path, real_entities)
    lists.load()  # version 1
    first = lists.decide(CIRCA_1947, "ours born 1962", birth_date="1962-02-18")
    lists.decide(BORN_1962, "ours born 1946", birth_date="1946")
    assert (first.dataset, first.list_seq) == ("us_ofac_sdn", 1)

    lists.add_alias(BANK, "HAVIN BANK LIMITED")  # version 2: a change elsewhere in the list
    lists.load()
    screener = lists.screener()
    kept = _hit(screener, CIRCA_1947, **CUSTOMER)
    assert kept is not None and kept.suppressed is not None and kept.lapsed is None
    other = _hit(screener, BORN_1962, name="Kim Yong Chol", birth_date="1946")
    assert other is not None and other.suppressed is not None

    lists.add_alias(CIRCA_1947, "KIM, Yong-Cheol")  # version 3: the reviewed entity changes
    lists.load()
    screener = lists.screener()
    changed = _hit(screener, CIRCA_1947, **CUSTOMER)
    assert changed is not None and changed.suppressed is None and changed.alert is False
    assert changed.lapsed == (
        "reviewed not a match by alice "
        f"{first.decided_at.date().isoformat()} for birth date 1962-02-18; the listed entity "
        "changed since the review (us_ofac_sdn version 1 -> 3): alerting again"
    )
    both = _hit(screener, CIRCA_1947, name="Kim Yong Chol", birth_date="1946")
    assert both is not None and both.alert
    assert "; this query's birth date 1946 differs; the listed entity changed since the " in str(
        both.lapsed
    )
    other = _hit(screener, BORN_1962, name="Kim Yong Chol", birth_date="1946")
    assert other is not None and other.suppressed is not None  # its entity did not change

    again = lists.decide(CIRCA_1947, "reviewed again: ours born 1962", birth_date="1962-02-18")
    assert again.list_seq == 3
    renewed = _hit(lists.screener(), CIRCA_1947, **CUSTOMER)
    assert renewed is not None and renewed.suppressed is not None
    assert renewed.suppressed.endswith(": reviewed again: ours born 1962")

    gone = lists.entities.pop(CIRCA_1947)  # version 4: off the list
    lists.load()
    assert _hit(lists.screener(), CIRCA_1947, **CUSTOMER) is None
    lists.entities[CIRCA_1947] = gone  # version 5: back, exactly as before
    lists.load()
    back = _hit(lists.screener(), CIRCA_1947, **CUSTOMER)
    assert back is not None and back.suppressed is None
    assert "the listed entity changed since the review (us_ofac_sdn version 3 -> 5)" in str(
        back.lapsed
    )

    # withdrawing and recording again: the trail keeps both
    with Store(lists.path) as store:
        suppressions.remove(store.state, CIRCA_1947, by="bob", query_name="kim yong chol")
    withdrawn = _hit(lists.screener(), CIRCA_1947, **CUSTOMER)
    assert withdrawn is not None and withdrawn.suppressed is None and withdrawn.lapsed is None
    lists.decide(CIRCA_1947, "third look", birth_date="1962-02-18")
    final = _hit(lists.screener(), CIRCA_1947, **CUSTOMER)
    assert final is not None and final.suppressed is not None
    with Store(lists.path, read_only=True) as store:
        trail = suppressions.listed(store.state, include_removed=True)
    mine = [(s.reason, s.list_seq, s.removed_by) for s in trail if s.entity_id == CIRCA_1947]
    assert mine == [
        ("ours born 1962", 1, "alice"),
        ("reviewed again: ours born 1962", 3, "bob"),
        ("third look", 5, None),
    ]


#: The suppressions table as hermit created it before decisions kept their facts.
OLD_TABLE = """
CREATE TABLE suppressions (
    entity_id VARCHAR NOT NULL,
    query_id VARCHAR,
    query_name VARCHAR,
    name_key VARCHAR,
    decided_by VARCHAR NOT NULL,
    decided_at TIMESTAMP NOT NULL,
    reason VARCHAR NOT NULL,
    removed_by VARCHAR,
    removed_at TIMESTAMP,
    CHECK ((query_id IS NULL) <> (name_key IS NULL))
);
INSERT INTO suppressions VALUES
    ('ofac-12211', NULL, 'Kim Yong Chol', 'kim yong chol', 'alice',
     TIMESTAMP '2026-10-01 09:00:00', 'ours born 1962', NULL, NULL),
    ('ofac-906', 'K2', NULL, NULL, 'bob', TIMESTAMP '2026-10-02 09:00:00', 'a café', NULL,
     NULL);
"""


def test_an_old_store_is_migrated_and_its_decisions_alert_again(
    lists_store: Path, tmp_path: Path
) -> None:
    path = tmp_path / "old.duckdb"
    copy_store(lists_store, path)
    con = duckdb.connect(str(path))
    con.execute("DROP TABLE suppressions")
    con.execute(OLD_TABLE)
    con.close()

    # read-only (as screening opens a store): nothing migrated, the old rows read
    screener = StoreScreener(path).build()
    old = _hit(screener, CIRCA_1947, **CUSTOMER)
    assert old is not None and old.suppressed is None
    assert old.lapsed == f"reviewed not a match by alice 2026-10-01; {OLD_FORMAT}: alerting again"
    bank = _hit(screener, BANK, name="HAVIN BANK LTD", id="K2")
    assert bank is not None and bank.alert and bank.lapsed is not None

    with Store(path) as store:  # opened for writing: the columns are added, rows kept
        columns = {
            r[0]
            for r in store.con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = 'suppressions'"
            ).fetchall()
        }
        assert {"facts", "dataset", "list_seq", "entity_fingerprint"} <= columns
        standing = suppressions.listed(store.state)
        assert [(s.entity_id, s.facts, s.list_seq) for s in standing] == [
            (CIRCA_1947, None, None),
            (BANK, None, None),
        ]
        assert standing[0].reviewed == "reviewed not a match by alice 2026-10-01"
        new, replaced = suppressions.add(
            store.state,
            store.con,
            CIRCA_1947,
            by="alice",
            reason="ours born 1962, reviewed again",
            query_name="KIM Yong Chol",
            facts={"birth_date": "1962-02-18"},
        )
        assert replaced == standing[0]
        assert len(SuppressionIndex.from_store(store.state, store.con)) == 2
    renewed = _hit(StoreScreener(path).build(), CIRCA_1947, **CUSTOMER)
    assert renewed is not None and renewed.suppressed == new.text
    with Store(path, read_only=True) as store:
        trail = suppressions.listed(store.state, include_removed=True)
    assert [(s.reason, s.removed_by) for s in trail] == [
        ("ours born 1962", "alice"),
        ("a café", None),
        ("ours born 1962, reviewed again", None),
    ]
