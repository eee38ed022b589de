"""Cases through a screening system: stores, hermit, and what each query gave.

Three stores are built from the same parsed lists: ``un`` (UN list alone), ``ofac``
(OFAC alone) and ``both``. A case is screened against its own store (case.STORES).
Every system sees the same candidates for a query: hermit's candidate index
(``Screener.candidates``), kept to entities of the query's schema.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bench.screening.case import STORES, Case
from hermit.screening.engine import Screener
from hermit.screening.query import BirthDate, Query
from hermit.sources.snapshot import ListSnapshot
from hermit.store import Store

#: Results an analyst sees per query: alerts beyond the first LIMIT are not counted.
LIMIT = 10
#: Queries run before timing starts (not cases of the benchmark, so no case is cached).
WARM_UP = (
    Query("Kim Yong Chol", schema="Person"),
    Query("John Smith", schema="Person", birth_date=BirthDate.of("1970-01-01")),
    Query("김정일", schema="Person"),
    Query("Иван Петров", schema="Person"),
    Query("Korea Trading Corporation", schema="Organization"),
    Query("OCEAN STAR", schema="Vessel", imo="9224984"),
)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one system answered for one case."""

    case_id: str
    alerts: tuple[str, ...]  # entity ids scoring at or above the threshold, top LIMIT
    ranked: tuple[tuple[str, float], ...]  # (entity id, score), best first, top LIMIT
    candidate_hit: bool | None  # positives: the labelled entity is among the candidates
    label_score: float | None  # positives: the scorer on the labelled entity alone
    pairs: int  # candidates of the query's schema, scored
    seconds: float  # end to end: candidates and scoring
    score_seconds: float  # scoring the pairs alone


class System(Protocol):
    """A screening system under test: hermit or an anchor."""

    name: str
    algorithm: str
    threshold: float

    def warm_up(self) -> None: ...

    def run(self, case: Case) -> Outcome: ...


def build_stores(
    snapshots: dict[str, ListSnapshot], directory: Path, names: Sequence[str] = STORES
) -> dict[str, Path]:
    """The ``names`` stores (of ``un``, ``ofac`` and ``both``) in ``directory`` from the
    parsed lists."""
    plan = {"un": ["un"], "ofac": ["ofac"], "both": ["un", "ofac"]}
    paths: dict[str, Path] = {}
    for name in names:
        parts = plan[name]
        path = directory / f"{name}.duckdb"
        for stale in (path, path.with_suffix(".duckdb.wal")):
            stale.unlink(missing_ok=True)
        with Store(path) as store:
            for part in parts:
                store.load(snapshots[part])
        paths[name] = path
    return paths


def open_screeners(paths: dict[str, Path]) -> dict[str, Screener]:
    screeners = {}
    for name, path in paths.items():
        with Store(path, read_only=True) as store:
            screeners[name] = Screener.from_store(store.con)
    return screeners


def schemas(path: Path) -> dict[str, str]:
    """Entity id -> schema, for keeping a query's candidates to its schema."""
    with Store(path, read_only=True) as store:
        rows = store.con.execute("SELECT entity_id, schema FROM current_entities").fetchall()
    return dict(rows)


class Candidates:
    """hermit's candidate retrieval, shared by every system."""

    def __init__(self, screeners: dict[str, Screener], schema_of: dict[str, str]) -> None:
        self.screeners = screeners
        self.schema_of = schema_of

    def pairs(self, case: Case) -> tuple[list[str], bool | None]:
        """The candidates of the query's schema, and (for a positive) whether the
        labelled entity is among all the candidates."""
        found = self.screeners[case.store].candidates(case.query)
        hit = None if case.expected is None else case.expected in found
        kept = [e for e in found if self.schema_of.get(e) == case.query.schema]
        return kept, hit


class HermitSystem:
    """hermit end to end (Screener.screen). With ``timing``, its scorer alone is also
    timed on the pairs (Screener.score); without, only positives' candidates are
    retrieved again (for candidate recall), which is what CI needs."""

    name = "hermit"

    def __init__(self, candidates: Candidates, timing: bool = True) -> None:
        self.candidates = candidates
        self.timing = timing
        info = next(iter(candidates.screeners.values())).info
        self.algorithm = info.algorithm
        self.threshold = info.threshold

    def warm_up(self) -> None:
        for query in WARM_UP:
            for screener in self.candidates.screeners.values():
                screener.screen(query, LIMIT)

    def run(self, case: Case) -> Outcome:
        screener = self.candidates.screeners[case.store]
        start = time.perf_counter()
        matches = screener.screen(case.query, LIMIT)
        seconds = time.perf_counter() - start
        pairs: list[str] = []
        hit = None
        score_seconds = 0.0
        if self.timing or case.expected is not None:
            pairs, hit = self.candidates.pairs(case)
        if self.timing:
            start = time.perf_counter()
            screener.score(case.query, pairs)
            score_seconds = time.perf_counter() - start
        label = None
        if case.expected is not None:
            label = screener.score(case.query, [case.expected])[0].score
        return Outcome(
            case.id,
            tuple(m.entity_id for m in matches if m.is_match),
            tuple((m.entity_id, m.score) for m in matches),
            hit,
            label,
            len(pairs),
            seconds,
            score_seconds,
        )
