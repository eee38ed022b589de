"""Between the wire and the core: FtM query entities to screening Queries, stored
entities and Matches to response models."""

from __future__ import annotations

import math
from collections.abc import Iterable
from itertools import islice
from typing import Any

from followthemoney import model as ftm_model

from hermit.api.errors import BadRequest
from hermit.api.wire import EntityExample, EntityResponse
from hermit.model import Entity
from hermit.screening.query import Query, QueryError, make_query
from hermit.screening.result import Match

#: FtM properties a query may carry and the screening field each feeds.
PROP_FIELDS: dict[str, str] = {
    "birthDate": "birth_date",
    "nationality": "nationality",
    "citizenship": "nationality",
    "country": "country",
    "jurisdiction": "country",
    "mainCountry": "country",
    "flag": "country",
    "passportNumber": "passport",
    "idNumber": "passport",
    "registrationNumber": "registration_number",
    "taxNumber": "registration_number",
    "innCode": "registration_number",
    "ogrnCode": "registration_number",
    "imoNumber": "imo",
    "mmsi": "mmsi",
    "gender": "gender",
}
NAME_PROPS = ("name", "alias", "previousName", "weakAlias")
NAME_PARTS = ("firstName", "secondName", "middleName", "fatherName", "lastName")
#: Screened query schemata, most specific first: an FtM schema screens as the first it is.
SCREENED_AS = ("Person", "Vessel", "Airplane", "Company", "Organization", "LegalEntity")
MAX_NAMES = 10
MAX_DATES = 3


def _values(raw: str | list[Any], where: str) -> list[str]:
    items = raw if isinstance(raw, list) else [raw]
    out: list[str] = []
    for index, item in enumerate(items):
        if isinstance(item, bool) or item is None:
            raise BadRequest(f"{where}[{index}]: {item!r} is not a text value")
        if isinstance(item, float) and not math.isfinite(item):  # NaN, Infinity: not JSON
            raise BadRequest(f"{where}[{index}]: {item!r} is not a text value")
        if isinstance(item, str | int | float):
            text = " ".join(str(item).split())
            if text and text not in out:
                out.append(text)
        else:
            raise BadRequest(f"{where}[{index}]: a value must be text, not {type(item).__name__}")
    return out


def screened_schema(name: str, where: str) -> str | None:
    """The screening schema of an FtM schema (None: any kind, for Thing)."""
    schema = ftm_model.get(name)
    if schema is None:
        raise BadRequest(f"{where}: unknown schema {name!r}")
    for candidate in SCREENED_AS:
        if schema.is_a(candidate):
            return candidate
    if schema.name == "Thing":
        return None
    raise BadRequest(
        f"{where}: schema {schema.name} cannot be screened "
        f"(use Person, Organization, Company, LegalEntity, Vessel or Airplane)"
    )


def example_queries(key: str, example: EntityExample, where: str | None = None) -> list[Query]:
    """The screening Queries of one FtM query entity: one per name (and per date of
    birth when several are given); every other field from its first value. Raises
    BadRequest naming ``queries.<key>.properties.<prop>`` (``<where>.properties...``
    when given) for anything unreadable."""
    where = f"queries.{key}" if where is None else where
    schema = screened_schema(example.schema_, f"{where}.schema")
    ftm_schema = ftm_model.get(example.schema_)
    assert ftm_schema is not None
    names: list[str] = []
    fields: dict[str, list[str]] = {}
    parts: dict[str, list[str]] = {}
    for prop, raw in example.properties.items():
        at = f"{where}.properties.{prop}"
        if ftm_schema.get(prop) is None:
            raise BadRequest(f"{at}: schema {ftm_schema.name} has no property {prop!r}")
        values = _values(raw, at)
        if prop in NAME_PROPS:
            names.extend(v for v in values if v not in names)
        elif prop in NAME_PARTS:
            parts[prop] = values
        elif prop in PROP_FIELDS:
            fields.setdefault(PROP_FIELDS[prop], []).extend(values)
    if not names and parts:
        joined = " ".join(parts[p][0] for p in NAME_PARTS if parts.get(p))
        names.append(joined)
    if not names:
        raise BadRequest(f"{where}.properties.name: missing (a query needs a name to screen)")
    dates: list[str | None] = list(islice(fields.pop("birth_date", []), MAX_DATES)) or [None]
    base: dict[str, object] = {k: v[0] for k, v in fields.items() if v}
    base["id"] = example.id
    base["schema"] = schema
    out: list[Query] = []
    for name in islice(names, MAX_NAMES):
        for date in dates:
            try:
                out.append(make_query({**base, "name": name, "birth_date": date}))
            except QueryError as exc:
                prop = _prop_of(exc.field, example.properties)
                raise BadRequest(f"{where}.properties.{prop}: {exc.problem}") from None
    return out


