"""The pair scorer ``hermit-screen@5``: a query against one listed entity.

The score is the sum of named features' contributions: name (0..1, the base), date of
birth, nationality, country, identifiers, gender and schema (each signed, most of them
small). If the sum leaves 0..1 a final ``bounds`` contribution brings it back, so the
contributions always add up to the score. A pair is a match at THRESHOLD; pairs below
REPORT_FLOOR are not reported. Both were fixed before the benchmark was run.
"""

from __future__ import annotations

from dataclasses import dataclass

from hermit.names.compare import Weight, default_weight
from hermit.screening.features.birth_date import birth_date_feature
from hermit.screening.features.gender import gender_feature
from hermit.screening.features.identifiers import (
    QueryIdentifier,
    identifier_features,
    query_identifiers,
)
from hermit.screening.features.names import PreparedName, name_bound, name_feature
from hermit.screening.features.places import country_feature, nationality_feature
from hermit.screening.features.schema import schema_feature
from hermit.screening.listed import ListedEntity
from hermit.screening.query import Query
from hermit.screening.result import BOUNDS, Contribution, Match

ALGORITHM = "hermit-screen@5"
THRESHOLD = 0.80
REPORT_FLOOR = 0.60
#: What each feature of the algorithm measures (shown by the API's /algorithms).
FEATURES: dict[str, str] = {
    "name": "Best name comparison of the query's name with any listed name or alias "
    "(hermit-tokens, Korean readings, organization words): the base of the score, 0 to 1.",
    "birth_date": "Date of birth as graded evidence: same day, same year, a year apart, "
    "inside a listed range or circa; a far date counts against; missing is neutral.",
    "nationality": "Query nationality among the listed nationalities/citizenships: small "
    "lift; a different one counts against.",
    "country": "Query country among the listed countries: small lift; absent from them "
    "counts a little against.",
    "passport": "Passport or national id equal to a listed one: strong evidence; a "
    "different listed number of the same kind counts against.",
    "registration_number": "Registration or tax number equal to a listed one: strong "
    "evidence; a different one counts against.",
    "imo": "IMO number (check digit verified) equal to the listed hull: the same vessel "
    "whatever its name; a different IMO counts strongly against.",
    "mmsi": "MMSI equal to a listed one: strong evidence; a different one counts against.",
    "gender": "A different gender counts against.",
    "schema": "A query of a kind the listed entity cannot be (a person is not a vessel) "
    "rules the pair out.",
    "bounds": "Not evidence but the score's bounds: a score is capped at 1.00 and held at "
    "0.00, and this line is the difference between the evidence's sum and the score, so "
    "the contributions add up to the score.",
}


#: A query name's name bounds (``name_bound``) by listed entity id, kept across the
#: queries of a long run that have that name (hermit.screening.memo): the bound is a
#: pure function of the name, the entity and the index's word weights.
NameBounds = dict[str, float]


@dataclass(slots=True)
class PreparedQuery:
    """A query with its name forms and identifiers computed once for all candidates.
    The name is prepared when first read (``name``): a query whose every candidate is
    dismissed on a remembered bound (``bounds``) never needs it."""

    query: Query
    prepared_name: PreparedName | None
    identifiers: tuple[QueryIdentifier, ...]
    weight: Weight = default_weight
    bounds: NameBounds | None = None

    @classmethod
    def of(
        cls,
        query: Query,
        weight: Weight = default_weight,
        *,
        lazy: bool = False,
        bounds: NameBounds | None = None,
    ) -> PreparedQuery:
        """``lazy``: the name is prepared only when read; ``bounds``: the name bounds
        remembered for this query's name (filled in as they are computed)."""
        found = cls(query, None, query_identifiers(query), weight, bounds)
        if not lazy:
            found.prepared_name = found.name
        return found

    @property
    def name(self) -> PreparedName:
        if self.prepared_name is None:
            query = self.query
            self.prepared_name = PreparedName.of(query.name, person=query.schema == "Person")
        return self.prepared_name

    def name_bound(self, entity: ListedEntity) -> float:
        """``name_bound`` of the query's name and ``entity``, remembered in ``bounds``."""
        bounds = self.bounds
        if bounds is None:
            return name_bound(self.name, entity, self.weight)
        found = bounds.get(entity.entity_id)
        if found is None:
            found = bounds[entity.entity_id] = name_bound(self.name, entity, self.weight)
        return found


def score(prepared: PreparedQuery, entity: ListedEntity) -> Match:
    """The pair's Match, every feature computed."""
    found = _score(prepared, entity, prune=False)
    assert found is not None
    return found


def screen_pair(prepared: PreparedQuery, entity: ListedEntity) -> Match | None:
    """The pair's Match if it can reach REPORT_FLOOR, else None. An entity whose names
    cannot bring the score there, given what the other features already say, is
    dismissed on a quick upper bound of its name contribution; a listed name that
    cannot beat a better one of the same entity is not compared in full."""
    found = _score(prepared, entity, prune=True)
    return found if found is not None and found.score >= REPORT_FLOOR else None


def _score(prepared: PreparedQuery, entity: ListedEntity, prune: bool) -> Match | None:
    query = prepared.query
    ruled_out = schema_feature(query.schema, entity.schema)
    if ruled_out is not None:
        if prune:
            return None
        name = name_feature(prepared.name, entity, prepared.weight)
        return _match(entity, [name, ruled_out])
    others = [
        found
        for found in (
            birth_date_feature(query.birth_date, entity),
            nationality_feature(query.nationality, entity),
            country_feature(query.country, entity),
            gender_feature(query.gender, entity),
        )
        if found is not None
    ]
    floor = 0.0
    if prune and not prepared.identifiers:
        floor = REPORT_FLOOR - sum(c.value for c in others)
        if prepared.name_bound(entity) < floor:
            return None
    name = name_feature(prepared.name, entity, prepared.weight, floor)
    identified = identifier_features(prepared.identifiers, entity, name.value, query.name)
    parts = [name, *identified, *others]
    return _match(entity, parts)


def bounds_reason(bound: float, total: float) -> str:
    """The ``bounds`` line as an analyst reads it: a cap on the score, not evidence."""
    held = "capped at 1.00" if bound >= 1.0 else "held at 0.00"
    return f"{held} (the evidence adds up to {total:.2f})"


def _match(entity: ListedEntity, parts: list[Contribution]) -> Match:
    total = sum(c.value for c in parts)
    if total > 1.0 or total < 0.0:
        bound = 1.0 if total > 1.0 else 0.0
        parts.append(Contribution(BOUNDS, bound - total, bounds_reason(bound, total)))
        total = bound
    return Match(
        entity.entity_id,
        entity.schema,
        entity.caption,
        (entity.dataset,),
        round(total, 6),
        total >= THRESHOLD,
        tuple(parts),
    )
