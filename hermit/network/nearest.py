"""Listed parties near every entity at once, over edge arrays: the hop distance to the
nearest listed party (a breadth-first search by frontiers), and the best ``k`` paths to
distinct listed parties within a hop limit (a layered Bellman-Ford that keeps ``k``
labels a vertex, vectorised in numpy).

Vertices are ``0..n-1``; a half-edge ``j`` goes ``src[j] -> dst[j]`` with a penalty
``weight[j]`` (both directions of an edge are two half-edges). The search walks outward
from the listed parties, so a half-edge's penalty is that of the step walked the other
way (hermit.network.exposure's ``scores`` does the same for one label).

A label is one int64: the penalty sum quantised to ``QUANTUM`` (sums of quantised
penalties are exact, so ties are ties) above the listed party's rank (its place among
the listed parties sorted by name: ties go to the name first in order, as
``Network.exposure`` orders them). Each layer merges, for every vertex reached, its own
labels and those its neighbours offer (only from vertices whose labels changed in the
layer before, and only offers better than the vertex's worst kept label), keeping the
best ``k`` with distinct listed parties: the labels after layer ``h`` are the best ``k``
listed parties by least penalty over at most ``h`` steps. Paths are read back layer by
layer from the labels kept per layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from hermit.network.ofac50_columns import ranges as _ranges

#: the resolution of penalty sums (1e-6: far below the reviewed penalties' 0.05 steps)
QUANTUM = 1e-6
#: no label: above every label, and still above them with a step's penalty added
NONE = 1 << 62


def by_source(src: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The half-edges sorted by source (stable) and where each vertex's run starts."""
    order = np.argsort(src, kind="stable")
    return order, np.searchsorted(src[order], np.arange(n + 1))