def reviewed_query(
    schema_name: str, properties: dict[str, str | list[Any]], name: str, where: str
) -> Query:
    """The Query a decision was made on: ``name`` with the other properties of an FtM
    query entity, read exactly as /match reads them (example_queries: the first value of
    each field). /match screens each date of birth apart, so a decision takes one."""
    props: dict[str, str | list[Any]] = {
        k: v for k, v in properties.items() if k not in NAME_PROPS and k not in NAME_PARTS
    }
    props["name"] = [name]
    example = EntityExample(id=None, schema=schema_name, properties=props)
    found = example_queries("", example, where)
    if len(found) > 1:
        raise BadRequest(
            f"{where}.properties.birthDate: one date of birth per decision, not {len(found)} "
            "(/match screens each apart: record a decision for each date reviewed)"
        )
    return found[0]


def query_names(properties: dict[str, str | list[Any]], where: str) -> list[str]:
    """The names of an FtM query entity's properties (``name``, ``alias`` ...)."""
    names: list[str] = []
    for prop in NAME_PROPS:
        if prop in properties:
            names.extend(_values(properties[prop], f"{where}.properties.{prop}"))
    return list(dict.fromkeys(names))


def _prop_of(field: str, properties: dict[str, Any]) -> str:
    if field == "name":
        return "name"
    for prop, target in PROP_FIELDS.items():
        if target == field and prop in properties:
            return prop
    return field


def entity_response(
    entity: Entity, properties: dict[str, list[Any]] | None = None
) -> EntityResponse:
    return EntityResponse(
        id=entity.id,
        caption=entity.caption,
        schema=entity.schema,
        properties=properties if properties is not None else dict(entity.props()),
        datasets=[entity.dataset],
        referents=[],
        target=entity.schema in SCREENED_AS,
    )


def scored_dict(match: Match, entity: Entity | None, threshold: float) -> dict[str, Any]:
    """A result as ``ScoredEntityResponse`` serialises it (by alias), built directly:
    /match writes these without a round trip through the model."""
    features = match.by_feature()
    return {
        "id": match.entity_id,
        "caption": match.caption,
        "schema": match.schema,
        "properties": entity.props() if entity is not None else {},
        "datasets": list(match.datasets),
        "referents": [],
        "target": True,
        "first_seen": None,
        "last_seen": None,
        "last_change": None,
        "score": round(match.score, 4),
        "features": {name: value for name, (value, _) in features.items()},
        "explanations": {
            name: {"score": value, "detail": reason} for name, (value, reason) in features.items()
        },
        "match": match.score >= threshold and match.suppressed is None,
        "suppressed": match.suppressed,
        "lapsed": match.lapsed,
    }


def example_dict(example: EntityExample) -> dict[str, Any]:
    """A query entity as ``EntityExample`` serialises it (by alias)."""
    return {"id": example.id, "schema": example.schema_, "properties": example.properties}


def merge_matches(found: Iterable[list[Match]]) -> list[Match]:
    """Several screens of one query entity (one per name and date of birth): each listed
    entity once, with its best-scoring Match, best first; but a Match that alerts wins
    over a suppressed one, so a decision on one name or date of the query entity does
    not hide a hit on another."""
    best: dict[str, Match] = {}
    for matches in found:
        for m in matches:
            held = best.get(m.entity_id)
            if held is None or (m.alert, held.rank_key) > (held.alert, m.rank_key):
                best[m.entity_id] = m
    return sorted(best.values(), key=lambda m: m.rank_key)
