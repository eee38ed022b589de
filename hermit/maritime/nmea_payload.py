"""AIS payloads (the 6-bit armoured field of ``!AIVDM``) decoded many at once with NumPy.

The payloads of a file are one byte buffer with a start, a length (characters) and the
fill bits of each. A 256-entry table turns every character into its six bits (characters
outside the armour alphabet count as 0, as in pyais); the payloads become one matrix of
6-bit values, and a field at bit ``offset`` of ``width`` bits is the characters it spans
put together by shifts, for every row at once (positions need the first 23 characters; the
identity messages, a few in a hundred, are read again to 46). A field that runs past the
end of a short payload takes the bits there are (narrower), one that starts past the
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


@cache
def layouts() -> dict[str, Any]:
    """The message fields hermit reads (``ais_messages.yaml``)."""
    return _yaml("ais_messages.yaml")


def _windows(src: npt.NDArray[np.uint8], starts: I64, width: int) -> npt.NDArray[np.uint8]:
    """``width`` bytes of ``src`` from each start, a row each (zeros past its end): a copy
    of contiguous bytes per row, not an index per byte."""
    out = np.zeros((len(starts), width), dtype=np.uint8)
    fits = starts + width <= len(src)
    if len(src) >= width:
        out[fits] = np.lib.stride_tricks.sliding_window_view(src, width)[starts[fits]]
    rest = np.flatnonzero(~fits)
    if len(rest) and len(src):
        idx = starts[rest, None] + np.arange(width)[None, :]
        out[rest] = np.where(idx < len(src), src[np.minimum(idx, len(src) - 1)], 0)
    return out


class Payloads:
    """The 6-bit values of many payloads (a row per character, a column per payload: the
    first ``width`` characters) and each payload's length in bits. The payload bytes are in
    ``buf`` and, for starts from ``len(buf)`` on, in ``extra``."""

    def __init__(
        self,
        buf: npt.NDArray[np.uint8],
        extra: npt.NDArray[np.uint8],
        starts: I64,
        lengths: I64,
        fills: I64,
        width: int,
    ) -> None:
        self.n = len(starts)
        self.width = width
        self.bits: I64 = 6 * lengths - fills
        self._source = (buf, extra, starts, lengths, fills)
        raw = np.zeros((self.n, width), dtype=np.uint8)
        main = starts < len(buf)
        raw[main] = _windows(buf, starts[main], width)
        raw[~main] = _windows(extra, starts[~main] - len(buf), width)
        values = ARMOUR[raw]
        values[np.arange(width)[None, :] >= lengths[:, None]] = 0
        last = np.flatnonzero((lengths >= 1) & (lengths <= width) & (fills > 0))
        values[last, lengths[last] - 1] &= ((0x3F >> fills[last]) << fills[last]).astype(np.uint8)
        self.cols: npt.NDArray[np.uint8] = np.ascontiguousarray(values.T)

    def subset(self, rows: I64, width: int) -> Payloads:
        """The payloads of some rows, their first ``width`` characters."""
        buf, extra, starts, lengths, fills = self._source
        return Payloads(buf, extra, starts[rows], lengths[rows], fills[rows], width)

    def col(self, c: int) -> npt.NDArray[np.uint8]:
        if c >= self.width:
            raise ValueError(f"character {c} of payloads read to {self.width} characters")
        col: npt.NDArray[np.uint8] = self.cols[c]
        return col

    def get(self, offset: int, width: int, signed: bool = False) -> tuple[I64, B]:
        """The field's value in every row and whether the row has it (pyais's reading
        of a short payload: the bits there are, or nothing when it starts past the end)."""
        first, last = offset // 6, (offset + width - 1) // 6
        acc = np.zeros(self.n, dtype=np.int64)
        for c in range(first, last + 1):
            acc = (acc << 6) | self.col(c).astype(np.int64)
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

    def text(self, offset: int, width: int) -> pa.Array:
        """AIS 6-bit text of every row as pyais reads it: trailing '@' removed, then
        spaces at both ends; null when the field starts past the end of the payload."""
        import pyarrow as pa
        import pyarrow.compute as pc

        n_chars = width // 6
        chars = np.empty((self.n, n_chars), dtype=np.uint8)
        for j in range(n_chars):
            chars[:, j] = SIXBIT_TEXT[self.get(offset + 6 * j, 6)[0]]
        present = self.bits > offset
        fixed = pa.FixedSizeBinaryArray.from_buffers(
            pa.binary(n_chars), self.n, [None, pa.py_buffer(chars.tobytes())]
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
