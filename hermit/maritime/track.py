"""One vessel's track in an AIS load, for the map: its positions in time order (time,
latitude, longitude, speed, course, and whether validation flagged the position as an
impossible jump), within a window, thinned evenly to at most ``max_points`` (the first
and last positions always kept; ``step`` says how many positions one shown stands for)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import duckdb

POSITION_FIELDS = ("ts", "lat", "lon", "sog", "cog", "jump")


def vessel_track(
    ais: duckdb.DuckDBPyConnection,
    load_id: int,
    mmsi: int,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    max_points: int = 5000,
) -> dict[str, Any]:
    """The track of ``mmsi`` between ``start`` and ``end`` (inclusive; None: open)."""
    if max_points < 2:
        raise ValueError("max_points must be at least 2")
    where = "load_id = ? AND mmsi = ?"
    args: list[Any] = [load_id, mmsi]
    if start is not None:
        where += " AND ts >= ?"
        args.append(start)
    if end is not None:
        where += " AND ts <= ?"
        args.append(end)
    row = ais.execute(f"SELECT count(*) FROM ais_positions WHERE {where}", args).fetchone()
    total = int(row[0]) if row is not None else 0
    step = max(1, -(-total // max_points))  # ceil: at most max_points shown
    rows = ais.execute(
        f"""
        SELECT ts, lat, lon, sog, cog, jump FROM (
          SELECT ts, lat, lon, sog, cog, jump,
                 row_number() OVER (ORDER BY ts) - 1 AS i
          FROM ais_positions WHERE {where})
        WHERE i % ? = 0 OR i = ? - 1
        ORDER BY ts
        """,
        [*args, step, total],
    ).fetchall()
    return {
        "mmsi": mmsi,
        "load_id": load_id,
        "total": total,
        "step": step,
        "fields": list(POSITION_FIELDS),
        "positions": [
            [
                ts.isoformat(),
                round(float(lat), 6),
                round(float(lon), 6),
                None if sog is None else round(float(sog), 2),
                None if cog is None else round(float(cog), 1),
                bool(jump),
            ]
            for ts, lat, lon, sog, cog, jump in rows
        ],
    }
