"""Identifiers: strong evidence for when they agree, against when they contradict.

An IMO number names a hull whatever the ship is called now, so an agreeing IMO raises
the score to IMO_IDENTITY even for a renamed vessel. An agreeing MMSI, passport or
registration number raises it to ID_AGREES when the names are at least somewhat alike
(NAME_FLOOR; numbers are reused across countries and registries) and adds ID_BONUS
otherwise. A listed number of the same kind that differs counts against: a lot for an
IMO (another hull), less for the others (people hold several passports, ships change
MMSI with their flag, lists are incomplete).
"""

from __future__ import annotations

from dataclasses import dataclass

from hermit.screening.identifiers import QUERY_IDENTIFIERS, IdentifierKind, normalize_identifier
from hermit.screening.listed import ListedEntity
from hermit.screening.query import Query
from hermit.screening.result import Contribution

IMO_IDENTITY = 0.95
ID_AGREES = 0.90
ID_BONUS = 0.20
NAME_FLOOR = 0.40
AGAINST: dict[IdentifierKind, float] = {
    "imo": -0.50,
    "mmsi": -0.15,
    "passport": -0.10,
    "national_id": -0.10,
    "registration": -0.10,
}
LABEL = {"imo": "IMO", "mmsi": "MMSI", "passport": "passport", "registration_number": "number"}


@dataclass(frozen=True, slots=True)
class QueryIdentifier:
    field: str  # the query field: imo, mmsi, passport, registration_number
    value: str  # as given
    kinds: tuple[IdentifierKind, ...]
    keys: tuple[tuple[IdentifierKind, str], ...]  # normal form per kind compared


def query_identifiers(query: Query) -> tuple[QueryIdentifier, ...]:
    out: list[QueryIdentifier] = []
    for field, kinds in QUERY_IDENTIFIERS.items():
        value = getattr(query, field)
        if value is None:
            continue
        keys = []
        for kind in kinds:
            key = normalize_identifier(kind, value)
            if key is not None:
                keys.append((kind, key))
        if keys:
            out.append(QueryIdentifier(field, value, kinds, tuple(keys)))
    return tuple(out)


def identifier_features(
    identifiers: tuple[QueryIdentifier, ...], entity: ListedEntity, name_score: float
) -> list[Contribution]:
    out: list[Contribution] = []
    score = name_score
    for ident in identifiers:
        found = _one(ident, entity, score)
        if found is not None:
            out.append(found)
            score += found.value
    return out


def _one(ident: QueryIdentifier, entity: ListedEntity, score: float) -> Contribution | None:
    label = LABEL[ident.field]
    for kind, key in ident.keys:
        listed = entity.identifiers.get(kind, {})
        if key in listed:
            shown = f"{label} {ident.value} is listed ({kind} {listed[key]})"
            if kind == "imo":
                lift = max(IMO_IDENTITY - score, ID_BONUS)
                return Contribution(ident.field, lift, f"{shown}: the same hull whatever its name")
            if score >= NAME_FLOOR:
                lift = max(ID_AGREES - score, 0.05)
                return Contribution(ident.field, lift, f"{shown}, and the names are alike")
            return Contribution(ident.field, ID_BONUS, f"{shown}, but the names differ")
    primary = ident.kinds[0]
    listed = entity.identifiers.get(primary, {})
    if listed:
        shown = ", ".join(sorted(listed.values())[:3])
        return Contribution(ident.field, AGAINST[primary], f"{label} {ident.value}, listed {shown}")
    return None
