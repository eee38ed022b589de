"""A batch of a file's numbered lines split into cells column by column in Arrow, with
the results of Python's ``csv.reader`` (strict), line for line.

A line of the header's width whose every cell is plain (no quote, separator, NUL or
line end) or quoted whole (doubled quotes inside), no longer than the csv module's
field limit, is read by Arrow's CSV parser (what ``csv.reader`` reads from such a
line: ``row_pattern``); every other line (a row of the wrong width, a quote inside a
plain cell or left open, a NUL) is read by ``csv.reader`` on its own. A batch that is
not UTF-8 throughout is split by the caller's line-by-line reader (``None``).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

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


def row_pattern(delimiter: str, width: int) -> str:
    """An RE2 pattern of a line ``csv.reader(strict=True)`` reads as ``width`` cells
    the way Arrow's CSV parser (double quotes, no escapes) reads it: each cell plain
    (no quote, separator, NUL or line end) or quoted whole (doubled quotes inside)."""
    d = f"\\x{{{ord(delimiter):x}}}"
    cell = f'(?:[^"{d}\\x00\\r\\n]*|"(?:[^"\\x00\\r\\n]|"")*")'
    return f"^{cell}(?:{d}{cell}){{{width - 1}}}$"


def _parse(text: pa.Array, delimiter: str, width: int) -> list[pa.Array]:
    """Lines ``text`` (each matching row_pattern) read by Arrow's CSV parser: their
    cells, column by column (strings, none null)."""
    if not len(text):
        return [pa.array([], pa.string()) for _ in range(width)]
    joined = pc.binary_join_element_wise(text, pa.scalar("", pa.string()), "\n")
    offsets = np.frombuffer(joined.buffers()[1], np.int32)[joined.offset :]
    start, stop = int(offsets[0]), int(offsets[len(joined)])
    body = joined.buffers()[2].slice(start, stop - start)
    names = [f"c{i}" for i in range(width)]
    table = pa_csv.read_csv(
        pa.BufferReader(body),
        read_options=pa_csv.ReadOptions(
            column_names=names, use_threads=False, block_size=max(stop - start, 1 << 20)
        ),
        parse_options=pa_csv.ParseOptions(
            delimiter=delimiter,
            quote_char='"',
            double_quote=True,
            escape_char=False,
            newlines_in_values=False,
            ignore_empty_lines=False,
        ),
        convert_options=pa_csv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
            check_utf8=False,
        ),
    )
    if table.num_rows != len(text):  # not expected: every line matches row_pattern
        raise ValueError(f"Arrow's CSV parser read {table.num_rows} rows of {len(text)} lines")
    return [table.column(i).combine_chunks() for i in range(width)]


def _where(mask: pa.Array, values: pa.Array) -> pa.Array:
    """``values`` where ``mask`` (no copy when it holds everywhere)."""
    return values if pc.all(mask).as_py() else values.filter(mask)


def split_lines(values: pa.Array, positions: pa.Array, delimiter: str, width: int) -> Split | None:
    """The batch's lines (``values``, their 0-based positions in the file; position 0
    is the header) split as ``csv.reader(strict=True)`` splits each, blank lines
    dropped; None when a value is not UTF-8. A line of the common shapes
    (row_pattern) is read by Arrow's CSV parser, every other line by csv.reader."""
    if pa.types.is_binary(values.type) or pa.types.is_large_binary(values.type):
        try:
            values = values.cast(pa.string())
        except pa.ArrowInvalid:
            return None
    values = pc.fill_null(values, "")
    blank = pc.equal(pc.utf8_trim(values, characters=BLANK + delimiter), "")
    keep = pc.and_(pc.not_equal(positions, 0), pc.invert(blank))
    text, lines = _where(keep, values), pc.add(_where(keep, positions), 1)
    # no longer in bytes than the field limit (in characters); a BOM starting the
    # text Arrow reads would be taken off it
    fast = pc.and_(
        pc.and_(
            pc.match_substring_regex(text, row_pattern(delimiter, width)),
            pc.invert(pc.starts_with(text, "\ufeff")),
        ),
        pc.less_equal(pc.binary_length(text), csv.field_size_limit()),
    )
    fast_np = fast.to_numpy(zero_copy_only=False)
    fast_columns = _parse(_where(fast, text), delimiter, width)
    n_fast = int(fast_np.sum())

    slow_texts = text.filter(pc.invert(fast)).to_pylist()
    slow_cells: list[list[str] | None] = []  # None: a fault (blank cells)
    slow_faults: list[str | None] = []
    slow_keep: list[bool] = []
    whole = _read_all(slow_texts, delimiter)
    for k, line_text in enumerate(slow_texts):
        stripped = line_text.strip(BLANK + delimiter)
        try:
            cells = (
                whole[k]
                if whole is not None
                else next(csv.reader([line_text], delimiter=delimiter, strict=True))
            )
        except csv.Error as exc:
            slow_keep.append(True)
            slow_cells.append(None)
            slow_faults.append(f"not readable as CSV: {exc}")
            continue
        if not stripped.isascii() and not any(c.strip() for c in cells):
            slow_keep.append(False)
            continue
        slow_keep.append(True)
        if len(cells) != width:
            slow_cells.append(None)
            slow_faults.append(width_fault(len(cells), width, delimiter))
        else:
            slow_cells.append(cells)
            slow_faults.append(None)

    if n_fast == len(text):  # every line read by Arrow: its cells as they are
        lines_all = lines.to_pylist()
        return Split(lines_all, {}, lambda at: fast_columns[at])

    # each data row's place in [fast cells..., "", kept slow cells...]
    n = len(text)
    take = np.empty(n, np.int64)
    kept = np.ones(n, bool)
    faults: dict[int, str] = {}
    fast_at = np.flatnonzero(fast_np)
    slow_at = np.flatnonzero(~fast_np)
    take[fast_at] = np.arange(n_fast)
    for k, at in enumerate(slow_at):
        kept[at] = slow_keep[k]
    row_of = np.cumsum(kept) - 1
    q = r = 0
    for k, at in enumerate(slow_at):
        if not slow_keep[k]:
            continue
        reason = slow_faults[q]
        if reason is None:
            take[at] = n_fast + 1 + r
            r += 1
        else:
            take[at] = n_fast
            faults[int(row_of[at])] = reason
        q += 1
    take_kept = pa.array(take[kept])
    slow_rows = [c for c in slow_cells if c is not None]
    slow_columns = list(zip(*slow_rows, strict=True)) if slow_rows else []
    blank_cell = pa.array([""], pa.string())

    def cell(at: int) -> pa.Array:
        parts = [
            fast_columns[at],
            blank_cell,
            pa.array(slow_columns[at] if slow_columns else [], pa.string()),
        ]
        return pa.concat_arrays(parts).take(take_kept)

    lines_kept = lines.filter(pa.array(kept)).to_pylist()
    return Split(lines_kept, faults, cell)
