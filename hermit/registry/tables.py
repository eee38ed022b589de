"""Rows of a CSV file or an Excel workbook as records (column -> text), numbered.

A row whose number of fields differs from the header's is yielded as a Rejected item;
a file that cannot be read at all (not UTF-8, no header, a duplicated column name) is a
SourceError naming the file and the line.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from hermit.errors import SourceError
from hermit.registry.records import Rejected

Record = dict[str, str]
Row = tuple[int, Record] | Rejected


def _header(path: Path, cells: list[str], line: int) -> list[str]:
    header = [c.strip().lstrip("\ufeff") for c in cells]
    if not any(header):
        raise SourceError(path, "the header row is empty", line)
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            raise SourceError(path, f"the column {name!r} appears twice in the header", line)
        seen.add(name)
    return header


def _record(header: list[str], cells: list[str]) -> Record:
    return {h: c.strip() for h, c in zip(header, cells, strict=True) if h and c.strip()}


def read_csv_header(path: Path, delimiter: str) -> list[str]:
    """The header of a CSV file (SourceError if it has none)."""
    for item in iter_csv(path, delimiter, header_only=True):
        assert isinstance(item, tuple)
        return list(item[1])
    raise SourceError(path, "the file is empty: no header row")


def iter_csv(path: Path, delimiter: str, *, header_only: bool = False) -> Iterator[Row]:
    """The rows of a UTF-8 CSV file after its header; ``header_only`` yields the header
    (as a record of name -> name) and stops."""
    line = 0
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh, delimiter=delimiter, strict=True)
            header: list[str] | None = None
            while True:
                line = reader.line_num + 1
                try:
                    cells = next(reader)
                except StopIteration:
                    break
                if header is None:
                    header = _header(path, cells, line)
                    if header_only:
                        yield line, {h: h for h in header}
                        return
                    continue
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) != len(header):
                    yield Rejected(
                        str(path),
                        line,
                        f"{len(cells)} fields where the header has {len(header)} "
                        f"(separator {delimiter!r}; an unquoted separator or line break?)",
                    )
                    continue
                yield line, _record(header, cells)
    except FileNotFoundError:
        raise SourceError(path, "no such file") from None
    except UnicodeDecodeError as exc:
        raise SourceError(path, f"not UTF-8 text ({exc.reason})", _bad_utf8_line(path)) from None
    except csv.Error as exc:
        raise SourceError(path, f"not readable as CSV: {exc}", line) from None


def _bad_utf8_line(path: Path) -> int | None:
    """The first line of ``path`` that is not UTF-8 (the CSV reader decodes ahead of
    the line it is on, so its own count is too early)."""
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return None


def iter_xlsx(path: Path) -> Iterator[Row]:
    """The rows of an Excel workbook's first sheet after its header (its first row
    with any text); row numbers are Excel's."""
    from hermit.sources.xlsx import cell_text, read_first_sheet

    sheet = read_first_sheet(path)
    header: list[str] | None = None
    for number, cells in sheet.rows:
        texts = [cell_text(c) for c in cells]
        if header is None:
            if any(t.strip() for t in texts):
                header = _header(path, texts, number)
            continue
        if not any(t.strip() for t in texts):
            continue
        texts = (texts + [""] * len(header))[: max(len(header), len(texts))]
        if any(t.strip() for t in texts[len(header) :]):
            yield Rejected(str(path), number, "cells beyond the last column of the header")
            continue
        yield number, _record(header, texts[: len(header)])
    if header is None:
        raise SourceError(path, f"the sheet {sheet.name!r} is empty: no header row", unit="row")


def xlsx_header(path: Path) -> list[str]:
    from hermit.sources.xlsx import cell_text, read_first_sheet

    for number, cells in read_first_sheet(path).rows:
        texts = [cell_text(c) for c in cells]
        if any(t.strip() for t in texts):
            return _header(path, texts, number)
    raise SourceError(path, "the workbook's first sheet is empty: no header row", unit="row")
