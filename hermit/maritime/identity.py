"""Identity changes: the same hull under another identity (``events.yaml``,
identity_changes; the three tests are described there).

1. ``identity_change``: one MMSI broadcasts a new name, IMO or call sign.
2. ``mmsi_change``: one IMO moves to a new MMSI (``facts.flag_change`` when the new
   MMSI's MID is another flag's); ``imo_shared``: one IMO on two MMSIs at once.
3. ``spoofed_mmsi``: a second transmitter appears on an MMSI, with the MMSI whose track
   ended where it began (the hull that took the identity).

Each event gives the identity before and after and cites the last position under the
old identity and the first under the new one (MMSI, time).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from hermit.maritime.events import Event
from hermit.maritime.geo import EARTH_RADIUS_KM
from hermit.maritime.params import IdentityChanges, validation
from hermit.maritime.validate import classify_imo

if TYPE_CHECKING:
    import duckdb

_CLEAN = "NOT (jump OR conflict)"


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def _hours(a: dt.datetime, b: dt.datetime) -> float:
    return (b - a).total_seconds() / 3600


def find_identity_changes(
    con: duckdb.DuckDBPyConnection, load_id: int, p: IdentityChanges
) -> list[Event]:
    flags = dict(con.execute("SELECT mid, allocated_to FROM ref_mids").fetchall())
    out = _same_mmsi(con, load_id, p)
    out += _same_imo(con, load_id, p, flags)
    out += _spoofed(con, load_id, p)
    out.sort(key=lambda e: (e.start, e.mmsi, e.kind))
    return out


def _flag(mmsi: int, flags: dict[int, str]) -> str | None:
    return flags.get(mmsi // 1000000) if 200000000 <= mmsi <= 799999999 else None


# runs of one value per key in time order: first/last time and position, count
_RUNS = """
WITH p AS (
  SELECT {key} AS key, {value} AS value, mmsi, ts, lat, lon FROM ais_positions
  WHERE load_id = {load} AND {clean} AND {where}),
c AS (
  SELECT *, sum(CASE WHEN value IS NOT DISTINCT FROM prev THEN 0 ELSE 1 END)
              OVER (PARTITION BY key ORDER BY ts, mmsi) AS run
  FROM (SELECT *, lag(value) OVER (PARTITION BY key ORDER BY ts, mmsi) AS prev FROM p))
SELECT key, run, any_value(value), count(*), min(ts), max(ts),
       arg_min(mmsi, ts), arg_min(lat, ts), arg_min(lon, ts),
       arg_max(mmsi, ts), arg_max(lat, ts), arg_max(lon, ts)
FROM c GROUP BY key, run ORDER BY key, run
"""


def _runs(con: duckdb.DuckDBPyConnection, **kw: Any) -> dict[Any, list[tuple[Any, ...]]]:
    sql = _RUNS.format(clean=_CLEAN, **kw)
    found: dict[Any, list[tuple[Any, ...]]] = defaultdict(list)
    for row in con.execute(sql).fetchall():
        found[row[0]].append(row)
    return found


def _long(run: tuple[Any, ...], p: IdentityChanges) -> bool:
    return int(run[3]) >= p.min_run_positions and _hours(run[4], run[5]) >= p.min_run_h


_EPOCH = dt.datetime(1970, 1, 1)


def _mmsi_runs(con: duckdb.DuckDBPyConnection, load_id: int) -> dict[Any, list[tuple[Any, ...]]]:
    """``_runs`` with the MMSI as key and (name, IMO, call sign) as value, in one pass
    over the positions in MMSI and time order: each identity field dictionary-encoded,
    a run wherever the MMSI or any of the three changes. The same rows as the SQL's
    (the value as its struct: a dict of n, i, c)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    table = con.sql(
        f"""
        SELECT mmsi, epoch_us(ts) AS ts, lat, lon, vessel_name, imo, call_sign
        FROM ais_positions WHERE load_id = {int(load_id)} AND {_CLEAN} ORDER BY mmsi, ts
        """
    ).to_arrow_table()
    n = table.num_rows
    if n == 0:
        return {}
    mmsi = table["mmsi"].to_numpy()
    new_mmsi = np.ones(n, dtype=bool)
    new_mmsi[1:] = mmsi[1:] != mmsi[:-1]
    change = new_mmsi.copy()
    coded = [
        pc.dictionary_encode(table[name].combine_chunks())
        for name in ("vessel_name", "imo", "call_sign")
    ]
    for c in coded:
        codes = c.indices.fill_null(-1).to_numpy(zero_copy_only=False)
        change[1:] |= codes[1:] != codes[:-1]
    starts = np.flatnonzero(change)
    ends = np.append(starts[1:], n) - 1
    run_no = np.cumsum(change)  # the runs of one MMSI numbered from 1, as the SQL's
    mmsi_first_run = np.maximum.accumulate(np.where(new_mmsi, run_no, 0))
    ts = table["ts"].to_numpy()
    lat = table["lat"].to_numpy()
    lon = table["lon"].to_numpy()
    at = pa.array(starts)
    fields = [c.dictionary.take(c.indices.take(at)).to_pylist() for c in coded]
    found: dict[Any, list[tuple[Any, ...]]] = defaultdict(list)
    for j, (i0, i1) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
        m = int(mmsi[i0])
        found[m].append(
            (
                m,
                int(run_no[i0] - mmsi_first_run[i0] + 1),
                {"n": fields[0][j], "i": fields[1][j], "c": fields[2][j]},
                i1 - i0 + 1,
                _EPOCH + dt.timedelta(microseconds=int(ts[i0])),
                _EPOCH + dt.timedelta(microseconds=int(ts[i1])),
                m,
                float(lat[i0]),
                float(lon[i0]),
                m,
                float(lat[i1]),
                float(lon[i1]),
            )
        )
    return found


