"""The entity dossier's vessel track map (hermit-dossier@2): each MMSI of the vessel
over the AIS load, one position per ``TRACK_STEP_MIN`` minutes of its clean positions
(evenly thinned to ``map_points_per_track``), over hermit's offline land outline, with
its port calls and its encounters, stays in DPRK waters and dark calls marked, and the
DPRK waters polygon when one is given. Each track cites the range of positions it is
drawn from; each marked event is in the events table above it with its own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hermit.report import cite, maps
from hermit.report.document import Section
from hermit.report.dossier_ais import Maritime
from hermit.report.kims import TRACK_STEP_MIN, area_outlines
from hermit.report.stamp import Stamp

#: The event kinds marked first on the map (the others after them, by time).
MARKED_FIRST = ("encounter", "port_visit", "dprk_waters", "dark_dprk_port_call")
PAD_DEG = 0.3
#: Marks of one kind closer than this (degrees, on a grid) are one mark, the first kept.
SPOT_DEG = 0.2


def _thinned(points: list[tuple[float, float]], most: int) -> list[list[float]]:
    step = max(1, -(-len(points) // most))
    kept = points[::step]
    if points and kept[-1] != points[-1]:
        kept.append(points[-1])
    return [[round(lon, 4), round(lat, 4)] for lon, lat in kept]


def _place(kind: str, facts: dict[str, Any], start: str, lon: float, lat: float) -> dict[str, Any]:
    if kind == "port_visit":
        port = str(facts.get("port", "port"))
        return {"label": port, "lon": lon, "lat": lat,
                "kind": "dprk_port" if facts.get("dprk_port") else "port"}  # fmt: skip
    label = {"encounter": "encounter", "dprk_waters": "in DPRK waters"}.get(kind, kind)
    return {"label": f"{label} {start[:10]}", "lon": lon, "lat": lat, "kind": "event"}


def track_map(
    sec: Section, doc: Any, sea: Maritime, conf: dict[str, Any], eez: Path | None
) -> None:
    """The map block of the vessel's tracks in ``sec`` (nothing without a track)."""
    tracks: list[dict[str, Any]] = []
    cites: list[int] = []
    stamp: Stamp = doc.stamp
    for mmsi, points in sorted(sea.tracks.items()):
        if not points:
            continue
        names, _imos, _flag = sea.vessels[mmsi]
        r = sea.track_ranges[mmsi]
        digest = stamp.digest(r.file) if r.file in stamp.inputs else ""
        cites.append(
            doc.cite(cite.ais_positions(r.file, digest, str(mmsi), r.first, r.last, r.count))
        )
        label = f"{' / '.join(names[:2]) or 'no name'} ({mmsi})"
        tracks.append({"label": label, "points": _thinned(points, conf["map_points_per_track"])})
    if not tracks:
        return
    order = {k: i for i, k in enumerate(MARKED_FIRST)}
    events = sorted(
        (e for e, _ in sea.events), key=lambda e: (order.get(e.kind, len(order)), e.start)
    )
    places: list[dict[str, Any]] = []
    seen: set[tuple[str, int, int]] = set()
    for e in events:
        if e.kind not in order or len(places) >= conf["map_places"]:
            continue
        p = _place(e.kind, dict(e.facts), e.start.isoformat(), round(e.lon, 4), round(e.lat, 4))
        # one mark a place: repeated port calls, or stays in DPRK waters begun at the
        # same spot, would write their labels over each other
        spot = (p["kind"], round(p["lon"] / SPOT_DEG), round(p["lat"] / SPOT_DEG))
        if spot not in seen:
            seen.add(spot)
            places.append(p)
    xs = [float(p[0]) for t in tracks for p in t["points"]] + [float(p["lon"]) for p in places]
    ys = [float(p[1]) for t in tracks for p in t["points"]] + [float(p["lat"]) for p in places]
    box = (min(xs) - PAD_DEG, min(ys) - PAD_DEG, max(xs) + PAD_DEG, max(ys) + PAD_DEG)
    area = None
    if eez is not None:
        from hermit.maritime.geo import read_area

        area = read_area(eez.resolve(), "DPRK waters (the EEZ polygon given)")
    maps.add_map(
        sec,
        "map-vessel",
        "The vessel's tracks over the AIS load",
        list(box),
        tracks=tracks,
        outlines=area_outlines(area),
        places=places,
        cite=sorted(set(cites)),
        how=f"one position per {TRACK_STEP_MIN} min of each MMSI's clean positions in "
        f"load {sea.load_id} (at most {conf['map_points_per_track']:,} a track, evenly "
        "thinned); the events of the table above marked (at most "
        f"{conf['map_places']}); longitude and latitude in degrees; land from Natural "
        "Earth 1:10m (hermit's offline outline)",
    )
