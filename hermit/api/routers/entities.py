"""GET /entities/{id}: one entity, its relations nested, with provenance."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from followthemoney import model as ftm_model

from hermit.api.deps import get_snapshot, get_state
from hermit.api.errors import NotFound
from hermit.api.routing import CheckedRoute
from hermit.api.state import ServiceState, Snapshot
from hermit.api.wire import EntityDetail, ErrorResponse, LinkedPartyModel, VersionRef
from hermit.model import Entity
from hermit.screening.listed import SCREENED_SCHEMATA
from hermit.store import read
from hermit.store.links import is_link
from hermit.store.records import LinkedParty, VersionInfo

router = APIRouter(tags=["Data access"], route_class=CheckedRoute)


def version_ref(v: VersionInfo) -> VersionRef:
    return VersionRef(
        dataset=v.dataset, seq=v.seq, label=v.label, loaded_at=v.loaded_at.isoformat()
    )


def flat(entity: Entity) -> dict[str, Any]:
    """An entity as yente nests it inside another: id, caption, schema, properties."""
    return {
        "id": entity.id,
        "caption": entity.caption,
        "schema": entity.schema,
        "properties": entity.props(),
        "datasets": [entity.dataset],
    }


def nest(entity: Entity, root: str, snapshot: Snapshot) -> dict[str, Any]:
    """A related entity nested; a link entity (an UnknownLink, an Ownership) with the
    party at its other end nested in turn, so no link shows a bare id (the entity asked
    for stays an id: it is the page's own)."""
    out = flat(entity)
    schema = ftm_model.get(entity.schema)
    if schema is None or not is_link(entity.schema):
        return out
    ends = {schema.edge_source, schema.edge_target}
    props: dict[str, list[Any]] = {}
    for prop, values in out["properties"].items():
        props[prop] = [
            flat(snapshot.entities[v])
            if isinstance(v, str) and v != root and v in snapshot.entities and prop in ends
            else v
            for v in values
        ]
    out["properties"] = props
    return out


def reverse_name(schema: str, prop: str) -> str:
    """The name FollowTheMoney gives the other side of ``schema.prop`` (a Sanction's
    ``entity`` is its entity's ``sanctions``)."""
    found = ftm_model.get(schema)
    if found is not None:
        p = found.get(prop)
        if p is not None and p.reverse is not None:
            return str(p.reverse.name)
    return f"{prop}Of"


@router.get(
    "/entities/{entity_id}",
    response_model=EntityDetail,
    response_model_by_alias=True,
    responses={404: {"model": ErrorResponse}},
)
def entity(
    entity_id: str,
    state: Annotated[ServiceState, Depends(get_state)],
    snapshot: Annotated[Snapshot, Depends(get_snapshot)],
    nested: Annotated[bool, Query(title="Embed related entities in the properties")] = True,
) -> EntityDetail:
    """The entity with every value, the entities it points at and those that point at it
    (sanctions, identity documents, addresses, links), and where it came from."""
    with state.cursor() as cur:
        stored = read.stored_entity(cur, entity_id)
    if stored is None:
        raise NotFound(f"no entity {entity_id!r} in the loaded lists")
    e = stored.entity
    props: dict[str, list[Any]] = {k: list(v) for k, v in e.props().items()}
    if nested:
        for ref in stored.references:
            target = snapshot.entities.get(ref.entity_id)
            values = props.get(ref.prop, [])
            if target is not None and ref.entity_id in values:
                values[values.index(ref.entity_id)] = nest(target, e.id, snapshot)
        for ref in stored.referenced_by:
            source = snapshot.entities.get(ref.entity_id)
            if source is not None:
                props.setdefault(reverse_name(ref.schema, ref.prop), []).append(
                    nest(source, e.id, snapshot)
                )
    return EntityDetail(
        id=e.id,
        caption=e.caption,
        schema=e.schema,
        properties=props,
        datasets=[e.dataset],
        target=e.schema in SCREENED_SCHEMATA,
        first_seen=stored.first_seen.loaded_at.isoformat(),
        last_seen=stored.current.loaded_at.isoformat(),
        last_change=stored.last_changed.loaded_at.isoformat(),
        provenance=e.provenance.to_dict(),
        qualifiers=[[v.prop, v.value, v.qualifier] for v in e.values if v.qualifier],
        first_seen_version=version_ref(stored.first_seen),
        last_change_version=version_ref(stored.last_changed),
        current_version=version_ref(stored.current),
        links=[link_model(link) for link in stored.links],
    )


def link_model(link: LinkedParty) -> LinkedPartyModel:
    return LinkedPartyModel(
        id=link.entity_id,
        caption=link.caption,
        schema=link.schema,
        datasets=[link.dataset],
        relation=link.relation,
        direction="outgoing" if link.outgoing else "incoming",
        phrase=link.phrase,
        via=link.via_id,
        via_schema=link.via_schema,
        details=list(link.details),
    )
