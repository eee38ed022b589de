"""AIS gaps and suspected disabling, after Global Fishing Watch (``events.yaml``, gaps).

A gap is two consecutive positions of one MMSI at least ``min_gap_h`` apart (position
jumps left out). It is a suspected disabling when it lasts at least
``disabling_min_gap_h`` and both ends are more than ``disabling_min_shore_nm`` from
shore; distance from shore is approximated by the distance to the nearest World Port
Index port (see events.yaml). The positions in the ``reception_window_h`` before the gap
are counted (GFW's reception test) and reported.

Segments: each MMSI's track is cut at every gap of at least ``segment_gap_h``;
``segment_sql`` numbers them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hermit.maritime.events import Event
from hermit.maritime.geo import KM_PER_NM
from hermit.maritime.params import Gaps

if TYPE_CHECKING:
    import duckdb


def segment_sql(load_id: int, segment_gap_h: float) -> str:
    """Positions of a load with ``segment`` (1, 2, ... per MMSI, cut at long gaps)."""
    return f"""
    SELECT *, 1 + sum(CASE WHEN epoch(ts - prev_ts) / 3600.0 >= {segment_gap_h} THEN 1
                          ELSE 0 END) OVER (PARTITION BY mmsi ORDER BY ts) AS segment
    FROM (SELECT *, lag(ts) OVER (PARTITION BY mmsi ORDER BY ts) AS prev_ts
          FROM ais_positions WHERE load_id = {int(load_id)} AND NOT (jump OR conflict))
    """


def find_gaps(con: duckdb.DuckDBPyConnection, load_id: int, p: Gaps) -> list[Event]:
    """Every gap of the load, longest first within each MMSI's time order."""
    rows = con.execute(
        """
        WITH g AS (
          SELECT mmsi, prev_ts AS start_ts, ts AS end_ts, prev_lat, prev_lon, lat, lon,
                 epoch(ts - prev_ts) / 3600.0 AS hours
          FROM (SELECT mmsi, ts, lat, lon, lag(ts) OVER w AS prev_ts,
                  lag(lat) OVER w AS prev_lat, lag(lon) OVER w AS prev_lon
                FROM ais_positions WHERE load_id = ? AND NOT (jump OR conflict)
                WINDOW w AS (PARTITION BY mmsi ORDER BY ts))
          WHERE epoch(ts - prev_ts) / 3600.0 >= ?),
        ends AS (
          SELECT g.mmsi, g.start_ts,
            min(hav_km(g.prev_lat, g.prev_lon, r.lat, r.lon)) AS start_port_km,
            arg_min(r.name, hav_km(g.prev_lat, g.prev_lon, r.lat, r.lon)) AS start_port,
            min(hav_km(g.lat, g.lon, r.lat, r.lon)) AS end_port_km,
            arg_min(r.name, hav_km(g.lat, g.lon, r.lat, r.lon)) AS end_port
          FROM g, ref_ports r GROUP BY g.mmsi, g.start_ts),
        before AS (
          SELECT g.mmsi, g.start_ts, count(a.ts) AS n_before
          FROM g LEFT JOIN ais_positions a
            ON a.load_id = ? AND a.mmsi = g.mmsi AND NOT (a.jump OR a.conflict)
           AND a.ts >= g.start_ts - to_microseconds(CAST(? * 3600e6 AS BIGINT))
           AND a.ts <= g.start_ts
          GROUP BY g.mmsi, g.start_ts)
        SELECT g.*, e.start_port_km, e.start_port, e.end_port_km, e.end_port, b.n_before
        FROM g JOIN ends e USING (mmsi, start_ts) JOIN before b USING (mmsi, start_ts)
        ORDER BY g.mmsi, g.start_ts
        """,
        [load_id, p.min_gap_h, load_id, p.reception_window_h],
    ).fetchall()
    shore_km = p.disabling_min_shore_nm * KM_PER_NM
    out = []
    for mmsi, start, end, lat0, lon0, lat1, lon1, hours, km0, port0, km1, port1, n_before in rows:
        reasons = [f"no position for {hours:.1f} h (gap at >= {p.min_gap_h:g} h)"]
        offshore = km0 > shore_km and km1 > shore_km
        disabling = hours >= p.disabling_min_gap_h and offshore
        if disabling:
            reasons.append(
                f"suspected disabling: >= {p.disabling_min_gap_h:g} h and both ends more than "
                f"{p.disabling_min_shore_nm:g} nm from the nearest port ({km0 / KM_PER_NM:.0f} nm "
                f"from {port0}, {km1 / KM_PER_NM:.0f} nm from {port1}; distance from shore "
                "approximated by the nearest WPI port)"
            )
        out.append(
            Event(
                kind="gap",
                algorithm=p.algorithm,
                mmsi=int(mmsi),
                start=start,
                end=end,
                lat=float(lat0),
                lon=float(lon0),
                reasons=reasons,
                positions=[(int(mmsi), start), (int(mmsi), end)],
                facts={
                    "hours": round(float(hours), 3),
                    "end_lat": float(lat1),
                    "end_lon": float(lon1),
                    "start_nearest_port": port0,
                    "start_port_nm": round(float(km0) / KM_PER_NM, 1),
                    "end_nearest_port": port1,
                    "end_port_nm": round(float(km1) / KM_PER_NM, 1),
                    "positions_before": int(n_before),
                    "suspected_disabling": disabling,
                },
            )
        )
    return out
