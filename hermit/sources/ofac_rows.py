"""Reading the OFAC CSV files into rows: strict ASCII, shape checks, line numbers."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from hermit.errors import SourceError

_WIDTHS = {"sdn": 12, "alt": 5, "add": 6, "comments": 2}


@dataclass(slots=True)
class _Row:
    line: int
    cells: list[str | None]


def _null(cell: str) -> str | None:
    text = cell.strip()
    return None if text in ("", "-0-") else text


def _read_rows(path: Path, kind: str) -> list[_Row]:
    """Rows with their physical line numbers; strict ASCII; the Ctrl-Z line skipped."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(path, f"cannot read: {exc}") from exc
    if not raw.strip(b"\x1a\r\n \t"):
        if kind == "comments":
            return []
        raise SourceError(path, "the file is empty")
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise SourceError(
            path,
            f"byte 0x{raw[exc.start]:02x} is not ASCII: the OFAC CSV files are pure "
            "ASCII (wrong file or re-encoded?)",
            line,
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[_Row] = []
    line = 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not cells or cells == ["\x1a"]:
                continue
            rows.append(_Row(start, [_null(c) for c in cells]))
    except csv.Error as exc:
        raise SourceError(path, f"malformed CSV: {exc}", reader.line_num) from exc
    _check_shape(path, kind, rows)
    return rows


def _check_shape(path: Path, kind: str, rows: list[_Row]) -> None:
    width = _WIDTHS[kind]
    for row in rows:
        if len(row.cells) != width:
            guess = {v: k for k, v in _WIDTHS.items()}.get(len(row.cells))
            hint = f" (this looks like {guess}.csv)" if guess and row is rows[0] else ""
            raise SourceError(
                path,
                f"expected {width} columns for {kind}.csv, found {len(row.cells)}{hint}",
                row.line,
            )
        if row.cells[0] is None or not row.cells[0].isdigit():
            raise SourceError(path, f"ent_num {row.cells[0]!r} is not a number", row.line)
