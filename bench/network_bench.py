"""Issue 13's speed aim on a generated graph, with networkx doing the same work on a
tenth of it in the same run:

    .venv/bin/python bench/network_bench.py [--entities 1000000] [--edges 3000000]

The graph: ``edges`` edges, 80% ownership holdings (1 to 5 owners per asset, stakes
adding up to about 100%, 2% of assets over 100%, 5% of holdings as 25-point bands, 3%
ended before the as-of date) and 20% other edges (officer, linked_to, family,
shared_address, each with its exposure penalty); 1% of entities listed. It is written to
an edge table in DuckDB (string ids, as ``network_edges`` holds them) before the clock
starts. Timed, as CPU seconds of this process (user + sys) and wall seconds:

1. build: the edge table read back with its ids numbered by DuckDB, the half-edges and
   their exposure penalties (hermit/resources/network/exposure.yaml) as arrays;
2. the OFAC 50% rule (ofac50@1 over columns: current filter, both readings, two
   fixpoints, and the stakes of blocked owners of every blocked entity);
3. hop distance to the nearest listed entity for every entity (breadth-first search
   by frontiers over the half-edges sorted once in 1);
4. the best three paths to distinct listed parties (exposure@1's penalties, hop limit 6)
   for every flagged entity (blocked or possibly blocked), read back edge by edge.

networkx then does 1-4 on a tenth of the graph (same generator, another seed): its
graph from the same edge tuples, the same worklist fixpoint over its adjacency, its
breadth-first search, and the same k-label search in Python over its adjacency; hermit
runs the tenth as well and the answers are checked equal.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import duckdb
import networkx as nx  # type: ignore[import-untyped]
import numpy as np

from hermit.network.exposure import default_weights
from hermit.network.nearest import Labels, by_source, hop_distances, nearest_listed
from hermit.network.ofac50 import default_rule
from hermit.network.ofac50_columns import NO_END, NO_START, HoldingColumns, apply_roots

AS_OF = date(2024, 6, 1)
OTHER_KINDS = ("officer", "linked_to", "family", "shared_address")
K = 3


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    t = os.times()
    return t.user + t.system


def timed(label: str, fn: Callable[[], Any], figures: dict[str, tuple[float, float]]) -> Any:
    cpu, wall = _cpu(), time.perf_counter()
    out = fn()
    figures[label] = (_cpu() - cpu, time.perf_counter() - wall)
    print(
        f"  {label}: {figures[label][0]:.2f} CPU-s, {figures[label][1]:.2f} s wall, "
        f"peak RSS {_rss_mb():,.0f} MB",
        flush=True,
    )
    return out


# -- the generated edge table -----------------------------------------------------------


def generate(con: duckdb.DuckDBPyConnection, entities: int, edges: int, seed: int) -> list[int]:
    """Write the table ``edges`` (kind, source, target, low, high, end_date) and return
    the listed entities."""
    rng = np.random.default_rng(seed)
    owned = int(edges * 0.8)
    group = rng.integers(1, 6, size=owned)  # owners per asset
    group = group[np.cumsum(group) <= owned]
    group = np.append(group, owned - group.sum()) if group.sum() < owned else group
    asset_of_group = rng.integers(0, entities, size=len(group))
    asset = np.repeat(asset_of_group, group)
    raw = rng.random(owned) + 0.05
    first = np.cumsum(group) - group
    totals = np.add.reduceat(raw, first)
    full = np.where(rng.random(len(group)) < 0.02, 120.0, 100.0)
    share = np.round(raw / np.repeat(totals, group) * np.repeat(full, group), 2)
    owner = rng.integers(0, entities, size=owned)
    owner = np.where(owner == asset, (owner + 1) % entities, owner)
    low, high = share.copy(), share.copy()
    band = rng.random(owned) < 0.05
    low[band] = np.floor(share[band] / 25) * 25
    high[band] = np.minimum(low[band] + 25, 100)
    other = edges - owned
    o_src = rng.integers(0, entities, size=other)
    o_dst = (o_src + rng.integers(1, entities, size=other)) % entities
    kind = np.concatenate(
        [np.zeros(owned, dtype=np.int64), rng.integers(1, len(OTHER_KINDS) + 1, size=other)]
    )
    ended = rng.random(edges) < 0.03
    kinds = np.array(["ownership", *OTHER_KINDS])
    table = {
        "kind": kinds[kind],
        "source": np.concatenate([owner, o_src]),
        "target": np.concatenate([asset, o_dst]),
        "low": np.concatenate([low, np.full(other, np.nan)]),
        "high": np.concatenate([high, np.full(other, np.nan)]),
        "ended": ended,
    }
    con.register("_gen", table)
    con.execute(
        "CREATE OR REPLACE TABLE edges AS SELECT kind, 'e' || source AS source, "
        "'e' || target AS target, CASE WHEN isnan(low) THEN NULL ELSE low END AS low, "
        "CASE WHEN isnan(high) THEN NULL ELSE high END AS high, "
        "CASE WHEN ended THEN DATE '2020-01-01' END AS end_date FROM _gen"
    )
    con.unregister("_gen")
    return sorted(rng.choice(entities, size=entities // 100, replace=False).tolist())


# -- hermit ------------------------------------------------------------------------------


class Graph:
    """The edge table as arrays: vertex i is ``names[i]``; edge j is ``src[j] ->
    dst[j]``; the half-edges of exposure are both directions of every edge."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        kinds = ["ownership", *OTHER_KINDS]
        con.execute(
            "CREATE OR REPLACE TEMP TABLE kinds AS SELECT * FROM (VALUES "
            + ", ".join(f"('{k}', {i})" for i, k in enumerate(kinds))
            + ") t(kind, code)"
        )
        con.execute(
            "CREATE OR REPLACE TEMP TABLE ids AS SELECT node, (row_number() OVER () - 1) AS i "
            "FROM (SELECT source AS node FROM edges UNION SELECT target FROM edges)"
        )
        cols = con.execute(
            "SELECT s.i AS src, t.i AS dst, k.code, coalesce(e.low, 'NaN'::DOUBLE) AS low, "
            "coalesce(e.high, 'NaN'::DOUBLE) AS high, "
            f"coalesce(e.end_date <= DATE '{AS_OF.isoformat()}', false) AS ended "
            "FROM edges e JOIN ids s ON s.node = e.source JOIN ids t ON t.node = e.target "
            "JOIN kinds k ON k.kind = e.kind"
        ).fetchnumpy()
        self.n = int(con.execute("SELECT count(*) FROM ids").fetchall()[0][0])
        self.src = np.asarray(cols["src"], dtype=np.int64)
        self.dst = np.asarray(cols["dst"], dtype=np.int64)
        code = np.asarray(cols["code"], dtype=np.int64)
        self.low = np.asarray(cols["low"], dtype=np.float64)
        self.high = np.asarray(cols["high"], dtype=np.float64)
        ended = np.asarray(cols["ended"], dtype=np.bool_)
        self.ownership = code == 0
        self.end = np.where(ended, date(2020, 1, 1).toordinal(), NO_END).astype(np.int64)
        w = default_weights()
        # penalty by kind code, then the majority stake's
        penalty = np.array([w.kind[k] for k in kinds])
        kind_penalty = penalty[code]
        majority = self.ownership & (np.nan_to_num(self.low) >= w.majority_pct)
        kind_penalty[majority] = w.kind["ownership_majority"]
        base = w.step + kind_penalty + np.where(ended, w.not_current, 0.0)
        self.half_src = np.concatenate([self.src, self.dst])
        self.half_dst = np.concatenate([self.dst, self.src])
        self.by_src = by_source(self.half_src, self.n)[0]
        self.base = np.concatenate([base, base])
        degree = np.bincount(self.half_src, minlength=self.n)
        self.hub = np.where(degree > w.hub_degree, w.hub, 0.0)
        self._names: np.ndarray | None = None

    @property
    def names(self) -> np.ndarray:
        if self._names is None:
            self._names = self.con.execute("SELECT node FROM ids ORDER BY i").fetchnumpy()["node"]
        return self._names

    def names_of(self, vertices: np.ndarray) -> np.ndarray:
        """The ids of ``vertices``, in their order."""
        self.con.register("_which", {"i": vertices, "place": np.arange(len(vertices))})
        rows = self.con.execute(
            "SELECT node FROM ids JOIN _which USING (i) ORDER BY place"
        ).fetchall()
        self.con.unregister("_which")
        return np.array([str(r[0]) for r in rows])

    def ids(self, entities: list[int]) -> np.ndarray:
        wanted = [f"e{e}" for e in entities]
        self.con.register("_wanted", {"node": np.array(wanted, dtype=object)})
        rows = self.con.execute("SELECT i FROM ids JOIN _wanted USING (node) ORDER BY i").fetchall()
        self.con.unregister("_wanted")
        return np.array([r[0] for r in rows], dtype=np.int64)


