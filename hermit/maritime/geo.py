"""Distances for the SQL of the AIS checks and events (DuckDB macros)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
KM_PER_NM = 1.852
MACROS = f"""
CREATE OR REPLACE TEMP MACRO hav_km(lat1, lon1, lat2, lon2) AS
  2 * {EARTH_RADIUS_KM} * asin(sqrt(
    pow(sin(radians(lat2 - lat1) / 2), 2)
    + cos(radians(lat1)) * cos(radians(lat2)) * pow(sin(radians(lon2 - lon1) / 2), 2)));
"""


def add_macros(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(MACROS)
