"""The people's linking in one process (hermit.compliance.engine.components) gives each
node the smallest node of its connected component, as a plain union-find does."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from hermit.compliance.engine.components import component_labels, persons, smallest_of_components


def _union_find(n: int, node: list[int], key: list[int]) -> list[int]:
    parent = list(range(n))

    def root(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    first: dict[int, int] = {}
    for a, k in zip(node, key, strict=True):
        if k not in first:
            first[k] = a
            continue
        ra, rb = root(a), root(first[k])
        parent[max(ra, rb)] = min(ra, rb)
    return [root(i) for i in range(n)]


def test_random_graphs_match_a_union_find() -> None:
    rng = np.random.default_rng(14)
    for _ in range(200):
        n, k, m = (int(v) for v in rng.integers(1, 50, 3))
        node = rng.integers(0, n, m * 2)
        key = rng.integers(0, k, m * 2)
        got = smallest_of_components(n, node, key).tolist()
        assert got == _union_find(n, node.tolist(), key.tolist())


def test_a_long_chain_is_one_component() -> None:
    # node i and i+1 share key i: the farthest node is 499 hops from the smallest
    n = 500
    node = np.r_[np.arange(n - 1), np.arange(1, n)]
    key = np.r_[np.arange(n - 1), np.arange(n - 1)]
    assert set(smallest_of_components(n, node, key).tolist()) == {0}
    reverse = n - 1 - node  # the smallest node at the other end
    assert set(smallest_of_components(n, reverse, key).tolist()) == {0}


def test_nodes_without_keys_are_their_own_person() -> None:
    assert smallest_of_components(3, np.array([], np.int64), np.array([], np.int64)).tolist() == [
        0,
        1,
        2,
    ]


def test_labels_are_node_values_keyed_by_text() -> None:
    edges_node = pa.chunked_array(
        [pa.array([40, 12], pa.int64()), pa.array([99, 7, 99, 5], pa.int64())]
    )
    edges_key = pa.chunked_array(
        [pa.array(["d|A1", "d|A1"]), pa.array(["p|X|1", None, "c|9|K", "p|X|1"])]
    )
    labels = component_labels(edges_node, edges_key)
    got = dict(zip(labels["node"].to_pylist(), labels["label"].to_pylist(), strict=True))
    # 40 and 12 share a document, 99 and 5 a permit; 7's only key is null (no key)
    assert got == {5: 5, 12: 12, 40: 12, 99: 5}
    assert labels["node"].to_pylist() == sorted(got)


def test_labels_of_nodes_of_several_kinds_match_a_union_find() -> None:
    """Node values ``kind << 32 | line`` (checks' numbering), kinds and lines with gaps:
    each labelled with the smallest node value of its component, as a union-find over
    the values finds; a node of no key is its own person."""
    rng = np.random.default_rng(9)
    for _ in range(100):
        m = int(rng.integers(1, 60))
        values = (rng.choice([0, 1, 3, 5], m) << 32) | rng.integers(0, 40, m)
        keys = pa.array([f"k{k}" if k else None for k in rng.integers(0, 12, m)])
        labels = component_labels(pa.array(values, pa.int64()), keys)
        distinct = sorted(set(values.tolist()))
        place = {v: i for i, v in enumerate(distinct)}
        kept = [(place[v], k) for v, k in zip(values.tolist(), keys.to_pylist(), strict=True) if k]
        roots = _union_find(len(distinct), [a for a, _ in kept], [hash(k) for _, k in kept])
        want = {distinct[i]: distinct[r] for i, r in enumerate(roots) if i in {a for a, _ in kept}}
        got = dict(zip(labels["node"].to_pylist(), labels["label"].to_pylist(), strict=True))
        assert got == want
        assert labels["node"].to_pylist() == sorted(want)
        stranger = (7 << 32) | 3  # in no edge
        people = persons(pa.array([*distinct, stranger], pa.int64()), labels).to_pylist()
        assert people == [want.get(v, v) for v in distinct] + [stranger]
