"""The fixpoint against an independent brute-force oracle on thousands of random small
ownership graphs (fixed seed).

The oracle is the definition in its simplest form, in exact arithmetic: of all sets of
parties that contain the listed ones and are closed under "blocked parties hold 50% or
more of it", the blocked set is the smallest (their intersection, Knaster-Tarski), found
by enumerating every subset. It shares no code with hermit.network.ofac50.
"""

from __future__ import annotations

import itertools
import random
from datetime import date
from fractions import Fraction

import pytest

from hermit.network.holdings import Holding
from hermit.network.ofac50 import BLOCKED, POSSIBLY_BLOCKED, blocked_status

AS_OF = date(2024, 6, 1)
GRAPHS = 3000
Row = tuple[str, str, Fraction, Fraction, date | None, date | None]


def _random_graph(rng: random.Random) -> tuple[list[str], list[Row]]:
    nodes = [chr(ord("A") + i) for i in range(rng.randint(2, 8))]
    listed = rng.sample(nodes, rng.randint(1, min(2, len(nodes) - 1)))
    rows: list[Row] = []
    for _ in range(rng.randint(1, 14)):
        owner, asset = rng.sample(nodes, 2)
        kind = rng.random()
        if kind < 0.15:
            low = Fraction(rng.choice([0, 10, 25, 50]))
            high = low + Fraction(rng.choice([15, 25]))
        elif kind < 0.3:
            low = high = Fraction(rng.randint(0, 10000), 100)
        else:
            low = high = Fraction(rng.choice([5, 10, 20, 25, 30, 40, 49, 50, 51, 60, 100]))
        when = rng.random()
        start = end = None
        if when < 0.1:
            end = date(2019, 1, 1)
        elif when < 0.15:
            start = date(2025, 1, 1)
        elif when < 0.2:
            end = AS_OF  # ended on the as-of date: no longer current
        elif when < 0.25:
            start = AS_OF
        rows.append((owner, asset, low, high, start, end))
        if rng.random() < 0.1:
            rows.append(rows[-1])  # the same holding reported twice
    return listed, rows


def _oracle(listed: list[str], rows: list[Row]) -> tuple[set[str], set[str], dict[str, Fraction]]:
    live = set()
    for owner, asset, low, high, start, end in rows:
        if (start is None or start <= AS_OF) and (end is None or end > AS_OF):
            live.add((owner, asset, low, high))
    lows: dict[str, Fraction] = {}
    for _owner, asset, low, _high in live:
        lows[asset] = lows.get(asset, Fraction(0)) + low
    definite = []
    possible = []
    for owner, asset, low, high in live:
        scaled = low * 100 / lows[asset] if lows[asset] > 100 else low
        definite.append((owner, asset, scaled))
        possible.append((owner, asset, high))
    nodes = sorted({r[0] for r in rows} | {r[1] for r in rows})

    def least(edges: list[tuple[str, str, Fraction]]) -> set[str]:
        others = [n for n in nodes if n not in listed]
        best = set(nodes)
        for size in range(len(others) + 1):
            for extra in itertools.combinations(others, size):
                s = set(listed) | set(extra)
                closed = True
                for n in nodes:
                    held = sum((p for o, a, p in edges if a == n and o in s), Fraction(0))
                    if held >= 50 and n not in s:
                        closed = False
                if closed:
                    best &= s
        return best

    blocked = least(definite)
    maybe = least(possible)
    stake = {
        n: sum((p for o, a, p in definite if a == n and o in blocked), Fraction(0)) for n in nodes
    }
    return blocked - set(listed), maybe - blocked - set(listed), stake


def test_random_graphs_agree_with_oracle() -> None:
    rng = random.Random(20240601)
    seen_blocked = seen_possible = 0
    for index in range(GRAPHS):
        listed, rows = _random_graph(rng)
        holdings = [
            Holding(o, a, float(lo), float(hi), start=s, end=e, source=f"g{index}")
            for o, a, lo, hi, s, e in rows
        ]
        result = blocked_status(listed, holdings, AS_OF)
        blocked, possible, stake = _oracle(listed, rows)
        assert set(result.with_status(BLOCKED)) == blocked, (index, listed, rows)
        assert set(result.with_status(POSSIBLY_BLOCKED)) == possible, (index, listed, rows)
        for entity, finding in result.findings.items():
            assert finding.definite_pct == pytest.approx(float(stake[entity]), abs=1e-9)
        seen_blocked += bool(blocked)
        seen_possible += bool(possible)
    # the generator reaches every outcome often enough to test something
    assert seen_blocked > GRAPHS // 10
    assert seen_possible > GRAPHS // 50
