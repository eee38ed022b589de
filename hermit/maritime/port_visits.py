"""Port visits, after Global Fishing Watch (``events.yaml``, port_visits).

The port layer is every World Port Index point and every anchorage derived from the data
that belongs to a port (hermit/maritime/anchorages.py). A position is inside a port when
within ``entry_distance_km`` of one of its points, outside when farther than
``exit_distance_km`` from every point (or near none), and in between keeps the state it
had (hysteresis). A visit is a run of inside-or-between positions of one MMSI at one
port, cut when the vessel is silent more than ``max_silence_h``. A visit has a stop when
a speed under ``stop_start_speed_kn`` is reported in it (else it is a pass-by).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hermit.maritime.encounters import KM_PER_DEG_LAT
from hermit.maritime.events import Event
from hermit.maritime.params import PortVisits

if TYPE_CHECKING:
    import duckdb


def find_port_visits(con: duckdb.DuckDBPyConnection, load_id: int, p: PortVisits) -> list[Event]:
    """Every port visit of the load (``port_layer`` must be built first)."""
    c = p.cell_deg
    rows = con.execute(
        f"""
        WITH pts AS (
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
          FROM ais_positions a JOIN probe q
            ON CAST(floor(a.lat / {c}) AS BIGINT) = q.ny
           AND CAST(floor(a.lon / {c}) AS BIGINT) = q.nx
          WHERE a.load_id = {int(load_id)} AND NOT (a.jump OR a.conflict)
          GROUP BY a.mmsi, a.ts),
        seq AS (
          SELECT a.mmsi, a.ts, a.sog,
                 CASE WHEN n.km <= {p.entry_distance_km} THEN n.port_id
                      WHEN n.km <= {p.exit_distance_km} THEN NULL ELSE -1 END AS st,
                 epoch(a.ts - lag(a.ts) OVER (PARTITION BY a.mmsi ORDER BY a.ts)) / 3600.0
                   AS silent_h,
                 a.ts = min(a.ts) OVER (PARTITION BY a.mmsi) AS first_row,
                 a.ts = max(a.ts) OVER (PARTITION BY a.mmsi) AS last_row
          FROM ais_positions a LEFT JOIN near n USING (mmsi, ts)
          WHERE a.load_id = {int(load_id)} AND NOT (a.jump OR a.conflict)
            AND a.mmsi IN (SELECT mmsi FROM near WHERE km <= {p.entry_distance_km})),
        carried AS (
          SELECT *, coalesce(last_value(st IGNORE NULLS) OVER (PARTITION BY mmsi ORDER BY ts
                      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), -1) AS cur
          FROM seq),
        runs AS (
          SELECT *, sum(CASE WHEN cur IS DISTINCT FROM prev_cur OR silent_h > {p.max_silence_h}
                             THEN 1 ELSE 0 END) OVER (PARTITION BY mmsi ORDER BY ts) AS run
          FROM (SELECT *, lag(cur) OVER (PARTITION BY mmsi ORDER BY ts) AS prev_cur
                FROM carried))
        SELECT v.mmsi, v.port_id, r.name, r.locode, r.country, r.lat, r.lon, v.start_ts,
               v.end_ts, v.n, v.has_stop, v.stop_ts, v.open_start, v.open_end
        FROM (SELECT mmsi, run, any_value(cur) AS port_id, min(ts) AS start_ts,
                     max(ts) AS end_ts, count(*) AS n,
                     bool_or(sog < {p.stop_start_speed_kn}) AS has_stop,
                     min(CASE WHEN sog < {p.stop_start_speed_kn} THEN ts END) AS stop_ts,
                     bool_or(first_row) AS open_start, bool_or(last_row) AS open_end
              FROM runs WHERE cur > 0 GROUP BY mmsi, run) v
        JOIN ref_ports r ON r.port_id = v.port_id
        ORDER BY v.mmsi, v.start_ts
        """
    ).fetchall()
    kims = set(p.kims_locodes)
    out = []
    for mmsi, _pid, name, locode, country, lat, lon, start, end, n, stop, stop_ts, o0, o1 in rows:
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
                lat=float(lat),
                lon=float(lon),
                reasons=reasons,
                positions=positions,
                facts={
                    "port": name,
                    "locode": locode,
                    "country": country,
                    "has_stop": bool(stop),
                    "positions_inside": int(n),
                    "dprk_port": country == p.dprk_country,
                    "kims_port": locode in kims,
                    "starts_before_data": bool(o0),
                    "ends_after_data": bool(o1),
                },
            )
        )
    return out