def hermit_run(
    con: duckdb.DuckDBPyConnection, listed: list[int], figures: dict[str, tuple[float, float]]
) -> dict[str, Any]:
    graph: Graph = timed("build (edge table -> arrays, penalties)", lambda: Graph(con), figures)
    roots = graph.ids(listed)
    rule = default_rule()

    def ofac() -> tuple[Any, np.ndarray, int]:
        own = np.flatnonzero(graph.ownership)
        cols = HoldingColumns(
            names=[""] * graph.n,
            owner=graph.src[own],
            asset=graph.dst[own],
            low=graph.low[own],
            high=graph.high[own],
            start=np.full(len(own), NO_START, dtype=np.int64),
            end=graph.end[own],
            ownership=np.ones(len(own), dtype=np.bool_),
        )
        ruled = apply_roots(cols, roots, AS_OF, rule)
        flagged = np.flatnonzero(ruled.possible.blocked)
        flagged = flagged[~np.isin(flagged, roots)]
        # the stakes that reach 50% for every flagged entity, in both readings
        owner, asset = cols.owner[ruled.kept], cols.asset[ruled.kept]
        reasons = 0
        for reading in (ruled.definite, ruled.possible):
            held = reading.blocked[owner] & reading.blocked[asset] & ~np.isin(asset, roots)
            order = np.lexsort((-reading.pct[held], asset[held]))
            reasons += len(order)
        return ruled, flagged, reasons

    ruled, flagged, reasons = timed("OFAC 50% rule (ofac50@1, columns)", ofac, figures)
    hops = timed(
        "hop distance to the nearest listed entity, all (BFS)",
        lambda: hop_distances(
            graph.n, graph.src, graph.dst, roots, (graph.half_src, graph.half_dst, graph.by_src)
        ),
        figures,
    )

    def paths() -> tuple[Labels, np.ndarray]:
        outward = graph.base + np.where(
            np.isin(graph.half_src, roots), 0.0, graph.hub[graph.half_src]
        )
        order = np.argsort(graph.names_of(roots), kind="stable")
        labels = nearest_listed(
            graph.n,
            graph.half_src,
            graph.half_dst,
            outward,
            roots,
            order,
            default_weights().hop_limit,
            K,
        )
        vertices = np.repeat(flagged, K)
        slots = np.tile(np.arange(K), len(flagged))
        return labels, labels.paths(vertices, slots)

    labels, read = timed("top three paths of every flagged entity (k-label search)", paths, figures)
    parties, penalties = labels.best(flagged)
    return {
        "graph": graph,
        "blocked": set(graph.names[np.flatnonzero(ruled.definite.blocked)].astype(str)),
        "possible": set(graph.names[np.flatnonzero(ruled.possible.blocked)].astype(str)),
        "flagged": [str(graph.names[v]) for v in flagged],
        "reasons": reasons,
        "hops": (
            {str(graph.names[i]): int(h) for i, h in enumerate(hops) if h >= 0}
            if graph.n <= 200_000
            else None
        ),
        "reachable": int((hops >= 0).sum()),
        "top": {
            str(graph.names[v]): [
                (round(float(pen), 6), str(graph.names[p]))
                for p, pen in zip(ps, pens, strict=True)
                if p >= 0
            ]
            for v, ps, pens in zip(flagged, parties, penalties, strict=True)
        },
        "path_steps": int((read >= 0).sum()),
    }


