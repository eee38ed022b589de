"""CSV in and out. Input: UTF-8 (a BOM is fine), a header line naming the columns,
comma-separated (a header that only reads with ``;``, tab or ``|`` sets the separator).
Records are read one at a time; one that cannot be read at all (bad quoting) becomes a
rejected row and reading goes on. A quote left open would swallow every line up to the
next quote into one record: a record over several lines that cannot be read, or runs
over more than ``bulk.max_record_lines`` lines (resources/limits.yaml), or whose cell
count is not the header's, or with a line break in a query column, is taken for one.
Its first line is rejected, naming the lines it would have taken, and those lines are
read again as records of their own, each with a warning. A quoted cell with line
breaks that passes (in a column that is no query field) is read, with a warning.

A record with more cells than the header is read on the header's columns and its extra
cells are set aside with a warning; one with fewer is read on the cells it has, with a
warning naming the missing columns; a cell whose bytes are not UTF-8 is read as
Windows-1252 (the usual other encoding of such files), with a warning, and so is any
other cell or header (their bytes are never kept as they are)."""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from hermit.errors import SourceError
from hermit.limits import bulk_limits
from hermit.screening.bulk.columns import ColumnMap, column_key
from hermit.screening.bulk.rows import RESULT_COLUMNS, WARNING_SEPARATOR, RawRow, ResultRow
from hermit.screening.query import QueryWarning

#: Separators tried on the header, in order; the first that yields a ``name`` column wins.
SEPARATORS = (",", ";", "\t", "|")


