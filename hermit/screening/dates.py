"""Date of birth as graded evidence: ``hermit-dob@2``.

The query's date (``BirthDate``: one reading or several) is compared with every listed
date and its qualifier (exact, circa, approximately, between ... as the parsers keep
them); the best-fitting pair of a reading and a listed date decides. Agreement is
evidence for, a close date weakens, a far one counts against, and a missing date on
either side says nothing. A query date that is approximate (``circa 1960``) is graded
as a listed circa date is; a range (``1960-1965``) as each year in it; a date whose day
and month can be read either way (``08/01/1984``) as both readings, and the reason says
which reading fitted. @2: readings, approximate and range query dates (@1 took one
ISO date).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

ALGORITHM = "hermit-dob@2"
SAME_DAY = 0.10
CONSISTENT = 0.05
NEAR_CIRCA = 0.02
SAME_YEAR_OTHER_DAY = -0.02
ONE_YEAR_APART = -0.04
FAR = -0.30
_APPROXIMATE = ("circa", "approximately")


@dataclass(frozen=True, slots=True)
class ListedDate:
    value: str  # ISO prefix: 1962, 1962-02, 1962-02-18
    qualifier: str | None = None


@dataclass(frozen=True, slots=True)
class BirthDate:
    """A query's date of birth as read from its text (hermit.screening.query_dates).

    ``readings`` are ISO prefixes (``1962``, ``1962-02``, ``1962-02-18``): one, or two
    when the order of day and month cannot be told (``08/01/1984``), or every year of a
    range (``span``: ``1960-1965``). ``approximate`` for ``circa 1960``. ``text`` is
    what was given (not part of equality: ``16/07/1969`` and ``1969-07-16`` are the
    same date). ``str()`` is the canonical form: ``1962-02-18``, ``1984-01-08 or
    1984-08-01``, ``circa 1960``, ``1960 to 1965``."""

    readings: tuple[str, ...]
    approximate: bool = False
    span: tuple[int, int] | None = None
    text: str = field(default="", compare=False)

    @classmethod
    def of(cls, iso: str) -> BirthDate:
        """An exact date given as an ISO prefix."""
        return cls((iso,), text=iso)

    @property
    def ambiguous(self) -> bool:
        """Several readings that are not the years of a range."""
        return self.span is None and len(self.readings) > 1

    def __str__(self) -> str:
        if self.span is not None:
            shown = f"{self.span[0]} to {self.span[1]}"
        else:
            shown = " or ".join(self.readings)
        return f"circa {shown}" if self.approximate else shown


@dataclass(frozen=True, slots=True)
class DateEvidence:
    value: float
    reason: str


def _grade(query: str, approximate_query: bool, listed: ListedDate) -> DateEvidence:
    shown = listed.value + (f" ({listed.qualifier})" if listed.qualifier else "")
    approximate = approximate_query or any(q in (listed.qualifier or "") for q in _APPROXIMATE)
    given = f"circa {query}" if approximate_query else query
    if query == listed.value and len(query) == 10 and not approximate_query:
        return DateEvidence(SAME_DAY, f"born on the listed date {shown}")
    if query.startswith(listed.value) or listed.value.startswith(query):
        return DateEvidence(CONSISTENT, f"{given} is consistent with listed {shown}")
    gap_years = abs(int(query[:4]) - int(listed.value[:4]))
    if approximate and gap_years <= 1:
        return DateEvidence(NEAR_CIRCA, f"{given} is within a year of listed {shown}")
    if approximate and gap_years <= 3:
        return DateEvidence(0.0, f"{given} is {gap_years} years from listed {shown}")
    if gap_years == 0:
        return DateEvidence(SAME_YEAR_OTHER_DAY, f"same year as listed {shown}, day differs")
    if gap_years == 1:
        return DateEvidence(ONE_YEAR_APART, f"{given} is one year from listed {shown}")
    return DateEvidence(FAR, f"{given} is {gap_years} years from listed {shown}")


def _how_read(query: BirthDate, reading: str) -> str:
    """What the reason adds about a query date with several readings."""
    given = query.text or str(query)
    if query.span is not None:
        return f" (the given range {query.span[0]}-{query.span[1]}: {reading} fits best)"
    others = [r for r in query.readings if r != reading]
    return (
        f" (the date {given} is ambiguous: read as {reading}, it could also be "
        f"{' or '.join(others)})"
    )


def compare_birth_dates(
    query: BirthDate | None, listed: Sequence[ListedDate]
) -> DateEvidence | None:
    """The best-fitting (reading, listed date) pair's evidence; None when either side
    has no date. Among pairs graded alike the closest years win, then the first reading
    and the first listed date."""
    if query is None or not listed or not query.readings:
        return None
    best: tuple[float, int, DateEvidence, str] | None = None
    for reading in query.readings:
        for date in listed:
            found = _grade(reading, query.approximate, date)
            gap = abs(int(reading[:4]) - int(date.value[:4]))
            if best is None or (found.value, -gap) > (best[0], -best[1]):
                best = (found.value, gap, found, reading)
    assert best is not None
    _, _, evidence, reading = best
    if len(query.readings) == 1:
        return evidence
    return DateEvidence(evidence.value, evidence.reason + _how_read(query, reading))
