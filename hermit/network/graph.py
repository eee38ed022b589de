"""The network graph of the registry store: every entity (a resolved entity when a
``hermit resolve`` run exists, else a record) as a node, every relation as an edge with
its kind, its source record and its validity dates, and shared attributes as evidence
edges.

Edge kinds (``Edge.kind``), from the FtM relation schemas:

- ``ownership`` (Ownership: owner -> asset, the share as a range ``low``..``high``;
  a founder is an owner whose role says so), ``officer`` (Directorship: director ->
  organization, the role kept), ``succession`` (Succession: predecessor -> successor),
  ``linked_to`` (UnknownLink: subject -> object), ``representation`` (Representation:
  agent -> client), ``family`` (Family: person -> relative), ``associate`` (Associate:
  person -> associate), ``employment`` (Employment: employee -> employer),
  ``membership`` (Membership: member -> organization);
- ``shared_address``, ``shared_phone``, ``shared_email``: entity -> a node of the shared
  value (``address:<key>``, hermit.network.shared), only when two or more distinct
  entities share it and no more than the reviewed limit
  (hermit/resources/network/graph.yaml): a value held by more is generic and set aside
  (``Build.suppressed``, with its entity count).

The build is stored as edge tables in the registry store (``network_builds``,
``network_nodes``, ``network_edges``, ``network_suppressed``): ``save`` and ``load``.
A relation whose end is missing, or a share or date that cannot be read, is set aside
with its reason (``Build.problems``), the edge kept where it still can be (a bad date:
undated; a bad share: the edge kept without a share).

Core code: it never imports the api, web or cli packages.
"""

from __future__ import annotations

import datetime as dt
import gzip
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
import yaml

from hermit.errors import SourceError
from hermit.network.edges import Problem
from hermit.network.holdings import ShareError, parse_share
from hermit.network.shared import KEYS
from hermit.registry.store import RegistryStore

if TYPE_CHECKING:
    import igraph

#: graph@2: shared addresses keyed by their building's town, street and house number
#: (hermit.network.building) instead of graph@1's postcode and house number, which joined
#: houses of one number on two streets of a postcode.
ALGORITHM = "graph@2"

OWNERSHIP = "ownership"
OFFICER = "officer"
SUCCESSION = "succession"
LINKED_TO = "linked_to"
REPRESENTATION = "representation"
FAMILY = "family"
ASSOCIATE = "associate"
EMPLOYMENT = "employment"
MEMBERSHIP = "membership"

#: FtM relation schema -> (edge kind, source property, target property)
RELATIONS: dict[str, tuple[str, str, str]] = {
    "Ownership": (OWNERSHIP, "owner", "asset"),
    "Directorship": (OFFICER, "director", "organization"),
    "Succession": (SUCCESSION, "predecessor", "successor"),
    "UnknownLink": (LINKED_TO, "subject", "object"),
    "Representation": (REPRESENTATION, "agent", "client"),
    "Family": (FAMILY, "person", "relative"),
    "Associate": (ASSOCIATE, "person", "associate"),
    "Employment": (EMPLOYMENT, "employee", "employer"),
    "Membership": (MEMBERSHIP, "member", "organization"),
}
#: Schemas whose records are nodes (parties); addresses and other parts are not.
PARTIES = frozenset(
    {"Company", "Organization", "PublicBody", "Person", "LegalEntity", "Vessel", "Airplane"}
)
_FOUNDER_ROLES = ("founder", "учредител", "участник", "股东", "发起人")


@dataclass(frozen=True)
class SharedRule:
    kind: str
    props: tuple[str, ...]
    max_entities: int


@cache
def shared_rules() -> tuple[SharedRule, ...]:
    """The reviewed limits of hermit/resources/network/graph.yaml."""
    ref = resources.files("hermit") / "resources" / "network" / "graph.yaml"
    data = yaml.safe_load(ref.read_text(encoding="utf-8"))
    return tuple(
        SharedRule(kind, tuple(rule["props"]), int(rule["max_entities"]))
        for kind, rule in data["shared"].items()
    )


@dataclass(frozen=True, slots=True)
class Edge:
    """One edge: ``source`` -> ``target`` (entity ids or a shared value's node), its kind,
    share range (ownership; None when not stated), role, validity dates, the value shared
    (evidence edges) and the record it comes from (record id, file, row)."""

    kind: str
    source: str
    target: str
    record_id: str
    file: str
    row: int
    low: float | None = None
    high: float | None = None
    role: str | None = None
    start: date | None = None
    end: date | None = None
    value: str | None = None

    def cites(self) -> str:
        """The source record as an analyst looks it up."""
        return f"{self.record_id} ({self.file}, row {self.row})"

    def current(self, as_of: date) -> bool:
        if self.start is not None and self.start > as_of:
            return False
        return self.end is None or self.end > as_of


