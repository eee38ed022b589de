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


def _read_rows(path: Path, kind: str, end_mark: bool = True) -> list[_Row]:
    """Rows with their physical line numbers; strict ASCII; the Ctrl-Z line skipped.

    OFAC closes sdn.csv, alt.csv and add.csv with a Ctrl-Z line (sdn_comments.csv has
    none): a file without it was cut short, and is refused unless ``end_mark`` is False
    (files published before OFAC added it)."""
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
    unmarked = end_mark and kind != "comments" and not has_end_mark(raw)
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
        if unmarked:
            raise _truncated(path, rows, reader.line_num) from exc
        raise SourceError(path, f"malformed CSV: {exc}", reader.line_num) from exc
    if unmarked:
        raise _truncated(path, rows, raw.count(b"\n") + 1)
    _check_shape(path, kind, rows)
    return rows


def has_end_mark(raw: bytes) -> bool:
    """Whether the file's last non-blank line is OFAC's Ctrl-Z line."""
    body = raw.rstrip(b"\r\n \t")
    return body == b"\x1a" or body.endswith(b"\n\x1a")


def _truncated(path: Path, rows: list[_Row], line: int) -> SourceError:
    return SourceError(
        path,
        f"looks truncated: {len(rows):,} rows read, no end mark (OFAC closes its CSV files "
        "with a Ctrl-Z line); --no-end-mark loads a file published without one",
        line,
    )


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
