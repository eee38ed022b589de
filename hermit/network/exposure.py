"""Exposure: the ranked paths from an entity to listed parties over the network graph
(hermit.network.graph), and a score for every entity.

A path's score starts at 1 (a listed party reached) and every step takes off its
penalties (hermit/resources/network/exposure.yaml), each with its reason: a penalty for
the step (the score falls with distance), one for the edge's kind (a majority stake is
strong evidence, a shared address weak), one when the edge is not current on the as-of
date, and one for passing through a hub (a party with more edges than ``hub_degree``).
The penalties add up: ``score = 1 - sum`` (never below 0). Edges are followed in either
direction; an entity's exposure is its best path within ``hop_limit`` steps.

The search is a hop-limited shortest path (Bellman-Ford by layers, one vectorized
relaxation of every edge per hop on numpy arrays): exact within the hop limit, the same
from one entity (``exposure``) as from all listed parties at once (``scores``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import yaml

from hermit.network.graph import OWNERSHIP, Build, Edge

ALGORITHM = "exposure@1"
INF = np.inf


@dataclass(frozen=True)
class Weights:
    """The reviewed values of hermit/resources/network/exposure.yaml."""

    hop_limit: int
    paths: int
    step: float
    kind: dict[str, float]
    not_current: float
    hub: float
    hub_degree: int
    majority_pct: float


@cache
def default_weights() -> Weights:
    ref = resources.files("hermit") / "resources" / "network" / "exposure.yaml"
    data: dict[str, Any] = yaml.safe_load(ref.read_text(encoding="utf-8"))
    penalty = data["penalty"]
    return Weights(
        hop_limit=int(data["hop_limit"]),
        paths=int(data["paths"]),
        step=float(penalty["step"]),
        kind={str(k): float(v) for k, v in penalty["kind"].items()},
        not_current=float(penalty["not_current"]),
        hub=float(penalty["hub"]),
        hub_degree=int(data["hub_degree"]),
        majority_pct=float(data["majority_pct"]),
    )


@dataclass(frozen=True, slots=True)
class Contribution:
    """One penalty of a step and its reason (negative: it lowers the score)."""

    value: float
    reason: str


@dataclass
class Step:
    """One edge of a path, walked from ``start`` to ``end`` (``forward``: in the edge's own
    direction, owner -> asset, director -> organization ...)."""

    start: str
    end: str
    edge: Edge
    forward: bool
    contributions: list[Contribution] = field(default_factory=list)

    def describe(self) -> str:
        edge = self.edge
        what = edge.kind
        if edge.low is not None:
            share = (
                f"{edge.low:.4g}%" if edge.low == edge.high else f"{edge.low:.4g}-{edge.high:.4g}%"
            )
            what += f" {share}"
        if edge.role:
            what += f" ({edge.role})"
        if edge.value:
            what += f" {edge.value!r}"
        dates = ""
        if edge.start or edge.end:
            dates = f" [{edge.start or '?'} .. {edge.end or ''}]"
        arrow = "->" if self.forward else "<-"
        return f"{self.start} {arrow}{what}{arrow} {self.end}{dates}, record {edge.cites()}"


@dataclass
class Path:
    """A path from the entity to one listed party, its steps and its score."""

    listed: str
    steps: list[Step]
    #: why the end is a listed party (the roots' screening), when known
    why: str | None = None

    @property
    def score(self) -> float:
        return max(0.0, 1.0 + sum(c.value for s in self.steps for c in s.contributions))

    def contributions(self) -> list[Contribution]:
        """+1 for the listed party, then every step's penalties: they add up to the score
        (before the floor at 0)."""
        reason = f"reaches listed party {self.listed}" + (f": {self.why}" if self.why else "")
        found = [Contribution(1.0, reason)]
        return found + [c for s in self.steps for c in s.contributions]


@dataclass
class Exposure:
    entity: str
    as_of: date
    paths: list[Path]
    algorithm: str = ALGORITHM

    @property
    def score(self) -> float:
        """The best path's score (0 without a path within the hop limit)."""
        return self.paths[0].score if self.paths else 0.0


