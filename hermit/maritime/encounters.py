"""Encounters (candidate ship-to-ship transfers), after Global Fishing Watch
(``events.yaml``, encounters; GlobalFishingWatch/pipe-encounters).

1. Resample: each MMSI's track (jumps and speed-conflict rows left out) is interpolated
   linearly onto steps of ``resample_min`` minutes, between two positions at most
   ``max_interpolate_h`` apart (position and SOG), as pipe-encounters resamples.
2. Pair: steps of two MMSIs in the same time step and neighbouring grid cells
   (``cell_deg`` of latitude; in longitude as many cells as 500 m span at that latitude)
   whose mean positions are at most ``max_distance_m`` apart.
3. Runs: the paired steps of one pair, cut where more than ``max_missing_steps`` steps in
   a row are missing.
4. Keep a run that lasts at least ``min_duration_h`` (first to last step), where the
   median speed of each vessel is under ``max_median_speed_kn`` and whose mean position
   is at least ``min_anchorage_distance_km`` from every point of the port layer (World
   Port Index ports and the anchorages derived from the data, hermit/maritime/anchorages.py;
   the caller builds ``port_layer`` first).

Every kept encounter names the positions (MMSI, time) of both vessels in its time span.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from hermit.maritime.events import Event
from hermit.maritime.geo import EARTH_RADIUS_KM
from hermit.maritime.params import Encounters

if TYPE_CHECKING:
    import duckdb

KM_PER_DEG_LAT = 111.32


def pair_runs_sql(load_id: int, p: Encounters) -> str:
    """SQL of every run of two vessels within ``max_distance_m`` (before the duration,
    speed and anchorage tests), one row per run."""
    step_s = int(p.resample_min) * 60
    max_gap_s = p.max_interpolate_h * 3600
    max_km = p.max_distance_m / 1000.0
    return f"""
    WITH legs AS (
      SELECT mmsi, epoch(ts) AS e0, lat, lon, sog, epoch(lead(ts) OVER w) AS e1,
             lead(lat) OVER w AS nlat, lead(lon) OVER w AS nlon, lead(sog) OVER w AS nsog
      FROM ais_positions WHERE load_id = {int(load_id)} AND NOT (jump OR conflict)
      WINDOW w AS (PARTITION BY mmsi ORDER BY ts)),
    grid AS (
      SELECT *, unnest(range(CAST(ceil(e0 / {step_s}) AS BIGINT),
                             CAST(floor(e1 / {step_s}) AS BIGINT) + 1)) AS t
      FROM legs WHERE e1 - e0 <= {max_gap_s}),
    steps AS (  -- a step on a position's own time comes from both its pairs: one row
      SELECT mmsi, t, avg(lat + (nlat - lat) * f) AS lat, avg(lon + (nlon - lon) * f) AS lon,
             avg(coalesce(sog + (nsog - sog) * f, sog, nsog)) AS sog
      FROM (SELECT *, (t * {step_s} - e0) / (e1 - e0) AS f FROM grid) GROUP BY mmsi, t),
    cells AS (
      SELECT *, CAST(floor(lat / {p.cell_deg}) AS BIGINT) AS cy,
             CAST(floor(lon / {p.cell_deg}) AS BIGINT) AS cx,
             CAST(ceil({max_km} / ({KM_PER_DEG_LAT} * {p.cell_deg}
                  * greatest(cos(radians(abs(lat) + {p.cell_deg})), 0.01))) AS BIGINT) AS kx
      FROM steps),
    probe AS (
      SELECT c.*, c.cy + dy AS ny, c.cx + dx AS nx
      FROM cells c, range(-1, 2) r1(dy), range(-c.kx, c.kx + 1) r2(dx)),
    pairs AS (
      SELECT a.mmsi AS mmsi_a, b.mmsi AS mmsi_b, a.t,
             hav_km(a.lat, a.lon, b.lat, b.lon) AS km,
             (a.lat + b.lat) / 2 AS lat, (a.lon + b.lon) / 2 AS lon, a.sog AS sog_a,
             b.sog AS sog_b
      FROM probe a JOIN cells b ON a.t = b.t AND a.ny = b.cy AND a.nx = b.cx
      WHERE a.mmsi < b.mmsi AND hav_km(a.lat, a.lon, b.lat, b.lon) <= {max_km}),
    runs AS (
      SELECT *, sum(CASE WHEN t - prev_t <= {1 + int(p.max_missing_steps)} THEN 0 ELSE 1 END)
                  OVER (PARTITION BY mmsi_a, mmsi_b ORDER BY t) AS run
      FROM (SELECT *, lag(t) OVER (PARTITION BY mmsi_a, mmsi_b ORDER BY t) AS prev_t
            FROM pairs))
    SELECT mmsi_a, mmsi_b, run, min(t) AS t0, max(t) AS t1, count(*) AS n_steps,
           avg(lat) AS lat, avg(lon) AS lon, median(sog_a) AS speed_a,
           median(sog_b) AS speed_b, median(km) * 1000 AS median_m, min(km) * 1000 AS min_m
    FROM runs GROUP BY mmsi_a, mmsi_b, run
    """


def find_encounters(con: duckdb.DuckDBPyConnection, load_id: int, p: Encounters) -> list[Event]:
    step_s = int(p.resample_min) * 60
    min_steps = p.min_duration_h * 3600 / step_s
    # A run is dropped when a port point lies within min_anchorage_distance_km of its
    # mean position. Such a point differs from it by at most band_deg of latitude (a
    # great-circle distance is at least the radius times the latitude difference), so
    # only the points of the run's latitude band and the two beside it are measured; the
    # kept runs then find their nearest point among all points, as before.
    band_deg = p.min_anchorage_distance_km / (EARTH_RADIUS_KM * math.pi / 180) * 1.001
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _encounters AS
        WITH r AS (
          SELECT *, CAST(floor(lat / {band_deg}) AS BIGINT) AS band
          FROM ({pair_runs_sql(load_id, p)})
          WHERE t1 - t0 >= {min_steps}
            AND speed_a < {p.max_median_speed_kn} AND speed_b < {p.max_median_speed_kn}),
        bands AS (
          SELECT lat, lon, CAST(floor(lat / {band_deg}) AS BIGINT) + d AS band
          FROM port_layer, range(-1, 2) r(d)),
        near_port AS (
          SELECT DISTINCT r.mmsi_a, r.mmsi_b, r.run FROM r JOIN bands q USING (band)
          WHERE hav_km(r.lat, r.lon, q.lat, q.lon) < {p.min_anchorage_distance_km}),
        kept AS (
          SELECT * EXCLUDE (band) FROM r ANTI JOIN near_port USING (mmsi_a, mmsi_b, run))
        SELECT r.*, near.km AS port_km, near.name AS port, near.kind AS port_kind
        FROM kept r, LATERAL (
          SELECT min(hav_km(r.lat, r.lon, q.lat, q.lon)) AS km,
                 arg_min(coalesce(q.port, 'unnamed anchorage'),
                         hav_km(r.lat, r.lon, q.lat, q.lon)) AS name,
                 arg_min(q.kind, hav_km(r.lat, r.lon, q.lat, q.lon)) AS kind
          FROM port_layer q) near
        WHERE near.km >= {p.min_anchorage_distance_km}
        """
    )
    rows = con.execute(
        f"""
        SELECT mmsi_a, mmsi_b, make_timestamp(t0 * {step_s} * 1000000) AS start_ts,
               make_timestamp((t1 + 1) * {step_s} * 1000000) AS end_ts,
               n_steps, lat, lon, speed_a, speed_b, median_m, min_m, port_km, port, t0, t1,
               port_kind
        FROM _encounters ORDER BY start_ts, mmsi_a, mmsi_b
        """
    ).fetchall()
    # each vessel's positions joined on its own MMSI (an equality join; "mmsi IN (a, b)"
    # compared every position with every encounter)
    resting = con.execute(
        f"""
        WITH sides AS (
          SELECT mmsi_a, mmsi_b, t0, t1, mmsi_a AS mmsi FROM _encounters
          UNION ALL SELECT mmsi_a, mmsi_b, t0, t1, mmsi_b FROM _encounters)
        SELECT e.mmsi_a, e.mmsi_b, e.t0, list(p.mmsi ORDER BY p.ts, p.mmsi),
               list(p.ts ORDER BY p.ts, p.mmsi)
        FROM sides e JOIN ais_positions p
          ON p.load_id = {int(load_id)} AND NOT (p.jump OR p.conflict) AND p.mmsi = e.mmsi
         AND p.ts >= make_timestamp(e.t0 * {step_s} * 1000000)
         AND p.ts < make_timestamp((e.t1 + 1) * {step_s} * 1000000)
        GROUP BY e.mmsi_a, e.mmsi_b, e.t0
        """
    ).fetchall()
    positions = {(a, b, t0): list(zip(m, ts, strict=True)) for a, b, t0, m, ts in resting}
    out = []
    for a, b, start, end, n, lat, lon, sa, sb, med_m, min_m, port_km, port, t0, t1, kind in rows:
        where = "port point" if kind == "wpi" else "anchorage"
        hours = (t1 - t0) * step_s / 3600
        out.append(
            Event(
                kind="encounter",
                algorithm=p.algorithm,
                mmsi=int(a),
                other_mmsi=int(b),
                start=start,
                end=end,
                lat=float(lat),
                lon=float(lon),
                reasons=[
                    f"within {p.max_distance_m:g} m for {hours:.1f} h "
                    f"(>= {p.min_duration_h:g} h; median {med_m:.0f} m, closest {min_m:.0f} m)",
                    f"median speeds {sa:.1f} and {sb:.1f} kn (< {p.max_median_speed_kn:g} kn)",
                    f"{port_km:.0f} km from the nearest {where} ({port}; "
                    f">= {p.min_anchorage_distance_km:g} km)",
                ],
                positions=[(int(m), ts) for m, ts in positions.get((a, b, t0), [])],
                facts={
                    "hours": round(hours, 3),
                    "steps": int(n),
                    "median_distance_m": round(float(med_m), 1),
                    "min_distance_m": round(float(min_m), 1),
                    "median_speed_kn": [round(float(sa), 2), round(float(sb), 2)],
                    "nearest_port": port,
                    "nearest_port_km": round(float(port_km), 1),
                },
            )
        )
    return out
