"""Reading a query: every field that cannot be read is set aside with a warning naming
the field, the value and why; only a query without a usable name is refused."""

from __future__ import annotations

from dataclasses import fields

import pytest

from hermit.screening.query import (
    FIELDS,
    QUERY_FIELDS,
    BirthDate,
    Given,
    Query,
    QueryError,
    make_query,
)


def test_the_field_map_covers_every_query_field_once() -> None:
    names = tuple(spec.name for spec in FIELDS)
    assert names == QUERY_FIELDS == tuple(f.name for f in fields(Query))
    props = [p for spec in FIELDS for p in spec.properties]
    assert len(props) == len(set(props))
    assert all(set(spec.offered) <= set(spec.properties) for spec in FIELDS)


def test_a_clean_query_has_no_warnings() -> None:
    parsed = make_query(
        {
            "name": "  Kim   Yong Chol ",
            "id": "c1",
            "schema": "person",
            "birth_date": "18/02/1962",
            "nationality": "North Korea",
            "country": "PRK",
            "passport": " 745  310010 ",
            "imo": "IMO 8914934",
            "mmsi": "445 123 456",
            "gender": "M",
        }
    )
    assert parsed.warnings == ()
    q = parsed.query
    assert (q.name, q.id, q.schema, q.nationality, q.country) == (
        "Kim Yong Chol",
        "c1",
        "Person",
        "kp",
        "kp",
    )
    assert q.birth_date == BirthDate.of("1962-02-18") and q.birth_date.text == "18/02/1962"
    assert (q.passport, q.imo, q.mmsi, q.gender) == ("745 310010", "8914934", "445123456", "male")
    assert q.facts()["birth_date"] == "1962-02-18"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("birth_date", "1974-01-32", "there is no day 32 in January 1974 (it has 31 days)"),
        ("birth_date", "1968-13-30", "there is no month 13"),
        ("nationality", "Nort Korea", "not a country (did you mean North Korea (kp)? use a "
         "name or an ISO code: kp, ru)"),
        ("country", "xx", "not a country (use a name or an ISO code: kp, ru)"),
        ("imo", "8914935", "8914935 fails the IMO check digit (a typo?): a ship IMO number's "
         "seventh digit is the check of the first six"),
        ("imo", "91379", "not an IMO number (seven digits, as IMO 8914934)"),
        ("mmsi", "44512345", "not an MMSI (nine digits)"),
        ("gender", "q", "not a gender (male, female, m, f)"),
        ("passport", "--/--", "no letters or digits in it"),
        ("schema", "Persn", "unknown schema (did you mean Person? one of Person, Organization, "
         "Company, LegalEntity, Vessel, Airplane); screened as any kind of entity"),
    ],
)  # fmt: skip
def test_an_unreadable_field_is_set_aside_and_the_query_screened(
    field: str, value: str, message: str
) -> None:
    parsed = make_query({"name": "Kim Yong Chol", field: value, "nationality_": "x"})
    assert parsed.query == Query(name="Kim Yong Chol")  # screened on the name alone
    (warning,) = parsed.warnings
    assert (warning.field, warning.value, warning.message, warning.set_aside) == (
        field,
        value,
        message,
        True,
    )
    assert str(warning) == f"{field} {value!r} set aside: {message}"


def test_a_value_read_with_an_assumption_is_used_and_warned_about() -> None:
    parsed = make_query({"name": "Kim", "birth_date": "08/01/1984"})
    assert parsed.query.birth_date is not None
    assert parsed.query.birth_date.readings == ("1984-01-08", "1984-08-01")
    (warning,) = parsed.warnings
    assert not warning.set_aside and str(warning).startswith(
        "birth_date '08/01/1984': day and month can be read either way"
    )


def test_placeholders_count_as_missing_and_other_genders_are_not_compared() -> None:
    parsed = make_query(
        {"name": "Kim", "birth_date": "N/A", "nationality": "unknown", "imo": "-", "gender": "X"}
    )
    assert parsed == make_query({"name": "Kim"})


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        (None, "missing (every query needs a name)"),
        ("   ", "missing (every query needs a name)"),
        ("N/A", "'N/A' says the name is not known: there is nothing to screen"),
        ("***", "'***' has no letter or digit: there is nothing to screen"),
    ],
)
def test_only_a_query_without_a_usable_name_is_refused(name: str | None, problem: str) -> None:
    with pytest.raises(QueryError) as err:
        make_query({"name": name, "birth_date": "1962"})
    assert (err.value.field, err.value.problem) == ("name", problem)


def test_alternatives_the_first_readable_is_used_and_warnings_name_their_source() -> None:
    parsed = make_query(
        {
            "name": Given("Kim Yong Chol", "name"),
            "nationality": [Given("Nowhere", "nationality"), Given("kp", "citizenship")],
            "birth_date": Given("1962-02-30", "--dob"),
        }
    )
    assert parsed.query.nationality == "kp" and parsed.query.birth_date is None
    assert [str(w) for w in parsed.warnings] == [
        "--dob '1962-02-30' set aside: there is no day 30 in February 1962 (it has 28 days)",
        "nationality 'Nowhere' set aside: not a country (use a name or an ISO code: kp, ru)",
    ]
