"""Export a subgraph of a build: the neighbourhood of an entity within ``hops`` steps (any
edge kind, either direction), as FollowTheMoney JSON lines (so Aleph and OpenSanctions
users can take it), as GraphML (igraph's writer) or as a CSV edge list. Every edge keeps
its kind, share, role, dates and its source record (id, file, row).

FtM: each party a FtM entity of its schema with its name; each relation edge the FtM
relation schema it was read from (Ownership with its percentage, Directorship with its
role, Succession, UnknownLink ...) under the source record's id, with start and end
dates, its source record (``recordId``, and in ``summary`` the file
and row); a shared address an Address entity that the parties holding it name as their
``addressEntity``; a shared phone or e-mail a property of the parties holding it.

Core code: it never imports the api, web or cli packages.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from hermit.network.graph import RELATIONS, Build, Edge, to_igraph

FORMATS = ("ftm", "graphml", "csv")
_SCHEMA_OF = {kind: (schema, src, dst) for schema, (kind, src, dst) in RELATIONS.items()}
CSV_COLUMNS = (
    "kind", "source", "target", "low", "high", "role", "start", "end", "value",
    "record_id", "file", "row",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Cut:
    """What ``cut`` left out of a neighbourhood too large to draw: the limit, the whole
    neighbourhood's counts and the nodes and edges not kept."""

    limit: int
    nodes_total: int
    edges_total: int
    nodes_left_out: int
    edges_left_out: int
    #: the nodes of the paths to listed parties (besides the centre): kept at any distance
    kept_for_paths: int


@dataclass
class Subgraph:
    center: str
    hops: int
    nodes: list[str]
    edges: list[Edge]
    #: set when the neighbourhood was cut to a limit (``cut``)
    cut: Cut | None = None


def subgraph(build: Build, entity: str, hops: int) -> Subgraph:
    """The nodes within ``hops`` steps of ``entity`` (a record or entity id) and the edges
    between them. A shared value's node counts as a step (entity -> address -> entity is
    two). KeyError when the entity is not in the build."""
    center = build.entity(entity)
    indexed = to_igraph(build)
    if center not in indexed.index:
        raise KeyError(entity)
    found = indexed.graph.neighborhood(indexed.index[center], order=hops)
    keep = {indexed.names[i] for i in found}
    edges = [e for e in build.edges if e.source in keep and e.target in keep]
    ordered = [center, *sorted(keep - {center})]
    return Subgraph(center, hops, ordered, edges)


def cut(sub: Subgraph, limit: int, keep: Iterable[str]) -> Subgraph:
    """The subgraph cut to at most ``limit`` nodes (unchanged when it has no more): the
    centre and every node of ``keep`` found in it (the nodes of the paths to listed
    parties, kept even beyond the limit), then the nearest others (fewest steps from the
    centre, any edge kind, either direction; ties by id), and the edges between the nodes
    kept. Every nearer ring is kept whole before a farther one is started, so each node
    kept still reaches the centre through nodes kept. ``Subgraph.cut`` says what was left
    out."""
    if len(sub.nodes) <= limit:
        return sub
    present = set(sub.nodes)
    must = [sub.center, *sorted({n for n in keep if n in present} - {sub.center})]
    distance = _steps(sub)
    others = sorted(
        (n for n in sub.nodes if n not in set(must)),
        key=lambda n: (distance.get(n, sub.hops + 1), n),
    )
    kept = set(must) | set(others[: max(0, limit - len(must))])
    nodes = [n for n in sub.nodes if n in kept]
    edges = [e for e in sub.edges if e.source in kept and e.target in kept]
    left = Cut(
        limit=limit,
        nodes_total=len(sub.nodes),
        edges_total=len(sub.edges),
        nodes_left_out=len(sub.nodes) - len(nodes),
        edges_left_out=len(sub.edges) - len(edges),
        kept_for_paths=len(must) - 1,
    )
    return Subgraph(sub.center, sub.hops, nodes, edges, left)