@dataclass(frozen=True, slots=True)
class Node:
    """A party: its id (entity or record), schema, first name and how many records."""

    node: str
    schema: str
    name: str
    records: int = 1


@dataclass(frozen=True, slots=True)
class Suppressed:
    """A shared value held by more distinct entities than the reviewed limit: no edges."""

    kind: str
    value: str
    entities: int


@dataclass
class Build:
    """Nodes, edges, suppressed generic values and problems of one build."""

    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    suppressed: list[Suppressed] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: record id -> entity (cluster) id of the resolution used (empty: none)
    clusters: dict[str, str] = field(default_factory=dict)
    build_id: int | None = None

    def entity(self, ident: str) -> str:
        """The node of a record or entity id."""
        return self.clusters.get(ident, ident)

    def counts(self) -> dict[str, int]:
        by_kind: dict[str, int] = defaultdict(int)
        for edge in self.edges:
            by_kind[edge.kind] += 1
        return dict(sorted(by_kind.items()))


Record = tuple[str, str, str, int, dict[str, Any]]  # record id, schema, file, row, entity


def _first(props: dict[str, Any], name: str) -> str | None:
    values = props.get(name) or []
    return str(values[0]) if values else None


def _day(
    props: dict[str, Any], prop: str, problem: Any
) -> date | None:  # problem: (prop, value, reason) -> None
    text = _first(props, prop)
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        if len(text) in (4, 7) and text[:4].isdigit():  # a year or year-month: its first day
            try:
                return date.fromisoformat(text[:4] + (text[4:7] or "-01") + "-01")
            except ValueError:
                pass
        problem(prop, text, "not a date: set aside, the edge kept undated")
        return None


def build(
    records: Iterable[Record],
    clusters: dict[str, str] | None = None,
    keys: Mapping[str, Callable[[str], str | None]] = KEYS,
) -> Build:
    """The graph of ``records`` (each record id once: the last one given wins), with
    record ids replaced by their entity in ``clusters``; shared values keyed by ``keys``
    (hermit.network.shared's, the default; a benchmark passes graph@1's address key to
    measure it beside)."""
    result = Build(clusters=dict(clusters or {}))
    latest: dict[str, Record] = {}
    for record in records:
        latest[record[0]] = record
    rules = shared_rules()
    holders: dict[tuple[str, str], dict[str, tuple[str, str, int, str]]] = defaultdict(dict)
    node_records: dict[str, int] = defaultdict(int)
    for record_id, schema, file, row, entity in latest.values():
        props: dict[str, Any] = entity.get("properties") or {}
        if schema in RELATIONS:
            _relation(result, record_id, schema, file, row, props)
            continue
        if schema not in PARTIES:
            continue
        node = result.entity(record_id)
        node_records[node] += 1
        if node not in result.nodes:
            result.nodes[node] = Node(node, schema, _first(props, "name") or record_id)
        for rule in rules:
            for prop in rule.props:
                for text in props.get(prop) or []:
                    key = keys[rule.kind](str(text))
                    if key is not None:
                        holders[(rule.kind, key)].setdefault(node, (record_id, file, row, text))
    for node, count in node_records.items():
        if count > 1:
            found = result.nodes[node]
            result.nodes[node] = Node(found.node, found.schema, found.name, count)
    limits = {rule.kind: rule.max_entities for rule in rules}
    for (kind, key), held in sorted(holders.items()):
        if len(held) < 2:
            continue
        if len(held) > limits[kind]:
            result.suppressed.append(Suppressed(kind, key, len(held)))
            continue
        value_node = f"{kind}:{key}"
        result.nodes[value_node] = Node(value_node, kind, key, 0)
        for node, (record_id, file, row, text) in sorted(held.items()):
            result.edges.append(
                Edge(f"shared_{kind}", node, value_node, record_id, file, row, value=str(text))
            )
    return result


