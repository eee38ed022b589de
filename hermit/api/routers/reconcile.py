"""/reconcile/{dataset}: the reconciliation service API (0.2) OpenRefine speaks.

Add ``http://HOST/reconcile/default`` as a service in OpenRefine ("Reconcile" > "Start
reconciling" > "Add standard service"); any loaded list's name narrows it to that list.
"""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import quote, urlencode

import orjson
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

import hermit
from hermit.api.auth import Principal, reader
from hermit.api.deps import get_snapshot, get_state, scope_of
from hermit.api.errors import ApiError, BadRequest, NotFound
from hermit.api.reconcile import (
    DEFAULT_TYPES,
    entity_summary,
    parse_batch,
    recon_type,
    reconcile,
)
from hermit.api.reconcile_view import (
    PREVIEW_HEIGHT,
    PREVIEW_WIDTH,
    preview_html,
    suggest_entities,
    suggest_properties,
    suggest_types,
)
from hermit.api.routing import LONE_SURROGATE, CheckedRoute, dotted, surrogate_in_json
from hermit.api.state import ServiceState, Snapshot
from hermit.api.wire import ErrorResponse
from hermit.api.wire_reconcile import (
    Manifest,
    ManifestPreview,
    ManifestService,
    ManifestSuggest,
    ManifestView,
    ReconResult,
    SuggestEntityResponse,
    SuggestPropertyResponse,
    SuggestTypeResponse,
)

router = APIRouter(tags=["Reconciliation"], route_class=CheckedRoute)
Reader = Annotated[Principal, Depends(reader)]
Snap = Annotated[Snapshot, Depends(get_snapshot)]
State = Annotated[ServiceState, Depends(get_state)]
Callback = Annotated[
    str | None, Query(max_length=100, description="JSONP: wrap the answer in this function")
]
Prefix = Annotated[str, Query(max_length=200, description="What the user has typed so far")]
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse},
    404: {"model": ErrorResponse},
}
_CALLBACK = re.compile(r"^[A-Za-z_$][\w$.]*$")
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
#: The request body /reconcile takes, for the OpenAPI page (parsed by hand: a form
#: field or JSON, as clients send either).
_QUERIES_BODY = {
    "requestBody": {
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {"queries": {"type": "string", "description": "JSON batch"}},
                    "required": ["queries"],
                }
            },
            "application/json": {
                "schema": {"type": "object", "description": "{queries: {...}} or the batch"}
            },
        }
    }
}


def _answer(data: BaseModel | dict[str, Any], callback: str | None) -> Response:
    """JSON, or JSONP when ``callback`` names a function."""
    payload = data.model_dump(mode="json") if isinstance(data, BaseModel) else data
    if callback is None:
        return JSONResponse(payload)
    if not _CALLBACK.match(callback):
        raise BadRequest(f"callback: {callback!r} is not a JavaScript function name")
    body = callback.encode() + b"(" + orjson.dumps(payload) + b");"
    return Response(body, media_type="application/javascript")


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def manifest(request: Request, snapshot: Snapshot, dataset: str) -> Manifest:
    scope = scope_of(snapshot, dataset)
    base = _base(request)
    service = f"{base}/reconcile/{dataset}"
    passed = [(k, v) for k, v in request.query_params.multi_items() if k != "callback"]
    query = f"?{urlencode(passed)}" if passed else ""
    titles = [v.title for v in snapshot.versions if v.dataset in scope.datasets]
    return Manifest(
        name=f"hermit: {', '.join(titles) or 'no lists loaded'}",
        identifierSpace=f"{base}/entities/",
        schemaSpace="https://followthemoney.tech/explorer/schemata/",
        documentation=f"{base}/docs",
        serviceVersion=hermit.__version__,
        batchSize=10,
        view=ManifestView(url=f"{base}/ui/entities/{{{{id}}}}"),
        preview=ManifestPreview(
            url=f"{service}/preview?id={{{{id}}}}", width=PREVIEW_WIDTH, height=PREVIEW_HEIGHT
        ),
        suggest=ManifestSuggest(
            entity=ManifestService(service_url=service, service_path=f"/suggest/entity{query}"),
            type=ManifestService(service_url=service, service_path=f"/suggest/type{query}"),
            property=ManifestService(service_url=service, service_path=f"/suggest/property{query}"),
        ),
        defaultTypes=[recon_type(t) for t in DEFAULT_TYPES],
    )


async def _run(
    raw: object, dataset: str, snapshot: Snapshot, state: ServiceState
) -> dict[str, Any]:
    batch = parse_batch(raw, state.settings.max_batch)
    scope = scope_of(snapshot, dataset)
    results = await run_in_threadpool(reconcile, snapshot, scope, batch)
    return {key: result.model_dump(mode="json") for key, result in results.items()}


@router.get(
    "/reconcile/{dataset}",
    summary="Reconciliation manifest (or queries given as ?queries=)",
    response_model=Manifest,
    responses={**ERRORS, 200: {"content": {"application/javascript": {}}}},
)
async def reconcile_get(
    dataset: str,
    request: Request,
    snapshot: Snap,
    state: State,
    _who: Reader,
    callback: Callback = None,
    queries: Annotated[str | None, Query(description="A JSON query batch")] = None,
    extend: Annotated[str | None, Query(include_in_schema=False)] = None,
) -> Response:
    """The service manifest OpenRefine reads when the service is added: its name, the
    default types (Person, Organization, Company, LegalEntity, Vessel), where an entity
    is viewed (the web entity page) and previewed, and the suggest services. With
    `queries`, the same answer as POST. `callback` wraps the answer as JSONP."""
    if extend is not None:
        raise BadRequest("extend: data extension is not offered by this service")
    if queries is not None:
        return _answer(await _run(queries, dataset, snapshot, state), callback)
    return _answer(manifest(request, snapshot, dataset), callback)


