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

from hermit.maritime.encounters import KM_PER_DEG_LAT
from hermit.maritime.events import Event
from hermit.maritime.geo import EARTH_RADIUS_KM, KM_PER_NM
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


def _visit_rows(
    con: duckdb.DuckDBPyConnection, load_id: int, p: PortVisits
) -> list[dict[str, Any]]:
    c = p.cell_deg
    cur = con.execute(
        f"""
        WITH base AS (
          SELECT a.mmsi, a.ts, a.lat, a.lon, a.sog, coalesce(t.track, 0) AS track
          FROM ais_positions a LEFT JOIN _pv_tracks t USING (mmsi, ts)
          WHERE a.load_id = {int(load_id)} AND NOT a.jump
            AND (NOT a.conflict OR t.track IS NOT NULL)),
        pts AS (
          SELECT port_id, lat, lon, CAST(floor(lat / {c}) AS BIGINT) AS cy,
                 CAST(floor(lon / {c}) AS BIGINT) AS cx,
                 CAST(ceil({p.exit_distance_km} / ({KM_PER_DEG_LAT} * {c}
                      * greatest(cos(radians(abs(lat) + {c})), 0.01))) AS BIGINT) AS kx
          FROM port_layer WHERE port_id IS NOT NULL),
        probe AS (
          SELECT q.*, q.cy + dy AS ny, q.cx + dx AS nx
          FROM pts q, range(-1, 2) r1(dy), range(-q.kx, q.kx + 1) r2(dx)),
        near AS (
          SELECT a.mmsi, a.ts, arg_min(q.port_id, hav_km(a.lat, a.lon, q.lat, q.lon)) AS port_id,
                 min(hav_km(a.lat, a.lon, q.lat, q.lon)) AS km
          FROM base a JOIN probe q
            ON CAST(floor(a.lat / {c}) AS BIGINT) = q.ny
           AND CAST(floor(a.lon / {c}) AS BIGINT) = q.nx
          GROUP BY a.mmsi, a.ts),
        seq AS (
          SELECT a.mmsi, a.track, a.ts, a.sog,
                 CASE WHEN n.km <= {p.entry_distance_km} THEN n.port_id
                      WHEN n.km <= {p.exit_distance_km} THEN NULL ELSE -1 END AS st,
                 epoch(a.ts - lag(a.ts) OVER w) / 3600.0 AS silent_h,
                 a.ts = min(a.ts) OVER (PARTITION BY a.mmsi, a.track) AS first_row,
                 a.ts = max(a.ts) OVER (PARTITION BY a.mmsi, a.track) AS last_row
          FROM base a LEFT JOIN near n USING (mmsi, ts)
          WHERE a.mmsi IN (SELECT mmsi FROM near WHERE km <= {p.entry_distance_km})
          WINDOW w AS (PARTITION BY a.mmsi, a.track ORDER BY a.ts)),
        carried AS (
          SELECT *, coalesce(last_value(st IGNORE NULLS) OVER (PARTITION BY mmsi, track
                      ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), -1) AS cur
          FROM seq),
        runs AS (
          SELECT *, sum(CASE WHEN cur IS DISTINCT FROM prev_cur OR silent_h > {p.max_silence_h}
                             THEN 1 ELSE 0 END)
                      OVER (PARTITION BY mmsi, track ORDER BY ts) AS run
          FROM (SELECT *, lag(cur) OVER (PARTITION BY mmsi, track ORDER BY ts) AS prev_cur
                FROM carried))
        SELECT v.mmsi, v.track, coalesce(tc.tracks, 1) AS tracks, v.port_id, r.name,
               r.locode, r.country, r.lat, r.lon, v.start_ts, v.end_ts, v.n, v.has_stop,
               v.stop_ts, v.open_start, v.open_end
        FROM (SELECT mmsi, track, run, any_value(cur) AS port_id, min(ts) AS start_ts,
                     max(ts) AS end_ts, count(*) AS n,
                     bool_or(sog < {p.stop_start_speed_kn}) AS has_stop,
                     min(CASE WHEN sog < {p.stop_start_speed_kn} THEN ts END) AS stop_ts,
                     bool_or(first_row) AS open_start, bool_or(last_row) AS open_end
              FROM runs WHERE cur > 0 GROUP BY mmsi, track, run) v
        JOIN ref_ports r ON r.port_id = v.port_id
        LEFT JOIN (SELECT mmsi, count(DISTINCT track) AS tracks FROM _pv_tracks
                   GROUP BY mmsi) tc USING (mmsi)
        ORDER BY v.mmsi, v.track, v.port_id, v.start_ts
        """
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


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
