"""NMEA sentences into whole AIS messages (hermit-nmea@2, see hermit/maritime/nmea.py).

The regular lines come as arrays (hermit/maritime/nmea_sentences.py), the irregular ones
one by one (nmea_irregular.py). The fragments of multi-part messages are put together in
line order with hermit-nmea@1's rules: clean groups at once, the others one by one. Every
line's outcome is counted in a Tally (nmea_tally.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from hermit.maritime.nmea_irregular import Irregular, read_irregular
from hermit.maritime.nmea_sentences import Lines
from hermit.maritime.nmea_tally import LAST, Tally, line_text

I64 = npt.NDArray[np.int64]


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


def _key(s: Irregular, ids: dict[tuple[str, int | None, int], int]) -> int:
    """The group key (channel, sequence id, fragment count) as the regular lines' number."""
    chan = s.channel
    if len(chan) <= 1 and chan != "\x00" and (s.seq_id is None or 0 <= s.seq_id <= 9):
        seq = -1 if s.seq_id is None else s.seq_id
        return (ord(chan) if chan else 0) * 1000 + (seq + 1) * 10 + s.frag_cnt
    return ids.setdefault((chan, s.seq_id, s.frag_cnt), -1 - len(ids))


@dataclass(slots=True)
class _Fragments:
    """Every fragment of a multi-part message, in line order."""

    line: I64
    regular: I64  # index among the regular lines, -1: an irregular line
    cnt: I64
    num: I64
    key: I64
    others: list[Irregular | None]  # the irregular ones' sentences


def _fragment_table(
    lines: Lines, frag: I64, others: list[tuple[Irregular, int | None]]
) -> _Fragments:
    ids: dict[tuple[str, int | None, int], int] = {}
    irr = [s for s, _ in others if s.frag_cnt > 1]
    seq = np.where(lines.r_seq[frag] < 0, -1, lines.r_seq[frag])
    reg_key = lines.r_chan[frag] * 1000 + (seq + 1) * 10 + lines.r_cnt[frag]
    line = np.concatenate([lines.r_line[frag], np.asarray([s.line for s in irr], np.int64)])
    order = np.argsort(line, kind="stable")
    n_reg = len(frag)
    return _Fragments(
        line[order],
        np.concatenate([frag, np.full(len(irr), -1, np.int64)])[order],
        np.concatenate([lines.r_cnt[frag], np.asarray([s.frag_cnt for s in irr], np.int64)])[order],
        np.concatenate([lines.r_num[frag], np.asarray([s.frag_num for s in irr], np.int64)])[order],
        np.concatenate([reg_key, np.asarray([_key(s, ids) for s in irr], np.int64)])[order],
        [None if o < n_reg else irr[o - n_reg] for o in order.tolist()],
    )


def _clean_starts(f: _Fragments) -> npt.NDArray[np.bool_]:
    """Fragments that begin a clean group: part 1 of a regular line followed, among the
    fragments, by parts 2 .. count of the same key, all regular. Put together, such a
    group only ends whatever of its key was still waiting (hermit-nmea@1's rules)."""
    n = len(f.line)
    clean: npt.NDArray[np.bool_] = (f.num == 1) & (f.regular >= 0)
    if n == 0:
        return clean
    for k in range(1, 9):
        nxt = np.arange(n) + k
        inside = nxt < n
        at = np.minimum(nxt, n - 1)
        same = inside & (f.regular[at] >= 0) & (f.num[at] == k + 1) & (f.key[at] == f.key)
        clean &= (f.cnt <= k) | same
    return clean


def _fragments(
    lines: Lines,
    tally: Tally,
    others: list[tuple[Irregular, int | None]],
    msgs: _Messages,
) -> tuple[I64, npt.NDArray[np.int64]]:
    """Put multi-part messages together in line order (hermit-nmea@1's rules: a new first
    part ends a group still waiting, whose parts are counted incomplete). Clean groups
    (see :func:`_clean_starts`) at once; the other fragments one by one. Returns the
    clean groups' parts (regular indices, a row per group, -1 past its count)."""
    base = len(lines.buf)
    for s, when in others:
        if s.frag_cnt == 1:
            _add(msgs, s.line, s.payload, s.fill_bits, when, s.raw, base)
    frag = np.flatnonzero(lines.r_valid & (lines.r_cnt > 1))
    f = _fragment_table(lines, frag, others)
    times = {s.line: when for s, when in others}
    starts = _clean_starts(f)
    member = starts.copy()
    for k in range(1, 9):
        member[k:] |= starts[:-k] & (f.cnt[:-k] > k)
    loose_keys = set(f.key[~member].tolist())
    steps = np.flatnonzero(~member | (starts & np.isin(f.key, list(loose_keys))))
    pending: dict[int, list[Irregular]] = {}
    for i in steps.tolist():
        key = int(f.key[i])
        line = int(f.line[i])
        if member[i]:  # a clean group begins: what waits under its key is incomplete
            parts = pending.pop(key, None)
            for p in parts or ():
                tally.add("incomplete_multipart", 8 * line + 2)
                tally.problem(8 * line + 2, p.line + 1, "incomplete_multipart",
                              line_text(lines, line), "other parts missing")  # fmt: skip
            continue
        j = int(f.regular[i])
        found = f.others[i]
        if found is None:
            s, when = _regular_sentence(lines, j)
        else:
            s, when = found, times[line]
        parts = pending.setdefault(key, [])
        if s.frag_num == 1 and parts:
            order = 8 * s.line + 2
            for p in parts:  # a new message began before the last one ended
                tally.add("incomplete_multipart", order)
                tally.problem(order, p.line + 1, "incomplete_multipart",
                              line_text(lines, s.line), "other parts missing")  # fmt: skip
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
            tally.problem(LAST, p.line + 1, "incomplete_multipart",
                          p.raw.decode("ascii", "replace"), "other parts missing")  # fmt: skip
    first = np.flatnonzero(starts)
    width = int(f.cnt[first].max()) if len(first) else 1
    groups = np.full((len(first), width), -1, dtype=np.int64)
    for k in range(width):
        has = f.cnt[first] > k
        groups[has, k] = f.regular[first[has] + k]
    return groups, f.cnt[first]


