"""/suppressions: analysts' decisions that a hit is not a match, over HTTP.

The decisions are hermit.screening.suppressions' (the same table and rules as
``hermit suppress``); the key's name is who decided. A decision records the reviewed
query's facts, given as the query entity's ``schema`` and ``properties`` exactly as sent
to /match (read by the same code), and applies only while a later query has the same
facts. After each change the service's Screener is given the new decisions, so the next
/match marks the pair ``suppressed`` (or says why a decision ``lapsed``); changes wait
for the screening index (503 while the service starts).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from hermit.api import audit
from hermit.api.auth import Principal, reader, writer
from hermit.api.convert import NAME_PROPS, PROP_FIELDS, query_names, reviewed_query
from hermit.api.deps import get_snapshot, get_state
from hermit.api.errors import BadRequest
from hermit.api.routing import CheckedRoute
from hermit.api.state import ServiceState, Snapshot
from hermit.api.wire import ErrorResponse
from hermit.screening import suppressions
from hermit.screening.suppressions import Suppression, name_key, query_facts

router = APIRouter(tags=["Suppressions"], route_class=CheckedRoute)


class SuppressionIn(BaseModel):
    """A reviewed pair: the listed entity and the query (by id, or by name), the facts
    of the query that was reviewed, and why it is not a match."""

    model_config = ConfigDict(populate_by_name=True)

    entity_id: str = Field(min_length=1, max_length=200)
    query_id: str | None = Field(default=None, max_length=500)
    query_name: str | None = Field(default=None, max_length=1000)
    reason: str = Field(min_length=1, max_length=2000)
    schema_: str | None = Field(
        None,
        alias="schema",
        max_length=100,
        description="The reviewed query entity's FtM schema, as sent to /match (Person, "
        "Company, Vessel ...): a fact of the decision.",
        examples=["Person"],
    )
    properties: dict[str, str | list[Any]] = Field(
        default_factory=dict,
        description="The reviewed query's facts as FtM properties, as sent to /match "
        "(birthDate, nationality, country, passportNumber, registrationNumber, imoNumber, "
        "mmsi, gender ...; one date of birth). A name here is the query name.",
        examples=[{"name": ["Kim Yong Chol"], "birthDate": ["1962-02-18"]}],
    )


class SuppressionOut(BaseModel):
    entity_id: str
    query_id: str | None
    query_name: str | None
    decided_by: str
    decided_at: str
    reason: str
    removed_by: str | None
    removed_at: str | None
    facts: dict[str, str] | None = Field(
        description="The reviewed query's facts by screening field (null: recorded before "
        "hermit kept them; such a decision no longer applies)"
    )
    dataset: str | None = Field(description="The listed entity's list when decided")
    list_seq: int | None = Field(description="That list's version when decided")
    entity_fingerprint: str | None = Field(
        description="SHA-256 of the listed entity's statements when decided"
    )
    text: str


class SuppressionAdded(BaseModel):
    suppression: SuppressionOut
    replaced: SuppressionOut | None


class SuppressionList(BaseModel):
    total: int
    results: list[SuppressionOut]


def _out(s: Suppression) -> SuppressionOut:
    return SuppressionOut(
        entity_id=s.entity_id,
        query_id=s.query_id,
        query_name=s.query_name,
        decided_by=s.decided_by,
        decided_at=s.decided_at.isoformat(),
        reason=s.reason,
        removed_by=s.removed_by,
        removed_at=None if s.removed_at is None else s.removed_at.isoformat(),
        facts=None if s.facts is None else dict(s.facts),
        dataset=s.dataset,
        list_seq=s.list_seq,
        entity_fingerprint=s.entity_fingerprint,
        text=s.text,
    )


def _reviewed(body: SuppressionIn) -> tuple[str | None, dict[str, str]]:
    """The decision's query name and reviewed facts from the body."""
    names = query_names(body.properties, "body")
    if len(names) > 1:
        raise BadRequest("body.properties.name: one name per decision (the name reviewed)")
    name = body.query_name
    if names:
        if name is not None and name_key(name) != name_key(names[0]):
            raise BadRequest("body.properties.name: differs from body.query_name")
        name = name if name is not None else names[0]
    if body.schema_ is None:
        if any(p not in NAME_PROPS for p in body.properties):
            raise BadRequest(
                "body.schema: needed with properties (the query entity's schema, as sent to /match)"
            )
        return name, {}
    placeholder = name if name is not None else "reviewed query"  # by id alone: no name
    facts = query_facts(reviewed_query(body.schema_, body.properties, placeholder, "body"))
    for prop, value in body.properties.items():
        field = PROP_FIELDS.get(prop)
        if field is not None and value not in ("", []) and field not in facts:
            # set aside by the query parsing: a decision records only what it can read
            raise BadRequest(f"body.properties.{prop}: {value!r} cannot be read")
    return name, facts


