"""A diff read by listed party: what changed for each person, organization, vessel ...
with the changes of its own records (addresses, identity documents, sanctions, links)
rolled up under it, and the sanctions programs it is listed under.

A list stores a party's address or passport as entities of their own, so the flat diff
of a list version reads as a mix of parties and their parts ("Address ofac-17068-addr-
25933 changed"). ``party_changes`` gives each part to the party it belongs to (the
Sanction's ``entity``, the document's ``holder``, the party's ``addressEntity``, a link's
source), in the older or the newer version, and reports the party once: changed if its
own values or any of its records changed; ``matches_program`` (hermit.store.programs)
filters parties by program.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import duckdb
from followthemoney import model as ftm_model

from hermit.store.records import EntityChange


def _at(alias: str, version: str) -> str:
    """SQL: the row of ``alias`` is valid at ``version`` (a parameter: $a or $b)."""
    return (
        f"({alias}.valid_from <= {version} "
        f"AND ({alias}.valid_to IS NULL OR {alias}.valid_to > {version}))"
    )


KINDS = ("added", "removed", "changed")


@dataclass(frozen=True, slots=True)
class PartyChange:
    """One listed party's change from one version to another. ``change`` is ``changed``
    when only its records changed (``added`` and ``removed`` then hold nothing of its
    own); ``parts`` are the changes of its records."""

    entity_id: str
    change: str  # added | removed | changed
    schema: str
    caption: str
    added: dict[str, list[str]]
    removed: dict[str, list[str]]
    programs: tuple[str, ...]
    parts: tuple[EntityChange, ...]
    #: False when the party's own values are unchanged (only its records changed).
    own_change: bool = True

    @property
    def own(self) -> EntityChange:
        """The party's own change (its values only), as the flat diff has it."""
        return EntityChange(
            self.entity_id, self.change, self.schema, self.caption, self.added, self.removed
        )


def is_party(schema: str) -> bool:
    """A listed party (a person, organization, vessel ...), not one of a party's records
    (a sanction, address or identity document) nor a link between parties."""
    found = ftm_model.get(schema)
    if found is None:
        return False
    if found.edge or found.is_a("Address"):
        return False
    return not found.is_a("Interval")


def party_changes(
    con: duckdb.DuckDBPyConnection,
    dataset: str,
    from_seq: int,
    to_seq: int,
    changes: list[EntityChange],
) -> list[PartyChange]:
    """``changes`` (the flat diff of ``dataset`` from ``from_seq`` to ``to_seq``) by
    listed party, ordered by kind of change, then caption. A record whose party cannot
    be found in either version stays on its own, as its own entry."""
    params = {"ds": dataset, "a": from_seq, "b": to_seq}
    owner = _owners(con, params, [c.entity_id for c in changes if not is_party(c.schema)])
    by_party: dict[str, EntityChange | None] = {
        c.entity_id: c for c in changes if is_party(c.schema)
    }
    parts: dict[str, list[EntityChange]] = {}
    alone: list[EntityChange] = []
    for c in changes:
        if is_party(c.schema):
            continue
        party = owner.get(c.entity_id)
        if party is None:
            alone.append(c)
            continue
        parts.setdefault(party, []).append(c)
        by_party.setdefault(party, None)
    edges = [c for found in parts.values() for c in found if _is_edge(c.schema)]
    far = _far_ends(con, params, edges)
    heads = _heads(con, params, [p for p, c in by_party.items() if c is None] + list(far.values()))
    for found in parts.values():
        for i, c in enumerate(found):
            other = far.get(c.entity_id)
            if other is not None and other in heads:
                label = _edge_label(c.schema)
                found[i] = replace(c, caption=f"{label} {heads[other][1]} ({other})")
    programs = _programs(con, params, [*by_party, *(c.entity_id for c in alone)])
    out: list[PartyChange] = []
    for party, own in by_party.items():
        if own is None:
            if party not in heads:
                alone.extend(parts.pop(party, []))
                continue
            schema, caption = heads[party]
            own = EntityChange(party, "changed", schema, caption, {}, {})
            mine = sorted(parts.get(party, []), key=lambda c: (c.schema, c.caption, c.entity_id))
            out.append(replace(_party(own, programs.get(party, ()), mine), own_change=False))
            continue
        mine = sorted(parts.get(party, []), key=lambda c: (c.schema, c.caption, c.entity_id))
        out.append(_party(own, programs.get(party, ()), mine))
    out.extend(_party(c, programs.get(c.entity_id, ()), []) for c in alone)
    out.sort(key=lambda p: (KINDS.index(p.change), p.caption.casefold(), p.entity_id))
    return out


def flatten(found: Iterable[PartyChange]) -> list[tuple[EntityChange, tuple[str, ...]]]:
    """Back to one change per entity (a party's own, when it has one, and its records'),
    each with its party's programs, in the flat diff's order (by kind: added, changed,
    removed; then entity id)."""
    out: list[tuple[EntityChange, tuple[str, ...]]] = []
    for p in found:
        if p.own_change:
            out.append((p.own, p.programs))
        out.extend((c, p.programs) for c in p.parts)
    out.sort(key=lambda item: (item[0].change, item[0].entity_id))
    return out


def _party(own: EntityChange, programs: Iterable[str], parts: list[EntityChange]) -> PartyChange:
    return PartyChange(
        entity_id=own.entity_id,
        change=own.change,
        schema=own.schema,
        caption=own.caption,
        added=own.added,
        removed=own.removed,
        programs=tuple(sorted(set(programs))),
        parts=tuple(parts),
    )


