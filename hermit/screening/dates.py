"""Date of birth as graded evidence: ``hermit-dob@2``.

The query's date (YYYY, YYYY-MM or YYYY-MM-DD) is compared with every listed date and
its qualifier (exact, circa, approximately, between ... as the parsers keep them); the
best-fitting listed date decides. Agreement is evidence for, a close date weakens, a far
one counts against, and a missing date on either side says nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

ALGORITHM = "hermit-dob@2"
SAME_DAY = 0.10
CONSISTENT = 0.05
NEAR_CIRCA = 0.02
SAME_YEAR_OTHER_DAY = -0.02
ONE_YEAR_APART = -0.04
FAR = -0.30
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_APPROXIMATE = ("circa", "approximately")


@dataclass(frozen=True, slots=True)
class ListedDate:
    value: str  # ISO prefix: 1962, 1962-02, 1962-02-18
    qualifier: str | None = None


@dataclass(frozen=True, slots=True)
class DateEvidence:
    value: float
    reason: str


def parse_query_date(text: str) -> str:
    """``1962-02-18``, ``1962-02`` or ``1962``; ValueError for anything else."""
    text = text.strip()
    if not _DATE.fullmatch(text):
        raise ValueError(f"{text!r} is not a date like 1962-02-18, 1962-02 or 1962")
    parts = [int(p) for p in text.split("-")]
    date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    return text


def _grade(query: str, listed: ListedDate) -> DateEvidence:
    shown = listed.value + (f" ({listed.qualifier})" if listed.qualifier else "")
    approximate = any(q in (listed.qualifier or "") for q in _APPROXIMATE)
    if query == listed.value and len(query) == 10:
        return DateEvidence(SAME_DAY, f"born on the listed date {shown}")
    if query.startswith(listed.value) or listed.value.startswith(query):
        return DateEvidence(CONSISTENT, f"{query} is consistent with listed {shown}")
    gap_years = abs(int(query[:4]) - int(listed.value[:4]))
    if approximate and gap_years <= 1:
        return DateEvidence(NEAR_CIRCA, f"{query} is within a year of listed {shown}")
    if approximate and gap_years <= 3:
        return DateEvidence(0.0, f"{query} is {gap_years} years from listed {shown}")
    if gap_years == 0:
        return DateEvidence(SAME_YEAR_OTHER_DAY, f"same year as listed {shown}, day differs")
    if gap_years == 1:
        return DateEvidence(ONE_YEAR_APART, f"{query} is one year from listed {shown}")
    return DateEvidence(FAR, f"{query} is {gap_years} years from listed {shown}")


def compare_birth_dates(query: str | None, listed: Sequence[ListedDate]) -> DateEvidence | None:
    """The best-fitting listed date's evidence; None when either side has no date."""
    if not query or not listed:
        return None
    return max((_grade(query, d) for d in listed), key=lambda e: e.value)
