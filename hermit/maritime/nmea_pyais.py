"""hermit-nmea@1: raw NMEA 0183 AIS (``!AIVDM`` / ``!AIVDO``) decoded through pyais, line by line.

The reader before hermit's own decoder (hermit/maritime/nmea.py, hermit-nmea@2), kept as
the reference it is tested against and as ``hermit ais load --decoder pyais``.

A line may carry an NMEA 4.10 tag block (``\\s:STATION,c:UNIXTIME*hh\\``) or a receiver's
``[YYYY-MM-DD hh:mm:ss]`` prefix: either gives the time of the message (AIS position
messages carry only the second of the minute). Multi-part messages are put together by
channel and sequence id. Nothing is dropped silently: every line that is not a decoded
message is counted by reason (other NMEA sentences such as ``$GPGGA``, bad checksum,
malformed sentence, empty payload, a fragment whose other parts never came, a message
type that carries no position or identity) and every bad sentence is kept, with its line,
for the store's problem table. Identity fields (name, IMO, call sign, ship type) come from
message types 5, 19 and 24 and are joined to the positions of the same MMSI: the last
identity heard before the position, else the first heard after it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from hermit.maritime.nmea_irregular import split_line as _split_line

POSITION_TYPES = frozenset({1, 2, 3, 18, 19, 27})
IDENTITY_TYPES = frozenset({5, 19, 24})


@dataclass(slots=True)
class Decoded:
    """Positions, identities, counts and bad lines of one NMEA file."""

    positions: list[dict[str, Any]] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    problems: list[tuple[int, str, str, str]] = field(default_factory=list)  # line, kind, text, why


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _identity(msg: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    name = getattr(msg, "shipname", None)
    if name:
        out["vessel_name"] = str(name).strip() or None
    imo = getattr(msg, "imo", None)
    if imo is not None and msg.msg_type == 5:
        out["imo"] = f"IMO{int(imo):07d}"
    sign = getattr(msg, "callsign", None)
    if sign:
        out["call_sign"] = str(sign).strip() or None
    kind = getattr(msg, "ship_type", None)
    if kind is not None and int(kind) > 0:
        out["vessel_type"] = int(kind)
    return out


def decode_lines(lines: list[bytes]) -> Decoded:
    """Decode the lines of an NMEA file (see the module docstring)."""
    from pyais.exceptions import InvalidNMEAMessageException, UnknownMessageException
    from pyais.messages import AISSentence, NMEASentenceFactory

    out = Decoded()
    pending: dict[tuple[str, int | None, int], list[tuple[int, Any]]] = {}
    identities: dict[int, dict[str, Any]] = {}
    first_identity: dict[int, dict[str, Any]] = {}
    for number, line in enumerate(lines, start=1):
        raw = line.strip()
        if not raw:
            out.counts["blank_lines"] += 1
            continue
        out.counts["lines"] += 1
        sentence_raw, when = _split_line(raw)
        body = sentence_raw.rsplit(b"\\", 1)[-1]
        if body[3:6].upper() not in (b"VDM", b"VDO"):
            kind = "other_sentence" if body[:1] in (b"$", b"!") else "not_nmea"
            out.counts[kind] += 1
            if kind == "not_nmea":
                out.problems.append((number, kind, raw.decode("ascii", "replace"), "not NMEA"))
            continue
        out.counts["ais_sentences"] += 1
        text = raw.decode("ascii", "replace")
        try:
            sentence = NMEASentenceFactory.produce(sentence_raw)
        except (InvalidNMEAMessageException, UnknownMessageException, ValueError) as exc:
            out.counts["malformed"] += 1
            out.problems.append((number, "malformed", text, str(exc)[:200]))
            continue
        assert isinstance(sentence, AISSentence)
        if not sentence.is_valid:
            out.counts["bad_checksum"] += 1
            out.problems.append((number, "bad_checksum", text, "checksum does not match"))
            continue
        if sentence.frag_cnt > 1:
            key = (sentence.channel, sentence.seq_id, sentence.frag_cnt)
            parts = pending.setdefault(key, [])
            if sentence.frag_num == 1 and parts:
                for n, _ in parts:  # a new message began before the last one ended
                    out.counts["incomplete_multipart"] += 1
                    out.problems.append((n, "incomplete_multipart", text, "other parts missing"))
                parts.clear()
            parts.append((number, sentence))
            if len(parts) < sentence.frag_cnt:
                continue
            del pending[key]
            sentence = AISSentence.assemble_from_iterable([s for _, s in parts])
        if not sentence.payload:
            out.counts["empty_payload"] += 1
            out.problems.append((number, "empty_payload", text, "no payload"))
            continue
        try:
            msg: Any = sentence.decode()
        except Exception as exc:  # pyais raises many kinds on a corrupted payload
            out.counts["undecodable"] += 1
            out.problems.append((number, "undecodable", text, f"{type(exc).__name__}: {exc}"[:200]))
            continue
        if not 1 <= int(msg.msg_type) <= 27:
            out.counts["unknown_type"] += 1
            out.problems.append((number, "unknown_type", text, f"message type {msg.msg_type}"))
            continue
        out.counts["messages"] += 1
        out.counts[f"type_{msg.msg_type}"] += 1
        mmsi = int(msg.mmsi)
        if msg.msg_type in IDENTITY_TYPES:
            ident = _identity(msg)
            identities.setdefault(mmsi, {}).update(ident)
            first_identity.setdefault(mmsi, {}).update(
                {k: v for k, v in ident.items() if k not in first_identity.get(mmsi, {})}
            )
        if msg.msg_type not in POSITION_TYPES:
            continue
        row: dict[str, Any] = {
            "row": number,
            "mmsi": mmsi,
            "ts": when,
            "lat": float(msg.lat),
            "lon": float(msg.lon),
            "sog": _number(getattr(msg, "speed", None)),
            "cog": _number(getattr(msg, "course", None)),
            "heading": _number(getattr(msg, "heading", None)),
        }
        row.update(identities.get(mmsi, {}))
        out.positions.append(row)
    for parts in pending.values():
        for n, s in parts:
            out.counts["incomplete_multipart"] += 1
            out.problems.append(
                (n, "incomplete_multipart", s.raw.decode("ascii", "replace"), "other parts missing")
            )
    for row in out.positions:  # identity heard only after the position: the first one heard
        for name, value in first_identity.get(row["mmsi"], {}).items():
            row.setdefault(name, value)
    out.counts["positions"] = len(out.positions)
    return out
