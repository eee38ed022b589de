"""POST /match/{dataset}: yente's query-by-example matching on hermit's engine."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Query, Response
from fastapi.concurrency import run_in_threadpool

from hermit.api.convert import (
    ExampleQueries,
    example_dict,
    example_queries,
    merge_matches,
    scored_dict,
)
from hermit.api.deps import get_snapshot, get_state, scope_of
from hermit.api.errors import BadRequest
from hermit.api.routers.meta import feature_docs
from hermit.api.routing import CheckedRoute
from hermit.api.state import ServiceState, Snapshot
from hermit.api.wire import EntityExample, EntityMatchQuery, EntityMatchResponse, ErrorResponse
from hermit.screening import scorer
from hermit.screening.listed import ListedEntity

router = APIRouter(tags=["Matching"], route_class=CheckedRoute)
MAX_LIMIT = 50
#: Requests with at most this many screening queries are answered on the event loop (a
#: few ms: cheaper than a trip through the thread pool, and served in arrival order);
#: larger batches go to the thread pool so that they do not hold up the other requests.
INLINE_QUERIES = 8
#: Algorithm names a request may give: hermit's own, and yente's aliases for "the best".
ALGORITHM_NAMES = {scorer.ALGORITHM, scorer.ALGORITHM.split("@")[0], "best", "default"}


@router.post(
    "/match/{dataset}",
    response_model=EntityMatchResponse,
    response_model_by_alias=True,
    responses={400: {"model": ErrorResponse}, 404: {"model": ErrorResponse}},
    summary="Query by example matcher (yente-compatible)",
)
async def match(
    dataset: str,
    body: EntityMatchQuery,
    state: Annotated[ServiceState, Depends(get_state)],
    snapshot: Annotated[Snapshot, Depends(get_snapshot)],
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, title="Results per query")] = 5,
    threshold: Annotated[
        float, Query(ge=0.0, le=1.0, title="Score at which a result is a match")
    ] = scorer.THRESHOLD,
    cutoff: Annotated[
        float,
        Query(ge=0.0, le=1.0, title="Lowest score returned (never below the report floor)"),
    ] = scorer.REPORT_FLOOR,
    algorithm: Annotated[str, Query(title="hermit-screen@5 (best, default: the same)")] = "best",
    include_dataset: Annotated[list[str] | None, Query()] = None,
    exclude_dataset: Annotated[list[str] | None, Query()] = None,
    exclude_schema: Annotated[list[str] | None, Query()] = None,
    exclude_entity_ids: Annotated[list[str] | None, Query(max_length=50)] = None,
) -> Response:
    """Match query entities ({schema, properties}) against the loaded lists.

    Each query is a FollowTheMoney-style entity keyed by a name of the client's
    choosing; the response has a result list under the same key. Properties used:
    `name` (and aliases: each name is screened, the best score kept), `birthDate`,
    `nationality`/`citizenship`, `country`/`jurisdiction`/`flag`,
    `passportNumber`/`idNumber`, `registrationNumber`/`taxNumber`, `imoNumber`, `mmsi`,
    `gender`. A value that cannot be read (a date, a country, an IMO failing its check
    digit, an unknown schema or a property the schema lacks) is set aside and the
    query screened on the rest: each query's `warnings` (hermit's extension) say which
    `property`, the `value` and why; only a query with no name that can be screened, or
    a value that is not text, is a 400. Each result carries `features` (each feature's
    signed contribution; they add up to `score`) and `explanations` (the reason for
    each). `match` is true when the
    score reaches `threshold` and the pair was not reviewed as a non-match (`suppressed`
    then says by whom and why); `lapsed` says which reviewed decision no longer applies
    (the query's facts or the listed entity changed since) and why. The query entity's
    `id`, when given, is the key suppressions by query id use.
    """
    if algorithm not in ALGORITHM_NAMES:
        raise BadRequest(
            f"algorithm: {algorithm!r} is not available (this service runs {scorer.ALGORITHM})"
        )
    if len(body.queries) > state.settings.max_batch:
        raise BadRequest(
            f"queries: {len(body.queries)} in one request, at most {state.settings.max_batch}"
        )
    if not body.queries:
        raise BadRequest("queries: no queries given")
    scope = scope_of(snapshot, dataset)
    keep = _filter(
        scope.datasets if not scope.everything else None,
        include_dataset,
        exclude_dataset,
        exclude_schema,
        exclude_entity_ids,
    )
    cutoff = max(min(cutoff, threshold), scorer.REPORT_FLOOR)
    prepared = {key: example_queries(key, example) for key, example in body.queries.items()}
    args = (snapshot, body.queries, prepared, keep, limit, threshold, cutoff)
    if sum(len(found.queries) for found in prepared.values()) <= INLINE_QUERIES:
        content = _answer(*args)
    else:
        content = await run_in_threadpool(_answer, *args)
    return Response(
        content,
        media_type="application/json",
        headers={"x-batch-size": str(len(prepared))},
    )


def _answer(
    snapshot: Snapshot,
    examples: dict[str, EntityExample],
    prepared: dict[str, ExampleQueries],
    keep: Callable[[ListedEntity], bool] | None,
    limit: int,
    threshold: float,
    cutoff: float,
) -> bytes:
    """The response body, as ``EntityMatchResponse`` serialises it, written directly
    (validating and serialising the models cost more than the screening)."""
    screener = snapshot.screener
    responses: dict[str, Any] = {}
    for key, read in prepared.items():
        found = merge_matches(screener.screen(q, limit, keep) for q in read.queries)
        found = [m for m in found if m.score >= cutoff][:limit]
        results = [scored_dict(m, snapshot.entities.get(m.entity_id), threshold) for m in found]
        responses[key] = {
            "status": 200,
            "results": results,
            "total": {"value": len(results), "relation": "eq"},
            "query": example_dict(examples[key]),
            "warnings": read.wire_warnings(),
        }
    data = {
        "responses": responses,
        "matcher": _matcher(),
        "limit": limit,
        "algorithm": scorer.ALGORITHM,
        "lists": [
            {"dataset": v.dataset, "seq": v.seq, "sha256": v.content_sha256} for v in snapshot.lists
        ],
    }
    try:
        return orjson.dumps(data)
    except TypeError:  # a value orjson cannot write (an integer over 64 bits in a query)
        model = EntityMatchResponse.model_validate(data)
        return model.model_dump_json(by_alias=True).encode("utf-8")


@cache
def _matcher() -> dict[str, Any]:
    return {name: doc.model_dump() for name, doc in feature_docs().items()}


def _filter(
    only: frozenset[str] | None,
    include: list[str] | None,
    exclude: list[str] | None,
    schemata: list[str] | None,
    entity_ids: list[str] | None,
) -> Callable[[ListedEntity], bool] | None:
    datasets = set(only) if only is not None else None
    if include:
        datasets = set(include) if datasets is None else datasets & set(include)
    dropped = set(exclude or ())
    no_schema = set(schemata or ())
    no_ids = set(entity_ids or ())
    if datasets is None and not dropped and not no_schema and not no_ids:
        return None

    def keep(entity: ListedEntity) -> bool:
        if datasets is not None and entity.dataset not in datasets:
            return False
        return (
            entity.dataset not in dropped
            and entity.schema not in no_schema
            and entity.entity_id not in no_ids
        )

    return keep
