"""GET /entities/{id}: one entity, its relations nested, with provenance."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from followthemoney import model as ftm_model

from hermit.api.deps import get_snapshot, get_state
from hermit.api.errors import NotFound
from hermit.api.state import ServiceState, Snapshot
from hermit.api.wire import EntityDetail, ErrorResponse, VersionRef
from hermit.model import Entity
from hermit.screening.listed import SCREENED_SCHEMATA
from hermit.store import read
from hermit.store.records import VersionInfo

router = APIRouter(tags=["Data access"])


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
                values[values.index(ref.entity_id)] = flat(target)
        for ref in stored.referenced_by:
            source = snapshot.entities.get(ref.entity_id)
            if source is not None:
                props.setdefault(reverse_name(ref.schema, ref.prop), []).append(flat(source))
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
    )
