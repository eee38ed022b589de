"""Date of birth as graded evidence, with the lists' qualifiers."""

from __future__ import annotations

import pytest

from hermit.screening.dates import (
    CONSISTENT,
    FAR,
    NEAR_CIRCA,
    ONE_YEAR_APART,
    SAME_DAY,
    SAME_YEAR_OTHER_DAY,
    ListedDate,
    compare_birth_dates,
    parse_query_date,
)

EXACT = [ListedDate("1962-02-18", "exact")]


@pytest.mark.parametrize(
    ("query", "listed", "value"),
    [
        ("1962-02-18", EXACT, SAME_DAY),
        ("1962", EXACT, CONSISTENT),
        ("1962-02", EXACT, CONSISTENT),
        ("1962-05-01", EXACT, SAME_YEAR_OTHER_DAY),
        ("1963-02-18", EXACT, ONE_YEAR_APART),
        ("1947", EXACT, FAR),
        ("1948", [ListedDate("1947", "circa")], NEAR_CIRCA),
        ("1949", [ListedDate("1947", "circa"), ListedDate("1946", "alt. circa")], 0.0),
        ("1952", [ListedDate("1947", "circa")], FAR),
        (
            "1968-03-01",
            [ListedDate(str(y), "between 1967 and 1969") for y in (1967, 1968, 1969)],
            CONSISTENT,
        ),
        ("1971", [ListedDate("1970", "approximately")], NEAR_CIRCA),
    ],
)
def test_grades(query: str, listed: list[ListedDate], value: float) -> None:
    found = compare_birth_dates(query, listed)
    assert found is not None and found.value == value, found


def test_missing_is_neutral() -> None:
    assert compare_birth_dates(None, EXACT) is None
    assert compare_birth_dates("1962", []) is None


def test_reason_names_the_listed_date_and_qualifier() -> None:
    found = compare_birth_dates("1948", [ListedDate("1947", "circa")])
    assert found is not None and found.reason == "1948 is within a year of listed 1947 (circa)"


@pytest.mark.parametrize("bad", ["18 Feb 1962", "1962-13-01", "1962-02-30", "62", ""])
def test_malformed_query_dates(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_query_date(bad)
