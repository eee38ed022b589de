"""hermit's resolution is held to the golden output of its current version
(tests/resolve/golden/hermit-resolve.json, a small fixed slice of the dev registry).

An algorithm keeps its name only while its output does not move. When this test fails:
- "moved": the code or resolve.yaml changed an entity or a link under an unchanged
  name. Either the change was not meant to move anything (fix it), or it was: give the
  algorithm a new version (run.ALGORITHM, ``hermit-resolve@6`` -> ``@7``) and record
  its output with ``.venv/bin/python -m tests.resolve.golden_output``;
- "recorded for": the version changed but its output was not recorded yet.
"""

from __future__ import annotations

from pathlib import Path

from hermit.resolve.run import ALGORITHM
from tests.resolve import golden_output


def test_output_is_the_recorded_one_for_its_version(tmp_path: Path) -> None:
    recorded = golden_output.load()
    assert recorded["algorithm"] == ALGORITHM, (
        f"the golden output was recorded for {recorded['algorithm']}, the code is "
        f"{ALGORITHM}: run python -m tests.resolve.golden_output"
    )
    now = golden_output.compute(tmp_path)
    assert now["records"] == recorded["records"]
    assert len(recorded["entities"]) >= 20 and len(recorded["links"]) >= 20
    moved = [e for e in now["entities"] if e not in recorded["entities"]]
    gone = [e for e in recorded["entities"] if e not in now["entities"]]
    assert not moved and not gone, (
        f"the entities of {ALGORITHM} moved without a new version: now {moved[:3]}, "
        f"no longer {gone[:3]}"
    )
    links = [tuple(k) for k in now["links"]]
    was = [tuple(k) for k in recorded["links"]]
    assert links == was, (
        f"the links of {ALGORITHM} moved without a new version: {sorted(set(links) ^ set(was))[:5]}"
    )