def _owners(
    con: duckdb.DuckDBPyConnection, params: dict[str, Any], records: list[str]
) -> dict[str, str]:
    """The party each record belongs to, in the newer version, else the older one: the
    party it points at (a sanction's entity, a document's holder, a link's source), or
    the party that points at it (an address)."""
    if not records:
        return {}
    rows = con.execute(
        f"""
        WITH refs AS (
            SELECT s.entity_id AS source, s.prop, s.value AS target, e.schema,
                   CASE WHEN {_at("s", "$b")} THEN 0 ELSE 1 END AS older
            FROM statements s JOIN entities e USING (dataset, entity_id)
            WHERE s.dataset = $ds AND s.is_ref
              AND (({_at("s", "$b")} AND {_at("e", "$b")})
                   OR ({_at("s", "$a")} AND {_at("e", "$a")}))
        )
        SELECT source, prop, target, schema, older FROM refs
        WHERE source IN (SELECT unnest($ids)) OR target IN (SELECT unnest($ids))
        ORDER BY older, source, prop, target
        """,
        {**params, "ids": records},
    ).fetchall()
    wanted = set(records)
    found: dict[str, tuple[int, str]] = {}
    for source, prop, target, schema, older in rows:
        candidate: tuple[str, str] | None = None
        if source in wanted and _points_at_owner(schema, prop):
            candidate = (source, target)
        elif target in wanted and source not in wanted and prop == "addressEntity":
            candidate = (target, source)
        if candidate is None:
            continue
        record, party = candidate
        held = found.get(record)
        if held is None or older < held[0]:
            found[record] = (older, party)
    return {record: party for record, (_, party) in found.items()}


def _is_edge(schema: str) -> bool:
    found = ftm_model.get(schema)
    return found is not None and bool(found.edge)


def _edge_label(schema: str) -> str:
    found = ftm_model.get(schema)
    assert found is not None
    return str(found.edge_label or found.label).lower()


def _far_ends(
    con: duckdb.DuckDBPyConnection, params: dict[str, Any], edges: list[EntityChange]
) -> dict[str, str]:
    """The party at the target end of each link entity (an UnknownLink's object), so a
    link reads as the party it leads to, not as its own id."""
    if not edges:
        return {}
    targets = {c.entity_id: _edge_target(c.schema) for c in edges}
    rows = con.execute(
        f"""
        SELECT entity_id, prop, value, CASE WHEN {_at("x", "$b")} THEN 0 ELSE 1 END AS older
        FROM statements x
        WHERE dataset = $ds AND entity_id IN (SELECT unnest($ids)) AND is_ref
          AND ({_at("x", "$b")} OR {_at("x", "$a")})
        ORDER BY entity_id, older
        """,
        {**params, "ids": list(targets)},
    ).fetchall()
    out: dict[str, str] = {}
    for eid, prop, value, _ in rows:
        if prop == targets[eid]:
            out.setdefault(eid, value)
    return out


def _edge_target(schema: str) -> str:
    found = ftm_model.get(schema)
    assert found is not None
    return str(found.edge_target)


def _points_at_owner(schema: str, prop: str) -> bool:
    """Whether ``schema.prop`` points from a record to the party it belongs to."""
    found = ftm_model.get(schema)
    if found is None:
        return False
    if found.edge:
        return prop == found.edge_source
    return prop in ("entity", "holder")


def _heads(
    con: duckdb.DuckDBPyConnection, params: dict[str, Any], parties: list[str]
) -> dict[str, tuple[str, str]]:
    """Schema and caption of parties whose own values did not change (newer version)."""
    if not parties:
        return {}
    rows = con.execute(
        f"""
        SELECT entity_id, schema, caption,
               CASE WHEN {_at("x", "$b")} THEN 0 ELSE 1 END AS older
        FROM entities x
        WHERE dataset = $ds AND entity_id IN (SELECT unnest($ids))
          AND ({_at("x", "$b")} OR {_at("x", "$a")})
        ORDER BY entity_id, older
        """,
        {**params, "ids": parties},
    ).fetchall()
    out: dict[str, tuple[str, str]] = {}
    for eid, schema, caption, _ in rows:
        if is_party(schema):
            out.setdefault(eid, (schema, caption))
    return out


def _programs(
    con: duckdb.DuckDBPyConnection, params: dict[str, Any], parties: list[str]
) -> dict[str, set[str]]:
    """Each party's sanctions programs in either version: those of the Sanction entities
    that point at it, and its own ``program`` values."""
    if not parties:
        return {}
    rows = con.execute(
        f"""
        WITH alive AS (
            SELECT entity_id, prop, value FROM statements x
            WHERE dataset = $ds AND ({_at("x", "$b")} OR {_at("x", "$a")})
        ),
        sanctioned AS (
            SELECT s.value AS party, p.value AS program
            FROM alive s JOIN alive p ON p.entity_id = s.entity_id AND p.prop = 'program'
            JOIN entities e ON e.dataset = $ds AND e.entity_id = s.entity_id
                            AND e.schema = 'Sanction'
            WHERE s.prop = 'entity' AND s.value IN (SELECT unnest($ids))
        )
        SELECT party, program FROM sanctioned
        UNION
        SELECT entity_id, value FROM alive
        WHERE prop = 'program' AND entity_id IN (SELECT unnest($ids))
        """,
        {**params, "ids": parties},
    ).fetchall()
    out: dict[str, set[str]] = {}
    for party, program in rows:
        out.setdefault(str(party), set()).add(str(program))
    return out
