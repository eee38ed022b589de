"""The registry side of the entity dossier (hermit/report/dossier.py): the registry records
of the party (the record asked for, or those ``hermit network roots`` screened as one of
its list entries), the records ``hermit resolve`` put in the same entity, the ranked paths
to listed parties (hermit network exposure), the OFAC 50% rule verdict (hermit network
blocked) and the front-company red flags (hermit network flags: every detector but
listed_officer). Read-only; core code."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import orjson

from hermit.network import roots as found_roots
from hermit.network.edges import read_edges
from hermit.network.exposure import Exposure, Network
from hermit.network.findings import red_flags
from hermit.network.flags import Finding as Flag
from hermit.network.graph import load, resolution, store_records
from hermit.network.ofac50 import Finding as Verdict
from hermit.network.ofac50 import blocked_status
from hermit.registry.store import RegistryStore

_CITED = re.compile(r"^(?P<id>\S+) \((?P<file>.+), row (?P<row>\d+)\)$")


@dataclass(frozen=True, slots=True)
class Record:
    record_id: str
    registry: str
    schema: str
    file: str
    row: int
    caption: str
    props: dict[str, list[str]]


@dataclass(slots=True)
class RegistrySide:
    records: list[Record] = field(default_factory=list)  # the party's, asked or screened
    screened: list[found_roots.Root] = field(default_factory=list)  # roots run hits
    roots_run: str | None = None  # how the listed parties were found
    resolve_run: int | None = None
    clusters: dict[str, list[Record]] = field(default_factory=dict)  # entity -> records
    build_id: int | None = None
    exposures: list[Exposure] = field(default_factory=list)
    verdicts: list[Verdict] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    listed: list[str] = field(default_factory=list)
    root_of: dict[str, found_roots.Root] = field(default_factory=dict)  # node -> its screening
    missing: list[tuple[str, str]] = field(default_factory=list)  # what, why


def _record(store: RegistryStore, record_id: str) -> Record | None:
    rows = store.con.execute(
        "SELECT record_id, registry, schema, file, row, entity FROM registry_records "
        "WHERE record_id = ? ORDER BY load_id DESC LIMIT 1",
        [record_id],
    ).fetchall()
    if not rows:
        return None
    rid, registry, schema, file, row, entity = rows[0]
    props = (orjson.loads(entity).get("properties") or {}) if entity else {}
    names = props.get("name") or [rid]
    return Record(
        str(rid),
        str(registry),
        str(schema),
        str(file),
        int(row or 0),
        str(names[0]),
        {k: [str(x) for x in v] for k, v in props.items()},
    )


def record_at(store: RegistryStore, cited: str) -> Record | None:
    """The record an edge or a stake cites as ``id (file, row N)``."""
    m = _CITED.match(cited)
    return _record(store, m.group("id") if m else cited.split(" ", 1)[0])


def has_record(store: RegistryStore, record_id: str) -> bool:
    return _record(store, record_id) is not None


def gather(
    store: RegistryStore,
    asked_records: list[str],
    list_entries: list[str],
    roots_given: list[str] | None,
    as_of: date,
    paths: int,
) -> RegistrySide:
    """The registry side for the records asked for, or for the records the latest roots
    run screened as one of ``list_entries``."""
    out = RegistrySide()
    stored = found_roots.load(store)
    if roots_given is not None:
        out.listed, out.roots_run = list(roots_given), "the --roots file"
    elif stored is not None:
        out.listed = [r.record_id for r in stored]
        out.roots_run = "the latest hermit network roots run"
    else:
        out.missing.append(
            ("Listed parties in the registry", "no --roots file and no hermit network roots run")
        )
    wanted = list(asked_records)
    if stored is not None:
        out.screened = [r for r in stored if r.listed_id in list_entries or r.record_id in wanted]
        wanted += [r.record_id for r in out.screened if r.listed_id in list_entries]
    for rid in dict.fromkeys(wanted):
        rec = _record(store, rid)
        if rec is not None:
            out.records.append(rec)
    if not out.records:
        return out
    out.resolve_run, clusters = resolution(store)
    if out.resolve_run is None:
        out.missing.append(("Resolved entities", "no hermit resolve run in the registry store"))
    for rec in out.records:
        cid = clusters.get(rec.record_id)
        if cid is None or cid in out.clusters:
            continue
        members = sorted(r for r, c in clusters.items() if c == cid)
        out.clusters[cid] = [m for m in (_record(store, r) for r in members) if m is not None]
    built = load(store)
    if built is None:
        out.missing.append(("The network", "no network built (hermit network build)"))
        return out
    out.build_id = built.build_id
    network = Network(built, as_of)
    why = {}
    if stored is not None and roots_given is None:
        why = {built.entity(r.record_id): r.cites() for r in reversed(stored)}
        out.root_of = {built.entity(r.record_id): r for r in reversed(stored)}
    nodes = list(dict.fromkeys(built.entity(r.record_id) for r in out.records))
    nodes = [n for n in nodes if n in network.index]
    for node in nodes:
        out.exposures.append(network.exposure(node, out.listed, paths, why))
    edges = read_edges(store)
    result = blocked_status([edges.entity(r) for r in out.listed], edges.holdings, as_of)
    for node in nodes:
        verdict = result.findings.get(node)
        if verdict is not None:
            out.verdicts.append(verdict)
    # every detector but listed_officer, which screens officers against the lists (the
    # dossier's own listings section says what the lists hold)
    flags = red_flags(lambda: store_records(store), network, out.listed)
    out.flags = [f for f in flags if f.entity in nodes]
    return out


def props_line(props: dict[str, Any], keys: tuple[str, ...]) -> str:
    parts = []
    for k in keys:
        values = props.get(k) or []
        if values:
            parts.append(f"{k} {', '.join(str(v) for v in values[:3])}")
    return "; ".join(parts)
