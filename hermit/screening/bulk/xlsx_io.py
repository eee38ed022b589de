"""Excel (.xlsx) query files: the first worksheet, its first non-empty row the header
(checked like a CSV header when the reader is made), every later row a query. A cell
typed as a number or date becomes text as in Parquet (``8914934``, ``1962-02-18``); a
row with cells beyond the header is read on the header's columns and its extra cells
are set aside with a warning (as in CSV). The workbook is
checked (a zip holding a workbook, no DOCTYPE, a bounded size) and read with
python-calamine (hermit.sources.xlsx); the sheet is held in memory while it is read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from hermit.errors import SourceError
from hermit.screening.bulk.columns import ColumnMap
from hermit.screening.bulk.rows import RawRow
from hermit.screening.query import QueryWarning
from hermit.sources import xlsx


class XlsxReader:
    """Query rows of an .xlsx file; the header is checked when the reader is made."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.exists():
            raise SourceError(path, "no such file")
        sheet = xlsx.read_first_sheet(path)
        rows = [(n, [xlsx.cell_text(c) for c in cells]) for n, cells in sheet.rows]
        filled = [(n, cells) for n, cells in rows if any(c.strip() for c in cells)]
        if not filled:
            raise SourceError(path, "empty: no header row naming the columns", 1, "row")
        self.header_row, header = filled[0]
        while header and not header[-1].strip():
            header.pop()
        self.header = [h.strip() for h in header]
        self.columns = ColumnMap.of(path, self.header, self.header_row)
        self._rows = [(n, cells) for n, cells in rows if n > self.header_row]

    def unknown_columns(self) -> tuple[str, ...]:
        return self.columns.unknown

    def estimated_rows(self) -> int | None:
        return sum(1 for _, cells in self._rows if any(c.strip() for c in cells))

    def rows(self) -> Iterator[RawRow]:
        fields = self.columns.fields
        known = [(i, fields[h]) for i, h in enumerate(self.header) if h in fields]
        row = 0
        for number, cells in self._rows:
            if not any(c.strip() for c in cells):
                continue
            row += 1
            extra = [c for c in cells[len(self.header) :] if c.strip()]
            warnings: tuple[QueryWarning, ...] = ()
            if extra:
                width = len(self.header)
                problem = (
                    f"{width + len(extra)} cells where the header has {width}: the extra cells"
                )
                warnings = (QueryWarning("row", "\t".join(extra), problem),)
            values = {key: cells[i] for i, key in known if i < len(cells) and cells[i].strip()}
            yield RawRow(row, values, number, warnings=warnings)