def _same_mmsi(con: duckdb.DuckDBPyConnection, load_id: int, p: IdentityChanges) -> list[Event]:
    """One MMSI, a new (name, IMO, call sign): runs shorter than min_run_h are noise and
    dropped before the changes between the long runs are read."""
    runs = _mmsi_runs(con, load_id)
    out = []
    for mmsi, found in runs.items():
        if len(found) > p.shared_min_alternations and _revisits(found, p):
            continue  # two vessels on one MMSI (a data-quality problem, counted at load)
        kept: list[tuple[Any, ...]] = []
        for r in found:
            if not _long(r, p):
                continue
            if kept and kept[-1][2] == r[2]:  # the same identity again after noise
                kept[-1] = (*kept[-1][:3], kept[-1][3] + r[3], kept[-1][4], *r[5:])
                continue
            kept.append(r)
        for old, new in itertools.pairwise(kept):
            before = {"name": old[2]["n"], "imo": old[2]["i"], "call_sign": old[2]["c"]}
            after = {"name": new[2]["n"], "imo": new[2]["i"], "call_sign": new[2]["c"]}
            changed = [k for k in before if before[k] != after[k]]
            out.append(
                Event(
                    kind="identity_change",
                    algorithm=p.algorithm,
                    mmsi=int(mmsi),
                    start=old[5],
                    end=new[4],
                    lat=float(new[7]),
                    lon=float(new[8]),
                    reasons=[
                        f"MMSI {mmsi} broadcast "
                        + ", ".join(f"{k} {before[k]} -> {after[k]}" for k in changed)
                        + f" (last old {old[5]:%Y-%m-%d %H:%M}, first new {new[4]:%Y-%m-%d %H:%M})",
                        f"old identity on {old[3]} positions, new on {new[3]} "
                        f"(each >= {p.min_run_positions} positions and {p.min_run_h:g} h)",
                    ],
                    positions=[(int(mmsi), old[5]), (int(mmsi), new[4])],
                    facts={
                        "changed": changed,
                        "before": {"mmsi": int(mmsi), **before},
                        "after": {"mmsi": int(mmsi), **after},
                        "positions_before": int(old[3]),
                        "positions_after": int(new[3]),
                    },
                )
            )
    return out


def _revisits(found: list[tuple[Any, ...]], p: IdentityChanges) -> bool:
    """Whether the long runs of an MMSI come back to an earlier identity more than once
    (A B A B: two vessels taking turns on one MMSI, not a hull changing identity)."""
    seen: list[Any] = []
    back = 0
    for r in found:
        if not _long(r, p):
            continue
        if seen and seen[-1] == r[2]:
            continue
        if r[2] in seen:
            back += 1
        seen.append(r[2])
    return back > 1


