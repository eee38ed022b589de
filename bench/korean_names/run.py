"""DPRK name benchmark: hermit's Korean-aware comparison and the anchor side by side.

Every query is scored against the same candidates, all listed DPRK people (UN KPi.*,
OFAC DPRK programs), by hermit (``hermit-basic@1`` name feature, which uses
``hermit-korean@1``) and by nomenklatura's logic-v2 (the anchor, at yente's default
threshold 0.70). Per slice: the share of queries whose right entity scores at or above
the threshold (found), is the top-scoring candidate (top-1), and for negatives the
share of queries raising any alert.

    python -m venv .venv-bench && .venv-bench/bin/pip install -e . nomenklatura
    .venv-bench/bin/python bench/korean_names/run.py [--lists ../shared/data/lists]
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases import Case, build_cases, dprk_entities

from hermit.model import Entity
from hermit.screening import scorer
from hermit.screening.candidates import CandidateIndex
from hermit.screening.engine import listed_from_entities
from hermit.screening.features.names import PreparedName, name_feature

REPO = Path(__file__).resolve().parents[2]
HERMIT_THRESHOLD = scorer.THRESHOLD
ANCHOR_THRESHOLD = 0.70
Scorer = Callable[[str, str], dict[str, float]]


def hermit_scorer(people: list[Entity]) -> Scorer:
    entities = listed_from_entities(people)
    index = CandidateIndex(entities)
    listed = list(entities.values())

    def score(query: str, schema: str) -> dict[str, float]:
        out: dict[str, float] = {}
        prepared = PreparedName.of(query)
        for entity in listed:
            if (entity.schema == "Person") != (schema == "Person"):
                continue
            found = name_feature(prepared, entity, index.token_weight)
            out[entity.entity_id] = found.value
        return out

    return score


def anchor_scorer(people: list[Entity]) -> Scorer:
    from followthemoney import model
    from nomenklatura.matching import get_algorithm

    algorithm = get_algorithm("logic-v2")
    assert algorithm is not None
    config = algorithm.default_config()
    candidates = []
    for p in people:
        proxy = model.make_entity(p.schema)
        proxy.id = p.id
        for prop in ("name", "alias", "weakAlias"):
            proxy.add(prop, p.get(prop))
        candidates.append(proxy)

    counter = iter(range(10**9))

    def score(query: str, schema: str) -> dict[str, float]:
        q = model.make_entity(schema)
        q.id = f"query-{next(counter)}"  # logic-v2 caches by entity id: never reuse one
        q.add("name", query)
        return {
            c.id: algorithm.compare(q, c, config).score
            for c in candidates
            if (c.schema.name == "Person") == (schema == "Person")
        }

    return score


def evaluate(
    cases: list[Case], scorer: Scorer, threshold: float
) -> tuple[dict[str, list[float]], float]:
    per_slice: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0])  # n, found, top1
    start = time.perf_counter()
    for case in cases:
        scores = scorer(case.query, case.schema)
        row = per_slice[case.slice]
        row[0] += 1
        if case.expected:
            best = max(scores.values(), default=0.0)
            right = max((scores.get(e, 0.0) for e in case.expected), default=0.0)
            row[1] += right >= threshold
            row[2] += right >= best and right > 0
        else:
            row[1] += any(s >= threshold for s in scores.values())
    return per_slice, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lists", type=Path, default=REPO.parent / "shared" / "data" / "lists")
    args = parser.parse_args()
    people = dprk_entities(args.lists)
    cases = build_cases(people)
    print(f"machine: {platform.platform()}, Python {platform.python_version()}")
    n_people = sum(1 for p in people if p.schema == "Person")
    print(
        f"candidates: {n_people} listed DPRK people, {len(people) - n_people} organizations "
        f"(each query meets those of its kind); queries: {len(cases)}"
    )
    results = {
        "hermit": evaluate(cases, hermit_scorer(people), HERMIT_THRESHOLD),
        "logic-v2": evaluate(cases, anchor_scorer(people), ANCHOR_THRESHOLD),
    }
    print(f"thresholds: hermit {HERMIT_THRESHOLD}, logic-v2 {ANCHOR_THRESHOLD}")
    print("| slice | queries | hermit found | hermit top-1 | logic-v2 found | logic-v2 top-1 |")
    print("|---|---|---|---|---|---|")
    slices = sorted(results["hermit"][0], key=lambda s: ("negative" in s, s))
    for name in slices:
        h, a = results["hermit"][0][name], results["logic-v2"][0][name]
        if "negative" in name:
            print(
                f"| {name} (false-alert rate) | {h[0]} | {h[1] / h[0]:.3f} | | "
                f"{a[1] / a[0]:.3f} | |"
            )
        else:
            print(
                f"| {name} | {h[0]} | {h[1] / h[0]:.3f} | {h[2] / h[0]:.3f} | "
                f"{a[1] / a[0]:.3f} | {a[2] / a[0]:.3f} |"
            )
    for label, (_, seconds) in results.items():
        pairs = sum(n_people if c.schema == "Person" else len(people) - n_people for c in cases)
        print(f"{label}: {seconds:.1f} s for {pairs:,} pairs ({seconds / pairs * 1e6:.0f} µs/pair)")


if __name__ == "__main__":
    main()
