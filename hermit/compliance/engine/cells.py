"""Cells as hermit's reader takes them: the white space ``str.strip()`` strips taken
off both ends, a blank cell null. ``clean`` trims in Arrow only the cells whose first
or last character may be white space, found from their UTF-8 bytes by NumPy (most
cells have none: trimming every cell was a copy of every column); ``clean_all`` trims
every cell (the reference the tests compare ``clean`` with).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from hermit.compliance.engine.split import SPACE

Flags = npt.NDArray[np.bool_]


def _table(chars: bytes) -> Flags:
    table = np.zeros(256, bool)
    table[list(chars)] = True
    return table


#: ASCII white space (str.strip()'s: \t \n \v \f \r, \x1c-\x1f, space)
_ASCII = _table(b"\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f ")
#: the first byte of any white-space character: ASCII, U+0085 / U+00A0 (C2 ..),
#: U+1680 (E1 ..), U+2000-U+205F (E2 ..), U+3000 (E3 ..)
_FIRST = _table(b"\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \xc2\xe1\xe2\xe3")
#: the first byte of a three-byte white-space character
_THREE = _table(b"\xe1\xe2\xe3")


def may_need_trim(values: pa.StringArray) -> Flags:
    """Where a value's first or last character may be white space (never False where
    it is; True for a few others, which trimming leaves as they are)."""
    n = len(values)
    offsets = np.frombuffer(values.buffers()[1], np.int32)[values.offset : values.offset + n + 1]
    buffer = values.buffers()[2]
    data = np.frombuffer(buffer, np.uint8) if buffer is not None else np.zeros(0, np.uint8)
    if not len(data):
        return np.zeros(n, bool)
    starts, ends = offsets[:-1], offsets[1:]
    size = ends - starts
    top = len(data) - 1

    def at(where: npt.NDArray[np.int32]) -> npt.NDArray[np.uint8]:
        byte: npt.NDArray[np.uint8] = data[np.clip(where, 0, top)]
        return byte

    last = at(ends - 1)
    flags: Flags = (size > 0) & (_FIRST[at(starts)] | _ASCII[last])
    flags |= (size >= 2) & (at(ends - 2) == 0xC2) & ((last == 0x85) | (last == 0xA0))
    flags |= (size >= 3) & _THREE[at(ends - 3)]
    return flags


def clean_all(cells: pa.Array) -> pa.Array:
    """Every cell trimmed, a blank one null."""
    text = pc.utf8_trim(cells, characters=SPACE)
    return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)


def clean(cells: pa.Array) -> pa.Array:
    """What ``clean_all`` gives, trimming only the cells that may need it."""
    if not len(cells):
        return cells
    flags = may_need_trim(cells)
    if flags.any():
        trimmed = pc.utf8_trim(cells.filter(pa.array(flags)), characters=SPACE)
        cells = pc.replace_with_mask(cells, pa.array(flags), trimmed)
    blank = pc.equal(pc.binary_length(cells), 0)
    if not pc.any(blank).as_py():
        return cells
    return pc.if_else(blank, pa.scalar(None, pa.string()), cells)