def hop_distances(
    n: int,
    src: np.ndarray,
    dst: np.ndarray,
    roots: np.ndarray,
    halves: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Steps from every vertex to the nearest of ``roots`` over the edges ``src[j] --
    dst[j]`` taken in either direction (-1: none reachable): a breadth-first search from
    all roots at once, frontier by frontier. ``halves`` (both directions' sources,
    targets and ``by_source`` of them: ``(half_src, half_dst, order)``) when at hand."""
    if halves is None:
        half_src, half_dst = np.concatenate([src, dst]), np.concatenate([dst, src])
        order, starts = by_source(half_src, n)
    else:
        half_src, half_dst, order = halves
        starts = np.searchsorted(half_src[order], np.arange(n + 1))
    near = half_dst[order]
    found = np.full(n, -1, dtype=np.int64)
    frontier = np.unique(np.asarray(roots, dtype=np.int64))
    found[frontier] = 0
    step = 0
    fresh = np.zeros(n, dtype=np.bool_)
    while len(frontier):
        step += 1
        reached = near[_ranges(starts[frontier], starts[frontier + 1])]
        fresh[reached[found[reached] < 0]] = True
        frontier = np.flatnonzero(fresh)
        fresh[frontier] = False
        found[frontier] = step
    return found


@dataclass
class Labels:
    """The ``k`` best labels of every vertex after each layer (``layers[h]``: shape
    ``(n, k)``, NONE where fewer were found), the listed parties by rank, and the arrays
    the search ran over."""

    layers: list[np.ndarray]
    listed: np.ndarray
    rank_bits: int
    src: np.ndarray
    dst: np.ndarray
    steps: np.ndarray
    _into: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)

    def best(self, vertices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The listed party (vertex; -1: none) and penalty sum (inf: none) of each label
        of ``vertices``, best first: two ``(len(vertices), k)`` arrays."""
        keys = self.layers[-1][vertices]
        found = keys != NONE
        rank = np.where(found, keys & ((1 << self.rank_bits) - 1), 0)
        listed = np.where(found, self.listed[rank], -1)
        penalty = np.where(found, (keys >> self.rank_bits) * QUANTUM, np.inf)
        return listed, penalty

    def path(self, vertex: int, slot: int) -> list[int]:
        """The half-edges of label ``slot`` of ``vertex``, from the vertex to its listed
        party (each half-edge walked against its direction: ``dst`` -> ``src``)."""
        found = self.paths(np.array([vertex]), np.array([slot]))[0]
        return [int(h) for h in found if h >= 0]

    def paths(self, vertices: np.ndarray, slots: np.ndarray) -> np.ndarray:
        """The paths of labels ``slots[i]`` of ``vertices[i]`` at once: row i holds the
        half-edges from the vertex to its listed party, then -1 (all -1: no label)."""
        if self._into is None:
            order = np.argsort(self.dst, kind="stable")
            self._into = (
                order,
                np.searchsorted(self.dst[order], np.arange(len(self.layers[0]) + 1)),
            )
        into, starts = self._into
        vertex = np.asarray(vertices, dtype=np.int64).copy()
        key = self.layers[-1][vertex, np.asarray(slots, dtype=np.int64)]
        hops = len(self.layers) - 1
        found = np.full((len(vertex), hops), -1, dtype=np.int64)
        labelled = np.flatnonzero(key != NONE)
        for layer in range(hops, 0, -1):
            below = self.layers[layer - 1]
            kept = (below[vertex[labelled]] == key[labelled][:, None]).any(axis=1)
            walking = labelled[~kept]  # the others kept their label from the layer before
            if len(walking) == 0:
                continue
            lo, hi = starts[vertex[walking]], starts[vertex[walking] + 1]
            halves = into[_ranges(lo, hi)]
            owner = np.repeat(np.arange(len(walking)), hi - lo)
            offered = below[self.src[halves]]
            offered = offered + (self.steps[halves] << self.rank_bits)[:, None]
            match = (offered == key[walking[owner]][:, None]).any(axis=1)
            first = np.unique(owner[match], return_index=True)[1]
            half = halves[np.flatnonzero(match)[first]]
            assert len(half) == len(walking), "every label has a predecessor"
            column = (found[walking] >= 0).sum(axis=1)
            found[walking, column] = half
            vertex[walking] = self.src[half]
            key[walking] -= self.steps[half] << self.rank_bits
        return found


def nearest_listed(
    n: int,
    src: np.ndarray,
    dst: np.ndarray,
    weight: np.ndarray,
    listed: np.ndarray,
    order: np.ndarray,
    hop_limit: int,
    k: int,
    by_src: np.ndarray | None = None,
) -> Labels:
    """The best ``k`` listed parties of every vertex within ``hop_limit`` steps (see the
    module docstring); ``order`` ranks the listed parties (``listed[order]`` sorted as
    ties should go); ``by_src``: ``by_source(src, n)[0]`` when at hand."""
    listed = np.asarray(listed, dtype=np.int64)[np.asarray(order)]
    rank_bits = max(1, len(listed).bit_length())
    vertex_bits = max(1, int(n).bit_length())
    steps = np.rint(np.asarray(weight) / QUANTUM).astype(np.int64)
    if (hop_limit * int(steps.max(initial=0)) + 1).bit_length() + rank_bits + vertex_bits > 61:
        raise ValueError("too many vertices or listed parties for 61-bit labels")
    if by_src is None:
        by_src = by_source(src, n)[0]
    starts = np.searchsorted(src[by_src], np.arange(n + 1))
    keys = np.full((n, k), NONE, dtype=np.int64)
    keys[listed, 0] = np.arange(len(listed), dtype=np.int64)
    layers = [keys]
    changed = np.unique(listed)
    low_bits = rank_bits + (hop_limit * int(steps.max(initial=0)) + 1).bit_length()
    for _ in range(hop_limit):
        if len(changed) == 0:
            layers.append(keys)
            continue
        keys = _layer(keys, changed, by_src, starts, src, dst, steps, rank_bits, low_bits, k)
        changed = np.flatnonzero((keys != layers[-1]).any(axis=1))
        layers.append(keys)
    return Labels(layers, listed, rank_bits, src, dst, steps)


def _layer(
    keys: np.ndarray,
    changed: np.ndarray,
    by_src: np.ndarray,
    starts: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    steps: np.ndarray,
    rank_bits: int,
    low_bits: int,
    k: int,
) -> np.ndarray:
    """One layer: the labels after it, from those before it (``keys``)."""
    halves = by_src[_ranges(starts[changed], starts[changed + 1])]
    ends = dst[halves]
    offered = keys[src[halves]]
    offered = offered + (steps[halves] << rank_bits)[:, None]  # NONE stays above all labels
    useful = offered < keys[ends, k - 1][:, None]  # better than the worst kept label
    row, slot = np.nonzero(useful)
    cand_v, cand_key = ends[row], offered[row, slot]
    touched = np.zeros(len(keys), dtype=np.bool_)
    touched[cand_v] = True
    touched_v = np.flatnonzero(touched)
    own = keys[touched_v]
    own_v = np.repeat(touched_v, k)[own.ravel() != NONE]
    vertex = np.concatenate([cand_v, own_v])
    label = np.concatenate([cand_key, own.ravel()[own.ravel() != NONE]])
    # sorted by vertex, then penalty, then listed party: each vertex's slot j is its
    # first label whose party none of slots 0..j-1 holds
    best = (vertex << low_bits) | label
    best.sort()
    vertex = best >> low_bits
    label = best & ((1 << low_bits) - 1)
    party = label & ((1 << rank_bits) - 1)
    head = np.ones(len(best), dtype=np.bool_)
    head[1:] = vertex[1:] != vertex[:-1]
    group = np.cumsum(head) - 1
    chosen = np.full(int(head.sum()), -1, dtype=np.int64)
    new = keys.copy()
    new[touched_v] = NONE
    free = np.ones(len(best), dtype=np.bool_)
    for place in range(k):
        at = np.flatnonzero(free)
        if len(at) == 0:
            break
        first = at[np.concatenate([[True], group[at[1:]] != group[at[:-1]]])]
        new[vertex[first], place] = label[first]
        chosen[:] = -1
        chosen[group[first]] = party[first]
        free &= party != chosen[group]
    return new
