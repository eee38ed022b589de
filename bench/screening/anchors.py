"""The anchors: OpenSanctions nomenklatura's ``logic-v1`` and ``logic-v2`` scoring the
same candidates hermit's index retrieves, at yente's default threshold (0.70, which
yente applies to whichever algorithm it runs; nomenklatura itself has none).

Only in the bench environment (``pip install nomenklatura``), never in hermit or CI.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable
from typing import Any

from bench.screening.case import Case
from bench.screening.evaluate import LIMIT, WARM_UP, Candidates, Outcome
from hermit.model import Entity
from hermit.screening.dates import BirthDate
from hermit.screening.query import Query

THRESHOLD = 0.70  # yente's SCORE_THRESHOLD
ALGORITHMS = ("logic-v1", "logic-v2")
#: Query field -> FtM property, per schema.
PROPS = {
    "Person": {
        "birth_date": "birthDate",
        "nationality": "nationality",
        "passport": "passportNumber",
    },
    "Organization": {"country": "country", "registration_number": "registrationNumber"},
    "Vessel": {"imo": "imoNumber", "mmsi": "mmsi"},
}


def proxies(entities: Iterable[Entity]) -> dict[str, Any]:
    """FtM entity proxies of the screened listed entities (all their properties)."""
    from followthemoney import model

    return {
        e.id: model.get_proxy(e.to_ftm())
        for e in entities
        if e.schema in ("Person", "Organization", "Vessel", "Airplane")
    }


class AnchorSystem:
    """One nomenklatura algorithm over hermit's candidates."""

    def __init__(self, name: str, candidates: Candidates, listed: dict[str, Any]) -> None:
        from followthemoney import model
        from nomenklatura.matching import get_algorithm

        algorithm = get_algorithm(name)
        if algorithm is None:
            raise SystemExit(f"nomenklatura has no algorithm {name!r}")
        self.name = name
        self.algorithm = name
        self.scorer = algorithm
        self.config = algorithm.default_config()
        self.model = model
        self.candidates = candidates
        self.listed = listed
        self.threshold = THRESHOLD
        self._ids = itertools.count()

    def proxy(self, query: Query) -> Any:
        """The query as an FtM entity; a new id every time (logic-v2 caches by id)."""
        schema = query.schema or "LegalEntity"
        entity = self.model.make_entity(schema)
        entity.id = f"query-{self.name}-{next(self._ids)}"
        entity.add("name", query.name)
        for field, prop in PROPS.get(schema, {}).items():
            value = getattr(query, field)
            if value is None:
                continue
            if isinstance(value, BirthDate):  # every reading, as ISO prefixes
                entity.add(prop, list(value.readings))
            else:
                entity.add(prop, value)
        return entity

    def warm_up(self) -> None:
        for query in WARM_UP:
            entity = self.proxy(query)
            for listed in itertools.islice(self.listed.values(), 20):
                self.scorer.compare(entity, listed, self.config)

    def run(self, case: Case) -> Outcome:
        start = time.perf_counter()
        pairs, hit = self.candidates.pairs(case)
        scoring = time.perf_counter()
        entity = self.proxy(case.query)
        scores = [
            (eid, self.scorer.compare(entity, self.listed[eid], self.config).score) for eid in pairs
        ]
        end = time.perf_counter()
        ranked = sorted(scores, key=lambda s: (-s[1], s[0]))[:LIMIT]
        label = None
        if case.expected is not None:
            label = self.scorer.compare(
                self.proxy(case.query), self.listed[case.expected], self.config
            ).score
        return Outcome(
            case.id,
            tuple(eid for eid, score in ranked if score >= self.threshold),
            tuple(ranked),
            hit,
            label,
            len(pairs),
            end - start,
            end - scoring,
        )