def _same_imo(
    con: duckdb.DuckDBPyConnection, load_id: int, p: IdentityChanges, flags: dict[int, str]
) -> list[Event]:
    """One ship IMO, another MMSI: a handover (the hull re-registered) or, when the MMSIs
    keep alternating, the IMO on two MMSIs at once."""
    placeholder = validation().imo_placeholder
    multi = con.execute(
        f"""
        SELECT imo, list(DISTINCT mmsi) FROM ais_positions
        WHERE load_id = {int(load_id)} AND {_CLEAN} AND imo IS NOT NULL
        GROUP BY imo HAVING count(DISTINCT mmsi) > 1
        """
    ).fetchall()
    imos = [
        imo
        for imo, mmsis in multi
        if all(classify_imo(int(m), imo, placeholder) is None for m in mmsis)
    ]
    if not imos:
        return []
    quoted = ", ".join("'" + i.replace("'", "''") + "'" for i in imos)
    runs = _runs(con, key="imo", value="mmsi", load=int(load_id), where=f"imo IN ({quoted})")
    out = []
    for imo, found in runs.items():
        long_runs = [r for r in found if _long(r, p)]
        alternations = len(found) - 1
        if alternations >= p.shared_min_alternations:
            out.append(_shared(imo, found, p, alternations))
            continue
        for old, new in itertools.pairwise(long_runs):
            if old[2] == new[2]:
                continue
            gap_h = _hours(old[5], new[4])
            km = _km(float(old[10]), float(old[11]), float(new[7]), float(new[8]))
            if gap_h > p.max_handover_h or km > p.max_handover_km or gap_h < 0:
                continue
            a, b = int(old[2]), int(new[2])
            fa, fb = _flag(a, flags), _flag(b, flags)
            out.append(
                Event(
                    kind="mmsi_change",
                    algorithm=p.algorithm,
                    mmsi=b,
                    other_mmsi=a,
                    start=old[5],
                    end=new[4],
                    lat=float(new[7]),
                    lon=float(new[8]),
                    reasons=[
                        f"{imo} broadcast by MMSI {a} until {old[5]:%Y-%m-%d %H:%M}, then by "
                        f"MMSI {b} from {new[4]:%Y-%m-%d %H:%M} ({gap_h:.1f} h, {km:.1f} km "
                        f"later; <= {p.max_handover_h:g} h and {p.max_handover_km:g} km)",
                        f"flag by MID: {fa or 'unknown'} -> {fb or 'unknown'}",
                    ],
                    positions=[(a, old[5]), (b, new[4])],
                    facts={
                        "imo": imo,
                        "before": {"mmsi": a, "flag": fa},
                        "after": {"mmsi": b, "flag": fb},
                        "flag_change": fa != fb,
                        "handover_h": round(gap_h, 3),
                        "handover_km": round(km, 3),
                    },
                )
            )
    return out


def _shared(imo: str, found: list[tuple[Any, ...]], p: IdentityChanges, alternations: int) -> Event:
    """The IMO on two (or more) MMSIs at once: from the first run of the MMSI that
    joined last (the one broadcasting another ship's IMO)."""
    first_of: dict[int, tuple[Any, ...]] = {}
    for r in found:
        first_of.setdefault(int(r[2]), r)
    owner = min(first_of, key=lambda m: first_of[m][4])
    joined = max(first_of, key=lambda m: first_of[m][4])
    j = first_of[joined]
    owner_before = [r for r in found if int(r[2]) == owner and r[5] <= j[4]]
    o = owner_before[-1] if owner_before else first_of[owner]
    km = _km(float(o[10]), float(o[11]), float(j[7]), float(j[8]))
    return Event(
        kind="imo_shared",
        algorithm=p.algorithm,
        mmsi=joined,
        other_mmsi=owner,
        start=j[4],
        end=found[-1][5],
        lat=float(j[7]),
        lon=float(j[8]),
        reasons=[
            f"{imo} broadcast by MMSI {owner} and, from {j[4]:%Y-%m-%d %H:%M}, also by MMSI "
            f"{joined}: {alternations} alternations (>= {p.shared_min_alternations})",
            f"{km:.0f} km apart at the first broadcast of MMSI {joined}",
        ],
        positions=[(owner, o[5]), (joined, j[4])],
        facts={
            "imo": imo,
            "mmsis": sorted(first_of),
            "before": {"mmsi": owner},
            "after": {"mmsi": joined},
            "alternations": alternations,
            "apart_km": round(km, 1),
        },
    )