def _steps(sub: Subgraph) -> dict[str, int]:
    """Each node's fewest steps from the centre over the subgraph's edges, either way."""
    near: dict[str, list[str]] = defaultdict(list)
    for edge in sub.edges:
        near[edge.source].append(edge.target)
        near[edge.target].append(edge.source)
    found = {sub.center: 0}
    ring = [sub.center]
    while ring:
        following = []
        for node in ring:
            for other in near[node]:
                if other not in found:
                    found[other] = found[node] + 1
                    following.append(other)
        ring = following
    return found


def address_id(value_node: str) -> str:
    """The FtM id of a shared address's node (an FtM id holds no spaces)."""
    return "addr-" + hashlib.sha1(value_node.encode("utf-8")).hexdigest()[:16]


def ftm_lines(build: Build, sub: Subgraph) -> Iterator[bytes]:
    """The subgraph as FtM entities, one JSON object a line (checked by FtM's model)."""
    from followthemoney import model

    extra: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    values: dict[str, Edge] = {}
    for edge in sub.edges:
        if edge.kind.startswith("shared_"):
            prop = {"shared_address": "addressEntity", "shared_phone": "phone"}.get(
                edge.kind, "email"
            )
            text = address_id(edge.target) if prop == "addressEntity" else str(edge.value or "")
            extra[edge.source][prop].append(text)
            values.setdefault(edge.target, edge)
    for node in sub.nodes:
        found = build.nodes.get(node)
        if found is None or node in values:
            continue
        proxy = model.make_entity(found.schema)
        proxy.id = node
        proxy.add("name", found.name)
        for prop, texts in extra.get(node, {}).items():
            proxy.add(prop, texts, quiet=True)
        yield orjson.dumps(proxy.to_dict())
    for value, edge in sorted(values.items()):
        if edge.kind == "shared_address":
            proxy = model.make_entity("Address")
            proxy.id = address_id(value)
            proxy.add("full", edge.value)
            proxy.add("summary", f"building key {value!r}")
            yield orjson.dumps(proxy.to_dict())
    for edge in sub.edges:
        if edge.kind not in _SCHEMA_OF:
            continue
        schema, src, dst = _SCHEMA_OF[edge.kind]
        proxy = model.make_entity(schema)
        proxy.id = edge.record_id
        proxy.add(src, edge.source)
        proxy.add(dst, edge.target)
        if edge.low is not None and schema == "Ownership":
            share = f"{edge.low:g}" if edge.low == edge.high else f"{edge.low:g}-{edge.high:g}"
            proxy.add("percentage", share)
        if edge.role:
            proxy.add("role", edge.role, quiet=True)
        if edge.start:
            proxy.add("startDate", edge.start.isoformat())
        if edge.end:
            proxy.add("endDate", edge.end.isoformat())
        proxy.add("recordId", edge.record_id)
        proxy.add("summary", f"source record {edge.cites()}")
        yield orjson.dumps(proxy.to_dict())


def _cells(edge: Edge) -> list[str]:
    def text(value: object) -> str:
        if value is None:
            return ""
        return value.isoformat() if hasattr(value, "isoformat") else str(value)

    return [text(getattr(edge, c)) for c in CSV_COLUMNS]


def csv_text(sub: Subgraph) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for edge in sub.edges:
        writer.writerow(_cells(edge))
    return out.getvalue()


def write_graphml(build: Build, sub: Subgraph, path: Path) -> None:
    """The subgraph as GraphML (igraph's writer): vertices with id, schema and name,
    directed edges with every column of the CSV edge list ("" when not stated)."""
    import igraph

    index = {n: i for i, n in enumerate(sub.nodes)}
    graph = igraph.Graph(
        n=len(sub.nodes),
        edges=[(index[e.source], index[e.target]) for e in sub.edges],
        directed=True,
    )
    graph.vs["id"] = sub.nodes
    graph.vs["schema"] = [build.nodes[n].schema if n in build.nodes else "" for n in sub.nodes]
    graph.vs["label"] = [build.nodes[n].name if n in build.nodes else n for n in sub.nodes]
    rows = [_cells(e) for e in sub.edges]
    for i, column in enumerate(CSV_COLUMNS):
        if column in ("source", "target"):
            continue
        graph.es[column] = [r[i] for r in rows]
    graph.write_graphml(str(path))
