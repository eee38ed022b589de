"""hermit.network.export.cut on random small neighbourhoods: at most the limit (beyond it
only for the nodes it must keep), the centre and the nodes to keep always there, nearer
rings whole before farther ones, every node kept joined to the centre through nodes
kept, the edges between those kept and no other, and the counts of what was left out
adding up. (Through the service and the page: tests/api/test_network_web.py.)"""

from __future__ import annotations

import random
from collections import defaultdict

import pytest

from hermit.network.export import Subgraph, cut
from hermit.network.graph import Edge


def _neighbourhood(rng: random.Random) -> Subgraph:
    """A random connected graph around n0: each new node tied to one before it, plus
    some extra edges, in either direction."""
    n = rng.randint(2, 60)
    names = [f"n{i}" for i in range(n)]
    pairs = [(names[rng.randrange(i)], names[i]) for i in range(1, n)]
    pairs += [tuple(rng.sample(names, 2)) for _ in range(rng.randint(0, n))]
    edges = [
        Edge("ownership", *(p if rng.random() < 0.5 else p[::-1]), f"r{i}", "f.jsonl", i)
        for i, p in enumerate(pairs)
    ]
    return Subgraph("n0", 3, ["n0", *sorted(names[1:])], edges)


def _steps(nodes: set[str], edges: list[Edge]) -> dict[str, int]:
    near = defaultdict(set)
    for e in edges:
        if e.source in nodes and e.target in nodes:
            near[e.source].add(e.target)
            near[e.target].add(e.source)
    found, ring = {"n0": 0}, ["n0"]
    while ring:
        following = []
        for x in ring:
            for o in sorted(near[x] - found.keys()):
                found[o] = found[x] + 1
                following.append(o)
        ring = following
    return found


@pytest.mark.parametrize("seed", range(300))
def test_the_cut_keeps_what_it_must_and_the_nearest(seed: int) -> None:
    rng = random.Random(seed)
    sub = _neighbourhood(rng)
    limit = rng.randint(1, len(sub.nodes) + 3)
    keep = set(rng.sample(sub.nodes, rng.randint(0, 3))) | {"elsewhere"}
    out = cut(sub, limit, keep)
    if len(sub.nodes) <= limit:
        assert out is sub and out.cut is None
        return
    kept = set(out.nodes)
    must = {"n0"} | (keep & set(sub.nodes))
    assert must <= kept and "elsewhere" not in kept
    assert len(kept) == max(limit, len(must)) and out.nodes[0] == "n0"
    assert out.edges == [e for e in sub.edges if e.source in kept and e.target in kept]
    distance = _steps(set(sub.nodes), sub.edges)
    chosen = [distance[n] for n in kept - must]
    if chosen:  # every node nearer than the farthest chosen is kept
        assert all(n in kept for n in sub.nodes if distance[n] < max(chosen))
    # each node chosen reaches the centre through nodes kept
    reach = _steps(kept, sub.edges)
    assert all(n in reach for n in kept - must)
    assert out.cut is not None
    assert out.cut.nodes_left_out == len(sub.nodes) - len(kept)
    assert out.cut.edges_left_out == len(sub.edges) - len(out.edges)
    assert (out.cut.nodes_total, out.cut.edges_total) == (len(sub.nodes), len(sub.edges))
    assert out.cut.kept_for_paths == len(must) - 1
