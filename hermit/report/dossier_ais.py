"""The maritime side of the entity dossier (hermit/report/dossier.py): the MMSIs that
broadcast one of the vessel's IMO numbers (or that its list entries name), and the AIS
events (hermit ais events) of those MMSIs, each with the position ranges it rests on.
Read-only; core code."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from hermit.ids.imo import normalize_imo
from hermit.maritime.detect import find_events
from hermit.maritime.events import Event
from hermit.maritime.store import AisStore

_CLEAN = "NOT (jump OR conflict)"


@dataclass(frozen=True, slots=True)
class Range:
    """Positions of one MMSI from ``first`` to ``last`` as the store holds them (clean
    positions only, as the detectors read them): how a citation counts them again."""

    file: str
    mmsi: int
    first: str
    last: str
    count: int


@dataclass(slots=True)
class Maritime:
    load_id: int
    files: dict[int, Path]
    vessels: dict[int, tuple[list[str], list[str], str | None]]  # mmsi -> names, imos, flag
    why: dict[int, str]
    events: list[tuple[Event, list[Range]]] = field(default_factory=list)
    #: Each MMSI's track for the map (lon, lat; one position per TRACK_STEP_MIN) and
    #: the range of clean positions it is drawn from (its citation).
    tracks: dict[int, list[tuple[float, float]]] = field(default_factory=dict)
    track_ranges: dict[int, Range] = field(default_factory=dict)


def _iso(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S")


def count_range(ais: AisStore, load_id: int, mmsi: int, first: str, last: str) -> int:
    row = ais.con.execute(
        f"SELECT count(*) FROM ais_positions WHERE load_id = ? AND mmsi = ? AND {_CLEAN} "
        "AND ts BETWEEN CAST(? AS TIMESTAMP) AND CAST(? AS TIMESTAMP)",
        [load_id, mmsi, first, last],
    ).fetchone()
    return 0 if row is None else int(row[0])


def _file_of(ais: AisStore, load_id: int, mmsi: int, first: str) -> int | None:
    row = ais.con.execute(
        "SELECT file_id FROM ais_positions WHERE load_id = ? AND mmsi = ? "
        "AND ts >= CAST(? AS TIMESTAMP) ORDER BY ts LIMIT 1",
        [load_id, mmsi, first],
    ).fetchone()
    return None if row is None or row[0] is None else int(row[0])


def _tracks(ais: AisStore, out: Maritime) -> None:
    from hermit.report.kims import track_points

    for mmsi in sorted(out.vessels):
        row = ais.con.execute(
            f"SELECT min(ts), max(ts), count(*) FROM ais_positions WHERE load_id = ? "
            f"AND mmsi = ? AND {_CLEAN}",
            [out.load_id, mmsi],
        ).fetchone()
        if row is None or row[0] is None:
            continue
        first, last = _iso(row[0]), _iso(row[1])
        fid = _file_of(ais, out.load_id, mmsi, first)
        name = out.files[fid].name if fid in out.files else next(iter(out.files.values())).name
        out.track_ranges[mmsi] = Range(name, mmsi, first, last, int(row[2]))
        found = track_points(ais.con, out.load_id, [mmsi], row[0], row[1] + dt.timedelta(seconds=1))
        # one line as hermit-dossier@2 draws it (not cut at gaps, unlike the KIMS maps)
        out.tracks[mmsi] = [pt for piece in found.get(mmsi, []) for pt in piece]


def gather(
    ais_path: Path,
    imos: set[str],
    mmsis: set[int],
    kinds: list[str],
    eez: Path | None,
    load_id: int | None = None,
) -> Maritime:
    with AisStore(ais_path, read_only=True) as ais:
        lid = load_id if load_id is not None else ais.latest_load()
        files = {
            int(i): Path(str(p))
            for i, p in ais.con.execute(
                "SELECT f.file_id, f.path FROM (SELECT unnest(from_json(files, "
                '\'[{"file_id": "INTEGER", "path": "VARCHAR"}]\'), recursive := true) '
                "FROM ais_loads WHERE load_id = ?) f",
                [lid],
            ).fetchall()
        }
        vessels: dict[int, tuple[list[str], list[str], str | None]] = {}
        why: dict[int, str] = {}
        wanted = {i for i in (normalize_imo(x) for x in imos) if i}
        for mmsi, names, said, flag in ais.con.execute(
            "SELECT mmsi, names, imos, flag FROM ais_vessels WHERE load_id = ? ORDER BY mmsi",
            [lid],
        ).fetchall():
            broadcast = {n for n in (normalize_imo(i) for i in said or []) if n}
            hit = sorted(broadcast & wanted)
            m = int(mmsi)
            if hit or m in mmsis:
                vessels[m] = (sorted(names or []), sorted(said or []), flag)
                why[m] = f"broadcast IMO {hit[0]}" if hit else "MMSI named by the list entry"
        out = Maritime(lid, files, vessels, why)
        if not vessels:
            return out
        _tracks(ais, out)
        asked = [k for k in kinds if k != "dprk_waters" or eez is not None]
        for event in find_events(ais.con, lid, asked, eez):
            if event.mmsi not in vessels and event.other_mmsi not in vessels:
                continue
            by: dict[int, list[dt.datetime]] = {}
            for m, t in event.positions:
                by.setdefault(m, []).append(t)
            ranges = []
            for m, times in sorted(by.items()):
                first, last = _iso(min(times)), _iso(max(times))
                fid = _file_of(ais, lid, m, first)
                name = files[fid].name if fid in files else next(iter(files.values())).name
                ranges.append(Range(name, m, first, last, count_range(ais, lid, m, first, last)))
            out.events.append((event, ranges))
    out.events.sort(key=lambda x: (x[0].start, x[0].kind, x[0].mmsi))
    return out
