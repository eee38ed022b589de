"""hermit.network.nearest against the searches it stands beside, on a fixed random
graph of every edge kind (shares, officers, shared addresses, edges not current, hubs):
the hop distances against a plain breadth-first search, and the best three listed
parties of every entity against ``Network.exposure`` (the same parties, ties by name,
and the same scores), each path read back valid: a chain of edges from the entity to
its listed party, within the hop limit, its penalties adding up to the label's."""

from __future__ import annotations

import random
from collections import deque
from datetime import date

import numpy as np

from hermit.network.exposure import Network, Path
from hermit.network.graph import Build, Edge, Node
from hermit.network.nearest import hop_distances, nearest_listed

AS_OF = date(2024, 6, 1)
KINDS = ("ownership", "ownership", "officer", "shared_address", "linked_to", "family")


def _build(seed: int, nodes: int, edges: int) -> tuple[Build, list[str]]:
    rng = random.Random(seed)
    names = [f"n{i:04d}" for i in range(nodes)]
    build = Build(nodes={n: Node(n, "Company", n) for n in names})
    hubs = names[:3]
    for j in range(edges):
        a = rng.choice(hubs) if rng.random() < 0.1 else rng.choice(names)
        b = rng.choice(names)
        if a == b:
            continue
        kind = rng.choice(KINDS)
        share = float(rng.choice([10, 30, 51, 75])) if kind == "ownership" else None
        end = date(2020, 1, 1) if rng.random() < 0.1 else None
        build.edges.append(Edge(kind, a, b, f"r{j}", "f.json", j, low=share, high=share, end=end))
    listed = rng.sample(names[3:], nodes // 20)
    return build, listed


def _bfs(n: int, pairs: list[tuple[int, int]], roots: list[int]) -> list[int]:
    near: list[list[int]] = [[] for _ in range(n)]
    for a, b in pairs:
        near[a].append(b)
        near[b].append(a)
    found = [-1] * n
    queue = deque(roots)
    for r in roots:
        found[r] = 0
    while queue:
        v = queue.popleft()
        for u in near[v]:
            if found[u] < 0:
                found[u] = found[v] + 1
                queue.append(u)
    return found


def test_hop_distances_are_those_of_a_breadth_first_search() -> None:
    build, listed = _build(5, 600, 900)
    network = Network(build, AS_OF)
    count = len(build.edges)
    pairs = list(zip(network.src[:count].tolist(), network.dst[:count].tolist(), strict=True))
    roots = [network.index[x] for x in listed]
    expected = _bfs(len(network.names), pairs, roots)
    assert network.hops(listed).tolist() == expected
    found = hop_distances(
        len(network.names), network.src[:count], network.dst[:count], np.array(roots)
    )
    assert found.tolist() == expected
    assert -1 in expected and max(expected) >= 4  # unreachable parts and long chains


def _penalty(path: Path) -> float:
    return -sum(c.value for s in path.steps for c in s.contributions)


def test_best_three_listed_parties_are_those_of_exposure() -> None:
    build, listed = _build(7, 400, 700)
    network = Network(build, AS_OF)
    hop_limit = network.weights.hop_limit
    roots, weight = network.outward(listed)
    order = np.argsort([network.names[r] for r in roots], kind="stable")
    labels = nearest_listed(
        len(network.names), network.src, network.dst, weight, roots, order, hop_limit, 3
    )
    listed_set = set(listed)
    compared = 0
    for name in sorted(build.nodes):
        if name in listed_set:
            continue
        v = network.index[name]
        everything = network.exposure(name, listed, paths=10_000).paths
        expected = sorted((round(_penalty(p), 9), p.listed) for p in everything)[:3]
        parties, penalties = labels.best(np.array([v]))
        ours = [
            (round(float(pen), 9), network.names[int(p)])
            for p, pen in zip(parties[0], penalties[0], strict=True)
            if p >= 0
        ]
        assert ours == expected, name
        for slot, (penalty, party) in enumerate(ours):
            halves = labels.path(v, slot)
            assert 1 <= len(halves) <= hop_limit
            walk = v
            for half in halves:
                assert int(network.dst[half]) == walk
                walk = int(network.src[half])
            assert network.names[walk] == party
            assert round(float(weight[halves].sum()), 9) == penalty
        compared += bool(ours)
    assert compared > 300
