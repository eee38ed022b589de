"""/suppressions: analysts' decisions that a hit is not a match, over HTTP.

The decisions are hermit.screening.suppressions' (the same table and rules as
``hermit suppress``); the key's name is who decided. After each change the service's
Screener is given the new decisions, so the next /match marks the pair ``suppressed``;
changes wait for the screening index (503 while the service starts).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from hermit.api import audit
from hermit.api.auth import Principal, reader, writer
from hermit.api.deps import get_snapshot, get_state
from hermit.api.state import ServiceState, Snapshot
from hermit.api.wire import ErrorResponse
from hermit.screening import suppressions
from hermit.screening.suppressions import Suppression

router = APIRouter(tags=["Suppressions"])


class SuppressionIn(BaseModel):
    """A reviewed pair: the listed entity and the query (by id or by name), and why
    it is not a match."""

    entity_id: str = Field(min_length=1, max_length=200)
    query_id: str | None = Field(default=None, max_length=500)
    query_name: str | None = Field(default=None, max_length=1000)
    reason: str = Field(min_length=1, max_length=2000)


class SuppressionOut(BaseModel):
    entity_id: str
    query_id: str | None
    query_name: str | None
    decided_by: str
    decided_at: str
    reason: str
    removed_by: str | None
    removed_at: str | None
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
        text=s.text,
    )


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
    """Record that `entity_id` is not the query with `query_id` (or `query_name`),
    decided now by the key's holder. A standing decision on the same pair is replaced
    (and kept as removed). From the next request, /match marks the pair `suppressed`
    and `match: false`."""
    with state.write() as con:  # refreshed under the lock: the last change wins
        new, replaced = suppressions.add(
            con,
            body.entity_id,
            by=who.name,
            reason=body.reason,
            query_id=body.query_id,
            query_name=body.query_name,
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
    with state.cursor() as cur:
        found = suppressions.listed(cur, include_removed=all)
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
    with state.write() as con:
        removed = suppressions.remove(
            con, entity_id, by=who.name, query_id=query_id, query_name=query_name
        )
        current = [
            s
            for s in suppressions.listed(con, include_removed=True)
            if s.key == removed.key and s.decided_at == removed.decided_at
        ]
        state.refresh_suppressions()
    audit.note(
        request,
        f"suppression removed: {_pair_text(entity_id, removed.query_id, removed.query_name)}",
    )
    return _out(current[-1] if current else removed)
