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
    label: Ints = np.arange(n_nodes, dtype=np.int64)
    if not len(node):
        return label
    # the edges in key order (their nodes) and in node order (their keys), once
    by_key = np.argsort(key, kind="stable")
    key_sorted = key[by_key]
    node_by_key = node[by_key]
    key_starts = _starts(key_sorted)
    key_of_group = key_sorted[key_starts]
    del by_key, key_sorted
    by_node = np.argsort(node, kind="stable")
    node_sorted = node[by_node]
    key_by_node = key[by_node]
    node_starts = _starts(node_sorted)
    node_of_group = node_sorted[node_starts]
    del by_node, node_sorted
    key_label = np.zeros(int(key.max()) + 1, np.int64)
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
            return label
        label = new


def component_labels(edge_node: pa.Array, edge_key: pa.Array) -> pa.Table:
    """``node`` and ``label`` (the smallest node of its component) for each node of
    the edges, which join node ``edge_node[i]`` (int64) to the key ``edge_key[i]``
    (any type Arrow hashes; nulls are no key); a node of no edge is its own label."""
    if edge_key.null_count:
        valid = pc.is_valid(edge_key)
        edge_node, edge_key = edge_node.filter(valid), edge_key.filter(valid)
    node_at, nodes = _encode(edge_node)
    key_at, _ = _encode(edge_key)
    values: Ints = nodes.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    order = np.argsort(values, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    ordered = values[order]
    smallest = smallest_of_components(len(ordered), rank[node_at], key_at)
    return pa.table({"node": ordered, "label": ordered[smallest]})


def _encode(values: pa.Array | pa.ChunkedArray) -> tuple[Ints, pa.Array]:
    """Each value's number among the distinct values (hashed once), and those."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    encoded = pc.dictionary_encode(values)
    at: Ints = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    return at, encoded.dictionary
