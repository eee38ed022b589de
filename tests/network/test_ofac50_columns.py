"""ofac50@1 over columns against the plain-Python worklist it replaced
(tests/network/ofac50_reference.py): the same findings, entity by entity (status, both
stakes, the stakes that reach 50% with their sources, the over-100% totals), on fixed
random ownership graphs with bands, totals over 100%, dated and duplicated holdings,
control edges, cycles and listed parties that hold nothing."""

from __future__ import annotations

import random
from datetime import date

import pytest

from hermit.network.holdings import CONTROL, OWNERSHIP, Holding
from hermit.network.ofac50 import BLOCKED, POSSIBLY_BLOCKED, blocked_status
from tests.network import ofac50_reference

AS_OF = date(2024, 6, 1)


def _graph(seed: int, entities: int, holdings: int) -> tuple[list[str], list[Holding]]:
    rng = random.Random(seed)
    names = [f"e{i}" for i in range(entities)]
    rows: list[Holding] = []
    while len(rows) < holdings:
        asset = rng.randrange(entities)
        left = 100.0 if rng.random() > 0.05 else 130.0
        for k in range(rng.randint(1, 4)):
            share = left if k == 3 else round(rng.uniform(0, left), 2)
            left -= share
            owner = rng.randrange(entities)
            if owner == asset:
                continue
            low = high = share
            if rng.random() < 0.1:
                low = float(int(share // 25) * 25)
                high = min(low + 25, 100.0)
            when = rng.random()
            start = date(2025, 1, 1) if when < 0.05 else None
            end = AS_OF if 0.05 <= when < 0.1 else (date(2020, 1, 1) if when > 0.95 else None)
            kind = CONTROL if rng.random() < 0.05 else OWNERSHIP
            rows.append(
                Holding(names[owner], names[asset], low, high, start, end, f"r{len(rows)}", kind)
            )
            if rng.random() < 0.05:
                rows.append(rows[-1])  # reported twice
    listed = [*rng.sample(names, entities // 10), "listed-holding-nothing"]
    return listed, rows


@pytest.mark.parametrize(("seed", "entities", "holdings"), [(1, 300, 900), (2, 3000, 9000)])
def test_same_findings_as_the_worklist(seed: int, entities: int, holdings: int) -> None:
    listed, rows = _graph(seed, entities, holdings)
    ours = blocked_status(listed, rows, AS_OF)
    theirs = ofac50_reference.blocked_status(listed, rows, AS_OF)
    assert ours.listed == theirs.listed
    assert ours.findings.keys() == theirs.findings.keys()
    for entity, finding in theirs.findings.items():
        assert ours.findings[entity] == finding, entity
    # the graphs exercise the rule: chains blocked through blocked owners, both readings
    blocked = ours.with_status(BLOCKED)
    assert len(blocked) > entities // 50
    assert any(s.owner in blocked for e in blocked for s in ours.findings[e].reasons)
    assert ours.with_status(POSSIBLY_BLOCKED)
    assert any(f.over_full_pct is not None for f in ours.findings.values())


def test_as_of_moves_the_answer_the_same_way() -> None:
    listed, rows = _graph(3, 500, 1500)
    for day in (date(2019, 6, 1), AS_OF, date(2025, 6, 1)):
        ours = blocked_status(listed, rows, day).findings
        assert ours == ofac50_reference.blocked_status(listed, rows, day).findings
