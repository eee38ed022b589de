"""The JSON shapes of the network's answers, one for the CLI's --json lines and the API:
an entity's exposure (paths, steps with their records, contributions), a 50% rule
finding (status, stakes, the owners that reach 50%), a red-flag finding (detector,
summary, evidence with its records), and an entity's neighbourhood for the web page.

Core code: it never imports the api, web or cli packages.
"""

from __future__ import annotations

from datetime import date

from hermit.network.export import Cut, Subgraph
from hermit.network.exposure import Exposure, Step
from hermit.network.flags import Finding
from hermit.network.graph import Build, Edge
from hermit.network.ofac50 import Finding as Blocked


def edge_json(e: Edge) -> dict[str, object]:
    """An edge's kind, share, role, value shared, dates and source record."""
    return {
        "kind": e.kind,
        "low": e.low,
        "high": e.high,
        "role": e.role,
        "value": e.value,
        "start": e.start.isoformat() if e.start else None,
        "end": e.end.isoformat() if e.end else None,
        "record": {"id": e.record_id, "file": e.file, "row": e.row},
    }


def exposure_json(found: Exposure, build_id: int | None) -> dict[str, object]:
    def edge(step: Step) -> dict[str, object]:
        return {
            "from": step.start,
            "to": step.end,
            "forward": step.forward,
            **edge_json(step.edge),
            "contributions": [{"value": c.value, "reason": c.reason} for c in step.contributions],
        }

    return {
        "entity": found.entity,
        "score": round(found.score, 6),
        "as_of": found.as_of.isoformat(),
        "algorithm": found.algorithm,
        "build": build_id,
        "paths": [
            {
                "listed": p.listed,
                "score": round(p.score, 6),
                "contributions": [
                    {"value": c.value, "reason": c.reason} for c in p.contributions()
                ],
                "steps": [edge(s) for s in p.steps],
            }
            for p in found.paths
        ],
    }


def blocked_json(finding: Blocked, algorithm: str, day: date) -> dict[str, object]:
    return {
        "entity": finding.entity,
        "status": finding.status,
        "stake_definite": round(finding.definite_pct, 4),
        "stake_possible": round(finding.possible_pct, 4),
        "over_100": finding.over_full_pct,
        "reasons": [
            {"owner": s.owner, "pct": round(s.pct, 4), "source": s.source} for s in finding.reasons
        ],
        "algorithm": algorithm,
        "as_of": day.isoformat(),
    }


def finding_json(f: Finding, day: date) -> dict[str, object]:
    return {
        "detector": f.detector,
        "entity": f.entity,
        "summary": f.summary,
        "evidence": [{"what": e.what, "record": e.record} for e in f.evidence],
        "as_of": day.isoformat(),
    }


def neighbourhood_json(
    build: Build, sub: Subgraph, listed: set[str], found: Exposure, day: date
) -> dict[str, object]:
    """The subgraph around an entity for drawing: its parties (listed or not) and shared
    values, every edge with its record and whether it is current, what a cut to the
    drawing limit left out (``cut``, null when nothing was), and the entity's exposure,
    whose paths' edges are those of ``edges`` with the same record and ends."""
    nodes = []
    for name in sub.nodes:
        node = build.nodes.get(name)
        nodes.append(
            {
                "id": name,
                "name": node.name if node else name,
                "schema": node.schema if node else "",
                "listed": name in listed,
                "center": name == sub.center,
            }
        )
    edges = [
        {
            "id": f"e{i}",
            "source": e.source,
            "target": e.target,
            **edge_json(e),
            "current": e.current(day),
        }
        for i, e in enumerate(sub.edges)
    ]
    return {
        "entity": sub.center,
        "hops": sub.hops,
        "as_of": day.isoformat(),
        "build": build.build_id,
        "nodes": nodes,
        "edges": edges,
        "cut": None if sub.cut is None else cut_json(sub.cut),
        "exposure": exposure_json(found, build.build_id),
    }


def cut_json(cut: Cut) -> dict[str, object]:
    """What a neighbourhood cut to the drawing limit left out (hermit.network.export.cut)."""
    return {
        "limit": cut.limit,
        "nodes_total": cut.nodes_total,
        "edges_total": cut.edges_total,
        "nodes_left_out": cut.nodes_left_out,
        "edges_left_out": cut.edges_left_out,
        "kept_for_paths": cut.kept_for_paths,
        "rule": "the centre, every party on a path to a listed party, then the nearest "
        "(fewest steps, ties by id) up to the limit; the edges between those kept",
    }
