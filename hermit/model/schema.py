"""The FollowTheMoney model as hermit uses it: schema and property look-up, value cleaning."""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

from hermit.errors import ModelError
from hermit.model import countries

#: Properties that hold names of the entity, with how strong each is as a name.
NAME_PROPS: dict[str, str] = {
    "name": "primary",
    "alias": "alias",
    "weakAlias": "weak",
    "previousName": "previous",
}

#: Properties that hold identifiers (screened as strong evidence).
IDENTIFIER_PROPS: tuple[str, ...] = (
    "passportNumber",
    "idNumber",
    "registrationNumber",
    "imoNumber",
    "mmsi",
    "callSign",
    "taxNumber",
    "swiftBic",
    "serialNumber",
    "number",
)


@cache
def _ftm_model() -> Any:
    """FollowTheMoney's model, imported on first use (the import alone takes half a
    second: commands and screens that do not clean values never pay it)."""
    from followthemoney import model

    return model


def _schema(name: str) -> Any:
    schema = _ftm_model().get(name)
    if schema is None:
        raise ModelError(f"unknown FollowTheMoney schema: {name!r}")
    return schema


@cache
def check_schema(name: str) -> str:
    """Return the schema name if FollowTheMoney knows it, else raise ModelError."""
    return str(_schema(name).name)


@cache
def _prop(schema: str, prop: str) -> Any:
    found = _schema(schema).get(prop)
    if found is None:
        raise ModelError(f"schema {schema} has no property {prop!r}")
    return found


@cache
def has_prop(schema: str, prop: str) -> bool:
    return _schema(schema).get(prop) is not None


@cache
def prop_type(schema: str, prop: str) -> str:
    """The FtM type name of a property (``name``, ``date``, ``country``, ``entity`` ...)."""
    return str(_prop(schema, prop).type.name)


@cache
def note_prop(schema: str) -> str:
    """Where free text that fits no property goes: ``notes``, else ``description``."""
    for prop in ("notes", "description", "summary"):
        if _schema(schema).get(prop) is not None:
            return prop
    raise ModelError(f"schema {schema} has no property for notes")


def is_edge(schema: str) -> bool:
    return bool(_schema(schema).edge)


def edge_props(schema: str) -> tuple[str, str] | None:
    """(source property, target property) of an edge schema such as UnknownLink."""
    sch = _schema(schema)
    if not sch.edge:
        return None
    return str(sch.edge_source), str(sch.edge_target)


def is_a(schema: str, parent: str) -> bool:
    return bool(_schema(schema).is_a(parent))


#: FtM types whose cleaning is only whitespace and control characters: done here, fast.
_PLAIN_TYPES = frozenset({"string", "text", "name", "identifier", "entity"})
CONTROL_CHARS = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def clean_value(schema: str, prop: str, raw: str) -> str | None:
    """Clean ``raw`` for ``schema.prop`` the FollowTheMoney way (countries to ISO codes,
    dates to ISO prefixes, whitespace collapsed). None when nothing valid is left."""
    if not raw.isprintable():
        raw = raw.translate(CONTROL_CHARS)
    text = " ".join(raw.split())
    return clean_text(schema, prop, text) if text else None


def clean_text(schema: str, prop: str, text: str) -> str | None:
    """``clean_value`` for text whose whitespace is already collapsed and not empty."""
    type_name = prop_type(schema, prop)
    if type_name in _PLAIN_TYPES:
        return text
    if type_name == "country":
        known = countries.lookup(text)
        if known is not None:
            return known or None
    return _clean_typed(schema, prop, text)


@lru_cache(maxsize=65536)
def _clean_typed(schema: str, prop: str, text: str) -> str | None:
    cleaned = _prop(schema, prop).type.clean(text)
    return None if cleaned is None else str(cleaned)


def caption_props(schema: str) -> list[str]:
    return [str(p) for p in _schema(schema).caption]


def common_schema(left: str, right: str) -> str:
    """The more specific of two compatible schemata (raises ModelError if incompatible)."""
    try:
        return str(_ftm_model().common_schema(left, right).name)
    except Exception as exc:  # followthemoney raises InvalidData
        raise ModelError(f"schemata {left} and {right} are not compatible") from exc
