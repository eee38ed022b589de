"""GET /search/{dataset}: text search over names, with filters and facets."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from followthemoney import model as ftm_model

from hermit.api.convert import SCREENED_AS, entity_response
from hermit.api.deps import get_snapshot, scope_of
from hermit.api.errors import BadRequest
from hermit.api.state import Snapshot
from hermit.api.wire import ErrorResponse, SearchFacet, SearchFacetItem, SearchResponse, TotalSpec
from hermit.model import Entity
from hermit.screening.query import make_query

router = APIRouter(tags=["Data access"])
MAX_LIMIT = 500
#: A text search keeps entities whose name comparison reaches this (looser than screening).
NAME_FLOOR = 0.5
COUNTRY_PROPS = ("country", "nationality", "citizenship", "jurisdiction", "flag")


def _countries(entity: Entity) -> set[str]:
    return {v.value for v in entity.values if v.prop in COUNTRY_PROPS}


def _facets(entities: Iterable[Entity]) -> dict[str, SearchFacet]:
    schemata: Counter[str] = Counter()
    datasets: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    for e in entities:
        schemata[e.schema] += 1
        datasets[e.dataset] += 1
        countries.update(_countries(e))

    def facet(label: str, counts: Counter[str]) -> SearchFacet:
        return SearchFacet(
            label=label,
            values=[SearchFacetItem(name=k, label=k, count=n) for k, n in counts.most_common(30)],
        )

    return {
        "schema": facet("Types", schemata),
        "datasets": facet("Lists", datasets),
        "countries": facet("Countries", countries),
    }


@router.get(
    "/search/{dataset}",
    response_model=SearchResponse,
    response_model_by_alias=True,
    responses={400: {"model": ErrorResponse}, 404: {"model": ErrorResponse}},
)
def search(
    dataset: str,
    snapshot: Annotated[Snapshot, Depends(get_snapshot)],
    q: Annotated[str, Query(max_length=300, title="Name to look for (empty: browse)")] = "",
    schema: Annotated[str | None, Query(title="Only this schema (Person, Vessel ...)")] = None,
    countries: Annotated[list[str] | None, Query(title="Only entities linked to these")] = None,
    datasets: Annotated[list[str] | None, Query(title="Only these lists")] = None,
    limit: Annotated[int, Query(ge=0, le=MAX_LIMIT)] = 10,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
) -> SearchResponse:
    """Entities whose names are like `q` (the screening engine's candidate index and
    name comparison, every script and romanization), best first; without `q`, the
    listed parties of the scope by name. Facets count schema, lists and countries over
    all hits."""
    scope = scope_of(snapshot, dataset)
    if schema is not None and ftm_model.get(schema) is None:
        raise BadRequest(f"schema: unknown schema {schema!r}")
    allowed = set(scope.datasets)
    if datasets:
        allowed &= set(datasets)
    wanted_countries = {c.lower() for c in countries or ()}

    def keep(e: Entity) -> bool:
        if e.dataset not in allowed:
            return False
        if schema is not None and e.schema != schema:
            return False
        return not wanted_countries or bool(_countries(e) & wanted_countries)

    text = " ".join(q.split())
    if text:
        query = make_query(
            {"name": text, "schema": schema if schema in SCREENED_AS else None}
        ).query
        screener = snapshot.screener
        ids = screener.candidates(query, limit=max(50, offset + limit) * 2)
        scored = [
            m
            for m in screener.score(query, ids)
            if m.by_feature().get("name", (0.0, ""))[0] >= NAME_FLOOR
        ]
        scored.sort(key=lambda m: m.rank_key)
        hits = [snapshot.entities[m.entity_id] for m in scored if m.entity_id in snapshot.entities]
        hits = [e for e in hits if keep(e)]
    else:
        hits = sorted(
            (e for e in snapshot.entities.values() if e.schema in SCREENED_AS and keep(e)),
            key=lambda e: (e.caption.casefold(), e.id),
        )
    page = hits[offset : offset + limit]
    return SearchResponse(
        limit=limit,
        offset=offset,
        total=TotalSpec(value=len(hits)),
        results=[entity_response(e) for e in page],
        facets=_facets(hits),
    )
