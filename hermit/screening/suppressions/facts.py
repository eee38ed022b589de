"""The facts of a query that a decision was made on, and how a later query differs.

A decision records every field of the reviewed ``Query`` but ``id`` and ``name`` (the
name is the decision's key or compared apart), each as normalised text, and applies only
while a later query has the same facts: no fact missing, none added, none different. The
fields are read generically from the Query dataclass, so a field added to it later is a
fact too (a field whose ``metadata`` says ``{"fact": False}`` is not), and a value of any
shape (text, a number, a date, a tuple of readings) is compared by its text. Text is
compared ignoring case and spacing; several readings (a tuple or set) ignoring order.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

#: Fields of a query that are not facts of it: the decision's keys.
KEYS = ("id", "name")
#: How an analyst reads a field's name (others: the name with spaces).
LABELS = {"birth_date": "birth date", "imo": "IMO", "mmsi": "MMSI"}

Facts = Mapping[str, str]


def label(field: str) -> str:
    """``birth_date`` -> ``birth date``, ``imo`` -> ``IMO``."""
    return LABELS.get(field, field.replace("_", " "))


def fact_text(value: object) -> str | None:
    """A field's value as one text (None when empty): text with its spacing collapsed,
    dates in ISO form, several values (the readings of an ambiguous date) sorted and
    joined by `` or ``."""
    if value is None:
        return None
    if isinstance(value, str):
        text = " ".join(value.split())
        return text or None
    if isinstance(value, enum.Enum):
        return fact_text(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, Mapping):
        pairs = [(str(k), fact_text(v)) for k, v in value.items()]
        return "; ".join(f"{k} {v}" for k, v in sorted(pairs) if v is not None) or None
    if isinstance(value, list | tuple | set | frozenset):
        texts = {t for t in (fact_text(v) for v in value) if t is not None}
        return " or ".join(sorted(texts)) or None
    if dataclasses.is_dataclass(value) and type(value).__str__ is object.__str__:
        parts = [(f.name, fact_text(getattr(value, f.name))) for f in dataclasses.fields(value)]
        return "; ".join(f"{k} {v}" for k, v in parts if v is not None) or None
    return fact_text(str(value))


def query_facts(query: DataclassInstance) -> dict[str, str]:
    """Every known fact of a query, by field name, in the dataclass's field order
    (``{"birth_date": "1962-02-18", "nationality": "kp"}``)."""
    out: dict[str, str] = {}
    for f in dataclasses.fields(query):
        if f.name in KEYS or f.metadata.get("fact", True) is False:
            continue
        text = fact_text(getattr(query, f.name))
        if text is not None:
            out[f.name] = text
    return out


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def same_facts(reviewed: Facts, query: Facts) -> bool:
    return not differences(reviewed, query)


def differences(reviewed: Facts, query: Facts) -> list[str]:
    """Why a query's facts are not the reviewed ones, one reason per field, for an
    analyst: ``this query's birth date 1946 differs``, ``this query has no nationality``,
    ``this query's passport 123 was not part of the review``."""
    out: list[str] = []
    for field, seen in reviewed.items():
        now = query.get(field)
        if now is None:
            out.append(f"this query has no {label(field)}")
        elif not _same(seen, now):
            out.append(f"this query's {label(field)} {now} differs")
    for field, now in query.items():
        if field not in reviewed:
            out.append(f"this query's {label(field)} {now} was not part of the review")
    return out


def describe(facts: Facts) -> str:
    """``birth date 1962-02-18, nationality kp`` (empty when there are none)."""
    return ", ".join(f"{label(k)} {v}" for k, v in facts.items())