def _spoofed(con: duckdb.DuckDBPyConnection, load_id: int, p: IdentityChanges) -> list[Event]:
    """A second transmitter on an MMSI after a clean start, and the MMSI whose track
    ended where the second transmitter began."""
    rows = con.execute(
        f"""
        WITH c AS (
          SELECT mmsi, min(ts) AS c0, max(ts) AS c1, count(*) AS n FROM ais_positions
          WHERE load_id = {int(load_id)} AND conflict GROUP BY mmsi),
        t AS (
          SELECT mmsi, min(ts) AS t0 FROM ais_positions
          WHERE load_id = {int(load_id)} AND mmsi IN (SELECT mmsi FROM c) GROUP BY mmsi)
        SELECT c.mmsi, c.c0, c.c1, c.n, t.t0 FROM c JOIN t USING (mmsi)
        WHERE epoch(c.c0 - t.t0) / 3600.0 >= {p.spoof_min_clean_h}
        """
    ).fetchall()
    out = []
    for mmsi, c0, c1, n, _t0 in rows:
        track = con.execute(
            f"""
            SELECT ts, lat, lon, vessel_name, imo, call_sign FROM ais_positions
            WHERE load_id = {int(load_id)} AND mmsi = ? AND ts BETWEEN ? AND ?
            ORDER BY ts
            """,
            [mmsi, c0 - dt.timedelta(hours=p.max_handover_h), c1],
        ).fetchall()
        second = _second_track(track, c0)
        if second is None:
            continue
        s_ts, s_lat, s_lon = second[0], second[1], second[2]
        ended = con.execute(
            f"""
            SELECT mmsi, max(ts) AS last_ts, arg_max(lat, ts), arg_max(lon, ts),
                   arg_max(vessel_name, ts), arg_max(imo, ts), arg_max(call_sign, ts)
            FROM ais_positions
            WHERE load_id = {int(load_id)} AND {_CLEAN} AND mmsi <> ? AND ts <= ?
              AND ts >= ?
            GROUP BY mmsi
            """,
            [mmsi, s_ts, s_ts - dt.timedelta(hours=p.max_handover_h)],
        ).fetchall()
        best = None
        for m, last_ts, lat, lon, name, imo, cs in ended:
            resumed = con.execute(
                f"SELECT count(*) FROM ais_positions WHERE load_id = {int(load_id)} "
                "AND mmsi = ? AND ts > ? AND ts < ?",
                [m, last_ts, min(c1, s_ts + dt.timedelta(hours=p.max_handover_h))],
            ).fetchone()
            if resumed is not None and int(resumed[0]) > 0:
                continue  # still broadcasting while the second transmitter began
            km = _km(float(lat), float(lon), float(s_lat), float(s_lon))
            if km <= p.max_handover_km and (best is None or km < best[0]):
                best = (km, int(m), last_ts, name, imo, cs)
        if best is None:
            continue
        km, old, last_ts, name, imo, cs = best
        out.append(
            Event(
                kind="spoofed_mmsi",
                algorithm=p.algorithm,
                mmsi=int(mmsi),
                other_mmsi=old,
                start=s_ts,
                end=c1,
                lat=float(s_lat),
                lon=float(s_lon),
                reasons=[
                    f"MMSI {mmsi} at two places from {s_ts:%Y-%m-%d %H:%M} to "
                    f"{c1:%Y-%m-%d %H:%M} ({int(n)} positions of a second transmitter)",
                    f"MMSI {old} ({name}) fell silent {_hours(last_ts, s_ts):.1f} h before, "
                    f"{km:.1f} km from where the second transmitter began",
                ],
                positions=[(old, last_ts), (int(mmsi), s_ts)],
                facts={
                    "before": {"mmsi": old, "name": name, "imo": imo, "call_sign": cs},
                    "after": {
                        "mmsi": int(mmsi),
                        "name": second[3],
                        "imo": second[4],
                        "call_sign": second[5],
                    },
                    "second_transmitter_positions": int(n),
                    "handover_km": round(km, 3),
                },
            )
        )
    return out


def _second_track(track: list[tuple[Any, ...]], c0: dt.datetime) -> tuple[Any, ...] | None:
    """The first position of the second transmitter: at the first conflict, the one of
    the two positions around it that is far from the track before."""
    before = [r for r in track if r[0] < c0]
    at = [r for r in track if r[0] >= c0]
    if not at:
        return None
    if not before:
        return at[0]
    ref = before[-1]
    far = [r for r in at[:5] if _km(ref[1], ref[2], r[1], r[2]) > 10]
    return far[0] if far else at[0]
