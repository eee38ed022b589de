"""Date of birth as graded evidence (hermit-dob@2), with the lists' qualifiers and the
query's readings: ambiguous day and month, approximate dates, ranges."""

from __future__ import annotations

import pytest

from hermit.screening.dates import (
    CONSISTENT,
    FAR,
    NEAR_CIRCA,
    ONE_YEAR_APART,
    SAME_DAY,
    SAME_YEAR_OTHER_DAY,
    BirthDate,
    ListedDate,
    compare_birth_dates,
)
from hermit.screening.query_dates import read_birth_date

EXACT = [ListedDate("1962-02-18", "exact")]


def _date(text: str) -> BirthDate:
    return read_birth_date(text).date


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
    found = compare_birth_dates(BirthDate.of(query), listed)
    assert found is not None and found.value == value, found


def test_missing_is_neutral() -> None:
    assert compare_birth_dates(None, EXACT) is None
    assert compare_birth_dates(BirthDate.of("1962"), []) is None


def test_reason_names_the_listed_date_and_qualifier() -> None:
    found = compare_birth_dates(BirthDate.of("1948"), [ListedDate("1947", "circa")])
    assert found is not None and found.reason == "1948 is within a year of listed 1947 (circa)"


# Every format of the issue, and the ones real exports add, as (text, readings).
FORMATS = [
    ("1969-07-16", ("1969-07-16",)),
    ("1969-7-16", ("1969-07-16",)),
    ("16/07/1969", ("1969-07-16",)),  # only day first can be read
    ("07/16/1969", ("1969-07-16",)),  # only month first can be read
    ("16.07.1969", ("1969-07-16",)),
    ("16-Jul-1969", ("1969-07-16",)),
    ("16 Jul 1969", ("1969-07-16",)),
    ("July 16, 1969", ("1969-07-16",)),
    ("30 Oct 1965", ("1965-10-30",)),  # OFAC's style
    ("1969", ("1969",)),
    ("1969-07", ("1969-07",)),
    ("07/1969", ("1969-07",)),
    ("Jul 1969", ("1969-07",)),
    ("19690716", ("1969-07-16",)),
    ("16071969", ("1969-07-16",)),
    ("1969-07-16 00:00:00", ("1969-07-16",)),  # a spreadsheet's export
    ("7/16/1969 0:00", ("1969-07-16",)),
    ("1969/07/16", ("1969-07-16",)),
    ("16 juillet 1969", ("1969-07-16",)),
    ("1er mai 1970", ("1970-05-01",)),
    ("16 июля 1969 г.", ("1969-07-16",)),
    ("16. Juli 1969", ("1969-07-16",)),
    ("the 16th of July 1969", ("1969-07-16",)),
    ("08/01/1984", ("1984-01-08", "1984-08-01")),  # either way: both kept
    ("08.01.1984", ("1984-01-08",)),  # dotted dates are day first
    ("07/07/1969", ("1969-07-07",)),  # both orders give one date
]


@pytest.mark.parametrize(("text", "readings"), FORMATS)
def test_date_formats_customer_files_use(text: str, readings: tuple[str, ...]) -> None:
    found = read_birth_date(text)
    assert found.date.readings == readings
    assert found.date.text == text and not found.date.approximate
    assert bool(found.notes) == (len(readings) > 1), found.notes


def test_an_ambiguous_date_says_so_and_the_best_reading_decides() -> None:
    found = read_birth_date("08/01/1984")
    assert found.date.ambiguous and str(found.date) == "1984-01-08 or 1984-08-01"
    assert found.notes == (
        "day and month can be read either way: compared as 8 January 1984 or 1 August 1984",
    )
    august = compare_birth_dates(found.date, [ListedDate("1984-08-01")])
    assert august is not None and august.value == SAME_DAY
    assert august.reason == (
        "born on the listed date 1984-08-01 (the date 08/01/1984 is ambiguous: read as "
        "1984-08-01, it could also be 1984-01-08)"
    )
    january = compare_birth_dates(found.date, [ListedDate("1984-01-08")])
    assert (
        january is not None
        and january.value == SAME_DAY
        and "read as 1984-01-08" in (january.reason)
    )
    neither = compare_birth_dates(found.date, [ListedDate("1984-05-05")])
    assert neither is not None and neither.value == SAME_YEAR_OTHER_DAY
    assert "ambiguous" in neither.reason