def _valid_text(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes kept as surrogates
        return False
    return True


def _windows_1252(text: str) -> str:
    """A cell read with undecodable bytes kept as surrogates, decoded as Windows-1252."""
    return text.encode("utf-8", "surrogateescape").decode("cp1252", "replace")


def _text(cell: str) -> str:
    """A cell as text: as read if it was UTF-8, else decoded as Windows-1252."""
    return cell if _valid_text(cell) else _windows_1252(cell)


#: Characters of an unreadable record kept in the rejects file.
_TEXT_SHOWN = 500


class _Lines:
    """A file's lines for csv.reader, numbered from the first; ``take`` gives the lines
    read since it was last called (one record's), ``put_back`` has lines read again."""

    def __init__(self, fh: TextIO) -> None:
        self._fh = fh
        self._back: deque[tuple[int, str]] = deque()
        self._taken: list[tuple[int, str]] = []
        self._number = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self._back:
            item = self._back.popleft()
        else:
            text = self._fh.readline()
            if not text:
                raise StopIteration
            self._number += 1
            item = (self._number, text)
        self._taken.append(item)
        return item[1]

    def take(self) -> list[tuple[int, str]]:
        taken, self._taken = self._taken, []
        return taken

    def put_back(self, lines: list[tuple[int, str]]) -> None:
        self._back.extendleft(reversed(lines))


def _unclosed(start: int, end: int, problem: str | None) -> str:
    reach = f"line {end}" if problem is None else f"line {end} ({problem})"
    rest = f"line {end} is" if end == start + 1 else f"lines {start + 1} to {end} are"
    return (
        f"unclosed quote: the quote opened on line {start} is not closed on it, so the "
        f"record would run on to {reach}; this line is rejected and {rest} read as "
        "records of their own"
    )


def _shown(taken: list[tuple[int, str]]) -> str:
    """The first line of an unreadable record, as text, for the rejects file."""
    return _text(taken[0][1]).rstrip("\r\n")[:_TEXT_SHOWN]


class CsvReader:
    """Query rows of a CSV file; the header is checked when the reader is made."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
                first = fh.readline()
        except OSError as exc:
            raise SourceError(path, f"cannot read: {exc.strerror or exc}") from None
        if not first.strip():
            raise SourceError(path, "empty: no header line naming the columns", 1)
        self.separator = SEPARATORS[0]
        for sep in SEPARATORS:
            header = next(csv.reader([first], delimiter=sep))
            if "name" in (column_key(h) for h in header):
                self.separator = sep
                break
        self.header = [_text(h) for h in next(csv.reader([first], delimiter=self.separator))]
        self.columns = ColumnMap.of(path, self.header, 1)

    def unknown_columns(self) -> tuple[str, ...]:
        return self.columns.unknown

    def estimated_rows(self) -> int | None:
        """Lines after the header (records with line breaks inside count more than once)."""
        count = 0
        with self.path.open("rb") as fh:
            while block := fh.read(1 << 20):
                count += block.count(b"\n")
        return max(count - 1, 0)

    def rows(self) -> Iterator[RawRow]:
        fields = self.columns.fields
        known = [(i, fields[h]) for i, h in enumerate(self.header) if h in fields]
        columns = {i for i, _ in known}
        with self.path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
            lines = _Lines(fh)
            reader = csv.reader(lines, delimiter=self.separator, strict=True)
            next(reader)  # the header, checked in __init__
            lines.take()
            row = 0
            after: tuple[int, int] | None = None  # an unclosed quote's line and its reach
            while True:
                problem: str | None = None
                try:
                    record = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    record, problem = [], f"not readable as CSV: {exc}"
                taken = lines.take()
                if not taken:
                    return
                start, end = taken[0][0], taken[-1][0]
                if len(taken) > 1 and self._runaway(record, taken, columns, problem):
                    lines.put_back(taken[1:])
                    after = (start, end)
                    row += 1
                    yield RawRow(row, {}, start, "", _unclosed(start, end, problem), _shown(taken))
                    continue
                if problem is not None:
                    row += 1
                    span = f" (the record runs from line {start} to {end})" if end > start else ""
                    yield RawRow(row, {}, start, "", problem + span, _shown(taken))
                    continue
                if not record:  # a blank line
                    continue
                row += 1
                notes: list[QueryWarning] = []
                if after is not None and start <= after[1]:
                    why = (
                        f"read on its own: line {after[0]} opened a quote that it did not "
                        "close (see the rejects)"
                    )
                    notes.append(QueryWarning("row", "", why, set_aside=False))
                if end > start:
                    why = f"a quoted cell with line breaks: the record runs to line {end}"
                    notes.append(QueryWarning("row", "", why, set_aside=False))
                yield self._row(row, start, record, known, notes)

    def line_row(self, row: int, line: int, text: str) -> RawRow:
        """Record ``row`` read from line ``line`` alone (``text``, without its line end;
        undecodable bytes as surrogates), as ``rows`` reads a record of one line: for a
        reader given the file's lines one by one (hermit.screening.bulk.on_engine). A
        quote the line does not close is rejected: the record would run on."""
        fields = self.columns.fields
        known = [(i, fields[h]) for i, h in enumerate(self.header) if h in fields]
        try:
            record = next(csv.reader([text], delimiter=self.separator, strict=True), [])
        except csv.Error as exc:
            if str(exc).startswith("unexpected end of data"):
                problem = (
                    f"unclosed quote: the quote opened on line {line} is not closed on it; an "
                    "engine reads each line as a record, so this line is rejected (a quoted "
                    "cell with line breaks is read by a run without --engine)"
                )
            else:
                problem = f"not readable as CSV: {exc}"
            return RawRow(row, {}, line, "", problem, _text(text)[:_TEXT_SHOWN])
        return self._row(row, line, record, known, [])

    def _runaway(
        self,
        record: list[str],
        taken: list[tuple[int, str]],
        columns: set[int],
        problem: str | None,
    ) -> bool:
        """Whether a record over several lines is an unclosed quote rather than a
        quoted cell with line breaks: it could not be read, or it runs over more than
        ``bulk.max_record_lines`` lines, or its cell count is not the header's, or a
        line break sits in a query column (none holds one)."""
        if problem is not None or len(taken) > bulk_limits().max_record_lines:
            return True
        if len(record) != len(self.header):
            return True
        return any("\n" in record[i] or "\r" in record[i] for i in columns if i < len(record))

    def _row(
        self,
        row: int,
        line: int,
        record: list[str],
        known: list[tuple[int, str]],
        notes: list[QueryWarning],
    ) -> RawRow:
        warnings = list(notes)
        width = len(self.header)
        if len(record) > width:
            extra = _text(self.separator.join(record[width:]))
            problem = f"{len(record)} cells where the header has {width}: the extra cells"
            warnings.append(QueryWarning("row", extra, problem))
        elif len(record) < width:
            missing = ", ".join(repr(h) for h in self.header[len(record) :])
            problem = f"{len(record)} cells where the header has {width}: no {missing}"
            warnings.append(QueryWarning("row", "", problem, set_aside=False))
        values: dict[str, str] = {}
        for i, key in known:
            if i < len(record) and record[i]:
                cell = record[i]
                if not _valid_text(cell):
                    cell = _windows_1252(cell)
                    why = "not UTF-8 text: read as Windows-1252 (save the file as UTF-8)"
                    warnings.append(QueryWarning(key, cell, why, set_aside=False))
                values[key] = cell
        return RawRow(row, values, line, warnings=tuple(warnings))


def _csv_cells(row: ResultRow) -> list[object]:
    return [
        row.query_id,
        row.query_name,
        row.status,
        "" if row.rank is None else row.rank,
        row.entity_id or "",
        row.caption or "",
        row.schema or "",
        ";".join(row.datasets),
        "" if row.score is None else row.score,
        "true" if row.is_match else "false",
        row.suppressed or "",
        row.lapsed or "",
        row.explanation,
        WARNING_SEPARATOR.join(row.warnings),
    ]


class CsvWriter:
    """Result rows as CSV (UTF-8, header line; datasets joined by ``;``, warnings by
    `` | ``, is_match ``true``/``false``; empty cells for what a row does not have: the
    entity, rank and score of a ``clear`` row, the decision (suppressed, lapsed) of a
    pair not reviewed)."""

    def __init__(self, path: Path) -> None:
        self._fh = path.open("w", encoding="utf-8", newline="")
        self._writer = csv.writer(self._fh)
        self._writer.writerow(RESULT_COLUMNS)

    def write(self, rows: Sequence[ResultRow]) -> None:
        self._writer.writerows(_csv_cells(r) for r in rows)

    def close(self) -> None:
        self._fh.close()
