"""The facts a decision records and how a later query's facts are told apart from them:
read generically from the query dataclass (a field added later, a date held as two
readings), compared ignoring case, spacing and the order of readings, and explained in
words for an analyst."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from hermit.screening.query import QUERY_FIELDS, make_query
from hermit.screening.suppressions import describe, differences, fact_text, query_facts


def test_every_query_field_but_the_keys_is_a_fact_normalised_as_screening_reads_it() -> None:
    query = make_query(
        {
            "name": "Kim Yong Chol",
            "id": "C-77",
            "schema": "person",
            "birth_date": "1962-02-18",
            "nationality": "North Korea",
            "country": "KP",
            "passport": "  PD 123 ",
            "registration_number": "R-1",
            "imo": "IMO 9018543",
            "mmsi": "445 123 000",
            "gender": "M",
        }
    ).query
    facts = query_facts(query)
    assert facts == {
        "schema": "Person",
        "birth_date": "1962-02-18",
        "nationality": "kp",
        "country": "kp",
        "passport": "PD 123",
        "registration_number": "R-1",
        "imo": "9018543",
        "mmsi": "445123000",
        "gender": "male",
    }
    assert set(facts) == set(QUERY_FIELDS) - {"id", "name"}
    assert query_facts(make_query({"name": "Kim Yong Chol", "id": "C-77"}).query) == {}


@dataclass(frozen=True)
class _Reading:
    """A stand-in for a date kept as a structure (as query parsing may come to do)."""

    text: str
    readings: tuple[str, ...]


@dataclass(frozen=True)
class _LaterQuery:
    """A Query as it may look after other changes: a date with two readings, a field
    added, a field marked as not a fact."""

    name: str
    id: str | None = None
    birth_date: tuple[str, ...] | None = None
    phone: str | None = None
    parsed: _Reading | None = None
    warnings: tuple[str, ...] = field(default=(), metadata={"fact": False})


def test_facts_do_not_depend_on_the_query_fields_or_their_types() -> None:
    one = _LaterQuery(
        "Paek Chang Ho",
        birth_date=("1984-08-01", "1984-01-08"),
        phone="+850 2 123",
        parsed=_Reading("08/01/1984", ("1984-01-08", "1984-08-01")),
        warnings=("birth_date: day and month could be either",),
    )
    facts = query_facts(one)
    assert facts == {
        "birth_date": "1984-01-08 or 1984-08-01",
        "phone": "+850 2 123",
        "parsed": "text 08/01/1984; readings 1984-01-08 or 1984-08-01",
    }
    swapped = _LaterQuery("Paek Chang Ho", birth_date=("1984-01-08", "1984-08-01"))
    assert query_facts(swapped)["birth_date"] == facts["birth_date"]  # order of readings
    one_reading = _LaterQuery("Paek Chang Ho", birth_date=("1984-08-01",))
    assert query_facts(one_reading)["birth_date"] != facts["birth_date"]


def test_fact_text_of_plain_values() -> None:
    assert fact_text(None) is None and fact_text("  ") is None and fact_text(()) is None
    assert fact_text(" a  b ") == "a b"
    assert fact_text(dt.date(1962, 2, 18)) == "1962-02-18"
    assert fact_text(True) == "true" and fact_text(7) == "7"
    assert fact_text({"b", "a", None}) == "a or b"


def test_differences_say_which_fact_is_missing_added_or_different() -> None:
    reviewed = {"birth_date": "1962-02-18", "nationality": "kp"}
    assert differences(reviewed, {"birth_date": "1962-02-18", "nationality": "KP "}) == []
    assert differences(reviewed, {"birth_date": "1946", "nationality": "kp"}) == [
        "this query's birth date 1946 differs"
    ]
    assert differences(reviewed, {"nationality": "kp"}) == ["this query has no birth date"]
    assert differences(reviewed, {**reviewed, "imo": "9018543"}) == [
        "this query's IMO 9018543 was not part of the review"
    ]
    assert differences({}, {"schema": "Person"}) == [
        "this query's schema Person was not part of the review"
    ]
    assert describe(reviewed) == "birth date 1962-02-18, nationality kp"
    assert describe({}) == ""
