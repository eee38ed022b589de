"""Dark DPRK port calls inferred from gaps (``events.yaml``, dark_port_calls): a gap of
one MMSI of at least ``min_gap_h`` whose two ends (the last position before, the first
after) are each within ``max_end_nm`` of a DPRK port of the World Port Index but outside
it (beyond the port visits' exit distance: the call itself is not seen), and long
enough to sail from the first end to the port at the vessel's own transit speed, stay
``min_stay_h`` and sail to the other end. Every DPRK port that fits is named; the
event's port is the one with the shortest detour. The event rests on the gap's two
positions and the positions whose speeds gave the transit speed."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from hermit.maritime.events import Event
from hermit.maritime.geo import KM_PER_NM
from hermit.maritime.params import DarkPortCalls, PortVisits

if TYPE_CHECKING:
    import duckdb


def find_dark_port_calls(
    con: duckdb.DuckDBPyConnection, load_id: int, p: DarkPortCalls, visits: PortVisits
) -> list[Event]:
    """Every gap of the load that may hide a DPRK port call, in MMSI and time order."""
    window_us = int(p.speed_window_h * 3600e6)
    end_km = p.max_end_nm * KM_PER_NM
    rows = con.execute(
        f"""
        WITH g AS (
          SELECT mmsi, prev_ts AS start_ts, ts AS end_ts, prev_lat, prev_lon, lat, lon,
                 epoch(ts - prev_ts) / 3600.0 AS hours
          FROM (SELECT mmsi, ts, lat, lon, lag(ts) OVER w AS prev_ts,
                  lag(lat) OVER w AS prev_lat, lag(lon) OVER w AS prev_lon
                FROM ais_positions WHERE load_id = {int(load_id)} AND NOT (jump OR conflict)
                WINDOW w AS (PARTITION BY mmsi ORDER BY ts))
          WHERE epoch(ts - prev_ts) / 3600.0 >= {p.min_gap_h}),
        ports AS (SELECT * FROM ref_ports WHERE country = '{visits.dprk_country}'),
        near AS (
          SELECT g.*, r.name AS port, r.locode, r.lat AS port_lat, r.lon AS port_lon,
                 hav_km(g.prev_lat, g.prev_lon, r.lat, r.lon) AS km0,
                 hav_km(g.lat, g.lon, r.lat, r.lon) AS km1
          FROM g, ports r
          WHERE hav_km(g.prev_lat, g.prev_lon, r.lat, r.lon) BETWEEN
                  {visits.exit_distance_km} AND {end_km}
            AND hav_km(g.lat, g.lon, r.lat, r.lon) BETWEEN {visits.exit_distance_km}
                  AND {end_km}),
        speed AS (
          SELECT n.mmsi, n.start_ts, median(a.sog) AS kn, count(a.sog) AS n_speeds,
                 min(a.ts) AS first_ts, max(a.ts) AS last_ts
          FROM (SELECT DISTINCT mmsi, start_ts FROM near) n
          LEFT JOIN ais_positions a
            ON a.load_id = {int(load_id)} AND a.mmsi = n.mmsi AND NOT (a.jump OR a.conflict)
           AND a.ts BETWEEN n.start_ts - to_microseconds({window_us}) AND n.start_ts
           AND a.sog > {p.moving_speed_kn}
          GROUP BY n.mmsi, n.start_ts)
        SELECT n.mmsi, n.start_ts, n.end_ts, n.hours, n.prev_lat, n.prev_lon, n.lat, n.lon,
               n.port, n.locode, n.port_lat, n.port_lon, n.km0, n.km1,
               coalesce(s.kn, {p.default_speed_kn}) AS kn, s.n_speeds, s.first_ts, s.last_ts
        FROM near n JOIN speed s USING (mmsi, start_ts)
        WHERE (n.km0 + n.km1) / {KM_PER_NM} / coalesce(s.kn, {p.default_speed_kn})
              + {p.min_stay_h} <= n.hours
        ORDER BY n.mmsi, n.start_ts, n.km0 + n.km1
        """
    ).fetchall()
    by_gap: dict[tuple[int, object], list[tuple[object, ...]]] = {}
    for r in rows:
        by_gap.setdefault((int(r[0]), r[1]), []).append(r)
    out = []
    for (mmsi, _), fits in by_gap.items():
        best = fits[0]
        _, start, end, hours, lat0, lon0, lat1, lon1, port, locode, plat, plon = best[:12]
        km0, km1, kn, n_speeds, first_ts, last_ts = best[12:]
        assert isinstance(km0, float) and isinstance(km1, float) and isinstance(kn, float)
        assert isinstance(hours, float)
        assert isinstance(start, dt.datetime) and isinstance(end, dt.datetime)
        sail_h = (km0 + km1) / KM_PER_NM / kn
        own = bool(n_speeds)
        positions: list[tuple[int, dt.datetime]] = [(mmsi, start), (mmsi, end)]
        if own and isinstance(first_ts, dt.datetime):
            positions = [(mmsi, first_ts), *positions]
        out.append(
            Event(
                kind="dark_dprk_port_call",
                algorithm=p.algorithm,
                mmsi=mmsi,
                start=start,
                end=end,
                lat=float(plat),  # type: ignore[arg-type]
                lon=float(plon),  # type: ignore[arg-type]
                reasons=[
                    f"no position for {hours:.1f} h (an AIS gap of at least {p.min_gap_h:g} h)",
                    f"went dark {km0 / KM_PER_NM:.0f} nm from {port} and reappeared "
                    f"{km1 / KM_PER_NM:.0f} nm from it (both within {p.max_end_nm:g} nm, "
                    "neither inside the port)",
                    f"{sail_h:.1f} h to sail there and back at {kn:.1f} kn "
                    + (
                        f"(its median speed above {p.moving_speed_kn:g} kn in the "
                        f"{p.speed_window_h:g} h before)"
                        if own
                        else "(no speed of its own reported before: the default)"
                    )
                    + f" + {p.min_stay_h:g} h in port <= {hours:.1f} h",
                ],
                positions=positions,
                facts={
                    "port": port,
                    "locode": locode,
                    "ports_possible": [str(f[8]) for f in fits],
                    "hours": round(hours, 3),
                    "start_lat": float(lat0),  # type: ignore[arg-type]
                    "start_lon": float(lon0),  # type: ignore[arg-type]
                    "end_lat": float(lat1),  # type: ignore[arg-type]
                    "end_lon": float(lon1),  # type: ignore[arg-type]
                    "start_port_nm": round(km0 / KM_PER_NM, 1),
                    "end_port_nm": round(km1 / KM_PER_NM, 1),
                    "transit_speed_kn": round(kn, 2),
                    "own_speed": own,
                    "speeds_from": None if first_ts is None else str(first_ts),
                    "speeds_to": None if last_ts is None else str(last_ts),
                },
            )
        )
    return out
