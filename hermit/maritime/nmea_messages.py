"""NMEA sentences into whole AIS messages (hermit-nmea@2, see hermit/maritime/nmea.py).

The regular lines come as arrays (hermit/maritime/nmea_sentences.py); the irregular ones
are read one by one, and the fragments of multi-part messages are put together one by
one in line order, with hermit-nmea@1's rules. Every line's outcome is counted in a
:class:`Tally`, whose counts keep the order in which each kind was first met (the order
hermit-nmea@1's Counter had, stored as JSON) and whose problems keep line order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from hermit.maritime.nmea_sentences import Irregular, Lines, Malformed, parse_sentence, split_line

I64 = npt.NDArray[np.int64]
LAST = 1 << 60  # order of what is counted after the last line
_EPOCH = dt.datetime(1970, 1, 1)


class Tally:
    """Counts by kind, kept in the order each kind was first seen (as a Counter fed line
    by line would be), and the problems in line order."""

    def __init__(self) -> None:
        self.counts: dict[str, list[int]] = {}  # kind -> [count, first order]
        self.problems: list[tuple[int, int, str, str, str]] = []  # order, line, kind, ...

    def add(self, kind: str, order: int, n: int = 1) -> None:
        found = self.counts.get(kind)
        if found is None:
            self.counts[kind] = [n, order]
        else:
            found[0] += n
            found[1] = min(found[1], order)

    def add_all(self, kind: str, orders: I64) -> None:
        if len(orders):
            self.add(kind, int(orders.min()), len(orders))

    def problem(self, order: int, line: int, kind: str, text: str, why: str) -> None:
        self.problems.append((order, line, kind, text, why))

    def ordered(self) -> dict[str, int]:
        return {k: v[0] for k, v in sorted(self.counts.items(), key=lambda kv: kv[1][1])}


def line_text(lines: Lines, i: int) -> str:
    return lines.text[i].strip().decode("ascii", "replace")


@dataclass(slots=True)
class _Messages:
    """Whole messages (single sentences and put-together fragments), by line."""

    line: list[int] = field(default_factory=list)
    start: list[int] = field(default_factory=list)
    length: list[int] = field(default_factory=list)
    fill: list[int] = field(default_factory=list)
    time_s: list[int] = field(default_factory=list)
    has_time: list[bool] = field(default_factory=list)
    raw: dict[int, bytes] = field(default_factory=dict)  # line -> sentence(s), not regular
    extra: bytearray = field(default_factory=bytearray)  # their payloads


def _irregular(lines: Lines, tally: Tally) -> list[tuple[Irregular, int | None]]:
    """The lines the regular expression did not take, one by one (hermit-nmea@1's steps)."""
    out: list[tuple[Irregular, int | None]] = []
    for i in np.flatnonzero(~lines.regular).tolist():
        raw = lines.text[i].strip()
        key = 8 * i
        if not raw:
            tally.add("blank_lines", key)
            continue
        tally.add("lines", key)
        try:
            sentence, when = split_line(raw)
        except ValueError as exc:
            raise ValueError(f"line {i + 1}: {exc}") from None
        body = sentence.rsplit(b"\\", 1)[-1]
        if body[3:6].upper() not in (b"VDM", b"VDO"):
            kind = "other_sentence" if body[:1] in (b"$", b"!") else "not_nmea"
            tally.add(kind, key + 1)
            if kind == "not_nmea":
                tally.problem(key + 1, i + 1, kind, raw.decode("ascii", "replace"), "not NMEA")
            continue
        tally.add("ais_sentences", key + 1)
        try:
            parsed, valid = parse_sentence(i, sentence)
        except Malformed as exc:
            tally.add("malformed", key + 2)
            tally.problem(key + 2, i + 1, "malformed", line_text(lines, i), str(exc)[:200])
            continue
        if not valid:
            tally.add("bad_checksum", key + 2)
            tally.problem(
                key + 2, i + 1, "bad_checksum", line_text(lines, i), "checksum does not match"
            )
            continue
        epoch = None if when is None else int((when - _EPOCH).total_seconds())
        out.append((parsed, epoch))
    return out


def _regular_sentence(lines: Lines, j: int) -> tuple[Irregular, int | None]:
    """Regular sentence ``j`` as an object (for the fragments, taken one by one)."""
    a, n = int(lines.r_pstart[j]), int(lines.r_plen[j])
    line = int(lines.r_line[j])
    chan = int(lines.r_chan[j])
    seq = int(lines.r_seq[j])
    raw = lines.buf[int(lines.r_bang[j]) : int(lines.ends[line])].tobytes()
    s = Irregular(
        line,
        int(lines.r_cnt[j]),
        int(lines.r_num[j]),
        None if seq < 0 else seq,
        chr(chan) if chan else "",
        lines.buf[a : a + n].tobytes(),
        int(lines.r_fill[j]),
        raw,
    )
    return s, int(lines.r_time_s[j]) if lines.r_has_time[j] else None


def _add(
    msgs: _Messages, line: int, payload: bytes, fill: int, when: int | None, raw: bytes, base: int
) -> None:
    msgs.line.append(line)
    msgs.start.append(base + len(msgs.extra))
    msgs.length.append(len(payload))
    msgs.fill.append(fill)
    msgs.time_s.append(0 if when is None else when)
    msgs.has_time.append(when is not None)
    msgs.raw[line] = raw
    msgs.extra += payload


def _fragments(
    lines: Lines,
    tally: Tally,
    items: list[tuple[Irregular, int | None]],
    msgs: _Messages,
) -> None:
    """Put multi-part messages together in line order (hermit-nmea@1's rules: a new first
    part ends a group still waiting, whose parts are counted incomplete)."""
    base = len(lines.buf)
    pending: dict[tuple[str, int | None, int], list[Irregular]] = {}
    for s, when in items:
        if s.frag_cnt == 1:
            _add(msgs, s.line, s.payload, s.fill_bits, when, s.raw, base)
            continue
        key = (s.channel, s.seq_id, s.frag_cnt)
        parts = pending.setdefault(key, [])
        if s.frag_num == 1 and parts:
            order = 8 * s.line + 2
            for p in parts:  # a new message began before the last one ended
                tally.add("incomplete_multipart", order)
                tally.problem(
                    order,
                    p.line + 1,
                    "incomplete_multipart",
                    line_text(lines, s.line),
                    "other parts missing",
                )
            parts.clear()
        parts.append(s)
        if len(parts) < s.frag_cnt:
            continue
        del pending[key]
        ordered = sorted(parts, key=lambda m: m.frag_num)
        _add(
            msgs,
            s.line,
            b"".join(p.payload for p in ordered),
            parts[-1].fill_bits,
            when,
            b"\n".join(p.raw for p in ordered),
            base,
        )
    for rest in pending.values():
        for p in rest:
            tally.add("incomplete_multipart", LAST)
            tally.problem(
                LAST,
                p.line + 1,
                "incomplete_multipart",
                p.raw.decode("ascii", "replace"),
                "other parts missing",
            )


def whole_messages(lines: Lines, tally: Tally) -> Messages:
    """Every whole message: line, payload start (in buf + extra), length, fill, time."""
    regular_keys = 8 * lines.r_line
    tally.add_all("lines", regular_keys)
    tally.add_all("ais_sentences", regular_keys + 1)
    bad = np.flatnonzero(~lines.r_valid)
    tally.add_all("bad_checksum", regular_keys[bad] + 2)
    for j in bad.tolist():
        i = int(lines.r_line[j])
        tally.problem(
            8 * i + 2, i + 1, "bad_checksum", line_text(lines, i), "checksum does not match"
        )
    others = _irregular(lines, tally)
    single = lines.r_valid & (lines.r_cnt == 1)
    frag = np.flatnonzero(lines.r_valid & (lines.r_cnt > 1))
    items = [_regular_sentence(lines, j) for j in frag.tolist()] + others
    items.sort(key=lambda it: it[0].line)
    msgs = _Messages()
    _fragments(lines, tally, items, msgs)
    line = np.concatenate([lines.r_line[single], np.asarray(msgs.line, dtype=np.int64)])
    order = np.argsort(line, kind="stable")

    def joined(regular: npt.NDArray[Any], other: list[Any], dtype: type) -> npt.NDArray[Any]:
        return np.concatenate([regular[single], np.asarray(other, dtype=dtype)])[order]

    return Messages(
        line[order],
        joined(lines.r_pstart, msgs.start, np.int64),
        joined(lines.r_plen, msgs.length, np.int64),
        joined(lines.r_fill, msgs.fill, np.int64),
        joined(lines.r_time_s, msgs.time_s, np.int64),
        joined(lines.r_has_time, msgs.has_time, np.bool_),
        msgs.raw,
        bytes(msgs.extra),
    )


@dataclass(slots=True)
class Messages:
    """Every whole message of a file in line order: the line it was completed on, its
    payload (start in the lines' buffer followed by ``extra``, length, fill bits), time."""

    line: I64
    start: I64
    length: I64
    fill: I64
    time_s: I64
    has_time: npt.NDArray[np.bool_]
    raw: dict[int, bytes]  # line -> the sentence(s), for the messages not on one regular line
    extra: bytes

    def take(self, keep: npt.NDArray[np.bool_]) -> Messages:
        return Messages(
            self.line[keep], self.start[keep], self.length[keep], self.fill[keep],
            self.time_s[keep], self.has_time[keep], self.raw, self.extra,
        )  # fmt: skip


def raw_of(lines: Lines, raws: dict[int, bytes], line: int) -> bytes:
    """The sentence(s) of the message completed on ``line`` (pyais's ``raw``)."""
    found = raws.get(line)
    if found is not None:
        return found
    j = int(np.searchsorted(lines.r_line, line))
    return lines.buf[int(lines.r_bang[j]) : int(lines.ends[line])].tobytes()
