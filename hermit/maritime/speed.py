"""Implausible speeds: position jumps and one MMSI at two places (``events.yaml``,
implausible_speed).

A step is two consecutive stored positions of one MMSI (all of them: the rows the
validation flagged as jumps or speed conflicts too) more than ``min_distance_km`` apart
and reached at an implied speed above ``max_speed_kn``. The steps of an MMSI no more
than ``merge_h`` apart make one event, of one of three patterns: ``relocation`` (one
step: the track goes on from the far place), ``single_fix`` (two steps through one
position, out and back: the validation's position jump; an event only with
``report_single_fixes``) and ``two_places`` (more steps: two transmitters on one MMSI,
or positions spoofed back and forth). Each event's positions are the two ends of every
step; its reasons give the number of steps and the longest ones with their positions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hermit.maritime.events import Event
from hermit.maritime.geo import KM_PER_NM
from hermit.maritime.params import ImplausibleSpeed

if TYPE_CHECKING:
    import duckdb


@dataclass(frozen=True, slots=True)
class Step:
    mmsi: int
    ts0: dt.datetime
    lat0: float
    lon0: float
    ts1: dt.datetime
    lat1: float
    lon1: float
    km: float

    @property
    def knots(self) -> float:
        hours = (self.ts1 - self.ts0).total_seconds() / 3600.0
        return self.km / KM_PER_NM / hours

    def text(self) -> str:
        seconds = (self.ts1 - self.ts0).total_seconds()
        took = f"{seconds:.0f} s" if seconds < 600 else f"{seconds / 3600:.2f} h"
        return (
            f"{self.ts0:%Y-%m-%d %H:%M:%S} at {self.lat0:.5f}, {self.lon0:.5f} -> "
            f"{self.ts1:%Y-%m-%d %H:%M:%S} at {self.lat1:.5f}, {self.lon1:.5f}: "
            f"{self.km:,.1f} km in {took} ({self.knots:,.0f} kn)"
        )


def implausible_steps(
    con: duckdb.DuckDBPyConnection, load_id: int, p: ImplausibleSpeed
) -> list[Step]:
    """Every implausible step of the load, by MMSI and time."""
    speed_kmh = p.max_speed_kn * KM_PER_NM
    rows = con.execute(
        f"""
        SELECT mmsi, ts0, lat0, lon0, ts, lat, lon, km FROM (
          SELECT mmsi, ts, lat, lon, lag(ts) OVER w AS ts0, lag(lat) OVER w AS lat0,
            lag(lon) OVER w AS lon0, hav_km(lag(lat) OVER w, lag(lon) OVER w, lat, lon) AS km
          FROM ais_positions WHERE load_id = ? AND NOT jump
          WINDOW w AS (PARTITION BY mmsi ORDER BY ts))
        WHERE km > ? AND km > {speed_kmh} * epoch(ts - ts0) / 3600.0
        ORDER BY mmsi, ts
        """,
        [load_id, p.min_distance_km],
    ).fetchall()
    return [
        Step(int(m), t0, float(a0), float(o0), t1, float(a1), float(o1), float(km))
        for m, t0, a0, o0, t1, a1, o1, km in rows
    ]


def _episodes(steps: list[Step], merge_h: float) -> list[list[Step]]:
    out: list[list[Step]] = []
    for s in steps:
        last = out[-1][-1] if out else None
        if (
            last is not None
            and last.mmsi == s.mmsi
            and (s.ts0 - last.ts1).total_seconds() <= merge_h * 3600.0
        ):
            out[-1].append(s)
        else:
            out.append([s])
    return out


def _pattern(steps: list[Step]) -> str:
    if len(steps) == 1:
        return "relocation"
    if len(steps) == 2 and steps[0].ts1 == steps[1].ts0:
        return "single_fix"
    return "two_places"


def find_implausible_speeds(
    con: duckdb.DuckDBPyConnection, load_id: int, p: ImplausibleSpeed
) -> list[Event]:
    """The implausible-speed events of a load, by MMSI and time."""
    out = []
    for steps in _episodes(implausible_steps(con, load_id, p), p.merge_h):
        pattern = _pattern(steps)
        if pattern == "single_fix" and not p.report_single_fixes:
            continue
        first, longest = steps[0], max(steps, key=lambda s: s.km)
        listed = sorted(steps, key=lambda s: -s.km)[: p.listed_steps]
        what = {
            "relocation": "the track goes on from the far position",
            "single_fix": "one position out and back (a bad fix?)",
            "two_places": "positions alternate between places far apart: two transmitters "
            "on one MMSI or spoofed positions?",
        }[pattern]
        reasons = [
            f"{len(steps)} step(s) of MMSI {first.mmsi} between consecutive positions more "
            f"than {p.min_distance_km:g} km apart at over {p.max_speed_kn:g} kn from "
            f"{first.ts0:%Y-%m-%d %H:%M} to {steps[-1].ts1:%Y-%m-%d %H:%M}: {what}",
            *(s.text() for s in sorted(listed, key=lambda s: s.ts0)),
        ]
        if len(steps) > len(listed):
            reasons.append(f"{len(steps) - len(listed)} more step(s) in the event's positions")
        ends = sorted({(s.mmsi, t) for s in steps for t in (s.ts0, s.ts1)})
        out.append(
            Event(
                kind="implausible_speed",
                algorithm=p.algorithm,
                mmsi=first.mmsi,
                start=first.ts0,
                end=steps[-1].ts1,
                lat=first.lat0,
                lon=first.lon0,
                reasons=reasons,
                positions=ends,
                facts={
                    "pattern": pattern,
                    "steps": len(steps),
                    "max_km": round(longest.km, 1),
                    "max_speed_kn": round(longest.knots, 1),
                    "far_lat": longest.lat1,
                    "far_lon": longest.lon1,
                },
            )
        )
    return out
