"""/resolve: the registry store's entity resolution over HTTP, as ``hermit resolve
show``, ``review``, ``judge`` and ``judgements`` give it (hermit.resolve.store,
review, judgements). The registry store is the one beside the service's store
(``<store>.registry.duckdb``). A judgement is a write (the same key roles and audit log
as the other writes; the key's name is who judged) kept in the registry store; the next
``hermit resolve`` clusters with it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as PathParam
from pydantic import BaseModel, Field

from hermit.api import audit
from hermit.api.auth import Principal, reader, writer
from hermit.api.deps import get_state
from hermit.api.errors import ApiError, BadRequest, NotFound
from hermit.api.routing import CheckedRoute
from hermit.api.state import ServiceState
from hermit.api.wire import ErrorResponse
from hermit.errors import StoreError
from hermit.registry.store import RegistryStore

router = APIRouter(tags=["Resolution"], route_class=CheckedRoute)
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse},
    404: {"model": ErrorResponse},
    409: {"model": ErrorResponse},
}
Decision = Literal["same", "not same", "unsure"]


class ReasonOut(BaseModel):
    comparison: str = Field(description="A comparison, the prior, or 'analyst judgement'")
    level: str = Field(description="Its level (or the analyst's decision, who, when, why)")
    weight: float = Field(description="Its match weight (log2 of its Bayes factor)")


class LinkOut(BaseModel):
    left: str
    right: str
    match_weight: float
    probability: float
    reasons: list[ReasonOut]


class IdentifierOut(BaseModel):
    scheme: str
    value: str
    valid: bool = Field(description="Its check digits hold (strong evidence)")


class RecordOut(BaseModel):
    record_id: str
    schema_: str = Field(alias="schema", serialization_alias="schema")
    registry: str | None
    file: str | None
    row: int | None
    names: list[str]
    identifiers: list[IdentifierOut]
    dates: dict[str, list[str]]
    addresses: list[str]
    countries: list[str]


class JudgementOut(BaseModel):
    left: str
    right: str
    decision: Decision
    who: str
    why: str
    judged_at: str = Field(description="When, UTC (ISO 8601)")


class EntityJudgement(JudgementOut):
    after_run: bool = Field(description="Made after the run shown: the next run applies it")


class ResolvedEntity(BaseModel):
    run: int
    algorithm: str
    resolved_at: str
    link_probability: float
    entity: str
    records: list[RecordOut]
    links: list[LinkOut] = Field(description="The links that joined its records")
    possible: list[LinkOut] = Field(
        description="Links touching its records kept apart: below the link probability, "
        "refused by negative evidence, or judged not the same"
    )
    judgements: list[EntityJudgement] = Field(description="Those in force on its records")


class ReviewPair(BaseModel):
    left: RecordOut
    right: RecordOut
    kind: str
    left_entity: str
    right_entity: str
    match_weight: float
    probability: float
    reasons: list[ReasonOut]
    judgement: JudgementOut | None = Field(description="An unsure judgement, if one stands")


class ReviewQueue(BaseModel):
    run: int
    total: int = Field(description="Pairs to review in all")
    pairs: list[ReviewPair]


class JudgementIn(BaseModel):
    left: str = Field(min_length=1, max_length=500, description="A record id")
    right: str = Field(min_length=1, max_length=500, description="Another, of the same kind")
    decision: Decision
    reason: str = Field(default="", max_length=2000)


class JudgementList(BaseModel):
    total: int
    results: list[JudgementOut]


@contextmanager
def _registry(state: ServiceState, *, write: bool = False) -> Iterator[RegistryStore]:
    from hermit.registry.store import registry_store_path

    path = registry_store_path(state.settings.store_path)
    if not path.exists():
        raise NotFound(f"no registry store at {path.name} (hermit registry load)")
    try:
        store = RegistryStore(path, read_only=not write)
    except StoreError as exc:
        raise ApiError(409, f"the registry store is busy or unreadable, try again: {exc}") from None
    with store:
        yield store


def _latest(store: RegistryStore) -> int:
    from hermit.resolve.store import latest_run

    try:
        return latest_run(store)
    except StoreError:
        raise ApiError(409, "nothing resolved yet (hermit resolve)") from None


def _record(facts: dict[str, Any], ident: str) -> dict[str, Any]:
    empty: dict[str, Any] = {
        "names": [],
        "identifiers": [],
        "dates": {},
        "addresses": [],
        "countries": [],
    }
    base = {"record_id": ident, "schema": "", "registry": None, "file": None, "row": None}
    return {**base, **empty, **facts}


@router.get(
    "/resolve/entities/{entity_id}",
    response_model=ResolvedEntity,
    responses=ERRORS,
    dependencies=[Depends(reader)],
)
def entity(
    entity_id: Annotated[str, PathParam(max_length=500)],
    state: Annotated[ServiceState, Depends(get_state)],
    run: Annotated[int | None, Query(ge=1, description="A run (default: the latest)")] = None,
) -> ResolvedEntity:
    """A resolved entity (by its id or any of its records' ids): its records side by
    side (names, identifiers, dates, addresses, registry, file, row), each link with
    the comparisons' levels and match weights or the analyst's decision that made it,
    the links kept apart, and the judgements in force on its records."""
    from hermit.resolve.review import details
    from hermit.resolve.store import explain

    with _registry(state) as store:
        latest = _latest(store)
        if run is not None and run > latest:
            raise NotFound(f"run: no resolution run {run} (the latest is {latest})")
        try:
            found = explain(store, entity_id, run)
        except StoreError:
            raise NotFound(
                f"entity_id: {entity_id!r} is neither a resolved entity nor a record of run "
                f"{run or latest}"
            ) from None
        facts = details(store, [r["record_id"] for r in found["records"]])
    records = [_record(facts.get(r["record_id"], {}), r["record_id"]) for r in found["records"]]
    return ResolvedEntity.model_validate(
        {
            **found,
            "records": records,
            "link_probability": found["settings"].get("link_probability", 0.0),
        }
    )


@router.get(
    "/resolve/review",
    response_model=ReviewQueue,
    responses=ERRORS,
    dependencies=[Depends(reader)],
)
def review(
    state: Annotated[ServiceState, Depends(get_state)],
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> ReviewQueue:
    """The latest run's "possibly the same" pairs that no judgement in force decides,
    most in need of a decision first (unsure ones last; pairs of two entities before
    pairs already joined; strongest first), each record's facts side by side with the
    link's evidence."""
    from hermit.resolve.review import queue

    with _registry(state) as store:
        _latest(store)
        found = queue(store, limit)
    for pair in found["pairs"]:
        for side in ("left", "right"):
            pair[side] = _record(pair[side], pair[side]["record_id"])
    return ReviewQueue.model_validate(found)


@router.post(
    "/resolve/judgements",
    response_model=JudgementOut,
    status_code=201,
    responses={**ERRORS, 401: {"model": ErrorResponse}},
)
def add_judgement(
    body: JudgementIn,
    request: Request,
    who: Annotated[Principal, Depends(writer)],
    state: Annotated[ServiceState, Depends(get_state)],
) -> JudgementOut:
    """Judge two registry records the same, not the same, or unsure, as the key's
    holder, now (appended: the latest judgement of a pair is in force). The next
    ``hermit resolve`` clusters with it."""
    from hermit.resolve.review import UnknownRecord, judge, judgement_json

    with _registry(state, write=True) as store:
        try:
            done = judge(store, body.left, body.right, body.decision, who.name, body.reason)
        except UnknownRecord as exc:
            raise BadRequest(f"body.{exc}") from None
        except StoreError as exc:
            raise BadRequest(f"body: {exc}") from None
    audit.note(request, f"resolve judgement: {done.left} / {done.right} {done.decision}")
    return JudgementOut.model_validate(judgement_json(done))


@router.get(
    "/resolve/judgements",
    response_model=JudgementList,
    responses=ERRORS,
    dependencies=[Depends(reader)],
)
def list_judgements(
    state: Annotated[ServiceState, Depends(get_state)],
    all: Annotated[bool, Query(title="Every judgement, the superseded ones too")] = False,
) -> JudgementList:
    """The judgements in force (the latest of each pair; `all=true`: every one),
    oldest first: the pair, decision, who, when (UTC) and why."""
    from hermit.resolve.review import judgement_json, listed

    with _registry(state) as store:
        found = [judgement_json(j) for j in listed(store, all_=all)]
    return JudgementList(total=len(found), results=[JudgementOut(**j) for j in found])
