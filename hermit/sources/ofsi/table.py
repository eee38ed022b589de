"""The OFSI list as a table: the ``Last Updated`` line, the header, one row per name.

Both published formats are read here: the 29-column CSV (2018 to 2022: cp1252 /
latin-1, CRLF) and the 36-column format of 2022 as CSV (UTF-8) or as ``.xlsx``. The
first line (row) is ``Last Updated,DD/MM/YYYY``, the second the header. Columns are
found by their names, so both formats (and a column OFSI adds) read the same way.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from hermit.errors import SourceError
from hermit.sources import xlsx

#: Every column of the 2018 and 2022 formats (2018 lacks the last group, 2022 "NI Number").
KNOWN_COLUMNS = frozenset(
    {
        "Name 6", "Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Title", "DOB",
        "Town of Birth", "Country of Birth", "Nationality", "Passport Details", "NI Number",
        "Position", "Address 1", "Address 2", "Address 3", "Address 4", "Address 5",
        "Address 6", "Post/Zip Code", "Country", "Other Information", "Group Type",
        "Alias Type", "Regime", "Listed On", "Last Updated", "Group ID",
        "Name Non-Latin Script", "Non-Latin Script Type", "Non-Latin Script Language",
        "Passport Number", "National Identification Number",
        "National Identification Details", "Alias Quality",
        "UK Sanctions List Date Designated", "UK Sanctions List Ref",
    }
)  # fmt: skip
#: Columns without which a row cannot be read.
REQUIRED_COLUMNS = ("Name 6", "Group Type", "Alias Type", "Group ID", "Regime")
_STAMP = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
#: Bytes cp1252 leaves undefined: a file holding them is not an OFSI CSV.
_UNDEFINED_CP1252 = frozenset({0x81, 0x8D, 0x8F, 0x90, 0x9D})


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: its line (CSV) or row number (xlsx), and its cells by column."""

    line: int
    cells: dict[str, str]


@dataclass(slots=True)
class Table:
    """The whole file: publication date, header and rows; ``where`` is "line" or "row"."""

    path: Path
    published: datetime
    header: list[str]
    rows: list[Row]
    where: str
    encoding: str
    unknown: list[str]

    def error(self, problem: str, line: int | None) -> SourceError:
        return located(self.path, self.where, problem, line)


def located(path: Path, where: str, problem: str, at: int | None) -> SourceError:
    """A SourceError naming the file and the line (CSV) or the row (xlsx)."""
    return SourceError(path, problem, at, where)


def read_table(path: Path) -> Table:
    """The CSV or xlsx file as a checked table; SourceError naming file and line."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if xlsx.is_zip(head):
        return _from_xlsx(path)
    return _from_csv(path)


def _decode(path: Path, raw: bytes) -> tuple[str, str]:
    """UTF-8 where the bytes are UTF-8 (the 2022 CSV), else cp1252 (the older CSV)."""
    body = raw.removeprefix(b"\xef\xbb\xbf")
    if b"\x00" in body[:4096]:
        raise SourceError(
            path,
            "NUL bytes: a UTF-16 or binary file, not an OFSI CSV (save it as CSV, UTF-8 or "
            "Windows-1252)",
            1,
        )
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for index, byte in enumerate(body):
        if byte in _UNDEFINED_CP1252:
            line = body.count(b"\n", 0, index) + 1
            raise SourceError(
                path,
                f"byte 0x{byte:02x} is neither UTF-8 nor Windows-1252 text (the OFSI CSV is "
                "one of them: wrong file or damaged?)",
                line,
            )
    return body.decode("cp1252"), "cp1252"


def _from_csv(path: Path) -> Table:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(path, f"cannot read: {exc.strerror or exc}") from None
    if not raw.strip():
        raise SourceError(path, "the file is empty")
    text, encoding = _decode(path, raw)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if any(c.strip() for c in cells):
                records.append((start, cells))
    except csv.Error as exc:
        raise SourceError(path, f"malformed CSV: {exc}", reader.line_num) from None
    return _table(path, records, "line", encoding)


def _from_xlsx(path: Path) -> Table:
    sheet = xlsx.read_first_sheet(path)
    records: list[tuple[int, list[str]]] = []
    for number, cells in sheet.rows:
        texts = [xlsx.cell_text(c, "%d/%m/%Y") for c in cells]
        while texts and not texts[-1].strip():
            texts.pop()
        if texts:
            records.append((number, texts))
    return _table(path, records, "row", "xlsx")


def _table(path: Path, records: list[tuple[int, list[str]]], where: str, encoding: str) -> Table:
    def error(problem: str, at: int | None) -> SourceError:
        return located(path, where, problem, at)

    if not records:
        raise error("no rows: the file holds no list", None)
    first_at, first = records[0]
    if not first or first[0].strip() != "Last Updated":
        shown = ",".join(first)[:60]
        raise error(
            f"not an OFSI consolidated list: the first {where} should be "
            f"'Last Updated,DD/MM/YYYY', it is {shown!r}",
            first_at,
        )
    published = _published(first)
    if published is None:
        stamp = first[1].strip() if len(first) > 1 else ""
        raise error(f"'Last Updated' date {stamp!r} is not DD/MM/YYYY", first_at)
    if len(records) < 2:
        raise error("no header after the 'Last Updated' line", first_at)
    header_at, header = records[1]
    header = [h.strip() for h in header]
    while header and not header[-1]:
        header.pop()
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise error(
            f"the header lacks the column(s) {', '.join(missing)} (found: "
            f"{', '.join(header) or 'none'})",
            header_at,
        )
    twice = sorted({h for h in header if header.count(h) > 1 and h})
    if twice:
        raise error(f"the header names {', '.join(twice)} twice", header_at)
    unknown = [h for h in header if h not in KNOWN_COLUMNS]
    rows: list[Row] = []
    for at, cells in records[2:]:
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            raise error(f"{len(cells)} cells, the header has {len(header)}", at)
        if where == "line" and len(cells) != len(header):
            raise error(f"{len(cells)} cells, the header has {len(header)}", at)
        values = {h: " ".join(cells[i].split()) for i, h in enumerate(header) if i < len(cells)}
        rows.append(Row(at, values))
    if not rows:
        raise error("the list holds no rows after the header", header_at)
    return Table(path, published, header, rows, where, encoding, unknown)


def _published(first: list[str]) -> datetime | None:
    """The ``Last Updated`` date as midnight UTC, or None when it is not DD/MM/YYYY."""
    found = _STAMP.fullmatch(first[1].strip()) if len(first) > 1 else None
    if found is None:
        return None
    day, month, year = (int(g) for g in found.groups())
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None
