"""Stays in DPRK waters (``events.yaml``, dprk_waters): runs of consecutive positions of
one MMSI inside an area (the DPRK EEZ polygon given by the user, hermit/maritime/geo.py),
cut at the first position outside or at a silence of ``max_silence_h`` inside; the
hours spent under ``stop_speed_kn`` inside are counted (a transit has none).

Only the positions inside the area's bounding box are read from the store (with their
rank in their MMSI's track, so a position outside the box still ends a stay); each is
tested against the polygon once. Each stay cites its first and last positions inside
(MMSI, time, file and row) and counts the positions between.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from hermit.maritime.events import Event
from hermit.maritime.geo import Area
from hermit.maritime.params import DprkWaters

if TYPE_CHECKING:
    import duckdb


def find_dprk_waters(
    con: duckdb.DuckDBPyConnection, load_id: int, p: DprkWaters, area: Area
) -> list[Event]:
    x0, y0, x1, y1 = area.bbox
    rows = con.execute(
        f"""
        SELECT mmsi, ts, lat, lon, file_id, row, k, sog FROM (
          SELECT mmsi, ts, lat, lon, file_id, row, sog,
                 row_number() OVER (PARTITION BY mmsi ORDER BY ts) AS k
          FROM ais_positions WHERE load_id = {int(load_id)} AND NOT (jump OR conflict))
        WHERE lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?
        ORDER BY mmsi, ts
        """,
        [x0, x1, y0, y1],
    ).fetchall()
    out: list[Event] = []
    run: list[tuple[Any, ...]] = []

    def close() -> None:
        if run:
            out.append(_event(run, p, area))
            run.clear()

    for r in rows:
        if not area.contains(r[3], r[2]):
            close()
            continue
        if run:
            last = run[-1]
            silent_h = (r[1] - last[1]).total_seconds() / 3600
            if r[0] != last[0] or r[6] != last[6] + 1 or silent_h > p.max_silence_h:
                close()
        run.append(r)
    close()
    out.sort(key=lambda e: (e.start, e.mmsi))
    return out


def _event(run: list[tuple[Any, ...]], p: DprkWaters, area: Area) -> Event:
    first, last = run[0], run[-1]
    mmsi = int(first[0])
    stopped_h = sum(
        (b[1] - a[1]).total_seconds() / 3600
        for a, b in itertools.pairwise(run)
        if a[7] is not None and a[7] < p.stop_speed_kn
    )
    return Event(
        kind="dprk_waters",
        algorithm=p.algorithm,
        mmsi=mmsi,
        start=first[1],
        end=last[1],
        lat=float(first[2]),
        lon=float(first[3]),
        reasons=[
            f"{len(run)} consecutive positions inside {area.name} from "
            f"{first[1]:%Y-%m-%d %H:%M} to {last[1]:%Y-%m-%d %H:%M}",
            f"entered at {first[2]:.4f} N {first[3]:.4f} E, last seen inside at "
            f"{last[2]:.4f} N {last[3]:.4f} E",
            f"{stopped_h:.1f} h of it under {p.stop_speed_kn:g} kn",
        ],
        positions=[(mmsi, first[1]), (mmsi, last[1])],
        facts={
            "area": area.name,
            "area_file": area.source,
            "positions_inside": len(run),
            "stopped_h": round(stopped_h, 3),
            "first": {"file_id": int(first[4]), "row": int(first[5])},
            "last": {"file_id": int(last[4]), "row": int(last[5])},
            "exit_lat": round(float(last[2]), 5),
            "exit_lon": round(float(last[3]), 5),
        },
    )
