"""The entity dossier: for one person, company or vessel, its listings (every list entry of
the party, each version of its list it is in and what changed between versions), the
suppressions recorded for it, the registry records screened as it or asked for, the
entity ``hermit resolve`` made of them, its network (ranked paths to listed parties, the
OFAC 50% rule verdict), red flags, and, for a vessel, its AIS events. Each section says
what it could not establish when its input is missing; each row cites its records
(``list_record``, ``suppression``, ``registry_record``, ``ais_positions``).

The counts are ``count`` figures (``hermit report verify`` resolves every cited record in
the stores and counts them again); scores, stakes and event counts are ``derived``
(tests/report/test_dossier.py recomputes them with hermit network and hermit ais).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from hermit.errors import HermitError
from hermit.report import cite
from hermit.report.document import Report, Section
from hermit.report.dossier_data import Entry, entry, find_entries, same_party, settings
from hermit.report.dossier_map import track_map
from hermit.report.stamp import Stamp

KIND = "dossier"
SHOWN = 40  # changed statements shown per version (the rest counted)


def _cut(text: str, n: int = 160) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


class _Doc:
    def __init__(self, doc: Report) -> None:
        self.doc = doc

    def block(
        self,
        sec: Section,
        tid: str,
        caption: str,
        cols: list[tuple[str, str]],
        rows: list[tuple[dict[str, Any], list[int]]],
        how: str = "",
    ) -> None:
        if rows:
            sec.block(
                "cited_table",
                id=tid,
                caption=caption,
                columns=[{"key": k, "label": label} for k, label in cols],
                rows=[{"cells": cells, "cite": sorted(set(c))} for cells, c in rows],
                how=how,
            )


def _listing_cite(doc: Report, e: Entry, seq: int) -> int:
    v = next(x for x in e.versions if x.seq == seq)
    line = f" line {v.line}" if v.line is not None else ""
    caption = f"{v.caption}; record {v.record_id}, {Path(v.file).name}{line}"
    return doc.cite(cite.list_record(e.dataset, seq, e.entity_id, caption))


def _listings(d: _Doc, entries: list[Entry]) -> list[int]:
    doc = d.doc
    sec = doc.section("listings", "Listings")
    latest = [_listing_cite(doc, e, e.last.seq) for e in entries]
    doc.figure(
        "listings",
        "List entries of this party",
        len(entries),
        "entries",
        cite=latest,
        method="count",
        how="the list entries cited, one per entry at the last version of its list it is in",
    )
    sec.figures(["listings"])
    rows = []
    for e, n in zip(entries, latest, strict=True):
        p = e.props
        facts = "; ".join(
            f"{k}: {', '.join(p[k][:4])}"
            for k in (
                "program",
                "birthDate",
                "nationality",
                "imoNumber",
                "flag",
                "registrationNumber",
                "alias",
            )
            if p.get(k)
        )
        state = f"left in v{e.removed_in}" if e.removed_in else "listed"
        rows.append(
            (
                {
                    "list": e.dataset,
                    "entry": e.entity_id,
                    "name": e.last.caption,
                    "schema": e.schema,
                    "state": f"{state} (v{e.versions[0].seq}-v{e.last.seq})",
                    "why": e.why,
                    "facts": _cut(facts, 300),
                },
                [n],
            )
        )
    d.block(
        sec,
        "entries",
        "The party's list entries",
        [
            ("list", "list"),
            ("entry", "entry"),
            ("name", "name"),
            ("schema", "kind"),
            ("state", "versions"),
            ("why", "why this party"),
            ("facts", "facts"),
        ],
        rows,
        how="An entry of another list is the same party when it shares an identifier, "
        "or a name with a birth date (resources/report/dossier.yaml).",
    )
    for e in entries:
        cites = [_listing_cite(doc, e, v.seq) for v in e.versions]
        fid = doc.figure(
            f"versions.{e.dataset}.{e.entity_id}",
            f"Versions of {e.dataset} holding {e.entity_id}",
            len(e.versions),
            "versions",
            cite=cites,
            method="count",
            how="the versions of the list cited, one citation per version",
        )
        sec.figures([fid])
        vrows = []
        for v, n in zip(e.versions, cites, strict=True):
            if v.seq == e.versions[0].seq:
                what = "first version holding the entry"
            else:
                gained = [f"+ {k}: {_cut(x)}" for k, x in v.gained]
                lost = [f"- {k}: {_cut(x)}" for k, x in v.lost]
                both = gained + lost
                more = f" (and {len(both) - SHOWN} more)" if len(both) > SHOWN else ""
                what = "; ".join(both[:SHOWN]) + more if both else "unchanged"
            vrows.append(
                (
                    {
                        "version": f"v{v.seq}",
                        "published": v.published or "undated",
                        "sha": v.content_sha256[:12],
                        "changes": what,
                    },
                    [n],
                )
            )
        if e.removed_in:
            vrows.append(
                (
                    {
                        "version": f"v{e.removed_in}",
                        "published": "",
                        "sha": "",
                        "changes": "the entry is no longer on the list",
                    },
                    [cites[-1]],
                )
            )
        d.block(
            sec,
            f"history-{e.dataset}-{e.entity_id}",
            f"{e.dataset} {e.entity_id}: versions and what changed",
            [
                ("version", "version"),
                ("published", "published"),
                ("sha", "content sha256"),
                ("changes", "what changed since the version before"),
            ],
            vrows,
        )
    return latest


def _suppressions(d: _Doc, store_path: Path, entries: list[Entry]) -> None:
    from hermit.report.dossier_data import suppressions

    doc = d.doc
    sec = doc.section("screening", "Screening hits and suppressions")
    found = suppressions(store_path, [e.entity_id for e in entries])
    cites = [
        doc.cite(cite.suppression(s.entity_id, s.query, s.decided_at, s.decided_by)) for s in found
    ]
    doc.figure(
        "suppressions",
        "Suppressions recorded for the party's entries",
        len(found),
        "decisions",
        cite=cites,
        method="count",
        how="the decisions cited (in force or withdrawn), each a row of the "
        "suppressions table in the service state beside the list store",
    )
    sec.figures(["suppressions"])
    rows = [
        (
            {
                "entry": s.entity_id,
                "query": s.query,
                "by": s.decided_by,
                "at": s.decided_at,
                "reason": _cut(s.reason),
                "state": f"withdrawn {s.removed_at}" if s.removed_at else "in force",
                "version": f"{s.dataset} v{s.list_seq}" if s.dataset else "-",
            },
            [n],
        )
        for s, n in zip(found, cites, strict=True)
    ]
    d.block(
        sec,
        "suppressions",
        "Decisions that a hit is not this party",
        [
            ("entry", "entry"),
            ("query", "query"),
            ("by", "decided by"),
            ("at", "at (UTC)"),
            ("reason", "reason"),
            ("state", "state"),
            ("version", "list then"),
        ],
        rows,
    )
    doc.unknown(
        "Hits of single screening requests and bulk jobs",
        "hermit keeps no record of each hit of /match, hermit screen or a bulk job beside "
        "the store (the audit log counts requests, the job files are the caller's); the "
        "recorded hits shown are the registry parties screened as the party (below) and "
        "the suppressions",
    )


def _registry_cite(doc: Report, rec: Any) -> int:
    return doc.cite(cite.registry_record(rec.registry, rec.file, rec.row, rec.record_id))


def _registry(d: _Doc, side: Any, store: Any, list_cite: Any) -> None:
    from hermit.report.dossier_network import props_line, record_at

    doc = d.doc
    sec = doc.section("registry", "Registry records and resolved entity")
    for what, why in side.missing:
        doc.unknown(what, why)
    cites = [_registry_cite(doc, r) for r in side.records]
    doc.figure(
        "registry.records",
        "Registry records of the party",
        len(side.records),
        "records",
        cite=cites,
        method="count",
        how="the registry records cited: the one asked for, or those the roots "
        "screening matched to one of the party's list entries",
    )
    sec.figures(["registry.records"])
    screened = {r.record_id: r for r in side.screened}
    keys = ("jurisdiction", "registrationNumber", "innCode", "ogrnCode", "address", "birthDate")
    rows = []
    for rec, n in zip(side.records, cites, strict=True):
        root = screened.get(rec.record_id)
        how = f"screened as {root.listed_id} (score {root.score:.2f})" if root else "asked for"
        rows.append(
            (
                {
                    "record": rec.record_id,
                    "registry": rec.registry,
                    "schema": rec.schema,
                    "name": rec.caption,
                    "why": how,
                    "facts": _cut(props_line(rec.props, keys), 300),
                },
                [n],
            )
        )
    d.block(
        sec,
        "records",
        "The party's registry records",
        [
            ("record", "record"),
            ("registry", "registry"),
            ("schema", "kind"),
            ("name", "name"),
            ("why", "why"),
            ("facts", "facts"),
        ],
        rows,
    )
    for cid, members in sorted(side.clusters.items()):
        mc = [_registry_cite(doc, m) for m in members]
        fid = doc.figure(
            f"resolved.{cid}",
            f"Records resolved into entity {cid}",
            len(members),
            "records",
            cite=mc,
            method="count",
            how=f"the records hermit resolve run {side.resolve_run} put in {cid}",
        )
        sec.figures([fid])
        d.block(
            sec,
            f"entity-{cid}",
            f"Entity {cid} (hermit resolve run {side.resolve_run})",
            [("record", "record"), ("registry", "registry"), ("name", "name"), ("facts", "facts")],
            [
                (
                    {
                        "record": m.record_id,
                        "registry": m.registry,
                        "name": m.caption,
                        "facts": _cut(props_line(m.props, keys), 200),
                    },
                    [c],
                )
                for m, c in zip(members, mc, strict=True)
            ],
        )
    if not side.records:
        return
    net = doc.section("network", "Network: paths to listed parties and the 50% rule")
    if side.build_id is None:
        net.text("No network was built for the registry store: nothing to show.")
        return
    net.text(
        f"Network build {side.build_id}; listed parties: {len(side.listed)} records from "
        f"{side.roots_run}."
    )
    for ex in side.exposures:
        steps_cited: list[int] = []
        rows = []
        for rank, path in enumerate(ex.paths, 1):
            for i, step in enumerate(path.steps, 1):
                rec = record_at(store, step.edge.cites())
                c = [_registry_cite(doc, rec)] if rec is not None else []
                steps_cited += c
                rows.append(
                    (
                        {
                            "path": f"{rank} to {path.listed}",
                            "score": f"{path.score:.2f}",
                            "step": str(i),
                            "what": step.describe(),
                        },
                        c,
                    )
                )
            root = side.root_of.get(path.listed)
            listed_n = list_cite(root.listed_id) if root is not None else None
            if listed_n is not None:
                steps_cited.append(listed_n)
                rows.append(
                    (
                        {
                            "path": f"{rank} to {path.listed}",
                            "score": "",
                            "step": "end",
                            "what": f"{path.listed} is listed: {root.cites()}",
                        },
                        [listed_n],
                    )
                )
            if not path.steps:
                rec = record_at(store, path.listed)
                c = [_registry_cite(doc, rec)] if rec is not None else []
                rows.append(
                    (
                        {
                            "path": f"{rank} to {path.listed}",
                            "score": f"{path.score:.2f}",
                            "step": "-",
                            "what": "the entity is itself a listed party"
                            + (f": {path.why}" if path.why else ""),
                        },
                        c,
                    )
                )
                steps_cited += c
        doc.figure(
            f"exposure.{ex.entity}",
            f"Exposure of {ex.entity} to listed parties",
            ex.score,
            "",
            cite=steps_cited,
            method="derived",
            how=f"{ex.algorithm} as of {ex.as_of}: the best path's score (1 for the "
            "listed party, minus each step's penalties), recomputed by hermit network "
            "exposure",
        )
        doc.figure(
            f"paths.{ex.entity}",
            f"Paths from {ex.entity} to listed parties shown",
            len(ex.paths),
            "paths",
            cite=steps_cited,
            method="derived",
            how=f"the ranked paths within the hop limit, at most {settings()['paths']}",
        )
        net.figures([f"exposure.{ex.entity}", f"paths.{ex.entity}"])
        d.block(
            net,
            f"paths-{ex.entity}",
            f"Paths from {ex.entity} to listed parties",
            [("path", "path"), ("score", "score"), ("step", "step"), ("what", "step")],
            rows,
        )
        if not ex.paths:
            net.text(f"{ex.entity}: no listed party within the hop limit.")
    for v in side.verdicts:
        stake_cites = []
        for s in v.reasons:
            rec = record_at(store, s.source)
            if rec is not None:
                stake_cites.append(_registry_cite(doc, rec))
        doc.figure(
            f"ofac50.{v.entity}",
            f"Blocked parties' stake in {v.entity} (lower bound)",
            v.definite_pct,
            "%",
            cite=stake_cites,
            method="derived",
            how="hermit network blocked: the stakes of blocked owners, direct and "
            "through blocked companies, scaled when stated stakes exceed 100%",
        )
        net.figures([f"ofac50.{v.entity}"])
        net.text(f"OFAC 50% rule: {v.explain()}", cite=stake_cites)
    if not side.verdicts and side.exposures:
        net.text(
            "OFAC 50% rule: no ownership records reach the party, so the rule does not apply to it."
        )
    flags = doc.section("flags", "Red flags")
    frows = []
    for f in side.flags:
        c = []
        for ev in f.evidence:
            rec = record_at(store, ev.record)
            if rec is not None:
                c.append(_registry_cite(doc, rec))
        frows.append(
            (
                {
                    "detector": f.detector,
                    "entity": f.entity,
                    "summary": f.summary,
                    "evidence": "; ".join(e.what for e in f.evidence),
                },
                c,
            )
        )
    if frows:
        d.block(
            flags,
            "flags",
            "Front-company red flags",
            [
                ("detector", "detector"),
                ("entity", "entity"),
                ("summary", "finding"),
                ("evidence", "evidence"),
            ],
            frows,
        )
    else:
        flags.text("No red flag detector found anything for the party's records.")


def _maritime(d: _Doc, sea: Any, eez: Path | None) -> None:
    doc = d.doc
    sec = doc.section("maritime", "Maritime history (AIS)")
    for _fid, path in sorted(sea.files.items()):
        if path.exists():
            doc.stamp.add_input(path, name=path.name)
    if not sea.vessels:
        sec.text(f"No MMSI of AIS load {sea.load_id} broadcast one of the vessel's IMO numbers.")
        doc.unknown(
            "The vessel's AIS history",
            f"no MMSI of AIS load {sea.load_id} broadcast "
            "its IMO number or the MMSI its list entries name",
        )
        return
    sec.text(
        "MMSIs: "
        + "; ".join(
            f"{m} ({' / '.join(n[:4]) or 'no name'}, flag {f or '?'}; {sea.why[m]})"
            for m, (n, _i, f) in sorted(sea.vessels.items())
        )
    )
    by_kind: dict[str, list[int]] = {}
    rows = []
    for event, ranges in sea.events:
        c = [
            doc.cite(
                cite.ais_positions(
                    r.file,
                    doc.stamp.digest(r.file) if r.file in doc.stamp.inputs else "",
                    str(r.mmsi),
                    r.first,
                    r.last,
                    r.count,
                )
            )
            for r in ranges
        ]
        by_kind.setdefault(event.kind, []).extend(c)
        other = "" if event.other_mmsi is None else str(event.other_mmsi)
        rows.append(
            (
                {
                    "kind": event.kind,
                    "mmsi": str(event.mmsi),
                    "other": other,
                    "start": f"{event.start:%Y-%m-%d %H:%M}",
                    "end": f"{event.end:%Y-%m-%d %H:%M}",
                    "where": f"{event.lat:.3f}, {event.lon:.3f}",
                    "reasons": _cut("; ".join(event.reasons), 240),
                },
                c,
            )
        )
    counts = {k: sum(1 for e, _ in sea.events if e.kind == k) for k in by_kind}
    for kind, cites in sorted(by_kind.items()):
        fid = doc.figure(
            f"ais.{kind}",
            f"AIS events: {kind}",
            counts[kind],
            "events",
            cite=cites,
            method="derived",
            how=f"hermit ais events of load {sea.load_id} on the vessel's MMSIs "
            "(either side of an encounter)",
        )
        sec.figures([fid])
    d.block(
        sec,
        "events",
        "AIS events of the vessel's MMSIs (UTC)",
        [
            ("kind", "event"),
            ("mmsi", "MMSI"),
            ("other", "other MMSI"),
            ("start", "start"),
            ("end", "end"),
            ("where", "lat, lon"),
            ("reasons", "why"),
        ],
        rows,
        how="Each event cites the position ranges it rests on (clean positions, as the "
        "detectors read them).",
    )
    if not rows:
        sec.text("No AIS event of the vessel's MMSIs in the load.")
    track_map(sec, doc, sea, settings(), eez)


def _entry_cite(doc: Report, store: Any, entity_id: str) -> int | None:
    """The citation of a listed entry at the last version of its list it is in."""
    if store is None:
        return None
    found = find_entries(store.con, entity_id)
    if not found:
        return None
    e = entry(store.con, found[0][0], found[0][1], "listed")
    return _listing_cite(doc, e, e.last.seq)


def make(
    query: str,
    store_path: Path,
    stamp: Stamp,
    *,
    as_of: dt.date,
    registry_path: Path | None = None,
    roots: list[str] | None = None,
    ais_path: Path | None = None,
    eez: Path | None = None,
    load_id: int | None = None,
) -> dict[str, Any]:
    """The dossier data of the party ``query`` names: a list entry's id, an IMO number, a
    list's record id, or a registry record id (with a registry store)."""
    from hermit.store.store import Store

    conf = settings()
    entries: list[Entry] = []
    registry_asked: list[str] = []
    store = None
    reg: Any = None
    if store_path.exists():
        stamp.add_lists(store_path)
        store = Store(store_path, read_only=True)
    try:
        if store is not None:
            asked = find_entries(store.con, query)
            entries = (
                [entry(store.con, ds, eid, why) for ds, eid, why in same_party(store.con, asked)]
                if asked
                else []
            )
        side = None
        if registry_path is not None and registry_path.exists():
            from hermit.registry.store import RegistryStore
            from hermit.report import dossier_network as rn

            reg = RegistryStore(registry_path, read_only=True)
            if not entries and rn.has_record(reg, query):
                registry_asked = [query]
            side = rn.gather(
                reg,
                registry_asked,
                [e.entity_id for e in entries],
                roots,
                as_of,
                int(conf["paths"]),
            )
            if not entries and store is not None:
                linked = sorted({r.listed_id for r in side.screened})
                for eid in linked:
                    for ds, e in find_entries(store.con, eid):
                        entries.append(
                            entry(
                                store.con,
                                ds,
                                e,
                                "the registry record was screened as it (hermit network roots)",
                            )
                        )
        if not entries and not registry_asked:
            raise HermitError(
                f"{query!r}: no list entry (entity id, IMO number or list record id) "
                "and no registry record of that id"
                + ("" if registry_path else " (give --registry-store for registry records)")
            )
        name = (
            entries[0].last.caption
            if entries
            else (side.records[0].caption if side and side.records else query)
        )
        schema = (
            entries[0].schema
            if entries
            else (side.records[0].schema if side and side.records else "")
        )
        stamp.add_algorithm(
            conf["algorithm"],
            {
                "query": query,
                "as_of": as_of.isoformat(),
                "paths": conf["paths"],
                "same_party": "resources/report/dossier.yaml",
            }
            | ({"ais_load": load_id} if load_id is not None else {}),
        )
        doc = Report(
            KIND,
            f"Dossier: {name}",
            stamp,
            subtitle=f"{schema} {query}, as of {as_of.isoformat()}",
            period=(None, as_of.isoformat()),
        )
        d = _Doc(doc)
        if entries:
            _listings(d, entries)
            _suppressions(d, store_path, entries)
        else:
            doc.unknown(
                "Listings",
                "no list store"
                if store is None
                else "no hermit network roots run screened the registry record as a list "
                "entry (a --roots file names registry records, not list entries)",
            )
        if side is not None and reg is not None:
            from hermit.network.exposure import ALGORITHM as EXPOSURE
            from hermit.network.ofac50 import ALGORITHM as OFAC50

            stamp.add_algorithm(EXPOSURE)
            stamp.add_algorithm(OFAC50)
            _registry(d, side, reg, lambda eid: _entry_cite(doc, store, eid))
        else:
            doc.unknown(
                "Registry records, resolved entity, network, 50% rule and red flags",
                "no registry store given (--registry-store)",
            )
        vessel = schema == "Vessel"
        if vessel and ais_path is not None and ais_path.exists():
            from hermit.report.dossier_ais import gather

            imos = {v for e in entries for v in e.props.get("imoNumber", [])}
            mmsis = {int(v) for e in entries for v in e.props.get("mmsi", []) if v.isdigit()}
            sea = gather(ais_path, imos, mmsis, list(conf["ais_events"]), eez, load_id)
            stamp.algorithms[conf["algorithm"]]["parameters"]["ais_load"] = sea.load_id
            if eez is not None:
                stamp.add_input(eez, name=eez.name)
            _maritime(d, sea, eez)
        elif vessel:
            doc.unknown("The vessel's maritime history", "no AIS store given (--ais-store)")
        return doc.to_dict()
    finally:
        if store is not None:
            store.close()
        if reg is not None:
            reg.close()
