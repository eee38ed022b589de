"""The listed parties of the network, found from the lists: every party record of the
registry store (companies, organizations, public bodies, people) screened with hermit's
screening against the lists of the list store (its name, kind, birth date, nationality,
country and registration numbers: a valid identifier a listed entry quotes is pinned by
the screening itself). A record at MATCH level is a root, with the listed entry, its
score and the screening's explanation cited; the node is the record's entity (of the
resolution the build used). The score must also reach the reviewed bar of
hermit/resources/network/roots.yaml, and a person's birth date agree with the listed one
(the same year at least) (by name alone, common names match listed people of other programmes).

Stored in the registry store (``network_roots``) by ``save``; ``load`` gives the latest.

Core code: it never imports the api, web or cli packages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import orjson
import yaml

from hermit.registry.store import RegistryStore

if TYPE_CHECKING:
    from hermit.screening.engine import Screener
    from hermit.screening.result import Match

ALGORITHM = "roots@1"

#: Schemas screened, and the query kind each is screened as.
SCREENED = {
    "Person": "Person",
    "Company": "Company",
    "Organization": "Organization",
    "PublicBody": "Organization",
    "LegalEntity": "LegalEntity",
}

DDL = """
CREATE TABLE IF NOT EXISTS network_roots (
  run_id INTEGER, screened_at TIMESTAMP, record_id VARCHAR, listed_id VARCHAR,
  caption VARCHAR, datasets VARCHAR[], score DOUBLE, explanation VARCHAR);
"""


@cache
def _settings() -> dict[str, Any]:
    ref = resources.files("hermit") / "resources" / "network" / "roots.yaml"
    data: dict[str, Any] = yaml.safe_load(ref.read_text(encoding="utf-8"))
    return data


def min_score() -> float:
    """The reviewed bar of hermit/resources/network/roots.yaml."""
    return float(_settings()["min_score"])


def _dated(match: Match) -> bool:
    """The screening compared the birth dates and they agree (roots.yaml's floor)."""
    floor = float(_settings()["person_birth_date_min"])
    return any(c.feature == "birth_date" and c.value >= floor for c in match.contributions)


@dataclass(frozen=True, slots=True)
class Root:
    """A registry record the screening matches with a listed entry."""

    record_id: str
    listed_id: str
    caption: str
    datasets: tuple[str, ...]
    score: float
    explanation: str

    def cites(self) -> str:
        return (
            f"{self.record_id} screened as {self.listed_id} {self.caption!r} "
            f"({', '.join(self.datasets)}, score {self.score:.2f})"
        )


def _query_values(schema: str, props: dict[str, Any]) -> dict[str, Any]:
    from hermit.screening.query import FIELDS, Given

    values: dict[str, Any] = {
        "name": [Given(str(v), "name") for v in props.get("name") or []],
        "schema": SCREENED[schema],
    }
    for spec in FIELDS:
        given = [Given(str(v), p) for p in spec.properties for v in props.get(p) or []]
        if given:
            values[spec.name] = given
    return values


def same_nationality(match: Match) -> bool:
    """The screening compared the nationalities and the query's is among the listed ones."""
    return any(c.feature == "nationality" and c.value > 0 for c in match.contributions)


def screen_records(
    records: Iterable[tuple[str, str, dict[str, Any]]],
    screener: Screener,
    progress: Callable[[int], None] | None = None,
    bar: float | None = None,
    person: Callable[[Match], bool] = _dated,
) -> list[Root]:
    """The roots among ``records`` (record id, schema, FtM entity): each party screened,
    its best listed entry at MATCH level and ``bar`` (default: roots.yaml) or more kept;
    for a person, only a match ``person`` accepts (default: birth dates compared and
    agreeing)."""
    from hermit.screening.query import QueryError, make_query

    found: list[Root] = []
    for count, (record_id, schema, entity) in enumerate(records, 1):
        if progress is not None and count % 5_000 == 0:
            progress(count)
        if schema not in SCREENED:
            continue
        props = entity.get("properties") or {}
        try:
            query = make_query(_query_values(schema, props)).query
        except QueryError:
            continue  # no usable name: nothing to screen
        floor = min_score() if bar is None else bar
        dated = schema == "Person"
        hits = [
            m
            for m in screener.screen(query, limit=3)
            if m.is_match and m.score >= floor and (not dated or person(m))
        ]
        if hits:
            m = hits[0]
            found.append(
                Root(record_id, m.entity_id, m.caption, m.datasets, m.score, m.explanation)
            )
    return found


def store_parties(store: RegistryStore) -> Iterable[tuple[str, str, dict[str, Any]]]:
    """The party records of the store (a record loaded again: its latest load)."""
    latest: dict[str, tuple[str, str]] = {}
    for record_id, schema, entity in store.con.execute(
        "SELECT record_id, schema, entity FROM registry_records WHERE schema IN "
        f"({', '.join(repr(s) for s in SCREENED)}) ORDER BY load_id, file, row, record_id"
    ).fetchall():
        latest[str(record_id)] = (str(schema), str(entity))
    for record_id, (schema, entity) in latest.items():
        yield record_id, schema, orjson.loads(entity)


def save(store: RegistryStore, roots: list[Root]) -> int:
    """Store the roots as a new run and return its id."""
    store.con.execute(DDL)
    found = store.con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM network_roots").fetchone()
    assert found is not None
    run_id = int(found[0])
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    store.con.execute("BEGIN TRANSACTION")
    try:
        # a run with no root keeps a row of its own, so that it is the latest run
        rows: list[tuple[Any, ...]] = [
            (
                run_id,
                now,
                r.record_id,
                r.listed_id,
                r.caption,
                list(r.datasets),
                r.score,
                r.explanation,
            )
            for r in roots
        ] or [(run_id, now, None, None, None, None, None, None)]
        store.con.executemany("INSERT INTO network_roots VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        store.con.execute("COMMIT")
    except BaseException:
        store.con.execute("ROLLBACK")
        raise
    return run_id


def load(store: RegistryStore) -> list[Root] | None:
    """The latest run's roots (None when ``hermit network roots`` never ran)."""
    tables = {
        str(r[0]) for r in store.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
    }
    if "network_roots" not in tables:
        return None
    rows = store.con.execute(
        "SELECT record_id, listed_id, caption, datasets, score, explanation FROM network_roots "
        "WHERE run_id = (SELECT max(run_id) FROM network_roots) AND record_id IS NOT NULL "
        "ORDER BY record_id"
    ).fetchall()
    return [
        Root(str(a), str(b), str(c), tuple(d or ()), float(e), str(f)) for a, b, c, d, e, f in rows
    ]
