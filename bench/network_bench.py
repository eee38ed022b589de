"""The OFAC 50% fixpoint (hermit.network.ofac50) on a generated ownership graph, with
networkx doing the same fixpoint on a tenth of it in the same run.

    .venv/bin/python bench/network_bench.py [--entities 1000000] [--edges 3000000]

Each asset gets owners whose stakes add up to about 100% (a few over it, some as bands);
1% of entities are listed roots. Times: the rule end to end (current filter, the two
readings, two fixpoints, per-entity findings) and the bare fixpoint; peak RSS of the
process after each step.
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from datetime import date

import networkx as nx  # type: ignore[import-untyped]

from hermit.network.holdings import Holding
from hermit.network.ofac50 import (
    BLOCKED,
    POSSIBLY_BLOCKED,
    blocked_status,
    default_rule,
    fixpoint,
    readings,
)

AS_OF = date(2024, 6, 1)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(entities: int, edges: int, seed: int = 13) -> tuple[list[str], list[Holding]]:
    rng = random.Random(seed)
    names = [f"e{i}" for i in range(entities)]
    holdings: list[Holding] = []
    while len(holdings) < edges:
        asset = rng.randrange(entities)
        owners = rng.randint(1, 5)
        left = 100.0 if rng.random() > 0.02 else 120.0
        for k in range(owners):
            share = left if k == owners - 1 else round(rng.uniform(0, left), 2)
            left -= share
            owner = rng.randrange(entities)
            if owner == asset:
                continue
            if rng.random() < 0.05:
                low = float(int(share // 25) * 25)
                holdings.append(Holding(names[owner], names[asset], low, min(low + 25, 100)))
            else:
                holdings.append(Holding(names[owner], names[asset], share, share))
    listed = [names[i] for i in rng.sample(range(entities), entities // 100)]
    return listed, holdings[:edges]


def networkx_fixpoint(listed: list[str], holdings: list[Holding]) -> set[str]:
    """The definite reading with networkx's graph: the same least fixpoint."""
    rule = default_rule()
    definite, _possible, _over = readings(holdings, rule)
    graph = nx.MultiDiGraph()
    for owner, asset, pct, _source in definite:
        graph.add_edge(owner, asset, pct=pct)
    blocked = set(listed)
    held: dict[str, float] = {}
    pending = [n for n in listed if n in graph]
    while pending:
        owner = pending.pop()
        for _o, asset, data in graph.out_edges(owner, data=True):
            if asset in blocked:
                continue
            held[asset] = held.get(asset, 0.0) + data["pct"]
            if held[asset] >= rule.threshold_pct - rule.tolerance_pct:
                blocked.add(asset)
                pending.append(asset)
    return blocked


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--edges", type=int, default=3_000_000)
    args = parser.parse_args()
    t0 = time.perf_counter()
    listed, holdings = generate(args.entities, args.edges)
    print(
        f"generated {args.entities:,} entities, {len(holdings):,} holdings "
        f"in {time.perf_counter() - t0:.1f} s, peak RSS {_rss_mb():,.0f} MB"
    )
    t0 = time.perf_counter()
    result = blocked_status(listed, holdings, AS_OF)
    rule_s = time.perf_counter() - t0
    print(
        f"hermit ofac50 end to end: {rule_s:.1f} s, {len(result.with_status(BLOCKED)):,} "
        f"blocked, {len(result.with_status(POSSIBLY_BLOCKED)):,} possibly blocked, "
        f"peak RSS {_rss_mb():,.0f} MB"
    )
    definite, _p, _o = readings(holdings, default_rule())
    t0 = time.perf_counter()
    bare = fixpoint(frozenset(listed), definite, default_rule())
    print(f"hermit bare fixpoint (definite reading): {time.perf_counter() - t0:.2f} s")
    del result, definite
    tenth_n, tenth_e = args.entities // 10, args.edges // 10
    listed10, holdings10 = generate(tenth_n, tenth_e, seed=14)
    t0 = time.perf_counter()
    ours = fixpoint(frozenset(listed10), readings(holdings10, default_rule())[0], default_rule())
    ours_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    theirs = networkx_fixpoint(listed10, holdings10)
    nx_s = time.perf_counter() - t0
    assert ours == theirs, "networkx and hermit disagree"
    print(
        f"tenth ({tenth_n:,} / {tenth_e:,}): hermit fixpoint {ours_s:.2f} s, networkx "
        f"(build + same fixpoint) {nx_s:.2f} s, same blocked set ({len(ours) - len(listed10):,})"
    )
    assert bare


if __name__ == "__main__":
    main()
