"""The reconciliation service API's logic, between the wire and the screening engine.

A reconciliation query ({query, type, limit, properties: [{pid, v}]}) becomes the
FollowTheMoney query entity /match takes (``EntityExample``), then screening Queries
(``convert.example_queries``), so a cell reconciled in OpenRefine is scored exactly as
/match and ``hermit screen`` would score it. Scores stay 0..1 as yente gives them (the
protocol leaves the range to the service); ``match`` is hermit's match decision.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import orjson
from followthemoney import model as ftm_model
from followthemoney.types import registry
from pydantic import TypeAdapter, ValidationError

from hermit.api.convert import (
    NAME_PARTS,
    NAME_PROPS,
    PROP_FIELDS,
    ExampleQueries,
    example_queries,
    merge_matches,
)
from hermit.api.deps import Scope
from hermit.api.errors import BadRequest, validation_detail
from hermit.api.routing import LONE_SURROGATE, dotted, surrogate_in_json
from hermit.api.state import Snapshot
from hermit.api.wire import EntityExample, QueryWarningModel
from hermit.api.wire_reconcile import (
    PropertyValue,
    ReconCandidate,
    ReconEntity,
    ReconFeature,
    ReconQuery,
    ReconResult,
    ReconType,
)
from hermit.model import Entity
from hermit.screening.listed import ListedEntity
from hermit.screening.query import FIELDS, QueryWarning
from hermit.screening.result import Match

DEFAULT_LIMIT = 5
#: The scorer's contribution that keeps a score within 0..1.
#: The types OpenRefine offers first, and the ones a query may name.
DEFAULT_TYPES = ("Person", "Organization", "Company", "LegalEntity", "Vessel")
QUERY_TYPES = (*DEFAULT_TYPES, "Airplane", "Thing")
#: With no type given, the most general type that has every property the query uses.
GENERAL_FIRST = ("Thing", "LegalEntity", "Person", "Organization", "Vessel", "Airplane")
#: The properties offered in OpenRefine (every one a screening feature uses).
OFFERED_PROPERTIES = (*(p for spec in FIELDS for p in spec.offered), "alias")
#: Every property a query may carry: names and the screening fields.
ACCEPTED_PROPERTIES = frozenset((*NAME_PROPS, *NAME_PARTS, *PROP_FIELDS))

_BATCH = TypeAdapter(dict[str, ReconQuery])


def parse_batch(raw: str | bytes | object, max_batch: int) -> dict[str, ReconQuery]:
    """A query batch from the ``queries`` field (JSON text) or an already decoded JSON
    body; BadRequest naming the problem for anything else."""
    if isinstance(raw, str | bytes):
        if not raw.strip():
            raise BadRequest("queries: empty (a JSON object of queries keyed q0, q1 ...)")
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            found = surrogate_in_json(raw)
            if found is not None:
                where, escape = found
                raise BadRequest(
                    f"{dotted(('queries', *where))}: {LONE_SURROGATE.format(escape)}"
                ) from None
            raise BadRequest(f"queries: not valid JSON ({exc})") from None
    else:
        data = raw
    if not isinstance(data, dict):
        raise BadRequest("queries: a JSON object of queries keyed q0, q1 ... is needed")
    if not data:
        raise BadRequest("queries: no queries given")
    if len(data) > max_batch:
        raise BadRequest(f"queries: {len(data)} in one request, at most {max_batch}")
    try:
        return _BATCH.validate_python(data)
    except ValidationError as exc:
        raise BadRequest(validation_detail(_prefixed(exc))) from None


def _prefixed(exc: ValidationError) -> list[dict[str, object]]:
    return [{**e, "loc": ("queries", *e.get("loc", ()))} for e in exc.errors()]


def _texts(values: PropertyValue | list[PropertyValue], where: str) -> list[str]:
    items = values if isinstance(values, list) else [values]
    out: list[str] = []
    for item in items:
        if item is None:
            continue
        if isinstance(item, bool):
            raise BadRequest(f"{where}: {str(item).lower()} is not a value to screen")
        if isinstance(item, dict):
            text = item.get("name") or item.get("id")
            if not isinstance(text, str):
                raise BadRequest(f"{where}: an entity value needs a text name or id")
            out.append(text)
        else:
            out.append(str(item))
    return [t for t in out if t.strip()]


def _property(pid: str) -> str:
    """``birthDate`` or its qualified form ``Person:birthDate`` -> ``birthDate``."""
    return pid.rpartition(":")[2].strip()


def _type_of(query: ReconQuery, props: Iterable[str]) -> str:
    """The type the query names (checked, with its properties, by example_queries:
    an unknown one is set aside with a warning), else the most general type that has
    every property the query uses."""
    wanted = query.type[0] if isinstance(query.type, list) and query.type else query.type
    if isinstance(wanted, str) and wanted.strip():
        return wanted.rpartition(":")[2].strip()
    used = sorted(set(props))
    for name in GENERAL_FIRST:
        schema = ftm_model.get(name)
        if schema is not None and all(schema.get(p) is not None for p in used):
            return name
    return "Thing"


def query_example(key: str, query: ReconQuery) -> tuple[EntityExample, list[QueryWarning]]:
    """The FtM query entity of one reconciliation query, and the properties set aside
    because screening does not use them (with a warning each)."""
    properties: dict[str, list[str]] = {}
    warnings: list[QueryWarning] = []
    if query.query is not None and query.query.strip():
        properties["name"] = [query.query]
    for index, prop in enumerate(query.properties):
        where = f"queries.{key}.properties[{index}]"
        name = _property(prop.pid)
        values = _texts(prop.v, f"{where}.v")
        if name not in ACCEPTED_PROPERTIES:
            why = f"not used in screening (use {', '.join(OFFERED_PROPERTIES)}, or name)"
            warnings.extend(QueryWarning(name, v, why, source=prop.pid) for v in values)
            continue
        if values:
            properties.setdefault(name, []).extend(values)
    schema = _type_of(query, (p for p in properties if p != "name"))
    return EntityExample(id=None, schema=schema, properties=dict(properties)), warnings


def read_query(key: str, query: ReconQuery) -> ExampleQueries:
    """The screening queries of one reconciliation query, with every warning."""
    example, warnings = query_example(key, query)
    read = example_queries(key, example)
    read.warnings[:0] = warnings
    return read


def label(schema: str) -> str:
    found = ftm_model.get(schema)
    return str(found.label) if found is not None else schema


def recon_type(schema: str) -> ReconType:
    found = ftm_model.get(schema)
    description = None if found is None else found.description
    return ReconType(id=schema, name=label(schema), description=(description or "").strip() or None)


def describe(entity: Entity | None, schema: str, datasets: Iterable[str]) -> str:
    """``Person · un_sc_sanctions · born 1962-02-18 · kp``: what tells candidates apart."""
    parts = [label(schema), ", ".join(datasets)]
    if entity is not None:
        born = entity.get("birthDate")
        if born:
            parts.append("born " + ", ".join(born[:2]))
        countries = entity.get("nationality") or entity.get("country") or entity.get("flag")
        if countries:
            parts.append(", ".join(registry.country.caption(c) or c for c in countries[:3]))
        programs = entity.get("program")
        if programs:
            parts.append(", ".join(programs[:2]))
    return " · ".join(p for p in parts if p)


def candidate(match: Match, snapshot: Snapshot, threshold: float) -> ReconCandidate:
    return ReconCandidate(
        id=match.entity_id,
        name=match.caption,
        description=describe(snapshot.entities.get(match.entity_id), match.schema, match.datasets),
        type=[recon_type(match.schema)],
        score=round(match.score, 4),
        match=match.score >= threshold and match.suppressed is None,
        features=[ReconFeature(id=k, value=v) for k, (v, _) in match.by_feature().items()],
    )


def scope_filter(scope: Scope) -> Callable[[ListedEntity], bool] | None:
    if scope.everything:
        return None
    datasets = scope.datasets
    return lambda e: e.dataset in datasets


def reconcile(
    snapshot: Snapshot, scope: Scope, batch: dict[str, ReconQuery]
) -> dict[str, ReconResult]:
    """Each query's candidates, best first, down to the report floor, and the warnings
    about what was set aside in reading it. Every query is checked before any is
    screened, so one that cannot be screened (no name, a value that is not text)
    fails the batch at once (400)."""
    screener = snapshot.screener
    threshold = screener.info.threshold
    keep = scope_filter(scope)
    prepared = {key: read_query(key, query) for key, query in batch.items()}
    out: dict[str, ReconResult] = {}
    for key, read in prepared.items():
        limit = batch[key].limit or DEFAULT_LIMIT
        found = merge_matches(screener.screen(q, limit, keep) for q in read.queries)[:limit]
        out[key] = ReconResult(
            result=[candidate(m, snapshot, threshold) for m in found],
            warnings=[QueryWarningModel(**w) for w in read.wire_warnings()],
        )
    return out


def entity_summary(entity: Entity) -> ReconEntity:
    return ReconEntity(
        id=entity.id,
        name=entity.caption,
        description=describe(entity, entity.schema, [entity.dataset]),
        type=[recon_type(entity.schema)],
    )