async def _queries_of(request: Request) -> object:
    """The query batch of a POST: the form field ``queries`` (JSON text), or a JSON
    body that is the batch or ``{"queries": batch}``."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind in _FORMS:
        try:
            form = await request.form(max_files=0, max_fields=10)
        except Exception as exc:  # malformed multipart or urlencoded body
            raise BadRequest(f"the form cannot be read: {exc}") from None
        if form.get("extend") is not None:
            raise BadRequest("extend: data extension is not offered by this service")
        value = form.get("queries")
        if not isinstance(value, str):
            raise BadRequest("queries: missing (a form field holding the JSON query batch)")
        return value
    body = await request.body()
    if kind not in ("application/json", "") and not kind.endswith("+json"):
        raise ApiError(415, f"{kind}: send the queries as a form field or as application/json")
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        found = surrogate_in_json(body)
        if found is not None:
            where, escape = found
            where = where if where[:1] == ("queries",) else ("queries", *where)
            raise BadRequest(f"{dotted(where)}: {LONE_SURROGATE.format(escape)}") from None
        raise BadRequest(f"body: not valid JSON ({exc})") from None
    if isinstance(data, dict) and set(data) == {"queries"}:
        return data["queries"]
    return data


@router.post(
    "/reconcile/{dataset}",
    summary="Reconciliation queries",
    response_model=dict[str, ReconResult],
    responses=ERRORS,
    openapi_extra=_QUERIES_BODY,
)
async def reconcile_post(
    dataset: str, request: Request, snapshot: Snap, state: State, _who: Reader
) -> Response:
    """Reconcile a batch of queries keyed by the client (`q0`, `q1` ...). Each query is
    `{query, type, limit, properties: [{pid, v}]}`; properties refine the score:
    `birthDate`, `nationality`, `country`, `passportNumber`, `idNumber`,
    `registrationNumber`, `imoNumber`, `mmsi`, `gender` (and `alias`). Each answer is
    `{result: [{id, name, type, score, match, description, features}]}`, best first:
    `score` is hermit's 0..1 screening score (as yente gives it), `match` true when it
    reaches the threshold (0.80) and the pair was not reviewed as a non-match, `features`
    each screening feature's signed contribution. A property screening does not use,
    a type that lacks it, or a value that cannot be read fails the batch with 400."""
    return _answer(await _run(await _queries_of(request), dataset, snapshot, state), None)


@router.get(
    "/reconcile/{dataset}/suggest/entity",
    summary="Suggest entities by name",
    response_model=SuggestEntityResponse,
    responses=ERRORS,
)
def suggest_entity(
    dataset: str,
    snapshot: Snap,
    _who: Reader,
    prefix: Prefix = "",
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
    callback: Callback = None,
) -> Response:
    """Listed entities whose names start with `prefix` (any word order and script,
    the last word possibly unfinished), then the screening engine's fuzzy hits."""
    scope = scope_of(snapshot, dataset)
    found = suggest_entities(snapshot, scope, prefix, limit)
    result = SuggestEntityResponse(prefix=prefix, result=[entity_summary(e) for e in found])
    return _answer(result, callback)


@router.get(
    "/reconcile/{dataset}/suggest/type",
    summary="Suggest types",
    response_model=SuggestTypeResponse,
    responses=ERRORS,
)
def suggest_type(
    dataset: str, snapshot: Snap, _who: Reader, prefix: Prefix = "", callback: Callback = None
) -> Response:
    """The types a query may name (FollowTheMoney schemata) starting with `prefix`."""
    scope_of(snapshot, dataset)
    return _answer(SuggestTypeResponse(prefix=prefix, result=suggest_types(prefix)), callback)


@router.get(
    "/reconcile/{dataset}/suggest/property",
    summary="Suggest properties",
    response_model=SuggestPropertyResponse,
    responses=ERRORS,
)
def suggest_property(
    dataset: str, snapshot: Snap, _who: Reader, prefix: Prefix = "", callback: Callback = None
) -> Response:
    """The properties a query may carry (the ones screening compares) starting with
    `prefix`, by id or label."""
    scope_of(snapshot, dataset)
    result = SuggestPropertyResponse(prefix=prefix, result=suggest_properties(prefix))
    return _answer(result, callback)


@router.get(
    "/reconcile/{dataset}/preview",
    summary="Entity preview card (HTML)",
    response_class=HTMLResponse,
    responses=ERRORS,
)
def preview(
    dataset: str,
    request: Request,
    snapshot: Snap,
    _who: Reader,
    id: Annotated[str, Query(min_length=1, max_length=200, description="Entity id")],
) -> HTMLResponse:
    """A small HTML card of a listed entity, for OpenRefine's preview pop-up."""
    scope = scope_of(snapshot, dataset)
    entity = snapshot.entities.get(id)
    if entity is None or entity.dataset not in scope.datasets:
        raise NotFound(f"no entity {id!r} in {dataset}")
    url = f"{_base(request)}/ui/entities/{quote(entity.id, safe='')}"
    return HTMLResponse(preview_html(entity, snapshot, url))
