"""AIS payloads (the 6-bit armoured field of ``!AIVDM``) decoded many at once with NumPy.

The payloads of a file are one byte buffer with a start, a length (characters) and the
fill bits of each. A 256-entry table turns every character into its six bits (characters
outside the armour alphabet count as 0, as in pyais); the payloads become one matrix of
6-bit values, a row per message, and a field at bit ``offset`` of ``width`` bits is the
characters it spans put together by shifts, for every row at once. A field that runs past
the end of a short payload takes the bits there are (narrower), one that starts past the
end is absent: the reading of pyais 3.3.1 (``bit_vector.get``), so every value is the one
pyais gives. Field offsets and scales are data (resources/maritime/ais_messages.yaml).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from hermit.maritime.params import _yaml

if TYPE_CHECKING:
    import pyarrow as pa

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
B = npt.NDArray[np.bool_]

#: ASCII code -> 6-bit value ('0'..'W' -> 0..39, '`'..'w' -> 40..63, anything else 0)
ARMOUR = np.array(
    [(c - 56 if c - 48 > 40 else c - 48) if 48 <= c <= 119 else 0 for c in range(256)],
    dtype=np.uint8,
)
#: 6-bit value -> the character of AIS text ('@', 'A'..'Z', ..., ' ', '!', ... '?')
SIXBIT_TEXT = np.array([v + 64 if v < 32 else v for v in range(64)], dtype=np.uint8)
#: characters of a payload the decoder needs: up to bit 271 (message 19's ship type)
MATRIX_CHARS = 46


@cache
def layouts() -> dict[str, Any]:
    """The message fields hermit reads (``ais_messages.yaml``)."""
    return _yaml("ais_messages.yaml")


class Payloads:
    """The 6-bit values of many payloads, a row each, and each payload's length in bits."""

    def __init__(self, buf: npt.NDArray[np.uint8], starts: I64, lengths: I64, fills: I64) -> None:
        n = len(starts)
        cols = np.arange(MATRIX_CHARS, dtype=np.int64)
        # every byte's 6 bits, then each payload's first MATRIX_CHARS as a row (a copy of
        # contiguous bytes per row, not an index per value)
        six = np.zeros(len(buf) + MATRIX_CHARS, dtype=np.uint8)
        six[: len(buf)] = ARMOUR[buf]
        windows = np.lib.stride_tricks.sliding_window_view(six, MATRIX_CHARS)
        values = windows[np.minimum(starts, len(buf))]
        values *= cols[None, :] < lengths[:, None]
        last = lengths - 1  # the fill bits of the last character are not payload
        rows = np.flatnonzero((last >= 0) & (last < MATRIX_CHARS) & (fills > 0))
        keep = ((0x3F >> fills[rows]) << fills[rows]).astype(np.uint8)
        values[rows, last[rows]] &= keep
        self.cols: npt.NDArray[np.uint8] = np.ascontiguousarray(values.T)  # a row per char
        self.bits: I64 = 6 * lengths - fills
        self.n = n

    def get(self, offset: int, width: int, signed: bool = False) -> tuple[I64, B]:
        """The field's value in every row and whether the row has it (pyais's reading
        of a short payload: the bits there are, or nothing when it starts past the end)."""
        first, last = offset // 6, (offset + width - 1) // 6
        acc = np.zeros(self.n, dtype=np.int64)
        for c in range(first, last + 1):
            acc = (acc << 6) | self.cols[c].astype(np.int64)
        full = (acc >> (6 * (last + 1) - offset - width)) & ((1 << width) - 1)
        value = full - (((full >> (width - 1)) & 1) << width) if signed else full
        present = np.ones(self.n, dtype=np.bool_)
        short = np.flatnonzero(self.bits < offset + width)  # few: payloads shorter than usual
        if len(short):
            avail = np.clip(self.bits[short] - offset, 0, width)
            has = avail > 0
            part = full[short] >> (width - avail)
            if signed:
                top = np.where(has, avail - 1, 0)
                negative = has & (((part >> top) & 1) == 1)
                part = np.where(negative, part - (np.int64(1) << avail), part)
            value[short] = np.where(has, part, 0)
            present[short] = has
        return value, present

    def text(self, offset: int, width: int, rows: I64) -> pa.Array:
        """AIS 6-bit text of the given rows as pyais reads it: trailing '@' removed, then
        spaces at both ends; null when the field starts past the end of the payload."""
        import pyarrow as pa
        import pyarrow.compute as pc

        n_chars = width // 6
        chars = np.empty((len(rows), n_chars), dtype=np.uint8)
        sub = Payloads.__new__(Payloads)
        sub.cols, sub.bits, sub.n = self.cols[:, rows], self.bits[rows], len(rows)
        for j in range(n_chars):
            chars[:, j] = SIXBIT_TEXT[sub.get(offset + 6 * j, 6)[0]]
        present = sub.bits > offset
        fixed = pa.FixedSizeBinaryArray.from_buffers(
            pa.binary(n_chars), len(rows), [None, pa.py_buffer(chars.tobytes())]
        )
        text = pc.utf8_trim(pc.utf8_rtrim(fixed.cast(pa.string()), characters="@"), characters=" ")
        return pc.if_else(pa.array(present), text, pa.scalar(None, pa.string()))


def scaled(raw: I64, scale: dict[str, Any]) -> F64:
    """A raw field in its unit (see the scales in ais_messages.yaml)."""
    if "divide" in scale:
        return raw / float(scale["divide"])
    if "degrees_1e6" in scale:
        # the nearest integer of raw * 1e6 / N (never a tie for N = 600000 or 600), / 1e6
        n = int(scale["degrees_1e6"])
        return ((2_000_000 * raw + n) // (2 * n)) / 1e6
    return raw.astype(np.float64)
