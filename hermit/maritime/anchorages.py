"""Anchorages derived from the data, after GFW (``events.yaml``, anchorages): grid cells
where enough distinct vessels were stationary. ``port_layer`` joins them with the World
Port Index points into the port layer the encounters and port visits use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hermit.maritime.params import Anchorages

if TYPE_CHECKING:
    import duckdb


def build_port_layer(con: duckdb.DuckDBPyConnection, load_id: int, p: Anchorages) -> None:
    """Temp table ``port_layer(lat, lon, kind, port_id, port, n_vessels)``: every WPI port
    point (kind 'wpi') and every derived anchorage cell centre (kind 'anchorage', with the
    WPI port it belongs to, or NULL when none is within ``port_max_km``)."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE port_layer AS
        WITH cells AS (
          SELECT (floor(lat / {p.cell_deg}) + 0.5) * {p.cell_deg} AS lat,
                 (floor(lon / {p.cell_deg}) + 0.5) * {p.cell_deg} AS lon,
                 count(DISTINCT mmsi) AS n_vessels
          FROM ais_positions
          WHERE load_id = {int(load_id)} AND NOT (jump OR conflict)
            AND sog < {p.stationary_speed_kn}
          GROUP BY ALL HAVING count(DISTINCT mmsi) >= {int(p.min_stationary_vessels)}),
        named AS (
          SELECT c.lat, c.lon, c.n_vessels,
                 arg_min(r.port_id, hav_km(c.lat, c.lon, r.lat, r.lon)) AS port_id,
                 min(hav_km(c.lat, c.lon, r.lat, r.lon)) AS km
          FROM cells c JOIN ref_ports r
            ON r.lat BETWEEN c.lat - {p.port_max_km / 111.0} AND c.lat + {p.port_max_km / 111.0}
          GROUP BY c.lat, c.lon, c.n_vessels)
        SELECT lat, lon, 'wpi' AS kind, port_id, name AS port, NULL::BIGINT AS n_vessels
        FROM ref_ports
        UNION ALL
        SELECT c.lat, c.lon, 'anchorage', CASE WHEN n.km <= {p.port_max_km} THEN n.port_id END,
               CASE WHEN n.km <= {p.port_max_km} THEN r.name END, c.n_vessels
        FROM cells c LEFT JOIN named n USING (lat, lon)
        LEFT JOIN ref_ports r ON r.port_id = n.port_id AND n.km <= {p.port_max_km}
        """
    )