def test_two_digit_years_follow_a_fixed_rule_and_say_so() -> None:
    found = read_birth_date("16/07/69")
    assert found.date.readings == ("1969-07-16",)
    assert found.notes == (
        "two-digit year 69 read as 1969 (30-99 are 1930-1999, 00-29 are 2000-2029); "
        "write the year in four digits to be sure",
    )
    assert read_birth_date("16-Jul-05").date.readings == ("2005-07-16",)
    assert read_birth_date("16-Jul-30").date.readings == ("1930-07-16",)


def test_circa_is_compared_as_approximate() -> None:
    for text in ("circa 1960", "c. 1960", "ca. 1960", "approx. 1960", "~1960", "1960 approx"):
        date = _date(text)
        assert (date.readings, date.approximate, str(date)) == (("1960",), True, "circa 1960")
    circa = _date("circa 1960")
    near = compare_birth_dates(circa, [ListedDate("1961-03-04")])
    assert near is not None and near.value == NEAR_CIRCA
    assert near.reason == "circa 1960 is within a year of listed 1961-03-04"
    assert compare_birth_dates(circa, [ListedDate("1960-03-04")]).value == CONSISTENT  # type: ignore[union-attr]
    assert compare_birth_dates(circa, [ListedDate("1963")]).value == 0.0  # type: ignore[union-attr]
    assert compare_birth_dates(circa, [ListedDate("1966")]).value == FAR  # type: ignore[union-attr]
    # an exact date would count against a year away; circa does not
    assert compare_birth_dates(BirthDate.of("1960"), [ListedDate("1961")]).value == ONE_YEAR_APART  # type: ignore[union-attr]


def test_a_range_is_compared_as_every_year_in_it() -> None:
    for text in ("1960-1965", "1960 - 1965", "between 1960 and 1965", "1960 to 1965"):
        date = _date(text)
        assert date.span == (1960, 1965) and str(date) == "1960 to 1965", text
        assert date.readings == ("1960", "1961", "1962", "1963", "1964", "1965")
    inside = compare_birth_dates(_date("1960-1965"), EXACT)
    assert inside is not None and inside.value == CONSISTENT
    assert inside.reason == (
        "1962 is consistent with listed 1962-02-18 (exact) (the given range 1960-1965: 1962 "
        "fits best)"
    )
    outside = compare_birth_dates(_date("1960-1965"), [ListedDate("1975")])
    assert outside is not None and outside.value == FAR and "10 years" in outside.reason


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("1974-01-32", "there is no day 32 in January 1974 (it has 31 days)"),
        ("1968-13-30", "there is no month 13"),
        ("1962-02-30", "there is no day 30 in February 1962 (it has 28 days)"),
        ("31/13/1970", "day first: there is no month 13; month first: there is no month 31"),
        ("0962", "year 962 is not a plausible year of birth (1850 to 2099)"),
        ("1965-1990", "a range of 25 years says too little (at most 10)"),
        ("1965-1960", "a range of years from 1965 back to 1960"),
        ("25400", "not a date (a spreadsheet's day number? export the column as text)"),
        ("62", "not a date (a year needs four digits)"),
        ("16/07", "not a date (a month and a year need a four-digit year)"),
        ("Persn", "'persn' is not a month name or part of a date"),
        ("16 Jul Aug 1969", "two month names"),
        ("circa", "no date in it"),
    ],
)
def test_impossible_dates_say_what_is_wrong(text: str, problem: str) -> None:
    with pytest.raises(ValueError) as err:
        read_birth_date(text)
    assert str(err.value) == problem