def _relation(
    result: Build, record_id: str, schema: str, file: str, row: int, props: dict[str, Any]
) -> None:
    def problem(prop: str, value: str, reason: str) -> None:
        result.problems.append(Problem(record_id, file, row, prop, value, reason))

    kind, source_prop, target_prop = RELATIONS[schema]
    source, target = _first(props, source_prop), _first(props, target_prop)
    if source is None or target is None:
        problem(source_prop if source is None else target_prop, "", "missing: edge set aside")
        return
    start, end = _day(props, "startDate", problem), _day(props, "endDate", problem)
    low = high = None
    if kind == OWNERSHIP:
        pct = _first(props, "percentage")
        if pct is not None:
            try:
                low, high = parse_share(pct=pct)
            except ShareError as err:
                problem("percentage", pct, f"{err}: the edge kept without a share")
    role = _first(props, "role") or _first(props, "relationship")
    if kind == OWNERSHIP and role and any(r in role.casefold() for r in _FOUNDER_ROLES):
        role = f"founder ({role})"
    result.edges.append(
        Edge(
            kind,
            result.entity(source),
            result.entity(target),
            record_id,
            file,
            row,
            low=low,
            high=high,
            role=role,
            start=start,
            end=end,
        )
    )


# -- the registry store ------------------------------------------------------------------

DDL = """
CREATE TABLE IF NOT EXISTS network_builds (
  build_id INTEGER PRIMARY KEY, built_at TIMESTAMP, algorithm VARCHAR, resolve_run INTEGER,
  nodes INTEGER, edges INTEGER, suppressed INTEGER, problems INTEGER);
CREATE TABLE IF NOT EXISTS network_nodes (
  build_id INTEGER, node VARCHAR, schema VARCHAR, name VARCHAR, records INTEGER);
CREATE TABLE IF NOT EXISTS network_edges (
  build_id INTEGER, kind VARCHAR, source VARCHAR, target VARCHAR, low DOUBLE, high DOUBLE,
  role VARCHAR, start_date DATE, end_date DATE, value VARCHAR, record_id VARCHAR,
  file VARCHAR, row INTEGER);
CREATE TABLE IF NOT EXISTS network_suppressed (
  build_id INTEGER, kind VARCHAR, value VARCHAR, entities INTEGER);
CREATE TABLE IF NOT EXISTS network_problems (
  build_id INTEGER, record_id VARCHAR, file VARCHAR, row INTEGER, prop VARCHAR,
  value VARCHAR, reason VARCHAR);
"""


def _tables(store: RegistryStore) -> set[str]:
    return {
        str(r[0]) for r in store.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
    }


def resolution(store: RegistryStore, run: int | None = None) -> tuple[int | None, dict[str, str]]:
    """A ``hermit resolve`` run of the store (the latest when ``run`` is None) and its
    record -> entity map."""
    if "resolve_clusters" not in _tables(store):
        return None, {}
    if run is None:
        found = store.con.execute("SELECT max(run_id) FROM resolve_clusters").fetchone()
        run = None if found is None or found[0] is None else int(found[0])
    rows = store.con.execute(
        "SELECT record_id, cluster_id FROM resolve_clusters WHERE run_id = ?", [run]
    ).fetchall()
    return run, {str(r): str(c) for r, c in rows}


def store_records(store: RegistryStore) -> Iterator[Record]:
    """Every record of every load, in load, file and row order (a record loaded again
    comes later: ``build`` keeps the latest)."""
    cursor = store.con.execute(
        "SELECT record_id, schema, file, row, entity FROM registry_records "
        "ORDER BY load_id, file, row, record_id"
    )
    while rows := cursor.fetchmany(10_000):
        for record_id, schema, file, row, entity in rows:
            yield str(record_id), str(schema), str(file), int(row or 0), orjson.loads(entity)


def file_records(path: Path) -> Iterator[Record]:
    """The records of one FollowTheMoney JSON lines file (gzipped or not), read directly
    rather than through a registry load (benchmarks and tests over the dev registry); a
    line that is not an entity is a SourceError naming the file and line."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        for row, line in enumerate(fh, 1):
            try:
                entity = orjson.loads(line)
                yield str(entity["id"]), str(entity["schema"]), path.name, row, entity
            except (orjson.JSONDecodeError, KeyError, TypeError) as err:
                raise SourceError(
                    path, f"line {row}: not a FollowTheMoney entity ({err})"
                ) from None


def build_from_store(store: RegistryStore) -> tuple[Build, int | None]:
    """The graph of the store's records under its latest resolution (and that run)."""
    run, clusters = resolution(store)
    return build(store_records(store), clusters), run


