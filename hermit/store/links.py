"""The parties an entity is linked to, named, in both directions.

Lists relate parties through link entities (OFAC's "Linked To" becomes an UnknownLink
whose subject and object are the two entries; other sources give Ownership,
Directorship, Family ...). Read as stored, an entity is pointed at by link ids
(``ofac-19570-link-17068``); an analyst wants the party at the other end: its caption,
its schema, its id, and what the link says (its role). ``linked_parties`` resolves each
link entity (an FtM edge schema) to the party on its other side, and keeps direct
references between parties; the entity's own parts (sanctions, addresses, identity
documents) are not links and are left to their own sections.
"""

from __future__ import annotations

import duckdb
from followthemoney import model as ftm_model

from hermit.store.records import LinkedParty

#: Properties of a link entity that say what the link is (shown beside the party).
DETAIL_PROPS = ("role", "relationship", "percentage", "startDate", "endDate", "summary")


def is_link(schema: str) -> bool:
    """A link entity (an FtM edge: UnknownLink, Ownership, Directorship ...)."""
    return _is_edge(schema)


def _is_edge(schema: str) -> bool:
    found = ftm_model.get(schema)
    return found is not None and bool(found.edge)


def _is_part(schema: str) -> bool:
    """An entity's own record rather than a party: sanctions, addresses, documents."""
    found = ftm_model.get(schema)
    if found is None:
        return True
    return (found.is_a("Interval") and not found.edge) or found.is_a("Address")


def _prop_label(schema: str, prop: str) -> str:
    found = ftm_model.get(schema)
    p = None if found is None else found.get(prop)
    return prop if p is None else str(p.label).lower()


def linked_parties(con: duckdb.DuckDBPyConnection, entity_id: str) -> list[LinkedParty]:
    """The parties ``entity_id`` is linked to and those linked to it (current version),
    outgoing first, each group by caption."""
    refs_out = con.execute(
        "SELECT s.prop, s.value, e.schema FROM current_statements s "
        "JOIN current_entities e ON e.entity_id = s.value "
        "WHERE s.entity_id = ? AND s.is_ref ORDER BY s.prop, s.value",
        [entity_id],
    ).fetchall()
    refs_in = con.execute(
        "SELECT source_id, source_schema, prop FROM relations WHERE target_id = ? "
        "ORDER BY source_schema, source_id",
        [entity_id],
    ).fetchall()
    head = con.execute(
        "SELECT schema FROM current_entities WHERE entity_id = ? LIMIT 1", [entity_id]
    ).fetchone()
    own_schema = "Thing" if head is None else str(head[0])
    links: list[tuple[str, bool, str | None, str | None, str]] = []  # other, out, via ...
    edges: set[str] = set()
    for prop, target, schema in refs_out:
        if _is_edge(schema):
            edges.add(target)
        elif not _is_part(schema):
            links.append((target, True, None, None, _prop_label(own_schema, prop)))
    for source, schema, prop in refs_in:
        if _is_edge(schema):
            edges.add(source)
        elif not _is_part(schema):
            links.append((source, False, None, None, _prop_label(schema, prop)))
    details: dict[str, tuple[str, ...]] = {}
    for edge_id, edge_schema, ends in _edge_ends(con, sorted(edges)):
        found = ftm_model.get(edge_schema)
        assert found is not None
        source_prop = found.edge_source
        label = str(found.edge_label or found.label).lower()
        for _prop, other in ends:
            if other == entity_id:
                continue
            outgoing = (source_prop, entity_id) in ends
            links.append((other, outgoing, edge_id, edge_schema, label))
    if edges:
        details = _details(con, sorted(edges))
    parties = _heads(con, sorted({other for other, *_ in links}))
    out: list[LinkedParty] = []
    for other, outgoing, via, via_schema, relation in links:
        party = parties.get(other)
        if party is None:
            continue  # a reference to an entity the store does not hold
        schema, caption, dataset = party
        out.append(
            LinkedParty(
                entity_id=other,
                schema=schema,
                caption=caption,
                dataset=dataset,
                relation=relation,
                outgoing=outgoing,
                via_id=via,
                via_schema=via_schema,
                details=tuple(
                    d
                    for d in (details.get(via, ()) if via is not None else ())
                    if d.casefold() != relation.casefold()
                ),
            )
        )
    out.sort(key=lambda p: (not p.outgoing, p.caption.casefold(), p.entity_id, p.via_id or ""))
    return out


def _edge_ends(
    con: duckdb.DuckDBPyConnection, edge_ids: list[str]
) -> list[tuple[str, str, set[tuple[str, str]]]]:
    """Each link entity's schema and the (property, entity id) of its ends."""
    if not edge_ids:
        return []
    rows = con.execute(
        "SELECT e.entity_id, e.schema, s.prop, s.value FROM current_entities e "
        "JOIN current_statements s USING (dataset, entity_id) "
        "WHERE e.entity_id IN (SELECT unnest(?)) AND s.is_ref ORDER BY 1, 3, 4",
        [edge_ids],
    ).fetchall()
    found: dict[str, tuple[str, set[tuple[str, str]]]] = {}
    for eid, schema, prop, value in rows:
        edge = ftm_model.get(schema)
        if edge is None or prop not in (edge.edge_source, edge.edge_target):
            continue
        found.setdefault(eid, (schema, set()))[1].add((prop, value))
    return [(eid, schema, ends) for eid, (schema, ends) in sorted(found.items())]


def _details(con: duckdb.DuckDBPyConnection, edge_ids: list[str]) -> dict[str, tuple[str, ...]]:
    rows = con.execute(
        "SELECT entity_id, prop, value FROM current_statements "
        "WHERE entity_id IN (SELECT unnest(?)) AND prop IN (SELECT unnest(?)) "
        "ORDER BY entity_id, prop, value",
        [edge_ids, list(DETAIL_PROPS)],
    ).fetchall()
    out: dict[str, list[str]] = {}
    for eid, prop, value in rows:
        shown = value if prop in ("role", "relationship", "summary") else f"{prop} {value}"
        out.setdefault(eid, []).append(shown)
    return {eid: tuple(values) for eid, values in out.items()}


def _heads(
    con: duckdb.DuckDBPyConnection, entity_ids: list[str]
) -> dict[str, tuple[str, str, str]]:
    if not entity_ids:
        return {}
    rows = con.execute(
        "SELECT entity_id, schema, caption, dataset FROM current_entities "
        "WHERE entity_id IN (SELECT unnest(?)) ORDER BY entity_id, dataset",
        [entity_ids],
    ).fetchall()
    out: dict[str, tuple[str, str, str]] = {}
    for eid, schema, caption, dataset in rows:
        out.setdefault(eid, (schema, caption, dataset))
    return out
