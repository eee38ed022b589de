"""A screening query: a name and whatever else is known, read field by field.

``make_query`` turns raw text (a CLI option, a CSV cell, a JSON value, an FtM
property) into a ParsedQuery: the Query to screen and the warnings about it. Only the
name is required: a query without a usable name (missing, blank, a placeholder such as
``N/A``, no letter or digit) is a QueryError and is not screened. Any other field that
cannot be read (a date, a country, a schema, an IMO ...) is set aside with a warning
naming the field, the value and why, and the query is screened on what remains; a
value read with an assumption (a two-digit year, a day and month that read either way)
is used and warned about too. Every interface (CLI, bulk files, /match, /reconcile,
jobs, the web page) goes through here, so they all read a query the same way.

``FIELDS`` is the one map of query fields to the CLI options, input columns and
FollowTheMoney properties that feed them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields

from hermit.errors import HermitError
from hermit.screening.dates import BirthDate
from hermit.screening.query_fields import (
    QUERY_SCHEMATA,
    READERS,
    FieldProblem,
    NotCompared,
    is_placeholder,
)
from hermit.screening.query_text import bounded_name, field_problem, name_problem, shown

__all__ = [
    "FIELDS",
    "QUERY_FIELDS",
    "QUERY_SCHEMATA",
    "BirthDate",
    "FieldSpec",
    "Given",
    "ParsedQuery",
    "Query",
    "QueryError",
    "QueryWarning",
    "RawValue",
    "make_query",
]


class QueryError(HermitError):
    """A query that cannot be screened (no usable name); names the field and why."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


@dataclass(frozen=True, slots=True)
class Query:
    name: str
    id: str | None = None
    schema: str | None = None  # one of QUERY_SCHEMATA; None: any kind
    birth_date: BirthDate | None = None  # its readings are ISO prefixes
    nationality: str | None = None  # ISO 3166 alpha-2, lower case
    country: str | None = None  # ISO 3166 alpha-2, lower case
    passport: str | None = None
    registration_number: str | None = None
    imo: str | None = None  # seven digits, check digit verified
    mmsi: str | None = None  # nine digits
    gender: str | None = None  # male | female

    def facts(self) -> dict[str, str]:
        """The fields that are set, as text (``birth_date`` in its canonical form)."""
        return {
            f.name: str(value) for f in fields(self) if (value := getattr(self, f.name)) is not None
        }


@dataclass(frozen=True, slots=True)
class Given:
    """A field's text and where it came from (a CLI option, an FtM property), so a
    warning can name what the user wrote."""

    text: str
    source: str | None = None


@dataclass(frozen=True, slots=True)
class QueryWarning:
    """Something about one field of a query: ``set_aside`` when its value was not used
    (the message says why), else the value was used as the message says. ``source``
    is where the value came from when the caller said (``--dob``, ``birthDate``)."""

    field: str  # a query field, or "row" for the input record itself
    value: str  # what was given
    message: str
    set_aside: bool = True
    source: str | None = None

    def __str__(self) -> str:
        """``birth_date '1974-01-32' set aside: there is no day 32 in January 1974``."""
        shown = f" {self.value!r}" if self.value else ""
        verb = " set aside" if self.set_aside else ""
        return f"{self.source or self.field}{shown}{verb}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "field": self.field,
            "value": self.value,
            "message": self.message,
            "set_aside": self.set_aside,
        }


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A query ready to screen and what was set aside or assumed to make it."""

    query: Query
    warnings: tuple[QueryWarning, ...] = ()


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One query field: the CLI option, other column names, and the FollowTheMoney
    properties of a query entity that feed it (``offered``: the ones a client is
    offered, e.g. by the reconciliation service)."""

    name: str
    option: str
    properties: tuple[str, ...] = ()
    offered: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("name", "NAME"),
    FieldSpec("id", "--id"),
    FieldSpec("schema", "--schema"),
    FieldSpec(
        "birth_date",
        "--dob",
        ("birthDate",),
        ("birthDate",),
        ("dob", "date_of_birth", "birthdate", "birth"),
    ),
    FieldSpec("nationality", "--nationality", ("nationality", "citizenship"), ("nationality",)),
    FieldSpec(
        "country",
        "--country",
        ("country", "jurisdiction", "mainCountry", "flag"),
        ("country",),
    ),
    FieldSpec(
        "passport",
        "--passport",
        ("passportNumber", "idNumber"),
        ("passportNumber", "idNumber"),
        ("passport_number",),
    ),
    FieldSpec(
        "registration_number",
        "--registration-number",
        ("registrationNumber", "taxNumber", "innCode", "ogrnCode"),
        ("registrationNumber",),
    ),
    FieldSpec("imo", "--imo", ("imoNumber",), ("imoNumber",), ("imo_number",)),
    FieldSpec("mmsi", "--mmsi", ("mmsi",), ("mmsi",)),
    FieldSpec("gender", "--gender", ("gender",), ("gender",), ("sex",)),
)
#: The input columns a bulk file may have, in order (only ``name`` is required).
QUERY_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Query))


