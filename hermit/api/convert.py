"""Between the wire and the core: FtM query entities to screening Queries, stored
entities and Matches to response models."""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from followthemoney import model as ftm_model

from hermit.api.errors import BadRequest
from hermit.api.wire import EntityExample, EntityResponse
from hermit.model import Entity
from hermit.screening.query import (
    FIELDS,
    Given,
    Query,
    QueryError,
    QueryWarning,
    RawValue,
    make_query,
)
from hermit.screening.result import Match

#: FtM properties a query may carry and the screening field each feeds (query.FIELDS).
PROP_FIELDS: dict[str, str] = {prop: spec.name for spec in FIELDS for prop in spec.properties}
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
    """The screening schema of an FtM schema (None: any kind, for Thing); BadRequest
    for a schema that is not one or cannot be screened."""
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


@dataclass(slots=True)
class ExampleQueries:
    """The screening queries of one query entity and what was set aside or assumed in
    reading it (each warning's ``source`` is the property, or ``schema``)."""

    queries: list[Query] = field(default_factory=list)
    warnings: list[QueryWarning] = field(default_factory=list)

    def warn(self, found: Iterable[QueryWarning]) -> None:
        self.warnings.extend(w for w in found if w not in self.warnings)

    def wire_warnings(self) -> list[dict[str, Any]]:
        """As the response's ``warnings`` (hermit's extension of yente's shape)."""
        return [{"property": w.source or w.field, **w.as_dict()} for w in self.warnings]


def _query_schema(name: str, out: ExampleQueries) -> tuple[str | None, Any]:
    """The screening schema and FtM schema of a query entity; one that is unknown or
    cannot be screened is set aside with a warning (screened as any kind: None)."""
    schema = ftm_model.get(name)
    if schema is None:
        nearest = difflib.get_close_matches(name, list(SCREENED_AS), 1, 0.6)
        hint = f"did you mean {nearest[0]}? " if nearest else ""
        why = f"unknown schema ({hint}use Person, Organization, Company, Vessel ...)"
    elif schema.name == "Thing":  # any kind: the properties of any screened schema
        return None, None
    else:
        try:
            return screened_schema(name, "schema"), schema
        except BadRequest:
            why = f"a {schema.name} cannot be screened (use Person, Organization, Vessel ...)"
    out.warn([QueryWarning("schema", name, why + "; screened as any kind", source="schema")])
    return None, None


def _has_property(ftm_schema: Any, prop: str) -> bool:
    if ftm_schema is not None:
        return ftm_schema.get(prop) is not None
    return any(ftm_model.get(s).get(prop) is not None for s in SCREENED_AS)  # type: ignore[union-attr]


def example_queries(key: str, example: EntityExample, where: str | None = None) -> ExampleQueries:
    """The screening Queries of one FtM query entity: one per name (and per date of
    birth when several are given); every other field from its first value that can be
    read, the others set aside with a warning. A schema that is unknown or not screened
    and a property the schema does not have are set aside the same way. BadRequest
    naming ``queries.<key>.properties.<prop>`` for a value that is not text (a
    malformed request) or when no name can be screened (``<where>.properties...`` when
    given)."""
    where = f"queries.{key}" if where is None else where
    out = ExampleQueries()
    schema, ftm_schema = _query_schema(example.schema_, out)
    names: list[Given] = []
    fields: dict[str, list[Given]] = {}
    parts: dict[str, list[str]] = {}
    for prop, raw in example.properties.items():
        at = f"{where}.properties.{prop}"
        values = _values(raw, at)
        if not _has_property(ftm_schema, prop):
            owner = ftm_schema.name if ftm_schema is not None else "no screened schema"
            nearest = difflib.get_close_matches(prop, [*PROP_FIELDS, *NAME_PROPS], 1, 0.7)
            hint = f" (did you mean {nearest[0]}?)" if nearest and nearest[0] != prop else ""
            why = f"{owner} has no property {prop!r}{hint}"
            out.warn(QueryWarning(prop, v, why, source=prop) for v in values)
            continue
        if prop in NAME_PROPS:
            names.extend(Given(v, prop) for v in values if v not in [n.text for n in names])
        elif prop in NAME_PARTS:
            parts[prop] = values
        elif prop in PROP_FIELDS:
            fields.setdefault(PROP_FIELDS[prop], []).extend(Given(v, prop) for v in values)
    if not names and parts:
        joined = " ".join(parts[p][0] for p in NAME_PARTS if parts.get(p))
        names.append(Given(joined, "+".join(p for p in NAME_PARTS if parts.get(p))))
    if not names:
        raise BadRequest(f"{where}.properties.name: missing (a query needs a name to screen)")
    dates: list[Given | None] = list(islice(fields.pop("birth_date", []), MAX_DATES)) or [None]
    base: dict[str, RawValue] = {k: list(v) for k, v in fields.items() if v}
    base["id"] = example.id
    base["schema"] = schema
    problems: list[tuple[Given, QueryError]] = []
    for name in islice(names, MAX_NAMES):
        for date in dates:
            try:
                parsed = make_query({**base, "name": name, "birth_date": date})
            except QueryError as problem:
                problems.append((name, problem))
                break
            if parsed.query not in out.queries:
                out.queries.append(parsed.query)
            out.warn(parsed.warnings)
    for name, error in problems:
        if not out.queries:
            raise BadRequest(f"{where}.properties.{name.source or 'name'}: {error.problem}")
        out.warn([QueryWarning("name", name.text, error.problem, source=name.source)])
    return out


def reviewed_query(
    schema_name: str, properties: dict[str, str | list[Any]], name: str, where: str
) -> Query:
    """The Query a decision was made on: ``name`` with the other properties of an FtM
    query entity, read exactly as /match reads them (example_queries: the first value of
    each field). /match screens each date of birth apart, so a decision takes one. A
    decision records the facts reviewed exactly: a value that /match would set aside
    is a BadRequest here, naming it."""
    props: dict[str, str | list[Any]] = {
        k: v for k, v in properties.items() if k not in NAME_PROPS and k not in NAME_PARTS
    }
    props["name"] = [name]
    example = EntityExample(id=None, schema=schema_name, properties=props)
    found = example_queries("", example, where)
    for w in found.warnings:
        if w.set_aside:
            raise BadRequest(f"{where}.properties.{w.source or w.field}: {w.value!r}: {w.message}")
    if len(found.queries) > 1:
        raise BadRequest(
            f"{where}.properties.birthDate: one date of birth per decision, not "
            f"{len(found.queries)} (/match screens each apart: record a decision for each "
            "date reviewed)"
        )
    return found.queries[0]


def query_names(properties: dict[str, str | list[Any]], where: str) -> list[str]:
    """The names of an FtM query entity's properties (``name``, ``alias`` ...)."""
    names: list[str] = []
    for prop in NAME_PROPS:
        if prop in properties:
            names.extend(_values(properties[prop], f"{where}.properties.{prop}"))
    return list(dict.fromkeys(names))


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
