"""A screening query: a name and whatever else is known, validated field by field.

Every field but ``name`` is optional. ``make_query`` turns raw text (a CLI option, a CSV
cell, a JSON value) into a Query and raises QueryError naming the field for anything it
cannot read, so a bulk run can report the row instead of screening something else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

from hermit.errors import HermitError
from hermit.ids.imo import is_valid_ship_imo, normalize_imo
from hermit.ids.mmsi import normalize_mmsi
from hermit.model import countries
from hermit.screening.dates import parse_query_date

#: Schemata a query may name; LegalEntity means "person or organization, unknown".
QUERY_SCHEMATA = ("Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane")
GENDERS = {"male": "male", "m": "male", "female": "female", "f": "female"}


class QueryError(HermitError):
    """A query field cannot be read; names the field and the value."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


@dataclass(frozen=True, slots=True)
class Query:
    name: str
    id: str | None = None
    schema: str | None = None
    birth_date: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    nationality: str | None = None  # ISO 3166 alpha-2, lower case
    country: str | None = None  # ISO 3166 alpha-2, lower case
    passport: str | None = None
    registration_number: str | None = None
    imo: str | None = None  # seven digits, check digit verified
    mmsi: str | None = None  # nine digits
    gender: str | None = None  # male | female


#: The input columns a bulk file may have, in order (only ``name`` is required).
QUERY_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Query))


def _country(field: str, text: str) -> str:
    code = text.strip().lower()
    if len(code) == 2 and code.isalpha():
        return code
    found = countries.lookup(text)
    if found:
        return found
    from hermit.model.schema import clean_value

    cleaned = clean_value("Person", "nationality", text)
    if cleaned is None:
        raise QueryError(field, f"{text!r} is not a country (use a name or ISO code: kp, ru)")
    return cleaned


def _identifier(text: str) -> str:
    return " ".join(text.split())


def make_query(values: Mapping[str, object]) -> Query:
    """A validated Query from raw field values (str or None; blanks count as missing).
    Unknown keys are ignored; QueryError names the first field that cannot be read."""
    raw: dict[str, str] = {}
    for key in QUERY_FIELDS:
        value = values.get(key)
        if value is None:
            continue
        text = str(value).strip()
        if text:
            raw[key] = text
    name = raw.get("name")
    if name is None:
        raise QueryError("name", "missing (every query needs a name)")
    out: dict[str, str | None] = {"name": " ".join(name.split()), "id": raw.get("id")}
    if "schema" in raw:
        schema = raw["schema"]
        match = {s.lower(): s for s in QUERY_SCHEMATA}.get(schema.lower())
        if match is None:
            raise QueryError(
                "schema", f"unknown schema {schema!r} (one of {', '.join(QUERY_SCHEMATA)})"
            )
        out["schema"] = match
    if "birth_date" in raw:
        try:
            out["birth_date"] = parse_query_date(raw["birth_date"])
        except ValueError as exc:
            raise QueryError("birth_date", str(exc)) from None
    for key in ("nationality", "country"):
        if key in raw:
            out[key] = _country(key, raw[key])
    for key in ("passport", "registration_number"):
        if key in raw:
            out[key] = _identifier(raw[key])
    if "imo" in raw:
        imo = normalize_imo(raw["imo"])
        if imo is None or not is_valid_ship_imo(imo):
            raise QueryError(
                "imo", f"{raw['imo']!r} is not a ship IMO number (7 digits, check digit)"
            )
        out["imo"] = imo
    if "mmsi" in raw:
        mmsi = normalize_mmsi(raw["mmsi"])
        if mmsi is None:
            raise QueryError("mmsi", f"{raw['mmsi']!r} is not an MMSI (9 digits)")
        out["mmsi"] = mmsi
    if "gender" in raw:
        gender = GENDERS.get(raw["gender"].lower())
        if gender is None:
            raise QueryError("gender", f"{raw['gender']!r} is not a gender (male, female, m, f)")
        out["gender"] = gender
    return Query(**out)  # type: ignore[arg-type]