#: A raw field value: text, or text with its source, or alternatives in order.
RawValue = str | Given | Sequence[str | Given] | None


def _given(value: object) -> list[Given]:
    """The non-blank alternatives of a raw value, in order."""
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip()
        return [Given(text)] if text else []
    items = value if isinstance(value, (list, tuple)) else [value]
    out: list[Given] = []
    for item in items:
        given = item if isinstance(item, Given) else Given("" if item is None else str(item))
        text = given.text.strip()
        if text:
            out.append(Given(text, given.source))
    return out


def _alternatives(value: object) -> list[tuple[str, str | None]]:
    return [(g.text, g.source) for g in _given(value)]


def usable_name(text: str | None) -> str:
    """The name to screen (whitespace collapsed), or QueryError saying why there is none."""
    return _bounded_name(text)[0]


def _bounded_name(text: str | None) -> tuple[str, list[str]]:
    """The name to screen and what bounding it did (query_text.bounded_name), or
    QueryError: missing, damaged (NUL, a lone surrogate), a placeholder, no letter."""
    if text is None:
        raise QueryError("name", "missing (every query needs a name)")
    problem = name_problem(text)
    if problem is not None:
        raise QueryError("name", f"{shown(text)!r} {problem}")
    name, notes = bounded_name(text)
    if is_placeholder(name):
        raise QueryError("name", f"{name!r} says the name is not known: there is nothing to screen")
    if not any(ch.isalnum() for ch in name):
        raise QueryError(
            "name", f"{shown(name)!r} has no letter or digit: there is nothing to screen"
        )
    return name, notes


def make_query(
    values: Mapping[str, RawValue], warnings: Iterable[QueryWarning] = ()
) -> ParsedQuery:
    """The query in raw field values, with ``warnings`` (the input's own, e.g. a CSV
    row's extra cells) and the fields' own. A value is text (str or a number), a Given
    (text and its source), or a list of those: alternatives in order, the first that
    can be read is used and the others that cannot are warned about. Blanks and
    placeholders (``N/A``) count as missing; unknown keys are ignored. QueryError when
    there is no usable name (the first name given is the one screened)."""
    found = list(warnings)
    names = _given(values.get("name"))
    name, name_notes = _bounded_name(names[0].text if names else None)
    for note in name_notes:
        found.append(
            QueryWarning(
                "name", shown(names[0].text), note, set_aside=False, source=names[0].source
            )
        )
    out: dict[str, object] = {"name": name, "id": None}
    for given in _given(values.get("id")):
        problem = field_problem(given.text)
        if problem is None:
            out["id"] = given.text
            break
        found.append(QueryWarning("id", shown(given.text), problem, source=given.source))
    for key, reader in READERS.items():
        raw = values.get(key)
        if raw is None:
            continue
        alternatives = [(raw.strip(), None)] if isinstance(raw, str) else _alternatives(raw)
        for text, source in alternatives:
            if not text or is_placeholder(text):
                continue
            problem = field_problem(text)
            if problem is not None:
                found.append(QueryWarning(key, shown(text), problem, source=source))
                continue
            try:
                value, notes = reader(text)
            except FieldProblem as exc:
                found.append(QueryWarning(key, text, str(exc), source=source))
                continue
            except NotCompared:
                break
            out[key] = value
            for note in notes:
                found.append(QueryWarning(key, text, note, set_aside=False, source=source))
            break
    return ParsedQuery(Query(**out), tuple(found))  # type: ignore[arg-type]
