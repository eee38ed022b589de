"""Reading each secondary field of a query from text: a value to screen on, with notes
on what had to be assumed, or a FieldProblem saying why the text cannot be used (the
query is then screened without it, see hermit.screening.query).

The tables (placeholders for "not known", gender words) are reviewed data in
``resources/screening/query_values.yaml``; dates are read by query_dates.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

import yaml

from hermit.ids.imo import is_valid_ship_imo, normalize_imo
from hermit.ids.mmsi import normalize_mmsi
from hermit.model import countries
from hermit.screening.dates import BirthDate
from hermit.screening.query_dates import DateProblem
from hermit.screening.query_dates import read_birth_date as read_date_text

#: Schemata a query may name; LegalEntity means "person or organization, unknown".
QUERY_SCHEMATA = ("Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane")

#: A field's value and the notes to show with it.
FieldValue = tuple[str | BirthDate, tuple[str, ...]]


class FieldProblem(ValueError):
    """A field's text cannot be used; the message says why (and what to write)."""


@cache
def _values() -> dict[str, Any]:
    path = resources.files("hermit") / "resources" / "screening" / "query_values.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


@cache
def _placeholders() -> frozenset[str]:
    return frozenset(str(v).casefold() for v in _values()["placeholders"])


@cache
def _genders() -> dict[str, str | None]:
    table: dict[str, str | None] = {}
    for gender, words in _values()["genders"].items():
        table.update({str(w).casefold(): str(gender) for w in words})
    table.update({str(w).casefold(): None for w in _values()["not_compared_genders"]})
    return table


def is_placeholder(text: str) -> bool:
    """``N/A``, ``unknown``, ``-``: a cell that says the value is not known."""
    return " ".join(text.split()).casefold() in _placeholders()


def _suggest(text: str, choices: list[str], cutoff: float = 0.75) -> str | None:
    found = difflib.get_close_matches(text.casefold(), [c.casefold() for c in choices], 1, cutoff)
    if not found:
        return None
    return next(c for c in choices if c.casefold() == found[0])


def read_schema(text: str) -> FieldValue:
    found = {s.lower(): s for s in QUERY_SCHEMATA}.get(text.strip().lower())
    if found is not None:
        return found, ()
    nearest = _suggest(text, list(QUERY_SCHEMATA), 0.6)
    hint = f"did you mean {nearest}? " if nearest is not None else ""
    raise FieldProblem(
        f"unknown schema ({hint}one of {', '.join(QUERY_SCHEMATA)}); screened as any kind of entity"
    )


def read_birth_date(text: str) -> FieldValue:
    try:
        found = read_date_text(text)
    except DateProblem as exc:
        raise FieldProblem(str(exc)) from None
    return found.date, found.notes


@cache
def _country_names() -> dict[str, str]:
    """ISO code -> English name, FollowTheMoney's (a property that rebuilds it per call)."""
    from followthemoney.types import registry

    return {str(k): str(v) for k, v in registry.country.names.items()}


def read_country(text: str) -> FieldValue:
    code = text.strip().lower()
    names = _country_names()
    if len(code) == 2 and code.isalpha() and code in names:
        return code, ()
    found = countries.lookup(text)
    if found:
        return found, ()
    from hermit.model.schema import clean_value

    cleaned = clean_value("Person", "nationality", text)
    if cleaned is not None:
        return cleaned, ()
    nearest = _suggest(text, sorted(names.values()))
    hint = ""
    if nearest is not None:
        code_of = {v: k for k, v in names.items()}
        hint = f"did you mean {nearest} ({code_of[nearest]})? "
    raise FieldProblem(f"not a country ({hint}use a name or an ISO code: kp, ru)")


def read_identifier(text: str) -> FieldValue:
    value = " ".join(text.split())
    if not any(ch.isalnum() for ch in value):
        raise FieldProblem("no letters or digits in it")
    return value, ()


def read_imo(text: str) -> FieldValue:
    imo = normalize_imo(text)
    if imo is None:
        raise FieldProblem("not an IMO number (seven digits, as IMO 8914934)")
    if not is_valid_ship_imo(imo):
        raise FieldProblem(
            f"{imo} fails the IMO check digit (a typo?): a ship IMO number's seventh digit "
            "is the check of the first six"
        )
    return imo, ()


def read_mmsi(text: str) -> FieldValue:
    mmsi = normalize_mmsi(text)
    if mmsi is None:
        raise FieldProblem("not an MMSI (nine digits)")
    return mmsi, ()


class NotCompared(Exception):
    """A valid value that screening does not compare (a gender of "other")."""


def read_gender(text: str) -> FieldValue:
    key = text.strip().casefold()
    table = _genders()
    if key not in table:
        raise FieldProblem("not a gender (male, female, m, f)")
    gender = table[key]
    if gender is None:
        raise NotCompared
    return gender, ()


#: The reader of each secondary field (``name`` and ``id`` are taken as given).
READERS: dict[str, Callable[[str], FieldValue]] = {
    "schema": read_schema,
    "birth_date": read_birth_date,
    "nationality": read_country,
    "country": read_country,
    "passport": read_identifier,
    "registration_number": read_identifier,
    "imo": read_imo,
    "mmsi": read_mmsi,
    "gender": read_gender,
}
