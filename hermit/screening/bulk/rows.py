"""What flows through a bulk run: input rows as read, rejected rows, warned rows,
result rows."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import NamedTuple

from hermit.screening.query import QueryWarning

#: A result row's status: a match to look at, a candidate to review, a reviewed
#: non-match, or (one row, no entity) a query where nothing reached the report floor.
STATUSES = ("alert", "review", "suppressed", "clear")
#: How the warnings of a query are joined in a CSV cell (the messages hold ';').
WARNING_SEPARATOR = " | "


@dataclass(frozen=True, slots=True)
class RawRow:
    """One input record before validation.

    ``row`` is the 1-based data row (CSV and Parquet; the header is not a row) or the
    line number (JSON lines); ``line`` the file line a CSV record starts on. ``values``
    holds the text of the query columns. ``problem`` (with ``field`` when one cell is to
    blame) says why the record could not be read; ``text`` is then what was read.
    ``warnings``: what reading the record set aside (an extra cell, a cell that is not
    one value) or assumed (a cell decoded as Windows-1252)."""

    row: int
    values: dict[str, str]
    line: int | None = None
    field: str = ""
    problem: str | None = None
    text: str = ""
    warnings: tuple[QueryWarning, ...] = ()


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input row that was not screened, with where it is and why."""

    row: int
    line: int | None
    field: str
    reason: str
    text: str

    def where(self, path: str) -> str:
        line = "" if self.line is None or self.line == self.row else f" (line {self.line})"
        return f"{path} row {self.row}{line}"

    def describe(self, path: str) -> str:
        """``queries.csv row 3 (line 4): birth_date: '1962-13-01' is not a date``."""
        field = f"{self.field}: " if self.field else ""
        return f"{self.where(path)}: {field}{self.reason}"


@dataclass(frozen=True, slots=True)
class Warned:
    """A row that was screened with warnings (for the summary; the results file has
    them all in its ``warnings`` column)."""

    row: int
    line: int | None
    query_id: str
    name: str
    warnings: tuple[QueryWarning, ...]

    def describe(self, path: str) -> str:
        where = Rejected(self.row, self.line, "", "", "").where(path)
        return f"{where} ({self.query_id}): " + "; ".join(str(w) for w in self.warnings)


class ResultRow(NamedTuple):
    """One (query, candidate) pair at or above the report floor; or, status ``clear``,
    the one row of a query with none (no entity, rank and score)."""

    query_id: str
    query_name: str
    status: str  # one of STATUSES
    rank: int | None  # 1 = best candidate of the query
    entity_id: str | None
    caption: str | None
    schema: str | None
    datasets: tuple[str, ...]
    score: float | None
    is_match: bool
    suppressed: str | None  # the analyst's decision when the pair was reviewed
    lapsed: str | None  # a reviewed decision that no longer applies, and why
    explanation: str
    warnings: tuple[str, ...]  # what was set aside or assumed in reading the query


RESULT_COLUMNS: tuple[str, ...] = ResultRow._fields


def cell_text(value: object) -> str | None:
    """A typed cell (JSON, Parquet) as query text; None when empty. ValueError for a
    value that is not one scalar (a list, an object, true/false)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise ValueError(f"{str(value).lower()} is not a text, number or date")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):  # pandas' missing value
            return None
        # pandas writes integer columns with gaps as floats: 8914934.0 is 8914934
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError("bytes that are not UTF-8 text") from None
    raise ValueError(f"a {type(value).__name__} is not a single value")
