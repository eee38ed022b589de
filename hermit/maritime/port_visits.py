"""Port visits, after Global Fishing Watch (``events.yaml``, port_visits).

The port layer is every World Port Index point and every anchorage derived from the data
that belongs to a port (hermit/maritime/anchorages.py). A position is inside a port when
within ``entry_distance_km`` of one of its points, outside when farther than
``exit_distance_km`` from every point (or near none), and in between keeps the state it
had (hysteresis). A visit is a run of inside-or-between positions of one MMSI at one
port, cut when the vessel is silent more than ``max_silence_h``. A visit has a stop when
a speed under ``stop_start_speed_kn`` is reported in it (else it is a pass-by).

Visits are found per track, as GFW finds them per vessel_id: an MMSI with speed-conflict
rows (two transmitters) has its positions split into tracks (``split_tracks``), and a
visit continues when the vessel comes back inside the same port at most
``max_excursion_h`` after leaving it (derived anchorages leave the water between a berth
and an anchorage without a point; ``events.yaml`` says why).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any

from hermit.maritime.events import Event
from hermit.maritime.geo import EARTH_RADIUS_KM, KM_PER_NM
from hermit.maritime.nearest import nearest_within
from hermit.maritime.params import PortVisits

if TYPE_CHECKING:
    import duckdb


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    a = (
        math.sin(math.radians(lat2 - lat1) / 2) ** 2
        + math.cos(math.radians(lat1))
        * math.cos(math.radians(lat2))
        * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(a, 1.0)))


def split_tracks(
    positions: list[tuple[dt.datetime, float, float]], max_speed_kn: float
) -> list[int]:
    """The track (0, 1, ...) of each position of one MMSI, in time order: a position joins
    the track whose last position it can be reached from at the lowest implied speed, at
    most ``max_speed_kn``; else it opens a new track (after gpsdio-segment)."""
    last: list[tuple[dt.datetime, float, float]] = []
    out: list[int] = []
    for ts, lat, lon in positions:
        best, best_kn = -1, math.inf
        for k, (t0, lat0, lon0) in enumerate(last):
            hours = max((ts - t0).total_seconds(), 1.0) / 3600.0
            kn = _km(lat0, lon0, lat, lon) / KM_PER_NM / hours
            if kn < best_kn:
                best, best_kn = k, kn
        if best < 0 or best_kn > max_speed_kn:
            last.append((ts, lat, lon))
            out.append(len(last) - 1)
        else:
            last[best] = (ts, lat, lon)
            out.append(best)
    return out


def _register_tracks(con: duckdb.DuckDBPyConnection, load_id: int, p: PortVisits) -> int:
    """``_pv_tracks`` (mmsi, ts, track) for the MMSIs with speed-conflict rows; returns
    how many such MMSIs."""
    import pyarrow as pa

    rows = con.execute(
        """
        SELECT mmsi, ts, lat, lon FROM ais_positions
        WHERE load_id = ? AND NOT jump
          AND mmsi IN (SELECT DISTINCT mmsi FROM ais_positions WHERE load_id = ? AND conflict)
        ORDER BY mmsi, ts
        """,
        [load_id, load_id],
    ).fetchall()
    by_mmsi: dict[int, list[tuple[dt.datetime, float, float]]] = {}
    for mmsi, ts, lat, lon in rows:
        by_mmsi.setdefault(int(mmsi), []).append((ts, float(lat), float(lon)))
    cols: dict[str, list[Any]] = {"mmsi": [], "ts": [], "track": []}
    for mmsi, pos in by_mmsi.items():
        cols["mmsi"].extend([mmsi] * len(pos))
        cols["ts"].extend(t for t, _, _ in pos)
        cols["track"].extend(split_tracks(pos, p.track_max_speed_kn))
    table = pa.table(
        {
            "mmsi": pa.array(cols["mmsi"], pa.int64()),
            "ts": pa.array(cols["ts"], pa.timestamp("us")),
            "track": pa.array(cols["track"], pa.int32()),
        }
    )
    con.register("_pv_tracks", table)
    return len(by_mmsi)


def find_port_visits(con: duckdb.DuckDBPyConnection, load_id: int, p: PortVisits) -> list[Event]:
    """Every port visit of the load (``port_layer`` must be built first)."""
    _register_tracks(con, load_id, p)
    try:
        rows = _visit_rows(con, load_id, p)
    finally:
        con.unregister("_pv_tracks")
    return _events(_join_excursions(rows, p), p)


_EPOCH = dt.datetime(1970, 1, 1)
_NULL_ST = -(1 << 62)  # a position between the entry and exit distances: no state of its own


def _at(us: int) -> dt.datetime:
    return _EPOCH + dt.timedelta(microseconds=us)


def _visit_rows(
    con: duckdb.DuckDBPyConnection, load_id: int, p: PortVisits
) -> list[dict[str, Any]]:
    """The visits of every track in one pass over its positions in time order (numpy):
    each position's nearest port point within the exit distance (``nearest_within``),
    its state (a port inside ``entry_distance_km``, none beyond ``exit_distance_km``,
    the state before in between), runs of one state cut at silences, and the runs in a
    port as visits."""
    import numpy as np

    pos = con.sql(
        f"""
        SELECT a.mmsi, coalesce(t.track, 0) AS track, epoch_us(a.ts) AS ts, a.lat, a.lon,
               coalesce(a.sog, 'NaN'::DOUBLE) AS sog
        FROM ais_positions a LEFT JOIN _pv_tracks t USING (mmsi, ts)
        WHERE a.load_id = {int(load_id)} AND NOT a.jump
          AND (NOT a.conflict OR t.track IS NOT NULL)
        ORDER BY a.mmsi, track, a.ts
        """
    ).fetchnumpy()
    # in a fixed order, for the ties (nearest_within takes the first point at a tie):
    # World Port Index points before anchorages, then by port, latitude, longitude
    pts = con.sql(
        """
        SELECT port_id, lat, lon FROM port_layer WHERE port_id IS NOT NULL
        ORDER BY kind <> 'wpi', port_id, lat, lon
        """
    ).fetchnumpy()
    mmsi = np.asarray(pos["mmsi"], dtype=np.int64)
    track = np.asarray(pos["track"], dtype=np.int64)
    ts = np.asarray(pos["ts"], dtype=np.int64)
    lat = np.asarray(pos["lat"], dtype=np.float64)
    lon = np.asarray(pos["lon"], dtype=np.float64)
    sog = np.asarray(pos["sog"], dtype=np.float64)
    n = len(mmsi)
    if n == 0:
        return []
    near, km = nearest_within(
        lat,
        lon,
        np.asarray(pts["lat"], dtype=np.float64),
        np.asarray(pts["lon"], dtype=np.float64),
        p.exit_distance_km,
    )
    port_ids = np.asarray(pts["port_id"], dtype=np.int64)
    st = np.where(
        km <= p.entry_distance_km,
        port_ids[np.maximum(near, 0)],
        np.where(km <= p.exit_distance_km, _NULL_ST, -1),
    )
    # only the MMSIs with a position inside a port
    new_mmsi = np.ones(n, dtype=bool)
    new_mmsi[1:] = mmsi[1:] != mmsi[:-1]
    mmsi_no = np.cumsum(new_mmsi) - 1
    inside = np.zeros(int(mmsi_no[-1]) + 1, dtype=bool)
    inside[mmsi_no[km <= p.entry_distance_km]] = True
    keep = inside[mmsi_no]
    mmsi, track, ts, sog, st = mmsi[keep], track[keep], ts[keep], sog[keep], st[keep]
    n = len(mmsi)
    if n == 0:
        return []
    start = np.ones(n, dtype=bool)  # the first position of a track
    start[1:] = (mmsi[1:] != mmsi[:-1]) | (track[1:] != track[:-1])
    end = np.ones(n, dtype=bool)
    end[:-1] = start[1:]
    idx = np.arange(n)
    track_start = np.maximum.accumulate(np.where(start, idx, 0))
    # the state carried: the last own state of the track so far, else none (-1)
    last_own = np.maximum.accumulate(np.where(st != _NULL_ST, idx, -1))
    cur = np.where(last_own >= track_start, st[np.maximum(last_own, 0)], -1)
    silent = np.zeros(n, dtype=bool)
    silent[1:] = (ts[1:] - ts[:-1]) / 1e6 / 3600.0 > p.max_silence_h
    new_run = start.copy()
    new_run[1:] |= (cur[1:] != cur[:-1]) | silent[1:]
    run_id = np.cumsum(new_run) - 1
    in_port = cur > 0
    if not in_port.any():
        return []
    r_idx = np.flatnonzero(in_port)
    r_run = run_id[r_idx]
    first = np.ones(len(r_idx), dtype=bool)
    first[1:] = r_run[1:] != r_run[:-1]
    b = np.flatnonzero(first)  # each visit's first row among r_idx
    last = np.append(b[1:], len(r_idx)) - 1
    stopped = sog[r_idx] < p.stop_start_speed_kn
    has_stop = np.logical_or.reduceat(stopped, b)
    stop_at = np.where(stopped, np.arange(len(r_idx)), len(r_idx))
    first_stop = np.minimum.reduceat(stop_at, b)
    open_start = np.logical_or.reduceat(start[r_idx], b)
    open_end = np.logical_or.reduceat(end[r_idx], b)
    ports = {
        int(r[0]): r[1:]
        for r in con.execute(
            "SELECT port_id, name, locode, country, lat, lon FROM ref_ports"
        ).fetchall()
    }
    tracks = dict(
        con.execute("SELECT mmsi, count(DISTINCT track) FROM _pv_tracks GROUP BY mmsi").fetchall()
    )
    out: list[dict[str, Any]] = []
    for k in range(len(b)):
        i0, i1 = int(r_idx[b[k]]), int(r_idx[last[k]])
        port_id = int(cur[i0])
        ref = ports.get(port_id)
        if ref is None:
            continue
        m = int(mmsi[i0])
        out.append(
            {
                "mmsi": m,
                "track": int(track[i0]),
                "tracks": int(tracks.get(m, 1)),
                "port_id": port_id,
                "name": ref[0],
                "locode": ref[1],
                "country": ref[2],
                "lat": ref[3],
                "lon": ref[4],
                "start_ts": _at(int(ts[i0])),
                "end_ts": _at(int(ts[i1])),
                "n": int(last[k] - b[k] + 1),
                "has_stop": bool(has_stop[k]),
                "stop_ts": (
                    _at(int(ts[r_idx[first_stop[k]]])) if first_stop[k] < len(r_idx) else None
                ),
                "open_start": bool(open_start[k]),
                "open_end": bool(open_end[k]),
            }
        )
    out.sort(key=lambda v: (v["mmsi"], v["track"], v["port_id"], v["start_ts"]))
    return out


def _join_excursions(rows: list[dict[str, Any]], p: PortVisits) -> list[dict[str, Any]]:
    """Visits of one track at one port (rows in that order) less than
    ``max_excursion_h`` apart, as one visit with its excursions counted."""
    limit = dt.timedelta(hours=p.max_excursion_h)
    out: list[dict[str, Any]] = []
    for r in rows:
        last = out[-1] if out else None
        if (
            last is not None
            and (last["mmsi"], last["track"], last["port_id"])
            == (r["mmsi"], r["track"], r["port_id"])
            and r["start_ts"] - last["end_ts"] <= limit
        ):
            last["excursions"] += 1
            last["end_ts"] = r["end_ts"]
            last["n"] += r["n"]
            last["open_end"] = r["open_end"]
            if r["has_stop"] and not last["has_stop"]:
                last["has_stop"], last["stop_ts"] = True, r["stop_ts"]
            continue
        out.append({**r, "excursions": 0})
    return sorted(out, key=lambda v: (v["mmsi"], v["start_ts"], v["track"]))


def _events(rows: list[dict[str, Any]], p: PortVisits) -> list[Event]:
    kims = set(p.kims_locodes)
    out = []
    for v in rows:
        mmsi, name, locode, country = v["mmsi"], v["name"], v["locode"], v["country"]
        start, end, stop, stop_ts = v["start_ts"], v["end_ts"], v["has_stop"], v["stop_ts"]
        reasons = [
            f"within {p.entry_distance_km:g} km of {name} ({locode or 'no LOCODE'}, {country}) "
            f"from {start:%Y-%m-%d %H:%M}, beyond {p.exit_distance_km:g} km after "
            f"{end:%Y-%m-%d %H:%M}"
        ]
        reasons.append(
            f"stopped (speed under {p.stop_start_speed_kn:g} kn) from {stop_ts:%Y-%m-%d %H:%M}"
            if stop
            else "no stop: a pass-by"
        )
        if v["excursions"]:
            reasons.append(
                f"{v['excursions']} excursion(s) beyond {p.exit_distance_km:g} km, each back "
                f"inside the port within {p.max_excursion_h:g} h: one visit"
            )
        if v["tracks"] > 1:
            reasons.append(
                f"MMSI {mmsi} is on {v['tracks']} tracks (two transmitters): this visit is "
                f"track {v['track']}, positions reachable from one another under "
                f"{p.track_max_speed_kn:g} kn"
            )
        if country == p.dprk_country:
            reasons.append("a DPRK port")
        if locode in kims:
            reasons.append("a KIMS Act port")
        positions = [(int(mmsi), start)]
        if stop_ts is not None and stop_ts not in (start, end):
            positions.append((int(mmsi), stop_ts))
        positions.append((int(mmsi), end))
        out.append(
            Event(
                kind="port_visit",
                algorithm=p.algorithm,
                mmsi=int(mmsi),
                start=start,
                end=end,
                lat=float(v["lat"]),
                lon=float(v["lon"]),
                reasons=reasons,
                positions=positions,
                facts={
                    "port": name,
                    "locode": locode,
                    "country": country,
                    "has_stop": bool(stop),
                    "positions_inside": int(v["n"]),
                    "dprk_port": country == p.dprk_country,
                    "kims_port": locode in kims,
                    "starts_before_data": bool(v["open_start"]),
                    "ends_after_data": bool(v["open_end"]),
                    "excursions": int(v["excursions"]),
                    "track": int(v["track"]),
                    "tracks": max(int(v["tracks"]), 1),
                },
            )
        )
    return out
