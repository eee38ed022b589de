"""CSV in and out. Input: UTF-8 (a BOM is fine), a header line naming the columns,
comma-separated (a header that only reads with ``;``, tab or ``|`` sets the separator).
Records are read one at a time; one that cannot be read at all (bad quoting) becomes a
rejected row and reading goes on. A record with more cells than the header is read on
the header's columns and its extra cells are set aside with a warning; one with fewer
is read on the cells it has, with a warning naming the missing columns; a cell whose
bytes are not UTF-8 is read as Windows-1252 (the usual other encoding of such files),
with a warning."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path

from hermit.errors import SourceError
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
        self.header = next(csv.reader([first], delimiter=self.separator))
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
        with self.path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
            reader = csv.reader(fh, delimiter=self.separator, strict=True)
            next(reader)  # the header, checked in __init__
            row, end = 0, reader.line_num
            while True:
                start = end + 1
                try:
                    record = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    end = reader.line_num
                    row += 1
                    span = f" (the record runs from line {start} to {end})" if end > start else ""
                    yield RawRow(row, {}, start, "", f"not readable as CSV: {exc}{span}")
                    continue
                end = reader.line_num
                if not record:  # a blank line
                    continue
                row += 1
                yield self._row(row, start, record, known)

    def _row(self, row: int, line: int, record: list[str], known: list[tuple[int, str]]) -> RawRow:
        warnings: list[QueryWarning] = []
        width = len(self.header)
        if len(record) > width:
            extra = self.separator.join(record[width:])
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
