"""The lines of an NMEA file: all regular lines taken apart at once.

The file's bytes are split into lines as ``bytes.splitlines`` splits them. A regular line
(an optional ``[YYYY-MM-DD hh:mm:ss]`` prefix, an optional tag block whose ``c:`` part is a
number, then ``!xxVDM`` / ``!xxVDO`` with one-digit fragment fields, a payload of armour
characters and ``fill*hh``) is recognised by one regular expression over all lines (Arrow's
RE2) and taken apart at fixed offsets from its one ``!``, its checksum by one XOR
``reduceat``: no Python per line. Another NMEA sentence alone on its line is recognised
the same way and only counted. Any other line is read one by one
(hermit/maritime/nmea_irregular.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

I64 = npt.NDArray[np.int64]

_TAGCHAR = "[ \"#$%&'()+\\-./0-9:;<=>?@A-Z\\[\\]^_`a-z{|}~]"
REGULAR = (
    r"^(?:\[\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d\][\t\n\f\r ]*)?"
    r"(?:\\(?:[abd-zA-Z]:" + _TAGCHAR + r"*,)*c:\d{1,12}(?:,[a-zA-Z]:" + _TAGCHAR + r"*)*"
    r"(?:\*" + _TAGCHAR + r"*)?\\)?"
    r"![A-Z]{2}VD[MO],[1-9],[1-9],\d?,[A-Za-z0-9]?,[0-9:;<=>?@A-W`a-w]{0,200},[0-5]"
    r"\*[0-9A-Fa-f]{2}(?:\r\n|\n|\r)?$"
)
#: another NMEA sentence (``$GPGGA``...) alone on its line, perhaps after a prefix: counted
#: at once unless its type is VDM / VDO (an AIS sentence with a '$' goes one by one). The
#: prefix's date is not read for such a line (hermit-nmea@1 stopped on an impossible one).
OTHER = (
    r"^(?:\[\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d\][\t\n\f\r ]*)?"
    r"\$[^\\\r\n]*[^\\\t\n\v\f\r ](?:\r\n|\n|\r)?$"
)
_HEX = np.zeros(256, dtype=np.int64)
for _i, _c in enumerate(b"0123456789ABCDEF"):
    _HEX[_c] = _i
    _HEX[bytes([_c]).lower()[0]] = _i


@dataclass(slots=True)
class Lines:
    """The lines of one file: the regular ones as arrays, the others one by one."""

    def line(self, i: int) -> bytes:
        """Line ``i`` (from 0) without its line end."""
        return self.buf[int(self.starts[i]) : int(self.ends[i])].tobytes()

    buf: npt.NDArray[np.uint8]  # the file's bytes
    starts: I64  # of each line in buf
    ends: I64  # before its line end
    regular: npt.NDArray[np.bool_]
    other: npt.NDArray[np.bool_]  # counted as other NMEA sentences at once
    # the regular lines (index into the lines) with their fields
    r_line: I64 = field(default_factory=lambda: np.zeros(0, np.int64))
    r_valid: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, np.bool_))
    r_cnt: I64 = field(default_factory=lambda: np.zeros(0, np.int64))
    r_num: I64 = field(default_factory=lambda: np.zeros(0, np.int64))
    r_seq: I64 = field(default_factory=lambda: np.zeros(0, np.int64))  # -1: none
    r_chan: I64 = field(default_factory=lambda: np.zeros(0, np.int64))  # byte, 0: none
    r_pstart: I64 = field(default_factory=lambda: np.zeros(0, np.int64))
    r_plen: I64 = field(default_factory=lambda: np.zeros(0, np.int64))
    r_fill: I64 = field(default_factory=lambda: np.zeros(0, np.int64))
    r_bang: I64 = field(default_factory=lambda: np.zeros(0, np.int64))
    r_time_s: I64 = field(default_factory=lambda: np.zeros(0, np.int64))
    r_has_time: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, np.bool_))


def _window(buf: npt.NDArray[np.uint8], at: I64, width: int) -> npt.NDArray[np.uint8]:
    """``width`` bytes from each position, a row each (zeros past the end)."""
    out = np.zeros((len(at), width), dtype=np.uint8)
    fits = at + width <= len(buf)
    if len(buf) >= width:
        out[fits] = np.lib.stride_tricks.sliding_window_view(buf, width)[at[fits]]
    for r in np.flatnonzero(~fits).tolist():
        tail = buf[int(at[r]) :]
        out[r, : len(tail)] = tail[:width]
    return out


def split_bytes(data: bytes) -> tuple[I64, I64, I64]:
    """The lines of a file as ``bytes.splitlines`` makes them (ends ``\\n``, ``\\r\\n``,
    ``\\r``): each line's start and end (before its line end), and the offsets of the
    lines with their line ends (for an Arrow array of them)."""
    buf = np.frombuffer(data, dtype=np.uint8)
    if data.find(b"\r") < 0:  # no '\\r': every line ends in '\\n' (or with the file)
        sep = np.flatnonzero(buf == 10)
        sep_len = np.ones(len(sep), dtype=np.int64)
    else:
        cr = buf == 13
        lf = buf == 10
        after_cr = np.zeros(len(buf), dtype=np.bool_)
        after_cr[1:] = cr[:-1]
        sep = np.flatnonzero(cr | (lf & ~after_cr))
        sep_len = np.ones(len(sep), dtype=np.int64)
        pair = sep + 1 < len(buf)
        sep_len[pair] += lf[np.minimum(sep + 1, len(buf) - 1)][pair] & cr[sep][pair]
    starts = np.concatenate([np.zeros(1, np.int64), sep + sep_len])
    ends = np.concatenate([sep, np.full(1, len(buf), np.int64)])
    if starts[-1] == len(buf):  # nothing after the last line end: no line there
        starts, ends = starts[:-1], ends[:-1]
    return starts, ends, np.concatenate([starts, np.full(1, len(buf), np.int64)])


def read_lines(data: bytes) -> Lines:
    """Find the regular lines of a file's bytes and take their fields apart (see the
    module docstring)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    buf = np.frombuffer(data, dtype=np.uint8)
    starts, ends, offsets = split_bytes(data)
    n = len(starts)
    arr = pa.LargeBinaryArray.from_buffers(
        pa.large_binary(), n, [None, pa.py_buffer(offsets.astype(np.int64)), pa.py_buffer(data)]
    )
    regular = np.asarray(
        pc.match_substring_regex(arr, REGULAR).to_numpy(zero_copy_only=False), dtype=np.bool_
    )
    other = np.asarray(
        pc.match_substring_regex(arr, OTHER).to_numpy(zero_copy_only=False), dtype=np.bool_
    )
    if other.any():
        rows = np.flatnonzero(other)
        dollars = np.flatnonzero(buf == 0x24)
        at = dollars[np.searchsorted(dollars, starts[rows])]
        kind = buf[np.minimum(at[:, None] + np.arange(3, 6)[None, :], len(buf) - 1)] & 0xDF
        ais = (at + 6 <= ends[rows]) & (kind[:, 0] == ord("V")) & (kind[:, 1] == ord("D"))
        ais &= (kind[:, 2] == ord("M")) | (kind[:, 2] == ord("O"))
        other[rows[ais]] = False
    out = Lines(buf, starts, ends, regular, other)
    lines = np.flatnonzero(regular)
    if len(lines) == 0:
        return out
    s, e = starts[lines], ends[lines]
    # a regular line has one '!' (none in a prefix, tag block or payload): the sentence
    # starts there; "!xxVDM,c,n," is fixed, then a sequence id and a channel of 0 or 1
    # character, the payload, and ",f*hh" at the end
    bangs = np.flatnonzero(buf == 0x21)
    bang = bangs[np.searchsorted(bangs, s)]
    seq_len = (buf[bang + 11] != 44).astype(np.int64)
    chan_at = bang + 12 + seq_len
    chan_len = (buf[chan_at] != 44).astype(np.int64)
    out.r_line = lines.astype(np.int64)
    out.r_bang = bang
    out.r_cnt = buf[bang + 7].astype(np.int64) - 48
    out.r_num = buf[bang + 9].astype(np.int64) - 48
    out.r_seq = np.where(seq_len == 1, buf[bang + 11].astype(np.int64) - 48, -1)
    out.r_chan = np.where(chan_len == 1, buf[chan_at].astype(np.int64), 0)
    out.r_pstart = chan_at + chan_len + 1
    out.r_plen = e - 5 - out.r_pstart
    out.r_fill = buf[e - 4].astype(np.int64) - 48
    out.regular[lines[out.r_num > out.r_cnt]] = False  # pyais refuses those: one by one
    # XOR of each sentence between '!' and '*': segments [bang + 1, e - 3) of one reduceat
    bounds = np.empty(2 * len(lines), dtype=np.int64)
    bounds[0::2], bounds[1::2] = bang + 1, e - 3
    xor = np.bitwise_xor.reduceat(buf, bounds)[0::2].astype(np.int64)
    out.r_valid = xor == (_HEX[buf[e - 2]] * 16 + _HEX[buf[e - 1]])
    time_s = np.zeros(len(lines), dtype=np.int64)
    has_time = np.zeros(len(lines), dtype=np.bool_)
    prefixed = buf[s] == 0x5B
    if prefixed.any():
        rows = np.flatnonzero(prefixed)
        stamps = _window(buf, s[rows] + 1, 19)
        stamps[:, 10] = ord("T")
        try:
            when = stamps.view("S19").ravel().astype("datetime64[s]")
        except ValueError:  # a date that is no date: those lines go one by one
            when = np.zeros(len(rows), dtype="datetime64[s]")
            for i, stamp in enumerate(stamps.view("S19").ravel()):
                try:
                    when[i] = np.datetime64(stamp.decode())
                except ValueError:
                    out.regular[lines[rows[i]]] = False
        time_s[rows] = when.astype(np.int64)
        has_time[rows] = True
    tagged = (bang > s) & (buf[bang - 1] == 0x5C)
    if tagged.any():
        rows = np.flatnonzero(tagged)
        # the first "c:" after a ',' or '\\' of the line (the regular expression made it
        # the time part, 1 to 12 digits)
        colons = np.flatnonzero(buf == 0x3A)
        colons = colons[colons >= 2]
        colons = colons[
            (buf[colons - 1] == ord("c")) & ((buf[colons - 2] == 44) | (buf[colons - 2] == 0x5C))
        ]
        p = colons[np.searchsorted(colons, s[rows])] + 1
        # 13 bytes from there: 1 to 12 digits, then a ',' '*' or '\\'
        digits = _window(buf, p, 13).astype(np.int64) - 48
        run = np.argmin((digits >= 0) & (digits <= 9), axis=1)
        digits[np.arange(13)[None, :] >= run[:, None]] = 0
        value = (digits @ (10 ** np.arange(12, -1, -1, dtype=np.int64))) // 10 ** (13 - run)
        value = np.where(value > 10**11, value // 1000, value)
        time_s[rows] = value
        has_time[rows] = True
    out.r_time_s, out.r_has_time = time_s, has_time
    kept = out.regular[lines]
    if not kept.all():
        for name in _ARRAYS:
            setattr(out, name, getattr(out, name)[kept])
    return out


_ARRAYS = (
    "r_line",
    "r_valid",
    "r_cnt",
    "r_num",
    "r_seq",
    "r_chan",
    "r_pstart",
    "r_plen",
    "r_fill",
    "r_bang",
    "r_time_s",
    "r_has_time",
)
