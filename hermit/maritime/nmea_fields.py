"""Whole AIS messages into positions and identities (hermit-nmea@2, see nmea.py).

All messages of a file at once: the message type, MMSI and part number of each, the
ones pyais would not decode set aside with pyais's words, the position fields of types
1, 2, 3, 18, 19 and 27 and the identity fields of 5, 19 and 24 read by the offsets of
resources/maritime/ais_messages.yaml, and each position given the identity of its MMSI
(the last heard at or before it, else the first heard after it), field by field.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from hermit.maritime.nmea_messages import Messages, raw_of
from hermit.maritime.nmea_payload import Payloads, layouts, scaled
from hermit.maritime.nmea_sentences import Lines
from hermit.maritime.nmea_tally import Tally, line_text

if TYPE_CHECKING:
    import pyarrow as pa

I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]
POSITION_TYPES = frozenset({1, 2, 3, 18, 19, 27})
_POSITION = {"lat": "lat", "lon": "lon", "sog": "speed", "cog": "course", "heading": "heading"}
IDENTITY = ("vessel_name", "imo", "call_sign", "vessel_type")
POSITION_CHARS = 23  # the characters the position fields need (message 1's heading ends at bit 137)
IDENTITY_CHARS = 46  # and the identity fields (message 19's ship type ends at bit 271)


def classify(lines: Lines, msgs: Messages, pay: Payloads, tally: Tally) -> tuple[I64, I64, I64, B]:
    """Message type, MMSI, part number of every message, and which ones decode; the
    others counted and kept as problems (type 29-63, message 24 with part 2 or 3, type 0
    or 28 and a payload too short for an MMSI)."""
    common = layouts()["common"]
    mtype, _ = pay.get(*common["msg_type"])
    mmsi, has_mmsi = pay.get(*common["mmsi"])
    partno, _ = pay.get(*common["partno"])
    no_class = mtype >= 29
    bad_part = (mtype == 24) & (partno > 1)
    unknown = ~no_class & ~bad_part & ((mtype == 0) | (mtype == 28))
    short = ~no_class & ~bad_part & ~unknown & ~has_mmsi
    keys = 8 * msgs.line + 3
    for j in np.flatnonzero(no_class | bad_part | unknown | short).tolist():
        i, order = int(msgs.line[j]), int(keys[j])
        if unknown[j]:
            why = f"message type {int(mtype[j])}"
            tally.add("unknown_type", order)
            tally.problem(order, i + 1, "unknown_type", line_text(lines, i), why)
            continue
        if no_class[j]:
            raw = raw_of(lines, msgs, i).decode("ascii")
            why = f"UnknownMessageException: The message AISSentence<{raw}> is not supported!"
        elif bad_part[j]:
            why = f"UnknownPartNoException: Partno {int(partno[j])} is not allowed!"
        else:
            why = "payload too short for an MMSI"
        tally.add("undecodable", order)
        tally.problem(order, i + 1, "undecodable", line_text(lines, i), why[:200])
    ok = ~(no_class | bad_part | unknown | short)
    tally.add_all("messages", keys[ok])
    for t in np.unique(mtype[ok]).tolist():
        tally.add_all(f"type_{t}", keys[ok & (mtype == t)] + 1)
    return mtype, mmsi, partno, ok


def position_fields(pay: Payloads, mtype: I64, rows: B) -> dict[str, tuple[Any, B]]:
    """lat, lon, sog, cog, heading of the given rows: values and whether present."""
    out: dict[str, tuple[Any, B]] = {
        c: (np.full(len(mtype), np.nan), np.zeros(len(mtype), dtype=np.bool_)) for c in _POSITION
    }
    by_place: dict[tuple[str, str], list[Any]] = {}  # the same field at the same bits once
    for layout in layouts()["positions"].values():
        for col, name in _POSITION.items():
            if name in layout:
                offset, width, signed, scale = layout[name]
                key = (col, repr((offset, width, signed, sorted(scale.items()))))
                by_place.setdefault(key, [layout[name], []])[1].extend(layout["types"])
    for (col, _), ((offset, width, signed, scale), types) in by_place.items():
        these = rows & np.isin(mtype, types)
        if not these.any():
            continue
        raw, has = pay.get(offset, width, signed)
        values, present = out[col]
        out[col] = (np.where(these & has, scaled(raw, scale), values), present | (these & has))
    return out


def identity_events(pay: Payloads, mtype: I64, partno: I64, ok: B) -> dict[str, tuple[I64, Any]]:
    """Each identity field's messages (sorted) and values (an Arrow array) wherever a
    message sets it: a name or call sign not blank, any IMO of message 5, a ship type
    above 0."""
    import pyarrow as pa

    spec = layouts()
    found: dict[str, list[tuple[I64, Any]]] = {k: [] for k in IDENTITY}
    texts = {"shipname": "vessel_name", "callsign": "call_sign"}
    for layout in spec["identities"].values():
        mask = ok & np.isin(mtype, layout["types"])
        if "partno" in layout:
            mask &= partno == layout["partno"]
        rows = np.flatnonzero(mask)
        if not len(rows):
            continue
        sub = pay.subset(rows, IDENTITY_CHARS)
        for field, col in texts.items():
            if field in layout:
                offset, width, _ = layout[field]
                values = sub.text(offset, width)
                keep = np.asarray(values.fill_null("").to_numpy(zero_copy_only=False)) != ""
                found[col].append((rows[keep], values.filter(pa.array(keep))))
        if "imo" in layout:
            raw, has = sub.get(*layout["imo"])
            imos = [f"IMO{v:07d}" for v in raw[has].tolist()]
            found["imo"].append((rows[has], pa.array(imos, pa.string())))
        if "ship_type" in layout:
            raw, has = sub.get(*layout["ship_type"][:3])
            if len(layout["ship_type"]) > 3:  # read through the table of codes
                for first, last, read_as in spec[layout["ship_type"][3]["codes"]]:
                    raw = np.where((raw >= first) & (raw <= last), read_as, raw)
            keep = has & (raw > 0)
            found["vessel_type"].append((rows[keep], pa.array(raw[keep], pa.int16())))
    types = {"vessel_name": pa.string(), "imo": pa.string(), "call_sign": pa.string(),
             "vessel_type": pa.int16()}  # fmt: skip
    out: dict[str, tuple[I64, Any]] = {}
    for col, parts in found.items():
        rows_all = np.concatenate([r for r, _ in parts] + [np.zeros(0, np.int64)])
        values = pa.concat_arrays(
            [v.cast(types[col]) for _, v in parts] or [pa.array([], types[col])]
        )
        sort = np.argsort(rows_all, kind="stable")
        out[col] = (rows_all[sort], values.take(pa.array(sort)))
    return out


def join_identity(mmsi: I64, order: I64, ev_mmsi: I64, ev_order: I64) -> I64:
    """For each position (mmsi, order): the event of that MMSI last at or before it, else
    its first event, else -1 (indices into the events)."""
    if not len(ev_mmsi):
        return np.full(len(mmsi), -1, dtype=np.int64)
    ek = (ev_mmsi << 33) | ev_order
    sort = np.argsort(ek, kind="stable")
    ek, ev_mmsi = ek[sort], ev_mmsi[sort]
    before = np.searchsorted(ek, (mmsi << 33) | order, side="right") - 1
    ok = (before >= 0) & (ev_mmsi[np.maximum(before, 0)] == mmsi)
    first = np.searchsorted(ek, mmsi << 33, side="left")
    ok_first = (first < len(ek)) & (ev_mmsi[np.minimum(first, len(ek) - 1)] == mmsi)
    pick = np.where(ok, before, np.where(ok_first, first, -1))
    return np.where(pick < 0, -1, sort[np.maximum(pick, 0)])


def positions_table(lines: Lines, msgs: Messages, tally: Tally) -> pa.Table:
    """The positions of the messages (row, then the canonical columns of read.py)."""
    import pyarrow as pa

    from hermit.maritime.read import CANONICAL

    pay = Payloads(lines.buf, np.frombuffer(msgs.extra, dtype=np.uint8), msgs.start,
                   msgs.length, msgs.fill, POSITION_CHARS)  # fmt: skip
    mtype, mmsi, partno, ok = classify(lines, msgs, pay, tally)
    is_pos = ok & np.isin(mtype, list(POSITION_TYPES))
    fields = position_fields(pay, mtype, is_pos)
    events = identity_events(pay, mtype, partno, ok)
    pos = np.flatnonzero(is_pos)
    stamps = msgs.time_s[pos].astype("datetime64[s]").astype("datetime64[us]")
    columns: dict[str, Any] = {
        "row": pa.array(msgs.line[pos] + 1, pa.int64()),
        "mmsi": pa.array(mmsi[pos], pa.int64()),
        "ts": pa.array(stamps, pa.timestamp("us"), mask=~msgs.has_time[pos]),
    }
    for col, (values, present) in fields.items():
        columns[col] = pa.array(values[pos], pa.float64(), mask=~present[pos])
    for col, (ev_rows, ev_values) in events.items():
        pick = join_identity(mmsi[pos], pos.astype(np.int64), mmsi[ev_rows], ev_rows)
        columns[col] = ev_values.take(pa.array(pick, mask=pick < 0))
    return pa.table({"row": columns["row"], **{c: columns[c] for c in CANONICAL}})
