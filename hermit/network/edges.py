"""The edge table from the registry store: every FtM ``Ownership`` record as a holding
(owner, asset, share as a range, validity dates, source record) and every
``Directorship`` as a control edge (never a stake). Where a resolution run exists
(``hermit resolve``), record ids are replaced by their entity's cluster id, so that the
same holding reported by two registries counts once.

A record whose share cannot be read is set aside with its reason (record id, field,
value) and counted; a bad date is set aside the same way and the holding kept undated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import orjson

from hermit.network.holdings import CONTROL, OWNERSHIP, Holding, ShareError, parse_share
from hermit.registry.store import RegistryStore


@dataclass(frozen=True, slots=True)
class Problem:
    """A field of a registry record set aside (the edge table and the graph alike): the
    record, where it was read, the property, its value and why."""

    record_id: str
    file: str
    row: int
    prop: str
    value: str
    reason: str


@dataclass
class EdgeTable:
    holdings: list[Holding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: record id -> cluster id of the latest resolution run (empty if none)
    clusters: dict[str, str] = field(default_factory=dict)

    def entity(self, ident: str) -> str:
        return self.clusters.get(ident, ident)


def _clusters(store: RegistryStore) -> dict[str, str]:
    tables = {r[0] for r in store.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if "resolve_clusters" not in tables:
        return {}
    rows = store.con.execute(
        "SELECT record_id, cluster_id FROM resolve_clusters "
        "WHERE run_id = (SELECT max(run_id) FROM resolve_clusters)"
    ).fetchall()
    return {str(r): str(c) for r, c in rows}


def _first(props: dict[str, Any], name: str) -> str | None:
    values = props.get(name) or []
    return str(values[0]) if values else None


def read_edges(store: RegistryStore) -> EdgeTable:
    """Ownership and directorship records of every load (a record id loaded again: the
    latest load's version), in load, file and row order."""
    table = EdgeTable(clusters=_clusters(store))
    latest: dict[str, tuple[str, str, int, Any]] = {}
    for record_id, schema, file, row, entity in store.con.execute(
        "SELECT record_id, schema, file, row, entity FROM registry_records "
        "WHERE schema IN ('Ownership', 'Directorship') ORDER BY load_id, file, row, record_id"
    ).fetchall():
        latest[str(record_id)] = (str(schema), str(file), int(row or 0), entity)
    for record_id, (schema, file, row, entity) in latest.items():
        props = orjson.loads(entity).get("properties") or {}

        def problem(prop: str, value: str, reason: str) -> None:
            table.problems.append(Problem(record_id, file, row, prop, value, reason))  # noqa: B023

        ends = ("owner", "asset") if schema == "Ownership" else ("director", "organization")
        owner, asset = _first(props, ends[0]), _first(props, ends[1])
        if owner is None or asset is None:
            problem(ends[0] if owner is None else ends[1], "", "missing: the edge is set aside")
            continue
        dates: list[date | None] = []
        for prop in ("startDate", "endDate"):
            text = _first(props, prop)
            try:
                dates.append(date.fromisoformat(text[:10]) if text else None)
            except ValueError:
                problem(prop, text or "", "not an ISO date: set aside, the edge kept undated")
                dates.append(None)
        if schema == "Directorship":
            low = high = 0.0
            kind = CONTROL
        else:
            kind = OWNERSHIP
            pct = _first(props, "percentage")
            try:
                low, high = parse_share(pct=pct)
            except ShareError as err:
                problem("percentage", pct or "", f"{err}: the holding is set aside")
                continue
        table.holdings.append(
            Holding(
                table.entity(owner),
                table.entity(asset),
                low,
                high,
                start=dates[0],
                end=dates[1],
                source=f"{record_id} ({file}, row {row})",
                kind=kind,
            )
        )
    return table