class Network:
    """A build prepared for exposure searches as of a date: both directions of every edge
    as arrays, each with its penalty."""

    def __init__(self, build: Build, as_of: date, weights: Weights | None = None) -> None:
        self.build = build
        self.as_of = as_of
        self.weights = w = weights or default_weights()
        names = list(build.nodes)
        index = {name: i for i, name in enumerate(names)}
        for edge in build.edges:
            for end in (edge.source, edge.target):
                if end not in index:
                    index[end] = len(names)
                    names.append(end)
        self.names, self.index = names, index
        count = len(build.edges)
        src = np.fromiter((index[e.source] for e in build.edges), dtype=np.int64, count=count)
        dst = np.fromiter((index[e.target] for e in build.edges), dtype=np.int64, count=count)
        base = np.fromiter((self._penalty(e) for e in build.edges), dtype=np.float64, count=count)
        # directed half-edges: j < count forward, j >= count backward (edge j - count)
        self.src = np.concatenate([src, dst])
        self.dst = np.concatenate([dst, src])
        self.base = np.concatenate([base, base])
        self.degree = np.bincount(self.src, minlength=len(names))
        self.hub = np.where(self.degree > w.hub_degree, w.hub, 0.0)

    def _kind_key(self, edge: Edge) -> str:
        if edge.kind == OWNERSHIP:
            majority = edge.low is not None and edge.low >= self.weights.majority_pct
            return "ownership_majority" if majority else "ownership"
        return edge.kind

    def _penalty(self, edge: Edge) -> float:
        w = self.weights
        value = w.step + w.kind.get(self._kind_key(edge), max(w.kind.values()))
        if not edge.current(self.as_of):
            value += w.not_current
        return value

    def _step(self, half: int, start: int, end: int, roots: np.ndarray) -> Step:
        w = self.weights
        count = len(self.build.edges)
        edge = self.build.edges[half % count]
        step = Step(self.names[start], self.names[end], edge, forward=half < count)
        kind = self._kind_key(edge)
        step.contributions.append(Contribution(-w.step, "one step further"))
        step.contributions.append(
            Contribution(-w.kind.get(kind, max(w.kind.values())), f"{kind} edge")
        )
        if not edge.current(self.as_of):
            step.contributions.append(
                Contribution(-w.not_current, f"not current on {self.as_of.isoformat()}")
            )
        if self.hub[end] and not roots[end]:
            step.contributions.append(
                Contribution(
                    -w.hub, f"through {self.names[end]}, a hub of {self.degree[end]} edges"
                )
            )
        return step

    def _relax(
        self, sources: np.ndarray, weight: np.ndarray
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Hop-limited least penalties from ``sources``: the distances after hop_limit
        layers and, per layer, the half-edge that improved each vertex (-1: none)."""
        dist = np.full(len(self.names), INF)
        dist[sources] = 0.0
        preds: list[np.ndarray] = []
        for _ in range(self.weights.hop_limit):
            cand = dist[self.src] + weight
            new = dist.copy()
            np.minimum.at(new, self.dst, cand)
            pred = np.full(len(self.names), -1, dtype=np.int64)
            improved = new < dist
            hit = np.flatnonzero(improved[self.dst] & (cand == new[self.dst]))
            pred[self.dst[hit]] = hit
            preds.append(pred)
            if not improved.any():
                break
            dist = new
        return dist, preds

    def _roots(self, listed: list[str]) -> np.ndarray:
        roots = np.zeros(len(self.names), dtype=bool)
        for name in listed:
            found = self.index.get(self.build.entity(name))
            if found is not None:
                roots[found] = True
        return roots

    def scores(self, listed: list[str]) -> dict[str, float]:
        """Every node's exposure score (its best path to any of ``listed``), from one
        search outward from all listed parties."""
        # walking from a listed party outward, the hub penalty is paid on leaving a
        # party that is not listed: the same intermediates as walking inward
        roots, weight = self.outward(listed)
        dist, _ = self._relax(roots, weight)
        score = np.clip(1.0 - dist, 0.0, None)
        return {self.names[i]: float(score[i]) for i in np.flatnonzero(np.isfinite(dist))}

    def exposure(
        self,
        entity: str,
        listed: list[str],
        paths: int | None = None,
        why: dict[str, str] | None = None,
    ) -> Exposure:
        """The ranked paths from ``entity`` to distinct listed parties (best first, at most
        ``paths``, within the hop limit), each step with its edge, record and dates;
        ``why`` says, by node, why a listed party is one (cited in the first contribution)."""
        why = why or {}
        node = self.build.entity(entity)
        result = Exposure(node, self.as_of, [])
        start = self.index.get(node)
        if start is None:
            return result
        roots = self._roots(listed)
        weight = self.base + np.where(roots[self.dst], 0.0, self.hub[self.dst])
        dist, preds = self._relax(np.array([start]), weight)
        reached = [int(i) for i in np.flatnonzero(roots & np.isfinite(dist)) if i != start]
        reached.sort(key=lambda i: (dist[i], self.names[i]))
        for target in reached[: paths or self.weights.paths]:
            steps: list[Step] = []
            vertex, layer = target, len(preds) - 1
            while vertex != start and layer >= 0:
                half = int(preds[layer][vertex])
                if half >= 0:
                    previous = int(self.src[half])
                    steps.append(self._step(half, previous, vertex, roots))
                    vertex = previous
                layer -= 1
            steps.reverse()
            name = self.names[target]
            result.paths.append(Path(name, steps, why.get(name)))
        if roots[start]:
            result.paths.insert(0, Path(node, [], why.get(node)))
        return result

    def hops(self, listed: list[str]) -> np.ndarray:
        """Hop distance of every vertex to the nearest listed party (-1: unreachable), by
        a breadth-first search over arrays (hermit.network.nearest)."""
        from hermit.network.nearest import hop_distances

        count = len(self.build.edges)
        roots = np.flatnonzero(self._roots(listed))
        return hop_distances(len(self.names), self.src[:count], self.dst[:count], roots)

    def outward(self, listed: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """The listed parties (vertices) and each half-edge's penalty walked outward from
        them (the hub penalty paid on leaving a party that is not listed), as ``scores``
        and hermit.network.nearest search."""
        roots = self._roots(listed)
        return np.flatnonzero(roots), self.base + np.where(roots[self.src], 0.0, self.hub[self.src])