def _put_together(lines: Lines, groups: I64, counts: I64) -> tuple[I64, I64, I64, bytes]:
    """The clean groups' payloads end to end: (start in the result, length, fill) per
    group, and the bytes."""
    parts = groups[groups >= 0]  # row by row: each group's parts in order
    lens = lines.r_plen[parts]
    total = int(lens.sum())
    seg_start = np.cumsum(lens) - lens
    idx = np.arange(total, dtype=np.int64) - np.repeat(seg_start - lines.r_pstart[parts], lens)
    payload = lines.buf[idx].tobytes()
    per_group = np.zeros(len(groups), dtype=np.int64)
    for k in range(groups.shape[1]):
        has = groups[:, k] >= 0
        per_group[has] += lines.r_plen[groups[has, k]]
    last = groups[np.arange(len(groups)), counts - 1]
    return np.cumsum(per_group) - per_group, per_group, lines.r_fill[last], payload


def whole_messages(lines: Lines, tally: Tally) -> Messages:
    """Every whole message: line, payload start (in buf + extra), length, fill, time."""
    regular_keys = 8 * lines.r_line
    tally.add_all("lines", regular_keys)
    tally.add_all("ais_sentences", regular_keys + 1)
    other_keys = 8 * np.flatnonzero(lines.other)
    tally.add_all("lines", other_keys)
    tally.add_all("other_sentence", other_keys + 1)
    bad = np.flatnonzero(~lines.r_valid)
    tally.add_all("bad_checksum", regular_keys[bad] + 2)
    for j in bad.tolist():
        i = int(lines.r_line[j])
        tally.problem(
            8 * i + 2, i + 1, "bad_checksum", line_text(lines, i), "checksum does not match"
        )
    others = read_irregular(lines, tally)
    single = np.flatnonzero(lines.r_valid & (lines.r_cnt == 1))
    msgs = _Messages()
    groups, counts = _fragments(lines, tally, others, msgs)
    g_start, g_len, g_fill, g_payload = _put_together(lines, groups, counts)
    last = groups[np.arange(len(groups)), counts - 1]
    base = len(lines.buf) + len(msgs.extra)
    line = np.concatenate(
        [lines.r_line[single], np.asarray(msgs.line, dtype=np.int64), lines.r_line[last]]
    )
    order = np.argsort(line, kind="stable")

    def joined(
        regular: npt.NDArray[Any], other: list[Any], group: npt.NDArray[Any]
    ) -> npt.NDArray[Any]:
        dtype = regular.dtype
        return np.concatenate([regular[single], np.asarray(other, dtype=dtype), group])[order]

    return Messages(
        line[order],
        joined(lines.r_pstart, msgs.start, base + g_start),
        joined(lines.r_plen, msgs.length, g_len),
        joined(lines.r_fill, msgs.fill, g_fill),
        joined(lines.r_time_s, msgs.time_s, lines.r_time_s[last]),
        joined(lines.r_has_time, msgs.has_time, lines.r_has_time[last]),
        msgs.raw,
        bytes(msgs.extra) + g_payload,
        lines.r_line[last],
        groups,
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
    group_line: I64  # the clean groups' last lines (sorted) and their parts (regular indices)
    groups: I64

    def take(self, keep: npt.NDArray[np.bool_]) -> Messages:
        return Messages(
            self.line[keep], self.start[keep], self.length[keep], self.fill[keep],
            self.time_s[keep], self.has_time[keep], self.raw, self.extra,
            self.group_line, self.groups,
        )  # fmt: skip


def raw_of(lines: Lines, msgs: Messages, line: int) -> bytes:
    """The sentence(s) of the message completed on ``line`` (pyais's ``raw``)."""
    found = msgs.raw.get(line)
    if found is not None:
        return found

    def regular(j: int) -> bytes:
        i = int(lines.r_line[j])
        return lines.buf[int(lines.r_bang[j]) : int(lines.ends[i])].tobytes()

    g = int(np.searchsorted(msgs.group_line, line))
    if g < len(msgs.group_line) and msgs.group_line[g] == line:
        return b"\n".join(regular(int(j)) for j in msgs.groups[g] if j >= 0)
    return regular(int(np.searchsorted(lines.r_line, line)))