def save(store: RegistryStore, result: Build, resolve_run: int | None) -> int:
    """Store the build as a new one (all or nothing) and return its id."""
    con = store.con
    con.execute(DDL)
    found = con.execute("SELECT coalesce(max(build_id), 0) + 1 FROM network_builds").fetchone()
    assert found is not None
    build_id = int(found[0])
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            "INSERT INTO network_builds VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                build_id,
                dt.datetime.now(dt.UTC).replace(tzinfo=None),
                ALGORITHM,
                resolve_run,
                len(result.nodes),
                len(result.edges),
                len(result.suppressed),
                len(result.problems),
            ],
        )
        _insert(
            store,
            "network_nodes",
            [(build_id, n.node, n.schema, n.name, n.records) for n in result.nodes.values()],
        )
        _insert(
            store,
            "network_edges",
            [
                (
                    build_id,
                    e.kind,
                    e.source,
                    e.target,
                    e.low,
                    e.high,
                    e.role,
                    e.start,
                    e.end,
                    e.value,
                    e.record_id,
                    e.file,
                    e.row,
                )
                for e in result.edges
            ],
        )
        _insert(
            store,
            "network_suppressed",
            [(build_id, s.kind, s.value, s.entities) for s in result.suppressed],
        )
        _insert(
            store,
            "network_problems",
            [
                (build_id, p.record_id, p.file, p.row, p.prop, p.value, p.reason)
                for p in result.problems
            ],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    result.build_id = build_id
    return build_id


def _insert(store: RegistryStore, table: str, rows: list[tuple[Any, ...]]) -> None:
    """Rows into a table in one columnar insert (row-by-row inserts are slow in DuckDB)."""
    import pyarrow as pa

    if not rows:
        return
    columns = [d[0] for d in store.con.execute(f"SELECT * FROM {table} LIMIT 0").description]
    arrow = pa.table({c: [r[i] for r in rows] for i, c in enumerate(columns)})
    store.con.register("_network_batch", arrow)
    store.con.execute(f"INSERT INTO {table} SELECT * FROM _network_batch")
    store.con.unregister("_network_batch")


def load(store: RegistryStore, build_id: int | None = None) -> Build | None:
    """A stored build (the latest when ``build_id`` is None), or None if there is none."""
    if "network_builds" not in _tables(store):
        return None
    con = store.con
    if build_id is None:
        found = con.execute("SELECT max(build_id) FROM network_builds").fetchone()
        if found is None or found[0] is None:
            return None
        build_id = int(found[0])
    found = con.execute(
        "SELECT resolve_run FROM network_builds WHERE build_id = ?", [build_id]
    ).fetchone()
    if found is None:
        return None
    clusters = resolution(store, int(found[0]))[1] if found[0] is not None else {}
    result = Build(build_id=build_id, clusters=clusters)
    for node, schema, name, count in con.execute(
        "SELECT node, schema, name, records FROM network_nodes WHERE build_id = ?", [build_id]
    ).fetchall():
        result.nodes[str(node)] = Node(str(node), str(schema), str(name), int(count))
    cursor = con.execute(
        "SELECT kind, source, target, record_id, file, row, low, high, role, start_date, "
        "end_date, value FROM network_edges WHERE build_id = ?",
        [build_id],
    )
    while rows := cursor.fetchmany(50_000):
        result.edges.extend(Edge(*row) for row in rows)
    for kind, value, entities in con.execute(
        "SELECT kind, value, entities FROM network_suppressed WHERE build_id = ?", [build_id]
    ).fetchall():
        result.suppressed.append(Suppressed(str(kind), str(value), int(entities)))
    for row in con.execute(
        "SELECT record_id, file, row, prop, value, reason FROM network_problems WHERE build_id = ?",
        [build_id],
    ).fetchall():
        result.problems.append(Problem(*row))
    return result


# -- igraph ------------------------------------------------------------------------------


@dataclass
class Indexed:
    """A build as an igraph graph: vertex i is ``names[i]``, edge j is ``edges[j]``."""

    graph: igraph.Graph
    names: list[str]
    index: dict[str, int]
    edges: list[Edge]


def to_igraph(result: Build, *, directed: bool = False) -> Indexed:
    """The build as an igraph ``Graph`` (every edge end a vertex, nodes without edges too)."""
    import igraph

    names = list(result.nodes)
    index = {name: i for i, name in enumerate(names)}
    pairs: list[tuple[int, int]] = []
    for edge in result.edges:
        for end in (edge.source, edge.target):
            if end not in index:
                index[end] = len(names)
                names.append(end)
        pairs.append((index[edge.source], index[edge.target]))
    graph = igraph.Graph(n=len(names), edges=pairs, directed=directed)
    return Indexed(graph, names, index, list(result.edges))
