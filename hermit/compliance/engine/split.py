"""A batch of a file's numbered lines split into cells column by column in Arrow, with
the results of Python's ``csv.reader`` (strict), line for line.

A line with no quote character, no NUL and no cell longer than the csv module's field
limit is split where its separators are (what ``csv.reader`` does with such a line),
by Arrow's ``split_pattern``; every other line (quoted values, mostly) is read by
``csv.reader`` on its own. A batch that is not UTF-8 throughout is split by the
caller's line-by-line reader (``None``).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

#: What str.strip() strips (hermit's reader strips cells with it).
SPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
    "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
#: A line made of these only has no value in any cell.
BLANK = SPACE + '"'


def width_fault(width: int, header_width: int, delimiter: str) -> str:
    return (
        f"{width} fields where the header has {header_width} (an unquoted "
        f"{delimiter!r} in a value, or a truncated row)"
    )


@dataclass(frozen=True, slots=True)
class Split:
    """The data rows of a batch: their physical lines, the reason of each row that
    could not be read (by row; its cells are blank), and each column's raw cells."""

    lines: list[int]
    faults: dict[int, str]
    cell: Callable[[int], pa.Array]  # position in the row -> its cells (strings)


def _read_all(texts: list[str], delimiter: str) -> list[list[str]] | None:
    """Each line of ``texts`` read by one csv.reader (as if each were read alone: a
    quoted value never runs over a line end here); None when a line cannot be read,
    or a quoted value runs over its line's end (each line is then read alone)."""
    try:
        rows = list(csv.reader(texts, delimiter=delimiter, strict=True))
    except csv.Error:
        return None
    return rows if len(rows) == len(texts) else None


def split_lines(values: pa.Array, positions: pa.Array, delimiter: str, width: int) -> Split | None:
    """The batch's lines (``values``, their 0-based positions in the file; position 0
    is the header) split as ``csv.reader(strict=True)`` splits each, blank lines
    dropped; None when a value is not UTF-8."""
    if pa.types.is_binary(values.type) or pa.types.is_large_binary(values.type):
        try:
            values = values.cast(pa.string())
        except pa.ArrowInvalid:
            return None
    values = pc.fill_null(values, "")
    blank = pc.equal(pc.utf8_trim(values, characters=BLANK + delimiter), "")
    keep = pc.and_(pc.not_equal(positions, 0), pc.invert(blank))
    text = values.filter(keep)
    lines = pc.add(positions.filter(keep), 1)
    limit = csv.field_size_limit()
    plain = pc.invert(
        pc.or_(
            pc.match_substring_regex(text, '["\\x00\\r\\n]'),
            pc.greater(pc.utf8_length(text), limit),
        )
    )
    plain_np = plain.to_numpy(zero_copy_only=False)
    simple = pc.split_pattern(text.filter(plain), delimiter)
    good = pc.equal(pc.list_value_length(simple), width)
    good_np = good.to_numpy(zero_copy_only=False)
    good_lists = simple.filter(good)
    n_good = len(good_lists)
    bad_widths = pc.list_value_length(simple.filter(pc.invert(good))).to_pylist()

    quoted_texts = text.filter(pc.invert(plain)).to_pylist()
    quoted_cells: list[list[str] | None] = []  # None: a fault (blank cells)
    quoted_faults: list[str | None] = []
    quoted_keep: list[bool] = []
    whole = _read_all(quoted_texts, delimiter)
    for k, line_text in enumerate(quoted_texts):
        stripped = line_text.strip(BLANK + delimiter)
        try:
            cells = (
                whole[k]
                if whole is not None
                else next(csv.reader([line_text], delimiter=delimiter, strict=True))
            )
        except csv.Error as exc:
            quoted_keep.append(True)
            quoted_cells.append(None)
            quoted_faults.append(f"not readable as CSV: {exc}")
            continue
        if not stripped.isascii() and not any(c.strip() for c in cells):
            quoted_keep.append(False)
            continue
        quoted_keep.append(True)
        if len(cells) != width:
            quoted_cells.append(None)
            quoted_faults.append(width_fault(len(cells), width, delimiter))
        else:
            quoted_cells.append(cells)
            quoted_faults.append(None)

    # each data row's place in [good cells..., "", kept quoted cells...]
    n = len(text)
    take = np.empty(n, np.int64)
    kept = np.ones(n, bool)
    faults: dict[int, str] = {}
    plain_at = np.flatnonzero(plain_np)
    quoted_at = np.flatnonzero(~plain_np)
    good_rank = np.cumsum(good_np) - 1
    take[plain_at] = np.where(good_np, good_rank, n_good)
    bad_at = plain_at[~good_np]
    for k, at in enumerate(quoted_at):
        kept[at] = quoted_keep[k]
    row_of = np.cumsum(kept) - 1
    for at, w in zip(bad_at, bad_widths, strict=True):
        faults[int(row_of[at])] = width_fault(w, width, delimiter)
    q = r = 0
    for k, at in enumerate(quoted_at):
        if not quoted_keep[k]:
            continue
        reason = quoted_faults[q]
        if reason is None:
            take[at] = n_good + 1 + r
            r += 1
        else:
            take[at] = n_good
            faults[int(row_of[at])] = reason
        q += 1
    take_kept = pa.array(take[kept])
    quoted_rows = [c for c in quoted_cells if c is not None]
    quoted_columns = list(zip(*quoted_rows, strict=True)) if quoted_rows else []
    blank_cell = pa.array([""], pa.string())

    def cell(at: int) -> pa.Array:
        parts = [
            pc.list_element(good_lists, at) if n_good else pa.array([], pa.string()),
            blank_cell,
            pa.array(quoted_columns[at] if quoted_columns else [], pa.string()),
        ]
        return pa.concat_arrays(parts).take(take_kept)

    lines_kept = lines.filter(pa.array(kept)).to_pylist()
    return Split(lines_kept, faults, cell)
