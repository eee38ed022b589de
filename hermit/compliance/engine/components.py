"""The people's linking of UNSCR 2397 para 8 in one process: the records that share a
key (a document, a permit, a contract, a birth date with a name) are one person, and
each record's person is the smallest node of its connected component, exactly what
the min-label propagation of hermit.compliance.engine.checks._link converges to.

The graph is bipartite (nodes, keys). Labels are dense node numbers in the order of
the nodes, so the smallest number is the smallest node. Each round takes, for every
key, the smallest label of its nodes, then for every node the smallest label of its
keys, then follows labels to their labels until none moves (a label is always a node
of the same component and never larger than the node, so a label's label is too):
the rounds stop when no label moves, and then every node of a component holds its
smallest node.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

Ints = npt.NDArray[np.int64]


def _starts(sorted_values: Ints) -> Ints:
    """Where each run of equal values of ``sorted_values`` begins."""
    starts: Ints = np.flatnonzero(np.r_[True, sorted_values[1:] != sorted_values[:-1]])
    return starts


def smallest_of_components(n_nodes: int, node: Ints, key: Ints) -> Ints:
    """For each node ``0..n_nodes-1``, the smallest node of its connected component,
    where the edges (``node[i]``, ``key[i]``) join a node to a key (keys are
    ``0..k-1``, numbered apart from the nodes)."""
    if not len(node):
        return np.arange(n_nodes, dtype=np.int64)
    # 32-bit numbers where they fit (half the memory and bandwidth of the rounds)
    small = max(n_nodes, int(key.max()) + 1) < 2**31
    kind = np.int32 if small else np.int64
    node, key = node.astype(kind, copy=False), key.astype(kind, copy=False)
    label = np.arange(n_nodes, dtype=kind)
    # the edges in key order (their nodes) and in node order (their keys), once; the
    # order within a key or a node does not matter (minima)
    by_key = np.argsort(key)
    key_sorted = key[by_key]
    node_by_key = node[by_key]
    key_starts = _starts(key_sorted)
    key_of_group = key_sorted[key_starts]
    del by_key, key_sorted
    by_node = np.argsort(node)
    node_sorted = node[by_node]
    key_by_node = key[by_node]
    node_starts = _starts(node_sorted)
    node_of_group = node_sorted[node_starts]
    del by_node, node_sorted
    key_label = np.zeros(int(key.max()) + 1, kind)
    while True:
        key_label[key_of_group] = np.minimum.reduceat(label[node_by_key], key_starts)
        reached = np.minimum.reduceat(key_label[key_by_node], node_starts)
        new = label.copy()
        new[node_of_group] = np.minimum(label[node_of_group], reached)
        while True:  # follow labels to their labels
            jumped = new[new]
            if np.array_equal(jumped, new):
                break
            new = jumped
        if np.array_equal(new, label):
            result: Ints = label.astype(np.int64, copy=False)
            return result
        label = new


#: A node is ``kind << 32 | line`` (hermit.compliance.engine.checks' numbering).
_LOW = (1 << 32) - 1


def _compact(values: Ints) -> tuple[Ints, Ints]:
    """Each node value's place in a dense numbering in the values' order (no hash, no
    sort: a kind's lines follow the kinds before it), and each kind's first place."""
    if values.min() < 0:
        raise ValueError("node values are kind << 32 | line, never negative")
    kind, line = values >> 32, values & _LOW
    top = np.zeros(int(kind.max()) + 1, np.int64)  # each kind's largest line + 1
    np.maximum.at(top, kind, line + 1)
    base: Ints = np.r_[0, np.cumsum(top)[:-1]].astype(np.int64)
    place: Ints = base[kind] + line
    return place, base


def _value(place: Ints, base: Ints) -> Ints:
    """The node values at ``place`` (the inverse of _compact)."""
    kind = np.searchsorted(base, place, side="right") - 1
    value: Ints = (kind.astype(np.int64) << 32) | (place - base[kind])
    return value


def number_edges(edge_node: pa.Array, edge_key: pa.Array) -> tuple[Ints, Ints, int]:
    """The edges' node values (``kind << 32 | line``) and their keys' numbers among
    the distinct keys (null keys are no edge), and how many distinct keys."""
    if edge_key.null_count:
        valid = pc.is_valid(edge_key)
        edge_node, edge_key = edge_node.filter(valid), edge_key.filter(valid)
    if isinstance(edge_node, pa.ChunkedArray):
        edge_node = edge_node.combine_chunks()
    values: Ints = edge_node.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    key_at, distinct = _encode(edge_key)
    return values, key_at, len(distinct)


def component_labels_of(values: Ints, key_at: Ints) -> pa.Table:
    """``node`` (in order) and ``label`` (the smallest node of its component) for each
    node of the edges (``values[i]``, ``key_at[i]``)."""
    if not len(values):
        return pa.table({"node": pa.array([], pa.int64()), "label": pa.array([], pa.int64())})
    place, base = _compact(values)
    size = int(place.max()) + 1
    smallest = smallest_of_components(size, place, key_at)
    present = np.zeros(size, bool)
    present[place] = True
    at = np.flatnonzero(present)
    return pa.table({"node": _value(at, base), "label": _value(smallest[at], base)})


def component_labels(edge_node: pa.Array, edge_key: pa.Array) -> pa.Table:
    """component_labels_of the edges joining node ``edge_node[i]`` (int64, ``kind <<
    32 | line``) to the key ``edge_key[i]`` (any type Arrow hashes; nulls are no key)."""
    values, key_at, _ = number_edges(edge_node, edge_key)
    return component_labels_of(values, key_at)


def persons(nodes: pa.Array | pa.ChunkedArray, labels: pa.Table) -> pa.Array:
    """Each node's label in ``labels`` (component_labels' table), the node itself
    where it has none (a node of no key)."""
    if isinstance(nodes, pa.ChunkedArray):
        nodes = nodes.combine_chunks()
    values: Ints = nodes.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    known: Ints = labels.column("node").to_numpy().astype(np.int64, copy=False)
    label: Ints = labels.column("label").to_numpy().astype(np.int64, copy=False)
    if not len(known):
        return pa.array(values, pa.int64())
    at = np.minimum(np.searchsorted(known, values), len(known) - 1)
    return pa.array(np.where(known[at] == values, label[at], values), pa.int64())


def _encode(values: pa.Array | pa.ChunkedArray) -> tuple[Ints, pa.Array]:
    """Each value's number among the distinct values (hashed once), and those."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    encoded = pc.dictionary_encode(values)
    at: Ints = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    return at, encoded.dictionary
