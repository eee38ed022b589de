"""Read one labour file (CSV, gzip-compressed CSV, or an Excel workbook) through its
kind's declared columns: records with provenance, and every problem named.

A row with the wrong number of fields, or whose required field is blank or unreadable,
is rejected (a Problem of severity ``row``); any other unreadable value is set aside
(severity ``field``) and the row kept without it. Nothing is dropped silently: each
rejected row and set-aside value is yielded and counted.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
from collections.abc import Callable, Iterator
from pathlib import Path

from hermit.compliance.columns import DateSettings, FieldSpec, KindSpec
from hermit.compliance.records import LabourRecord, Problem, ReadSummary, Value
from hermit.compliance.values import read_amount, read_date, read_datetime, read_document
from hermit.errors import SourceError

GZIP_MAGIC = b"\x1f\x8b"
XLSX_MAGIC = b"PK\x03\x04"

Item = LabourRecord | Problem
Cells = tuple[int, list[str]]


def _fast_date(text: str) -> dt.date | None:
    """``DD.MM.YYYY`` without strptime (most values): None if not of that shape."""
    if len(text) == 10 and text[2] == "." and text[5] == "." and text.isascii():
        try:
            return dt.date(int(text[6:]), int(text[3:5]), int(text[:2]))
        except ValueError:
            return None
    return None


def _fast_datetime(text: str) -> dt.datetime | None:
    """``DD.MM.YYYY HH:MM`` without strptime: None if not of that shape."""
    if len(text) == 16 and text[2] == "." and text[5] == "." and text[13] == ":" and text.isascii():
        try:
            return dt.datetime(
                int(text[6:10]), int(text[3:5]), int(text[:2]), int(text[11:13]), int(text[14:])
            )
        except ValueError:
            return None
    return None


class _Converter:
    """Reads values by field type; dates are cached (the same days recur)."""

    def __init__(self, dates: DateSettings) -> None:
        self.dates = dates
        self.cache: dict[str, dt.date | str] = {}

    def date(self, text: str) -> dt.date:
        found = self.cache.get(text)
        if found is None:
            fast = _fast_date(text)
            try:
                found = fast if fast is not None else read_date(text, self.dates)
            except ValueError as exc:
                found = str(exc)
            self.cache[text] = found
        if isinstance(found, str):
            raise ValueError(found)
        return found

    def moment(self, text: str) -> dt.datetime:
        fast = _fast_datetime(text)
        return fast if fast is not None else read_datetime(text, self.dates)

    def reader(self, ftype: str) -> Callable[[str], Value]:
        if ftype == "date":
            return self.date
        if ftype == "datetime":
            return self.moment
        if ftype == "document":
            return read_document
        if ftype == "amount":
            return read_amount
        return str


def _csv_rows(path: Path, delimiter: str, gz: bool) -> Iterator[Cells]:
    opener = gzip.open if gz else open
    with opener(path, "rb") as raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter, strict=True)
        start = 1
        try:
            for cells in reader:
                yield start, cells
                start = reader.line_num + 1
        except UnicodeDecodeError as exc:
            raise SourceError(path, f"not UTF-8 text ({exc.reason})", start) from None
        except csv.Error as exc:
            raise SourceError(path, f"not readable as CSV: {exc}", start) from None
        except (OSError, EOFError) as exc:
            raise SourceError(path, f"not readable: {exc}", start) from None


def _xlsx_rows(path: Path) -> Iterator[Cells]:
    from hermit.sources.xlsx import cell_text, read_first_sheet

    for number, cells in read_first_sheet(path).rows:
        yield number, [cell_text(c, "%d.%m.%Y") for c in cells]


def _rows(path: Path, delimiter: str) -> Iterator[Cells]:
    try:
        with path.open("rb") as fh:
            head = fh.read(4)
    except FileNotFoundError:
        raise SourceError(path, "no such file") from None
    if head.startswith(XLSX_MAGIC):
        return _xlsx_rows(path)
    return _csv_rows(path, delimiter, head.startswith(GZIP_MAGIC))


def header_index(path: Path, spec: KindSpec, header: list[str], line: int) -> dict[str, int]:
    """Each named column of ``header`` (line ``line`` of ``path``) by its position; a
    SourceError naming the columns ``spec`` reads that the header lacks."""
    names = [h.strip() for h in header]
    missing = sorted(c for c in spec.columns if c not in names)
    if missing:
        raise SourceError(
            path,
            f"columns the mapping of {spec.kind} reads are not in the header: "
            + ", ".join(missing),
            line,
        )
    return {name: i for i, name in enumerate(names) if name}


def read_kind(
    path: Path, spec: KindSpec, dates: DateSettings, summary: ReadSummary | None = None
) -> Iterator[Item]:
    """The records and problems of one file of kind ``spec.kind``; ``summary`` counts
    them. The header is checked when the first item is asked for."""
    file = path.name
    tally = summary if summary is not None else ReadSummary()
    conv = _Converter(dates)
    plan: list[tuple[FieldSpec, int, Callable[[str], Value]]] = []
    texts: list[tuple[str, int]] = []
    id_at: int | None = None
    width = 0
    rows = _rows(path, spec.delimiter)
    for line, cells in rows:
        if width == 0:
            index = header_index(path, spec, cells, line)
            width = len(cells)
            texts = [
                (f.name, index[f.column])
                for f in spec.fields
                if f.type == "text" and not f.required
            ]
            plan = [
                (f, index[f.column], conv.reader(f.type))
                for f in spec.fields
                if f.type != "text" or f.required
            ]
            id_at = None if spec.id_column is None else index[spec.id_column]
            continue
        if not any(c.strip() for c in cells):
            continue
        tally.count(tally.rows, file)
        record_id = cells[id_at].strip() if id_at is not None and id_at < len(cells) else ""
        record_id = record_id or f"{file}#{line}"
        if len(cells) != width:
            tally.count(tally.rejected, file)
            yield Problem(
                file,
                line,
                "row",
                f"{len(cells)} fields where the header has {width} (an unquoted "
                f"{spec.delimiter!r} in a value, or a truncated row)",
                record_id,
            )
            continue
        values: dict[str, Value] = {name: text for name, at in texts if (text := cells[at].strip())}
        set_aside: list[Problem] = []
        rejected: Problem | None = None
        for f, at, convert in plan:
            text = cells[at].strip()
            if not text:
                if f.required:
                    rejected = Problem(
                        file, line, "row", f"required {f.name} is blank", record_id, f.name, ""
                    )
                    break
                values.pop(f.name, None)
                continue
            try:
                values[f.name] = convert(text)
            except ValueError as exc:
                if f.required:
                    rejected = Problem(
                        file, line, "row", f"required {f.name}: {exc}", record_id, f.name, text
                    )
                    break
                set_aside.append(
                    Problem(
                        file, line, "field", f"{f.name}: {exc} (set aside)", record_id, f.name, text
                    )
                )
        if rejected is not None:
            tally.count(tally.rejected, file)
            yield rejected
            continue
        for problem in set_aside:
            tally.count(tally.set_aside, file)
            yield problem
        tally.count(tally.records, file)
        yield LabourRecord(spec.kind, file, line, record_id, values)
    if width == 0:
        raise SourceError(path, "the file is empty: no header row")
