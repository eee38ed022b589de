"""The DPRK name benchmark (bench/korean_names) held as a regression test: hermit's
quality figures on fixed data, against the issue's targets. Timings and the anchor
(logic-v2) live in the bench itself and BENCHMARKS.md."""

from __future__ import annotations

import importlib.util
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from hermit.screening import scorer
from hermit.screening.candidates import CandidateIndex
from hermit.screening.engine import listed_from_entities
from hermit.screening.features.names import PreparedName, name_feature

BENCH = Path(__file__).resolve().parents[2] / "bench" / "korean_names" / "cases.py"
TARGETS = {  # slice -> least share found at the threshold
    "hangul": 0.95,
    "cyrillic-press": 0.95,
    "cyrillic-kontsevich": 0.95,
    "hanja": 0.80,
    "mr": 0.98,
    "dprk": 0.98,
    "rr": 0.98,
    "rr-south": 0.98,
    "western": 0.98,
    "list-variant": 1.0,
    "company-variant": 1.0,
    "company-korean": 0.95,
    "company-legal-form": 0.98,
}
FALSE_ALERTS = {"negative-recombined": 0.02, "negative-relative": 0.0, "negative-company": 0.05}


def _cases_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("korean_name_cases", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def figures(shared_lists: Path) -> dict[str, float]:
    cases = _cases_module()
    people = cases.dprk_entities(shared_lists)
    entities = listed_from_entities(people)
    index = CandidateIndex(entities)  # the names' word weights
    listed = list(entities.values())
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for case in cases.build_cases(people):
        # a positive counts when one of its right entities scores at the threshold, so
        # only those are scored (the same figure as scoring every listed entity, at a
        # few pairs a query instead of some 220); a negative counts any alert, so it
        # meets every listed entity of its kind
        if case.expected:
            meets = [entities[i] for i in sorted(case.expected) if i in entities]
        else:
            meets = listed
        query = PreparedName.of(case.query)
        hit = any(
            name_feature(query, entity, index.token_weight).value >= scorer.THRESHOLD
            for entity in meets
            if (entity.schema == "Person") == (case.schema == "Person")
        )
        row = counts[case.slice]
        row[0] += 1
        row[1] += hit
    return {name: hit / n for name, (n, hit) in counts.items()}


def test_every_slice_is_there(figures: dict[str, float]) -> None:
    assert set(figures) == set(TARGETS) | set(FALSE_ALERTS)


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_found_at_threshold(figures: dict[str, float], name: str) -> None:
    assert figures[name] >= TARGETS[name]


@pytest.mark.parametrize("name", sorted(FALSE_ALERTS))
def test_false_alerts(figures: dict[str, float], name: str) -> None:
    assert figures[name] <= FALSE_ALERTS[name]
