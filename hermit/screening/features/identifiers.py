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
#: Below this name score, a vessel found by its IMO number is one "under another name".
SAME_NAME = 0.80
LABEL = {"imo": "IMO", "mmsi": "MMSI", "passport": "passport", "registration_number": "number"}
KIND_LABEL: dict[IdentifierKind, str] = {
    "imo": "IMO",
    "mmsi": "MMSI",
    "passport": "passport",
    "national_id": "national id",
    "registration": "number",
}
#: What a listed entity of each schema is called in a reason.
NOUN = {
    "Vessel": "vessel",
    "Organization": "organization",
    "Company": "company",
    "LegalEntity": "entity",
    "Airplane": "aircraft",
    "Person": "person",
}


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
    identifiers: tuple[QueryIdentifier, ...],
    entity: ListedEntity,
    name_score: float,
    query_name: str = "",
) -> list[Contribution]:
    out: list[Contribution] = []
    score = name_score
    for ident in identifiers:
        found = _one(ident, entity, score, name_score, query_name)
        if found is not None:
            out.append(found)
            score += found.value
    return out


def _one(
    ident: QueryIdentifier,
    entity: ListedEntity,
    score: float,
    name_score: float,
    query_name: str,
) -> Contribution | None:
    label = LABEL[ident.field]
    for kind, key in ident.keys:
        listed = entity.identifiers.get(kind, {})
        if key in listed:
            if kind == "imo":
                lift = max(IMO_IDENTITY - score, ID_BONUS)
                return Contribution(
                    ident.field, lift, _imo_reason(key, entity, name_score, query_name)
                )
            shown = f"{label} {ident.value} is listed{_as_listed(ident, kind, listed[key])}"
            if score >= NAME_FLOOR:
                lift = max(ID_AGREES - score, 0.05)
                return Contribution(ident.field, lift, f"{shown}, and the names are alike")
            return Contribution(ident.field, ID_BONUS, f"{shown}, but the names differ")
    primary = ident.kinds[0]
    listed = entity.identifiers.get(primary, {})
    if listed:
        values = sorted(listed.values())
        shown = ", ".join(values[:3]) + (f" and {len(values) - 3} more" if len(values) > 3 else "")
        if primary == "imo":
            noun = _noun(entity.schema)
            return Contribution(
                ident.field,
                AGAINST[primary],
                f"IMO {ident.keys[0][1]} is not the listed {noun}'s (listed: IMO {shown})"
                + (": another hull" if entity.schema == "Vessel" else ""),
            )
        what = KIND_LABEL[primary] + ("s" if len(values) > 1 else "")
        return Contribution(
            ident.field,
            AGAINST[primary],
            f"{label} {ident.value} is not among the listed {what} ({shown})",
        )
    return None


def _noun(schema: str) -> str:
    return NOUN.get(schema, "entity")


def _imo_reason(key: str, entity: ListedEntity, name_score: float, query_name: str) -> str:
    """Whose IMO number it is and, when the names differ, under which names."""
    owner = f"IMO {key} is the listed {_noun(entity.schema)}'s"
    if entity.schema == "Vessel":
        owner += " (the same hull whatever its name)"
    if name_score >= SAME_NAME or not query_name:
        return owner
    former = [n.text for n in entity.names if n.kind == "previousName"]
    listed = f"listed as {entity.caption!r}"
    if former:
        listed += " (formerly " + ", ".join(repr(n) for n in former[:3])
        listed += f" and {len(former) - 3} more)" if len(former) > 3 else ")"
    called = "it is now called" if entity.schema == "Vessel" else "the query calls it"
    return f"{owner}; {called} {query_name!r}, {listed}"


def _as_listed(ident: QueryIdentifier, kind: IdentifierKind, listed: str) -> str:
    """How the number is listed, when that says more than the query's own words."""
    same_kind = KIND_LABEL[kind] == LABEL[ident.field]
    if same_kind and listed == ident.value:
        return ""
    return f" (as {KIND_LABEL[kind]} {listed})"
