"""The systems scored on each pair: hermit's pair scorer and nomenklatura's matchers.

Each pair is a synthesised single-name entity pair, as nomenklatura's own harness builds
it (contrib/name_bench/comparators/logicv2.py): name1 is the query, name2 the only
name of the other entity, both of the pair's schema, nothing else known. hermit scores
it with ``hermit.screening.scorer.score``: a Query (``make_query``) against a
ListedEntity made from name2 the way listed entities are made
(``listed_from_entities``), with word weights from an index of the real UN and OFAC
lists, as screening uses them. A system's time per pair covers building both sides
and scoring.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import uuid4

from bench.name_bench.cases import Pair
from hermit.model import Entity
from hermit.model.provenance import Provenance
from hermit.names.compare import Weight
from hermit.screening import scorer
from hermit.screening.engine import listed_from_entities
from hermit.screening.query import make_query
from hermit.screening.scorer import PreparedQuery

#: yente's SCORE_THRESHOLD (yente/settings.py, 3.2.0), used for every algorithm it
#: runs; nomenklatura's name_bench harness defaults to the same 0.7.
ANCHOR_THRESHOLD = 0.70
ANCHORS = ("logic-v2", "logic-v1")


@dataclass(frozen=True, slots=True)
class Scored:
    score: float
    reason: str
    seconds: float


class System(Protocol):
    name: str
    algorithm: str
    threshold: float

    def score(self, pair: Pair) -> Scored: ...


def _timed(run: Callable[[], tuple[float, str]]) -> Scored:
    start = time.perf_counter()
    score, reason = run()
    return Scored(score, reason, time.perf_counter() - start)


class Hermit:
    """hermit's pair scorer (all features; only the name and schema have anything)."""

    name = "hermit"
    algorithm = scorer.ALGORITHM
    threshold = scorer.THRESHOLD

    def __init__(self, weight: Weight) -> None:
        self.weight = weight

    def _run(self, pair: Pair) -> tuple[float, str]:
        query = make_query({"name": pair.name1, "schema": pair.schema}).query
        entity = Entity(
            f"name-bench-{pair.case_id}",
            pair.schema,
            Provenance("name_bench", pair.case_id, "cases.csv"),
        )
        entity.add("name", pair.name2)
        listed = listed_from_entities([entity])[entity.id]
        listed.seal()
        match = scorer.score(PreparedQuery.of(query, self.weight), listed)
        return match.score, match.explanation

    def score(self, pair: Pair) -> Scored:
        return _timed(lambda: self._run(pair))


class Anchor:
    """One nomenklatura algorithm on a pair of ValueEntity, new ids every time (logic-v2
    caches by entity id), default configuration, as its own harness runs it."""

    def __init__(self, name: str) -> None:
        from followthemoney import ValueEntity, model
        from nomenklatura.matching import get_algorithm

        algorithm = get_algorithm(name)
        if algorithm is None:
            raise SystemExit(f"nomenklatura has no algorithm {name!r}")
        self.name = name
        self.algorithm = name
        self.threshold = ANCHOR_THRESHOLD
        self._algorithm: Any = algorithm
        self._config = algorithm.default_config()
        self._model: Any = model
        self._entity: Any = ValueEntity

    def _run(self, pair: Pair) -> tuple[float, str]:
        schema = self._model.get(pair.schema)
        query = self._entity(schema, {"id": uuid4().hex})
        query.add("name", pair.name1)
        other = self._entity(schema, {"id": uuid4().hex})
        other.add("name", pair.name2)
        result = self._algorithm.compare(query, other, self._config)
        parts = [f"{k} {v.score:.2f}" for k, v in result.explanations.items() if v.score]
        return float(result.score), "; ".join(parts)

    def score(self, pair: Pair) -> Scored:
        return _timed(lambda: self._run(pair))


def anchors() -> list[System]:
    """logic-v2 and logic-v1 when nomenklatura is installed (the bench environment)."""
    try:
        import nomenklatura  # noqa: F401
    except ImportError:
        return []
    return [Anchor(name) for name in ANCHORS]
