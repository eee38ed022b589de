"""Screening one chunk of input rows: the work a bulk run hands to each worker.

``screen_rows`` is a pure function of a Screener and rows, run in-process for one
worker. For several, ``init_worker`` runs once in each worker process and keeps its
Screener (inherited from the parent when forked, else built from a ScreenerSource) in
``_worker``, process-local state that ``screen_chunk`` reads.
"""

from __future__ import annotations

import signal
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any, Protocol

import orjson

from hermit.errors import BulkError
from hermit.screening.bulk.rows import RawRow, Rejected, ResultRow, Warned
from hermit.screening.engine import Screener
from hermit.screening.memo import ScreenMemo
from hermit.screening.query import QueryError, make_query
from hermit.screening.result import Match


class ScreenerSource(Protocol):
    """Builds a Screener; picklable, so a worker that is not forked can build its own."""

    def build(self) -> Screener: ...


@dataclass(slots=True)
class ChunkResult:
    """What screening a chunk gave, in input order, with its counts."""

    rows: list[ResultRow] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    warned: list[Warned] = field(default_factory=list)  # screened rows with warnings
    read: int = 0
    screened: int = 0
    clear: int = 0  # screened queries with no candidate at or above the report floor
    with_alerts: int = 0  # queries with at least one match that is not suppressed
    matches: int = 0  # (query, candidate) pairs at or above the threshold
    suppressed: int = 0  # pairs with an analyst's decision
    lapsed: int = 0  # pairs whose reviewed decision no longer applies (they alert)
    repeated: int = 0  # screened queries answered as an identical earlier one (the memo)


def _values_text(values: dict[str, str]) -> str:
    return orjson.dumps(values).decode()


def status_of(match: Match) -> str:
    """``suppressed`` (a reviewed non-match), ``alert`` (a match) or ``review``."""
    if match.suppressed is not None:
        return "suppressed"
    return "alert" if match.is_match else "review"


def screen_rows(
    screener: Screener, rows: Sequence[RawRow], limit: int, label: str = "input"
) -> ChunkResult:
    """Screen every row with a usable name, on the fields that could be read (the
    others set aside with a warning, written with each of its result rows); reject
    the rows without one, or that could not be read, with their reason. Every screened
    row gives at least one result row: a query with no candidate at or above the report
    floor one row of status ``clear``. A query without an id is reported under its row
    number (but suppressions by query id apply only to ids given in the input). An
    exception from the screener is a BulkError naming ``label`` and the row."""
    out = ChunkResult(read=len(rows))
    floor = screener.info.report_floor
    memo = screener.memo
    hits = 0 if memo is None else memo.rows.hits
    for raw in rows:
        if raw.problem is not None:
            out.rejected.append(Rejected(raw.row, raw.line, raw.field, raw.problem, raw.text))
            continue
        try:
            parsed = make_query(raw.values, raw.warnings)
        except QueryError as exc:
            text = _values_text(raw.values)
            out.rejected.append(Rejected(raw.row, raw.line, exc.field, exc.problem, text))
            continue
        query = parsed.query
        try:
            found = screener.screen(query, limit)
        except Exception as exc:
            raise BulkError(
                f"{label} row {raw.row}: screening {query.name!r} failed: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        out.screened += 1
        query_id = query.id if query.id is not None else str(raw.row)
        warnings = tuple(str(w) for w in parsed.warnings)
        if parsed.warnings:
            out.warned.append(Warned(raw.row, raw.line, query_id, query.name, parsed.warnings))
        if not found:
            out.clear += 1
            why = f"nothing on the lists scored {floor:.2f} or more"
            out.rows.append(
                ResultRow(
                    query_id, query.name, "clear", None, None, None, None, (), None, False,
                    None, None, why, warnings,
                )
            )  # fmt: skip
        alert = False
        for rank, m in enumerate(found, 1):
            out.rows.append(
                ResultRow(
                    query_id,
                    query.name,
                    status_of(m),
                    rank,
                    m.entity_id,
                    m.caption,
                    m.schema,
                    m.datasets,
                    m.score,
                    m.is_match,
                    m.suppressed,
                    m.lapsed,
                    m.explanation,
                    warnings,
                )
            )
            out.matches += m.is_match
            out.suppressed += m.suppressed is not None
            out.lapsed += m.lapsed is not None
            alert = alert or m.alert
        out.with_alerts += alert
    if memo is not None:
        out.repeated = memo.rows.hits - hits
    return out


@dataclass(frozen=True, slots=True)
class _Worker:
    screener: Screener
    limit: int
    label: str


_worker: _Worker | None = None


def init_worker(screener: Screener | ScreenerSource, limit: int, label: str) -> None:
    """Runs once in each worker process. Ctrl-C is the parent's to handle: the parent
    stops the pool, so workers ignore SIGINT rather than each printing a traceback."""
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    built = screener if isinstance(screener, Screener) else screener.build()
    built.memo = ScreenMemo()  # this process's own
    _worker = _Worker(built, limit, label)


#: A chunk travels to a worker as plain tuples of RawRow's fields: pickled in C, they
#: cost a sixth of the dataclasses' own (Python-level) pickling, about 9 µs a row.
_RAW_FIELDS = tuple(f.name for f in fields(RawRow))
_raw_tuple = attrgetter(*_RAW_FIELDS)
PackedRows = list[tuple[Any, ...]]


def pack_rows(rows: Sequence[RawRow]) -> PackedRows:
    """The rows as tuples, to send to a worker (``screen_chunk`` unpacks them)."""
    return [_raw_tuple(row) for row in rows]


def screen_chunk(packed: PackedRows) -> ChunkResult:
    """``screen_rows`` with the worker's Screener (after ``init_worker``), on rows
    packed by ``pack_rows``."""
    if _worker is None:
        raise BulkError("screen_chunk called in a process that init_worker did not set up")
    rows = [RawRow(*values) for values in packed]
    return screen_rows(_worker.screener, rows, _worker.limit, _worker.label)
