"""Reviewing a resolution: judging a pair of records (checked against the registry
store first), the review queue (the "possibly the same" pairs of the latest run that
no judgement in force decides, those most in need of a decision first) and each
record's facts side by side (names, identifiers, dates, address, registry, file, row).

The queue's order: pairs not judged before those judged unsure; then pairs whose
records are in two entities before those already joined through other links (a
decision there changes an entity); then the strongest first (probability, then match
weight: a pair the scores put near the link probability, or one the negative evidence
refused, is where the scores and the entity disagree most); then the records' ids."""

from __future__ import annotations

from typing import Any

import orjson

from hermit.errors import StoreError
from hermit.registry.store import RegistryStore
from hermit.resolve import judgements as jg
from hermit.resolve.links import POSSIBLE
from hermit.resolve.records import party_schemata
from hermit.resolve.store import latest_run

#: The FtM properties shown as a record's dates, in this order.
DATE_PROPS = (
    "incorporationDate",
    "birthDate",
    "dissolutionDate",
    "deathDate",
    "startDate",
    "endDate",
)


class UnknownRecord(StoreError):
    """A record id the registry store does not hold (``field`` names which one)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _kinds(store: RegistryStore, ids: list[str]) -> dict[str, str]:
    parties = list(party_schemata())
    rows = store.con.execute(
        "SELECT DISTINCT record_id, schema FROM registry_records "
        "WHERE list_contains(?, record_id) AND list_contains(?, schema)",
        [ids, parties],
    ).fetchall()
    return {str(r): "person" if s == "Person" else "organization" for r, s in rows}


def judge(
    store: RegistryStore, left: str, right: str, decision: str, who: str, why: str
) -> jg.Judgement:
    """Record a judgement on two records of the store, both parties of one kind
    (UnknownRecord naming ``left`` or ``right`` otherwise)."""
    kinds = _kinds(store, [left, right])
    for field, ident in (("left", left), ("right", right)):
        if ident not in kinds:
            raise UnknownRecord(
                field, f"{field}: {ident!r} is not a party record of {store.path.name}"
            )
    if kinds[left] != kinds[right]:
        raise UnknownRecord(
            "right", f"right: {right!r} is a {kinds[right]}, {left!r} a {kinds[left]}"
        )
    return jg.record(store, left, right, decision, who, why)


def details(store: RegistryStore, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Each record's facts (of all its rows): schema, names, identifiers (valid or
    not), dates, addresses, and where it was first read (registry, file, row)."""
    out: dict[str, dict[str, Any]] = {}
    rows = store.con.execute(
        "SELECT record_id, schema, registry, file, row, entity FROM registry_records "
        "WHERE list_contains(?, record_id) ORDER BY load_id, file, row",
        [ids],
    ).fetchall()
    addresses: dict[str, list[str]] = {}
    for record_id, schema, registry, file, row, entity in rows:
        props: dict[str, list[str]] = orjson.loads(entity).get("properties") or {}
        found = out.setdefault(
            record_id,
            {
                "record_id": record_id,
                "schema": schema,
                "registry": registry,
                "file": file,
                "row": row,
                "names": [],
                "identifiers": [],
                "dates": {},
                "addresses": [],
                "countries": [],
            },
        )
        _add(found["names"], props.get("name", []) + props.get("alias", []))
        _add(found["countries"], props.get("country", []) + props.get("jurisdiction", []))
        _add(found["addresses"], props.get("address", []))
        for prop in DATE_PROPS:
            _add(found["dates"].setdefault(prop, []), props.get(prop, []))
        addresses[record_id] = addresses.get(record_id, []) + props.get("addressEntity", [])
    wanted = sorted({a for refs in addresses.values() for a in refs})
    if wanted:
        full = {
            str(r): orjson.loads(e).get("properties") or {}
            for r, e in store.con.execute(
                "SELECT record_id, entity FROM registry_records WHERE list_contains(?, record_id)",
                [wanted],
            ).fetchall()
        }
        for record_id, refs in addresses.items():
            for ref in refs:
                _add(out[record_id]["addresses"], full.get(ref, {}).get("full", []))
    for found in out.values():
        found["dates"] = {k: v for k, v in found["dates"].items() if v}
    for record_id, scheme, raw, valid in store.con.execute(
        "SELECT DISTINCT record_id, scheme, coalesce(value, raw), valid FROM registry_identifiers "
        "WHERE list_contains(?, record_id) ORDER BY record_id, scheme, 3",
        [ids],
    ).fetchall():
        if record_id in out:
            out[record_id]["identifiers"].append(
                {"scheme": scheme, "value": raw, "valid": bool(valid)}
            )
    return out


def _add(into: list[str], values: list[str]) -> None:
    for value in values:
        if value not in into:
            into.append(value)


def queue(store: RegistryStore, limit: int = 20, run: int | None = None) -> dict[str, Any]:
    """The review queue of a run (default: the latest): its possible-tier pairs that no
    judgement in force decides (unsure ones after the rest), most in need of a
    decision first, each with both records' facts, their entities and the link's
    evidence; ``total`` counts them all, ``pairs`` holds the first ``limit``."""
    run = latest_run(store) if run is None else run
    force = jg.in_force(jg.history(store))
    rows = store.con.execute(
        "SELECT l.left_id, l.right_id, l.kind, l.match_weight, l.probability, l.reasons, "
        "a.cluster_id, b.cluster_id FROM resolve_links l "
        "JOIN resolve_clusters a ON a.run_id = l.run_id AND a.record_id = l.left_id "
        "JOIN resolve_clusters b ON b.run_id = l.run_id AND b.record_id = l.right_id "
        "WHERE l.run_id = ? AND l.tier = ?",
        [run, POSSIBLE],
    ).fetchall()
    pending = []
    for left, right, kind, weight, probability, reasons, ea, eb in rows:
        j = force.get((left, right) if left <= right else (right, left))
        if j is not None and j.decision != jg.UNSURE:
            continue
        key = (j is not None, ea == eb, -probability, -weight, left, right)
        pending.append((key, left, right, kind, weight, probability, reasons, ea, eb, j))
    pending.sort(key=lambda p: p[0])
    chosen = pending[:limit]
    facts = details(store, sorted({i for p in chosen for i in (p[1], p[2])}))
    pairs = [
        {
            "left": facts.get(left, {"record_id": left}),
            "right": facts.get(right, {"record_id": right}),
            "kind": kind,
            "left_entity": ea,
            "right_entity": eb,
            "match_weight": weight,
            "probability": probability,
            "reasons": orjson.loads(reasons),
            "judgement": None if j is None else judgement_json(j),
        }
        for _, left, right, kind, weight, probability, reasons, ea, eb, j in chosen
    ]
    return {"run": run, "total": len(pending), "pairs": pairs}


def judgement_json(j: jg.Judgement) -> dict[str, Any]:
    return j.to_json()


def listed(store: RegistryStore, *, all_: bool = False) -> list[jg.Judgement]:
    """The judgements in force (``all_``: every judgement, the superseded too), oldest
    first."""
    done = jg.history(store)
    if all_:
        return done
    force = jg.in_force(done)
    return sorted(force.values(), key=lambda j: (j.judged_at, j.left, j.right))
