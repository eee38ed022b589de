"""Loitering, after Global Fishing Watch (``events.yaml``, loitering): the hours (UTC
hourly buckets) in which one MMSI's implied speed is under ``max_speed_kn``, consecutive
ones merged, kept when the run lasts at least ``min_duration_h`` and its mean distance
from shore is at least ``min_shore_nm`` (approximated by the nearest World Port Index
port, as for the gaps). A loitering vessel may be meeting one that does not broadcast."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hermit.maritime.events import Event
from hermit.maritime.geo import KM_PER_NM
from hermit.maritime.params import Loitering

if TYPE_CHECKING:
    import duckdb


def find_loitering(con: duckdb.DuckDBPyConnection, load_id: int, p: Loitering) -> list[Event]:
    """Every loitering event of the load, in MMSI and time order."""
    bucket_us = int(p.bucket_h * 3600e6)
    rows = con.execute(
        f"""
        WITH pairs AS (
          SELECT mmsi, ts, lat, lon,
                 epoch(ts - lag(ts) OVER w) / 3600.0 AS dt_h,
                 hav_km(lag(lat) OVER w, lag(lon) OVER w, lat, lon) AS km
          FROM ais_positions WHERE load_id = {int(load_id)} AND NOT (jump OR conflict)
          WINDOW w AS (PARTITION BY mmsi ORDER BY ts)),
        buckets AS (
          SELECT mmsi, time_bucket(to_microseconds({bucket_us}), ts) AS hour,
                 min(ts) AS first_ts, max(ts) AS last_ts, count(*) AS n,
                 avg(lat) AS lat, avg(lon) AS lon,
                 sum(CASE WHEN dt_h <= {p.max_pair_h} THEN km END) AS km,
                 sum(CASE WHEN dt_h <= {p.max_pair_h} THEN dt_h END) AS h
          FROM pairs GROUP BY ALL),
        flagged AS (
          SELECT *, coalesce(h > 0 AND km / {KM_PER_NM} / h < {p.max_speed_kn}, false) AS slow,
                 lag(last_ts) OVER (PARTITION BY mmsi ORDER BY hour) AS prev_last,
                 lag(coalesce(h > 0 AND km / {KM_PER_NM} / h < {p.max_speed_kn}, false))
                   OVER (PARTITION BY mmsi ORDER BY hour) AS prev_slow
          FROM buckets),
        runs AS (
          SELECT *, sum(CASE WHEN NOT slow OR NOT coalesce(prev_slow, false)
                                  OR epoch(first_ts - prev_last) / 3600.0 > {p.max_silence_h}
                             THEN 1 ELSE 0 END)
                      OVER (PARTITION BY mmsi ORDER BY hour) AS run
          FROM flagged),
        events AS MATERIALIZED (
          SELECT mmsi, run, min(first_ts) AS start_ts, max(last_ts) AS end_ts,
                 count(*) AS hours, sum(n) AS n, sum(km) AS km, sum(h) AS h,
                 avg(lat) AS lat, avg(lon) AS lon, list(lat ORDER BY hour) AS lats,
                 list(lon ORDER BY hour) AS lons
          FROM runs WHERE slow GROUP BY mmsi, run
          HAVING epoch(max(last_ts) - min(first_ts)) / 3600.0 >= {p.min_duration_h}),
        pts AS (
          SELECT mmsi, run, round(unnest(lats) / {p.shore_cell_deg}) * {p.shore_cell_deg} AS lat,
                 round(unnest(lons) / {p.shore_cell_deg}) * {p.shore_cell_deg} AS lon FROM events),
        cells AS (SELECT DISTINCT lat, lon FROM pts),
        near_ports AS (
          SELECT * FROM ref_ports
          WHERE lat BETWEEN (SELECT min(lat) FROM cells) - {p.shore_search_deg}
                        AND (SELECT max(lat) FROM cells) + {p.shore_search_deg}
            AND lon BETWEEN (SELECT min(lon) FROM cells) - {p.shore_search_deg}
                        AND (SELECT max(lon) FROM cells) + {p.shore_search_deg}),
        cell_shore AS (
          SELECT c.lat, c.lon, least(coalesce(min(hav_km(c.lat, c.lon, r.lat, r.lon)),
                                              {p.shore_far_km}), {p.shore_far_km}) AS km
          FROM cells c LEFT JOIN near_ports r ON true GROUP BY c.lat, c.lon),
        bucket_shore AS (
          SELECT b.mmsi, b.run, c.km FROM pts b JOIN cell_shore c USING (lat, lon)),
        shore AS (SELECT mmsi, run, avg(km) AS shore_km FROM bucket_shore GROUP BY ALL),
        kept AS (
          SELECT e.* FROM events e JOIN shore s USING (mmsi, run)
          WHERE s.shore_km >= {p.min_shore_nm * KM_PER_NM}),
        nearest AS (
          SELECT e.mmsi, e.run, arg_min(r.name, hav_km(e.lat, e.lon, r.lat, r.lon)) AS port
          FROM kept e, ref_ports r GROUP BY e.mmsi, e.run)
        SELECT e.mmsi, e.start_ts, e.end_ts, e.hours, e.n, e.km, e.h, e.lat, e.lon,
               s.shore_km, n.port
        FROM kept e JOIN shore s USING (mmsi, run) JOIN nearest n USING (mmsi, run)
        ORDER BY e.mmsi, e.start_ts
        """
    ).fetchall()
    out = []
    for mmsi, start, end, hours, n, km, h, lat, lon, shore_km, port in rows:
        speed = float(km) / KM_PER_NM / float(h) if h else 0.0
        out.append(
            Event(
                kind="loitering",
                algorithm=p.algorithm,
                mmsi=int(mmsi),
                start=start,
                end=end,
                lat=float(lat),
                lon=float(lon),
                reasons=[
                    f"{int(hours)} hourly bucket(s) with implied speed under "
                    f"{p.max_speed_kn:g} kn (mean {speed:.2f} kn) from {start:%Y-%m-%d %H:%M} "
                    f"to {end:%Y-%m-%d %H:%M} (at least {p.min_duration_h:g} h)",
                    f"mean distance from shore {float(shore_km) / KM_PER_NM:.0f} nm (at least "
                    f"{p.min_shore_nm:g} nm; approximated by the nearest WPI port, {port})",
                ],
                positions=[(int(mmsi), start), (int(mmsi), end)],
                facts={
                    "hours": int(hours),
                    "positions": int(n),
                    "mean_speed_kn": round(speed, 3),
                    "mean_shore_nm": round(float(shore_km) / KM_PER_NM, 1),
                    "nearest_port": port,
                },
            )
        )
    return out
