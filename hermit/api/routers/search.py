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
from hermit.api.routing import CheckedRoute
from hermit.api.search_hits import Found, find
from hermit.api.state import Snapshot
from hermit.api.wire import (
    ErrorResponse,
    SearchFacet,
    SearchFacetItem,
    SearchHit,
    SearchResponse,
    TotalSpec,
)
from hermit.ids.imo import is_valid_ship_imo, normalize_imo
from hermit.model import Entity

router = APIRouter(tags=["Data access"], route_class=CheckedRoute)
MAX_LIMIT = 500
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
    q: Annotated[
        str,
        Query(
            max_length=300,
            title="Name to look for, as typed (empty: browse)",
            description="A name in any script; a last word being typed finds the names with "
            "a word it begins (at least 3 letters, and no space after it: 'Chongch', 'Ocean "
            "Mari'); an IMO number ('9137960', 'IMO 9137960') finds the vessel it names.",
        ),
    ] = "",
    imo: Annotated[
        str | None,
        Query(
            max_length=20,
            title="A ship's IMO number (check digit verified)",
            description="Finds the vessel with this IMO number whatever it is called; with "
            "`q`, the hits are scored with both.",
        ),
    ] = None,
    prefix: Annotated[
        bool,
        Query(
            title="Complete a partial last word",
            description="Also the names with a word the last word of `q` begins (default; "
            "not when `q` ends with a space); false: whole words only.",
        ),
    ] = True,
    schema: Annotated[str | None, Query(title="Only this schema (Person, Vessel ...)")] = None,
    countries: Annotated[list[str] | None, Query(title="Only entities linked to these")] = None,
    datasets: Annotated[list[str] | None, Query(title="Only these lists")] = None,
    limit: Annotated[int, Query(ge=0, le=MAX_LIMIT)] = 10,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
) -> SearchResponse:
    """Entities whose names are like `q` (the screening engine's candidate index and
    name comparison, every script and romanization), best first, each with the engine's
    `score` for the query and how it was found (`matched`: name, prefix, imo); names
    beginning with a partial last word; the vessel of an IMO number (in `q` or `imo`).
    Without `q` or `imo`, the listed parties of the scope by name. Facets count schema,
    lists and countries over all hits."""
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
    ship = _imo(imo)
    if ship is None and imo is None and _looks_like_imo(text):
        ship, text = _imo(text), ""
    if text or ship is not None:
        screened = schema if schema in SCREENED_AS else None
        typing = prefix and bool(text) and not q.endswith((" ", "\u3000"))
        found = find(snapshot, text, ship, screened, typing, max(50, offset + limit) * 2)
        hits: list[tuple[Entity, Found | None]] = []
        for h in found:
            e = snapshot.entities.get(h.match.entity_id)
            if e is not None and keep(e):
                hits.append((e, h))
    else:
        browse = sorted(
            (e for e in snapshot.entities.values() if e.schema in SCREENED_AS and keep(e)),
            key=lambda e: (e.caption.casefold(), e.id),
        )
        hits = [(e, None) for e in browse]
    page = hits[offset : offset + limit]
    return SearchResponse(
        limit=limit,
        offset=offset,
        total=TotalSpec(value=len(hits)),
        results=[_hit(e, h) for e, h in page],
        facets=_facets(e for e, _ in hits),
    )


def _looks_like_imo(text: str) -> bool:
    return bool(text) and normalize_imo(text) is not None


def _imo(value: str | None) -> str | None:
    if value is None:
        return None
    digits = normalize_imo(value)
    if digits is None or not is_valid_ship_imo(digits):
        raise BadRequest(f"imo: {value!r} is not a ship IMO number (7 digits, check digit)")
    return digits


def _hit(entity: Entity, found: Found | None) -> SearchHit:
    base = entity_response(entity)
    if found is None:
        return SearchHit(**base.model_dump(by_alias=True))
    return SearchHit(
        **base.model_dump(by_alias=True),
        score=round(found.match.score, 4),
        matched=found.matched,
        completed=found.completed,
    )