# -- networkx ----------------------------------------------------------------------------


def networkx_run(
    con: duckdb.DuckDBPyConnection, listed: list[int], figures: dict[str, tuple[float, float]]
) -> dict[str, Any]:
    w = default_weights()
    rule = default_rule()
    bar = rule.threshold_pct - rule.tolerance_pct
    rows = con.execute("SELECT kind, source, target, low, high, end_date FROM edges").fetchall()
    roots = [f"e{e}" for e in listed]

    def build() -> tuple[Any, Any]:
        owners = nx.MultiDiGraph()
        every = nx.MultiGraph()
        for kind, source, target, low, high, end in rows:
            current = end is None
            if kind == "ownership":
                owners.add_edge(source, target, low=low, high=high, current=current)
                key = "ownership_majority" if low >= w.majority_pct else "ownership"
            else:
                key = kind
            penalty = w.step + w.kind[key] + (0.0 if current else w.not_current)
            every.add_edge(source, target, penalty=penalty)
        return owners, every

    owners, every = timed("networkx build (MultiDiGraph + MultiGraph)", build, figures)
    present = [r for r in roots if r in every]

    def ofac() -> tuple[set[str], set[str]]:
        live = {}
        for o, a, d in owners.edges(data=True):
            if d["current"]:
                live.setdefault((o, a, d["low"], d["high"]), None)
        totals: dict[str, float] = {}
        for _o, a, low, _h in live:
            totals[a] = totals.get(a, 0.0) + low
        out: dict[str, list[tuple[str, float, float]]] = {}
        for o, a, low, high in live:
            scaled = (
                low * rule.full_pct / totals[a]
                if totals[a] > rule.full_pct + rule.tolerance_pct
                else low
            )
            out.setdefault(o, []).append((a, scaled, high))
        found = []
        for reading in (1, 2):
            blocked, held = set(present), {}
            pending = list(present)
            while pending:
                owner = pending.pop()
                for edge in out.get(owner, ()):
                    asset = edge[0]
                    if asset in blocked:
                        continue
                    held[asset] = held.get(asset, 0.0) + edge[reading]
                    if held[asset] >= bar:
                        blocked.add(asset)
                        pending.append(asset)
            found.append(blocked)
        return found[0], found[1]

    blocked, possible = timed("networkx OFAC 50% rule (same worklist)", ofac, figures)

    def hops() -> dict[str, int]:
        every.add_edges_from(("__listed__", r) for r in present)
        found = nx.single_source_shortest_path_length(every, "__listed__")
        every.remove_node("__listed__")
        return {n: d - 1 for n, d in found.items() if n != "__listed__"}

    hop = timed(
        "networkx hop distance, all (BFS from a vertex joined to the listed)", hops, figures
    )
    flagged = sorted(possible - set(present))

    def paths() -> dict[str, list[tuple[float, str]]]:
        degree = dict(every.degree())
        listed = set(present)
        q = 1e-6
        labels: dict[str, dict[str, int]] = {r: {r: 0} for r in present}
        best: dict[str, list[tuple[int, str]]] = {r: [(0, r)] for r in present}
        changed = set(present)
        for _ in range(w.hop_limit):
            offers: dict[str, dict[str, int]] = {}
            for u in changed:
                leave = 0.0 if u in listed or degree[u] <= w.hub_degree else w.hub
                for v, edges in every.adj[u].items():
                    for data in edges.values():
                        step = round((data["penalty"] + leave) / q)
                        for pen, party in best[u]:
                            mine = offers.setdefault(v, {})
                            if pen + step < mine.get(party, 1 << 62):
                                mine[party] = pen + step
            changed = set()
            for v, mine in offers.items():
                merged = dict(labels.get(v, {}))
                for party, pen in mine.items():
                    if pen < merged.get(party, 1 << 62):
                        merged[party] = pen
                top = sorted((pen, party) for party, pen in merged.items())[:K]
                if top != best.get(v):
                    changed.add(v)
                    best[v] = top
                    labels[v] = dict((party, pen) for pen, party in top)
        return {v: [(round(p * q, 6), party) for p, party in best.get(v, [])] for v in flagged}

    top = timed(
        "networkx top three paths of every flagged entity (same k-label search)", paths, figures
    )
    return {"blocked": blocked, "possible": possible, "hops": hop, "top": top, "flagged": flagged}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--edges", type=int, default=3_000_000)
    args = parser.parse_args()
    con = duckdb.connect(config={"threads": 2})
    print(f"generating {args.entities:,} entities / {args.edges:,} edges ...", flush=True)
    listed = generate(con, args.entities, args.edges, seed=13)
    figures: dict[str, tuple[float, float]] = {}
    print("hermit, the whole graph:")
    whole = hermit_run(con, listed, figures)
    total_cpu = sum(c for c, _w in figures.values())
    total_wall = sum(w for _c, w in figures.values())
    print(
        f"  => hermit 1-4: {total_cpu:.2f} CPU-s, {total_wall:.2f} s wall; "
        f"{len(whole['blocked']) - len(listed):,} blocked, {len(whole['flagged']):,} flagged "
        f"(blocked or possibly), {whole['reasons']:,} stakes as reasons, "
        f"{whole['reachable']:,} entities within reach of a listed one, "
        f"{whole['path_steps']:,} path steps read back; peak RSS {_rss_mb():,.0f} MB"
    )
    del whole
    tenth_n, tenth_e = args.entities // 10, args.edges // 10
    small = duckdb.connect(config={"threads": 2})
    listed10 = generate(small, tenth_n, tenth_e, seed=14)
    print(f"the tenth ({tenth_n:,} / {tenth_e:,}): hermit")
    ours_fig: dict[str, tuple[float, float]] = {}
    ours = hermit_run(small, listed10, ours_fig)
    print("the tenth: networkx")
    theirs_fig: dict[str, tuple[float, float]] = {}
    theirs = networkx_run(small, listed10, theirs_fig)
    assert ours["blocked"] == theirs["blocked"], "blocked sets differ"
    assert ours["possible"] == theirs["possible"], "possibly blocked sets differ"
    assert ours["hops"] == theirs["hops"], "hop distances differ"
    assert sorted(ours["flagged"]) == theirs["flagged"], "flagged entities differ"
    assert ours["top"] == theirs["top"], "top three paths differ"
    for label, fig in (("hermit", ours_fig), ("networkx", theirs_fig)):
        cpu = sum(c for c, _w in fig.values())
        wall = sum(w for _c, w in fig.values())
        print(f"  => the tenth, {label} 1-4: {cpu:.2f} CPU-s, {wall:.2f} s wall")
    print(
        "same answers on the tenth (blocked, possibly blocked, hops, top three); "
        f"peak RSS {_rss_mb():,.0f} MB"
    )


if __name__ == "__main__":
    main()
