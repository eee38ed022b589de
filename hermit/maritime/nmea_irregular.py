"""The lines hermit-nmea@2 reads one by one (see hermit/maritime/nmea.py): the lines its
regular expressions did not take, read as pyais 3.3.1's ``NMEASentenceFactory`` reads a
sentence, failing with pyais's words, so both ways count the same.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import reduce
from operator import xor

import numpy as np

from hermit.maritime.nmea_sentences import Lines
from hermit.maritime.nmea_tally import Tally, line_text

_PREFIX = re.compile(rb"^\[(\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d)\]\s*")
_EPOCH = dt.datetime(1970, 1, 1)
MAX_PAYLOAD_LEN = 200
MAX_FRAG_CNT = 9


class Malformed(Exception):
    """A sentence pyais would not read, with pyais's reason."""


@dataclass(slots=True)
class Irregular:
    """One AIS sentence read by :func:`parse_sentence`."""

    line: int  # 0-based
    frag_cnt: int
    frag_num: int
    seq_id: int | None
    channel: str
    payload: bytes
    fill_bits: int
    raw: bytes  # the sentence without its tag block


def split_line(raw: bytes) -> tuple[bytes, dt.datetime | None]:
    """The sentence (tag block kept) and the time the line gives, if any (a line's
    stripped bytes)."""
    when = None
    found = _PREFIX.match(raw)
    if found is not None:
        when = dt.datetime.fromisoformat(found.group(1).decode().replace("T", " "))
        raw = raw[found.end() :]
    if raw.startswith(b"\\"):
        end = raw.find(b"\\", 1)
        if end > 0:
            when = tag_time(raw[1:end]) or when
    return raw, when


def tag_time(tag: bytes) -> dt.datetime | None:
    """The time of a tag block's first ``c:`` part (seconds or milliseconds)."""
    for part in tag.split(b"*")[0].split(b","):
        if part.startswith(b"c:"):
            try:
                value = int(part[2:])
            except ValueError:
                return None
            if value > 10**11:  # milliseconds
                value //= 1000
            return _EPOCH + dt.timedelta(seconds=value)
    return None


def _fill_and_checksum(last: bytes) -> tuple[int, int]:
    parts = last.split(b"*")
    if not last or len(parts) != 2:
        return 0, -1
    try:
        fill = int(parts[0])
    except ValueError:
        fill = 0
    try:
        chk = int(parts[1], 16)
    except ValueError:
        chk = -1
    return fill, chk


def parse_sentence(line: int, text: bytes) -> tuple[Irregular, bool]:
    """An AIS sentence (prefix removed, tag block kept) and whether its checksum holds;
    :class:`Malformed` with pyais's words when pyais would not read it."""
    raw = text.strip()
    if not raw:
        raise Malformed("empty bytes")
    if raw[0] == 0x5C:  # a tag block
        raw = raw[raw[1:].find(b"\\") + 2 :]
    if not raw.isascii():
        raise Malformed("non-ASCII byte in NMEA sentence")
    fields = raw.split(b",")
    kind = fields[0][3:]
    if kind not in (b"VDM", b"VDO") and kind.upper() not in (b"VDM", b"VDO"):
        raise Malformed(str(raw))
    fill, chk = _fill_and_checksum(fields[-1])
    try:
        cnt_b, num_b, seq_b, chan_b, payload = fields[1:-1][:5]
        frag_cnt, frag_num = int(cnt_b), int(num_b)
        seq_id = int(seq_b) if seq_b else None
        channel = chan_b.decode("ascii")
    except ValueError:
        raise Malformed(str(raw)) from None
    if len(payload) > MAX_PAYLOAD_LEN:
        raise Malformed("AIS payload too large")
    if not 1 <= frag_cnt <= MAX_FRAG_CNT:
        raise Malformed(f"invalid fragment count {frag_cnt} (valid: 1-{MAX_FRAG_CNT})")
    if not 1 <= frag_num <= frag_cnt:
        raise Malformed(f"invalid fragment number {frag_num} (valid: 1-{frag_cnt})")
    if not 0 <= fill <= 5:
        raise Malformed(f"invalid fill bit count {fill} (valid: 0-5)")
    valid = chk == reduce(xor, raw[1:].split(b"*", 1)[0], 0)
    return Irregular(line, frag_cnt, frag_num, seq_id, channel, payload, fill, raw), valid


def read_irregular(lines: Lines, tally: Tally) -> list[tuple[Irregular, int | None]]:
    """The lines the regular expression did not take, one by one (hermit-nmea@1's steps)."""
    out: list[tuple[Irregular, int | None]] = []
    for i in np.flatnonzero(~lines.regular & ~lines.other).tolist():
        raw = lines.line(i).strip()
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