def _pair_text(entity_id: str, query_id: str | None, query_name: str | None) -> str:
    if query_id is not None:
        return f"{entity_id} / id {query_id!r}"
    return f"{entity_id} / name {query_name!r}"


@router.post(
    "/suppressions",
    response_model=SuppressionAdded,
    status_code=201,
    responses={400: {"model": ErrorResponse}, 401: {"model": ErrorResponse}},
)
def add_suppression(
    body: SuppressionIn,
    request: Request,
    who: Annotated[Principal, Depends(writer)],
    state: Annotated[ServiceState, Depends(get_state)],
    _ready: Annotated[Snapshot, Depends(get_snapshot)],
) -> SuppressionAdded:
    """Record that `entity_id` is not the query with `query_id` (or `query_name`) and
    the facts given (`schema` and `properties` as sent to /match), decided now by the
    key's holder. A standing decision on the same pair is replaced (and kept as
    removed). From the next request, /match marks the pair `suppressed` and `match:
    false` while a query has exactly these facts and the listed entity is unchanged;
    otherwise the hit alerts with `lapsed` saying why."""
    name, facts = _reviewed(body)
    with state.cursor() as cur, state.state() as db:  # the last change's refresh wins
        new, replaced = suppressions.add(
            db,
            cur,
            body.entity_id,
            by=who.name,
            reason=body.reason,
            query_id=body.query_id,
            query_name=name,
            facts=facts,
        )
        state.refresh_suppressions()
    audit.note(
        request,
        f"suppression added: {_pair_text(new.entity_id, new.query_id, new.query_name)}"
        + ("" if replaced is None else " (replacing an earlier decision)"),
    )
    return SuppressionAdded(
        suppression=_out(new), replaced=None if replaced is None else _out(replaced)
    )


@router.get("/suppressions", response_model=SuppressionList, dependencies=[Depends(reader)])
def list_suppressions(
    state: Annotated[ServiceState, Depends(get_state)],
    all: Annotated[bool, Query(title="Include removed decisions")] = False,
) -> SuppressionList:
    """The standing decisions with who made them and when, oldest first (`all=true`:
    the removed ones too, with who removed them and when)."""
    with state.state() as db:
        found = suppressions.listed(db, include_removed=all)
    return SuppressionList(total=len(found), results=[_out(s) for s in found])


@router.delete(
    "/suppressions/{entity_id}",
    response_model=SuppressionOut,
    responses={400: {"model": ErrorResponse}, 401: {"model": ErrorResponse}},
)
def remove_suppression(
    entity_id: str,
    request: Request,
    who: Annotated[Principal, Depends(writer)],
    state: Annotated[ServiceState, Depends(get_state)],
    _ready: Annotated[Snapshot, Depends(get_snapshot)],
    query_id: Annotated[str | None, Query(max_length=500)] = None,
    query_name: Annotated[str | None, Query(max_length=1000)] = None,
) -> Any:
    """Withdraw the standing decision on (`entity_id`, `query_id` or `query_name`).
    Its record stays (`GET /suppressions?all=true`), marked removed by the key's
    holder now; the pair alerts again from the next request."""
    with state.state() as db:
        removed = suppressions.remove(
            db, entity_id, by=who.name, query_id=query_id, query_name=query_name
        )
        state.refresh_suppressions()
    audit.note(
        request,
        f"suppression removed: {_pair_text(entity_id, removed.query_id, removed.query_name)}",
    )
    return _out(removed)
