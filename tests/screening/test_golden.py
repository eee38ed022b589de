"""Each named screening algorithm is held to the golden output of its current version.

An algorithm keeps its name only while its output does not move. When this test fails:
- "moved": the code or a table changed a score under an unchanged name. Either the change
  was not meant to move anything (fix it), or it was: give the algorithm a new version
  (``hermit-screen@2`` -> ``@3``) and record its output with
  ``.venv/bin/python scripts/make_golden.py``;
- "recorded for": the version changed but its output was not recorded yet: run the
  script.
"""

from __future__ import annotations

from typing import Any

import pytest

from hermit.screening import algorithms
from hermit.screening.engine import Screener
from tests.screening import golden_output


def _differences(old: list[Any], new: list[Any]) -> list[str]:
    shown = []
    for index, (a, b) in enumerate(zip(old, new, strict=False)):
        if a != b:
            shown.append(f"case {index}: was {a}\n now {b}")
    if len(old) != len(new):
        shown.append(f"{len(old)} cases recorded, {len(new)} now")
    return shown


@pytest.mark.parametrize("family", golden_output.FAMILIES)
def test_output_is_the_recorded_one_for_its_version(family: str, lists_screener: Screener) -> None:
    current = algorithms.algorithms()[family]
    path = golden_output.golden_path(family)
    assert path.exists(), f"no golden output for {current}: run scripts/make_golden.py"
    recorded = golden_output.load(family)
    assert recorded["algorithm"] == current, (
        f"the golden output was recorded for {recorded['algorithm']}, the code is {current}: "
        "run scripts/make_golden.py"
    )
    now = golden_output.compute(family, lists_screener)
    moved = _differences(recorded["cases"], now["cases"])
    assert not moved, (
        f"the output of {current} moved in {len(moved)} cases without a new version:\n"
        + "\n".join(moved[:5])
    )


def test_every_named_algorithm_has_a_golden_output() -> None:
    assert set(algorithms.algorithms()) == set(golden_output.FAMILIES)


def test_the_golden_queries_cover_each_kind() -> None:
    qs = golden_output.queries()
    assert len(qs) >= 100
    assert any(q.imo for q in qs) and any(q.birth_date for q in qs)
    assert {q.schema for q in qs} >= {None, "Person", "Organization", "Vessel"}
    assert any(not q.name.isascii() for q in qs)
