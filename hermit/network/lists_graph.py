"""The lists alone as a network: OFAC's "Linked To" relations written in its DPRK entries
(the programmes of hermit/resources/network/lists_graph.yaml), with the UN Security
Council's DPRK entries joined to the OFAC entries that bear the same name (a name or
alias, folded: case, punctuation and spacing aside). Its connected components (igraph)
and its hubs (the entries with the most "Linked To" relations).

Core code: it never imports the api, web or cli packages.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import duckdb
import yaml

ALGORITHM = "lists-graph@1"
LINKED_TO = "linked_to"
SAME_NAME = "same_name"
_FOLD = re.compile(r"[\W_]+")


@cache
def settings() -> dict[str, Any]:
    """The reviewed values of hermit/resources/network/lists_graph.yaml."""
    ref = resources.files("hermit") / "resources" / "network" / "lists_graph.yaml"
    data: dict[str, Any] = yaml.safe_load(ref.read_text(encoding="utf-8"))
    return data


def _fold(name: str) -> str:
    return _FOLD.sub(" ", name.casefold()).strip()


@dataclass(frozen=True, slots=True)
class ListEdge:
    kind: str  # linked_to (OFAC) or same_name (a UN entry and an OFAC entry)
    source: str
    target: str
    record: str  # the link entity (OFAC) or the name both bear


@dataclass
class Component:
    entries: list[str]
    hubs: list[tuple[str, int]]  # entry, linked_to degree (best first)


@dataclass
class ListsGraph:
    """Nodes (entry id -> name), edges, components (largest first) and hubs."""

    names: dict[str, str] = field(default_factory=dict)
    edges: list[ListEdge] = field(default_factory=list)
    components: list[Component] = field(default_factory=list)
    hubs: list[tuple[str, int]] = field(default_factory=list)

    def component_of(self, entry: str) -> Component | None:
        return next((c for c in self.components if entry in c.entries), None)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    return con.execute(sql, params).fetchall()


def lists_graph(con: duckdb.DuckDBPyConnection) -> ListsGraph:
    """The graph of the list store's current versions (``con``: the list store)."""
    import igraph

    conf = settings()
    ofac, un = str(conf["ofac_dataset"]), str(conf["un_dataset"])
    programs = [str(p) for p in conf["ofac_programs"]]
    marks = ", ".join("?" for _ in programs)
    dprk = {
        str(r[0])
        for r in _rows(
            con,
            "SELECT DISTINCT entity_id FROM current_statements WHERE dataset = ? "
            f"AND prop = 'program' AND value IN ({marks})",
            [ofac, *programs],
        )
    }
    links = _rows(
        con,
        "SELECT entity_id, max(CASE WHEN prop = 'subject' THEN value END), "
        "max(CASE WHEN prop = 'object' THEN value END), "
        "max(CASE WHEN prop = 'role' THEN value END) FROM current_statements "
        "WHERE dataset = ? AND entity_id IN (SELECT entity_id FROM current_entities "
        "WHERE schema = 'UnknownLink') GROUP BY entity_id ORDER BY entity_id",
        [ofac],
    )
    result = ListsGraph()
    for link, subject, obj, _role in links:
        if subject in dprk and obj is not None:
            result.edges.append(ListEdge(LINKED_TO, str(subject), str(obj), str(link)))
    names: dict[str, list[str]] = defaultdict(list)
    for entity, _prop, value in _rows(
        con,
        "SELECT entity_id, prop, value FROM current_statements WHERE dataset IN (?, ?) "
        "AND prop IN ('name', 'alias') ORDER BY entity_id, prop DESC, value",
        [ofac, un],
    ):
        names[str(entity)].append(str(value))
    ends = {e for edge in result.edges for e in (edge.source, edge.target)} | dprk
    by_name: dict[str, set[str]] = defaultdict(set)
    for entry in ends:
        for name in names.get(entry, []):
            by_name[_fold(name)].add(entry)
    un_prefix = str(conf["un_prefix"])
    un_entries = sorted(
        str(r[0])
        for r in _rows(
            con,
            "SELECT entity_id FROM current_entities WHERE dataset = ? AND entity_id LIKE ? "
            "AND schema IN ('Person', 'Organization', 'LegalEntity', 'Company', 'Vessel')",
            [un, un_prefix + "%"],
        )
    )
    for entry in un_entries:
        joined: set[str] = set()
        for name in names.get(entry, []):
            for other in sorted(by_name.get(_fold(name), set()) - joined):
                joined.add(other)
                result.edges.append(ListEdge(SAME_NAME, entry, other, name))
    nodes = sorted(dprk | ends | set(un_entries))
    result.names = {n: (names.get(n) or [n])[0] for n in nodes}
    index = {n: i for i, n in enumerate(nodes)}
    graph = igraph.Graph(
        n=len(nodes), edges=[(index[e.source], index[e.target]) for e in result.edges]
    )
    degree: dict[str, int] = defaultdict(int)
    for edge in result.edges:
        if edge.kind == LINKED_TO:
            degree[edge.source] += 1
            degree[edge.target] += 1
    result.hubs = sorted(degree.items(), key=lambda d: (-d[1], d[0]))
    for members in graph.connected_components():
        if len(members) < 2:
            continue
        entries = sorted(nodes[i] for i in members)
        hubs = sorted(((e, degree[e]) for e in entries), key=lambda d: (-d[1], d[0]))
        result.components.append(Component(entries, hubs))
    result.components.sort(key=lambda c: (-len(c.entries), c.entries[0]))
    return result
