"""The findings of the KIMS Act port report (22 U.S.C. 9225(b); ports in
``resources/maritime/kims_ports.yaml``) from one AIS load and the lists in the store:
for each port, the DPRK-linked vessels that called there in a period, their calls, and
the chain of events that links each vessel to the DPRK, every one with the AIS
positions or list records it rests on.

A vessel (an MMSI) is DPRK-linked by (``LINKS``):

- ``listed``: a listing of hermit/maritime/listed.py (by IMO, or name and flag);
- ``dprk_flag``: its MMSI's MID is the DPRK's (445);
- ``dprk_port_call``: a port visit at a DPRK port (hermit/maritime/port_visits.py);
- ``dprk_waters``: a stay in the DPRK waters given (hermit/maritime/dprk_waters.py)
  with at least ``waters_link_min_stopped_h`` stopped or drifting (kims_ports.yaml: a
  transit of the EEZ is innocent passage);
- ``identity_change``: any identity event (hermit/maritime/identity.py), for both
  MMSIs of an MMSI change or a spoofed MMSI, for the broadcaster of a shared IMO;
- ``met_dprk_linked``: an encounter with a vessel linked by one of the above.

A call (a port visit with a stop at a KIMS port, overlapping the period; the port-visit
detector finds visits per transmitter and across short excursions) is reported
when its vessel has a standing link (listed, DPRK flag) or a link event that began at
most ``window_days`` before the call ended (issue 15: within 365 days); link events
after the call are shown beside it as later.

The result is plain data (``KimsFindings.to_dict``); hermit/report/kims.py makes the
report document of it. Position ranges are cited as (MMSI, first, last, count, file),
counted from the store here, so a test can count them again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hermit.maritime import params
from hermit.maritime.detect import find_events
from hermit.maritime.events import Event
from hermit.maritime.listed import Listing, NameScreen, match_vessels

if TYPE_CHECKING:
    import duckdb

ALGORITHM = "hermit-kims-ports@1"
LINKS = (
    "listed",
    "dprk_flag",
    "dprk_port_call",
    "dprk_waters",
    "identity_change",
    "met_dprk_linked",
)
DPRK_MID = 445
IDENTITY_KINDS = ("identity_change", "mmsi_change", "imo_shared", "spoofed_mmsi")


@dataclass
class KimsFindings:
    period: tuple[dt.date, dt.date]
    load_id: int
    files: dict[int, str]
    ports: list[dict[str, Any]] = field(default_factory=list)
    vessels: dict[int, dict[str, Any]] = field(default_factory=dict)
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    listings: dict[int, list[Listing]] = field(default_factory=dict)
    not_established: list[dict[str, str]] = field(default_factory=list)
    algorithms: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "algorithm": ALGORITHM,
            "period": [self.period[0].isoformat(), self.period[1].isoformat()],
            "load_id": self.load_id,
            "files": {str(k): v for k, v in sorted(self.files.items())},
            "ports": self.ports,
            "vessels": {str(k): v for k, v in sorted(self.vessels.items())},
            "events": dict(sorted(self.events.items())),
            "listings": {
                str(k): [x.to_dict() for x in v] for k, v in sorted(self.listings.items())
            },
            "not_established": self.not_established,
            "algorithms": self.algorithms,
        }


def _event_id(e: Event) -> str:
    other = f"-{e.other_mmsi}" if e.other_mmsi is not None else ""
    return f"{e.kind}:{e.mmsi}{other}:{e.start:%Y%m%dT%H%M%S}"


def _positions_ranges(e: Event) -> list[tuple[int, dt.datetime, dt.datetime]]:
    """The (MMSI, first, last) position ranges an event rests on."""
    if e.kind in ("port_visit", "dprk_waters", "encounter"):
        ranges = [(e.mmsi, e.start, e.end)]
        if e.other_mmsi is not None:
            ranges.append((e.other_mmsi, e.start, e.end))
        return ranges
    return [(m, t, t) for m, t in e.positions]  # identity: the two positions cited


def kims_findings(
    ais: duckdb.DuckDBPyConnection,
    load_id: int,
    lists: duckdb.DuckDBPyConnection | None,
    screen_name: NameScreen | None,
    period: tuple[dt.date, dt.date],
    eez: Path | None,
) -> KimsFindings:
    files = {
        int(i): str(p)
        for i, p in ais.execute(
            "SELECT f.file_id, f.path FROM (SELECT unnest(from_json(files, "
            '\'[{"file_id": "INTEGER", "path": "VARCHAR"}]\'), recursive := true) '
            "FROM ais_loads WHERE load_id = ?) f",
            [load_id],
        ).fetchall()
    }
    out = KimsFindings(period=period, load_id=load_id, files=files)
    kinds = ["port_visit", "encounter", "identity", *(["dprk_waters"] if eez else [])]
    events = find_events(ais, load_id, kinds, eez)
    p = params.kims_ports()
    out.algorithms = {
        ALGORITHM: {
            "ais_load": load_id,
            "links": list(LINKS),
            "window_days": p.window_days,
            "waters_link_min_stopped_h": p.waters_link_min_stopped_h,
        },
        **{e.algorithm: {} for e in events},
    }
    if eez is None:
        out.not_established.append(
            {
                "what": "stays in DPRK waters",
                "why": "no DPRK waters polygon was given (--eez): entries into DPRK "
                "waters are not looked for, only calls at DPRK ports",
            }
        )
    if lists is None:
        out.not_established.append(
            {"what": "listed vessels", "why": "no lists in the store: no vessel matched"}
        )
    listings = match_vessels(ais, load_id, lists, screen_name) if lists is not None else {}
    links: dict[int, list[tuple[str, str | None]]] = {}  # mmsi -> (link, event id)

    def link(mmsi: int, kind: str, eid: str | None) -> None:
        links.setdefault(mmsi, []).append((kind, eid))

    kept: dict[str, Event] = {}
    for mmsi in listings:
        link(mmsi, "listed", None)
    for (mmsi,) in ais.execute(
        "SELECT mmsi FROM ais_vessels WHERE load_id = ? AND mmsi // 1000000 = ? "
        "AND mmsi BETWEEN 100000000 AND 999999999 ORDER BY mmsi",
        [load_id, DPRK_MID],
    ).fetchall():
        link(int(mmsi), "dprk_flag", None)
    for e in events:
        eid = _event_id(e)
        if e.kind == "port_visit" and e.facts.get("dprk_port"):
            link(e.mmsi, "dprk_port_call", eid)
            kept[eid] = e
        elif e.kind == "dprk_waters":
            if e.facts["stopped_h"] >= p.waters_link_min_stopped_h:
                link(e.mmsi, "dprk_waters", eid)
                kept[eid] = e
        elif e.kind in IDENTITY_KINDS:
            link(e.mmsi, "identity_change", eid)
            # an MMSI change is one hull on both MMSIs, a spoofed MMSI carries the
            # impostor's positions; the owner of an IMO another ship broadcasts is not
            if e.other_mmsi is not None and e.kind != "imo_shared":
                link(e.other_mmsi, "identity_change", eid)
            kept[eid] = e
    base = set(links)
    for e in events:
        if e.kind != "encounter" or e.other_mmsi is None:
            continue
        eid = _event_id(e)
        for a, b in ((e.mmsi, e.other_mmsi), (e.other_mmsi, e.mmsi)):
            if b in base:
                link(a, "met_dprk_linked", eid)
                kept[eid] = e
    t0 = dt.datetime.combine(period[0], dt.time())
    t1 = dt.datetime.combine(period[1], dt.time()) + dt.timedelta(days=1)
    window = dt.timedelta(days=p.window_days)
    by_locode = {port.locode: port for port in p.ports}
    calls: dict[str, list[tuple[Event, list[str], list[str]]]] = {c: [] for c in by_locode}
    visits = [e for e in events if e.kind == "port_visit" and e.facts["locode"] in by_locode]
    for e in sorted(visits, key=lambda v: (v.start, v.mmsi)):
        if not e.facts.get("has_stop") or e.end < t0 or e.start >= t1:
            continue
        standing = [k for k, eid in links.get(e.mmsi, []) if eid is None]
        before, later = [], []
        for _kind, linked in links.get(e.mmsi, []):
            if linked is None:
                continue
            start = kept[linked].start
            if e.end - window <= start <= e.end:
                before.append(linked)
            elif start > e.end:
                later.append(linked)
        if standing or before:
            calls[e.facts["locode"]].append((e, before, later))
            kept[_event_id(e)] = e
    reported: set[int] = set()
    for locode, port in by_locode.items():
        at_port = sorted(calls[locode], key=lambda c: (c[0].start, c[0].mmsi))
        entry: dict[str, Any] = {
            "name": port.name,
            "locode": port.locode,
            "wpi": port.wpi,
            "country": port.country,
            "paragraph": port.paragraph,
            "calls": [],
        }
        for e, before, later in at_port:
            reported.add(e.mmsi)
            entry["calls"].append(
                {
                    "event": _event_id(e),
                    "mmsi": e.mmsi,
                    "chain": sorted(set(before), key=lambda i: (kept[i].start, i)),
                    "later": sorted(set(later), key=lambda i: (kept[i].start, i)),
                    "standing": sorted({k for k, eid in links[e.mmsi] if eid is None}),
                }
            )
        entry["vessels"] = sorted({c["mmsi"] for c in entry["calls"]})
        out.ports.append(entry)
    cited: set[str] = set()
    for port_entry in out.ports:
        for c in port_entry["calls"]:
            cited.update([c["event"], *c["chain"], *c["later"]])
    vessels = _vessel_rows(ais, load_id, sorted(reported))
    for mmsi in sorted(reported):
        kinds_of = sorted({k for k, _ in links[mmsi]}, key=LINKS.index)
        vessels[mmsi]["links"] = kinds_of
        out.vessels[mmsi] = vessels[mmsi]
        if mmsi in listings:
            out.listings[mmsi] = listings[mmsi]
    ranges = {eid: _positions_ranges(kept[eid]) for eid in sorted(cited)}
    counted = _count_ranges(ais, load_id, ranges)
    for eid in sorted(cited):
        body = kept[eid].to_dict()
        body["positions"] = counted[eid]
        out.events[eid] = body
    return out


def _vessel_rows(
    ais: duckdb.DuckDBPyConnection, load_id: int, mmsis: list[int]
) -> dict[int, dict[str, Any]]:
    if not mmsis:
        return {}
    rows = ais.execute(
        f"""
        SELECT v.mmsi, v.names, v.imos, v.call_signs, v.flag, v.vessel_type, v.n_positions
        FROM ais_vessels v WHERE v.load_id = ? AND v.mmsi IN ({", ".join(map(str, mmsis))})
        """,
        [load_id],
    ).fetchall()
    return {
        int(m): {
            "mmsi": int(m),
            "names": list(names or []),
            "imos": list(imos or []),
            "call_signs": list(cs or []),
            "flag": flag,
            "vessel_type": vt,
            "positions": int(n),
        }
        for m, names, imos, cs, flag, vt, n in rows
    }


def _count_ranges(
    ais: duckdb.DuckDBPyConnection,
    load_id: int,
    ranges: dict[str, list[tuple[int, dt.datetime, dt.datetime]]],
) -> dict[str, list[dict[str, Any]]]:
    """Each range's positions in the store (jumps and two-transmitter rows left out, as
    the detectors read them): count, and the file of its first position."""
    import pyarrow as pa

    flat = [(eid, k, m, a, b) for eid, rs in ranges.items() for k, (m, a, b) in enumerate(rs)]
    out: dict[str, list[dict[str, Any]]] = {eid: [] for eid in ranges}
    if not flat:
        return out
    table = pa.table(
        {
            "eid": [f[0] for f in flat],
            "k": [f[1] for f in flat],
            "mmsi": [f[2] for f in flat],
            "t0": [f[3] for f in flat],
            "t1": [f[4] for f in flat],
        }
    )
    ais.register("_kims_ranges", table)
    try:
        rows = ais.execute(
            """
            SELECT r.eid, r.k, r.mmsi, r.t0, r.t1, count(p.ts), min(p.ts), max(p.ts),
                   arg_min(p.file_id, p.ts), arg_min(p.row, p.ts), arg_max(p.row, p.ts)
            FROM _kims_ranges r LEFT JOIN ais_positions p
              ON p.load_id = ? AND p.mmsi = r.mmsi AND p.ts BETWEEN r.t0 AND r.t1
             AND NOT (p.jump OR p.conflict)
            GROUP BY ALL ORDER BY r.eid, r.k
            """,
            [load_id],
        ).fetchall()
    finally:
        ais.unregister("_kims_ranges")
    for eid, _k, mmsi, a, b, n, first, last, file_id, row0, row1 in rows:
        out[eid].append(
            {
                "mmsi": int(mmsi),
                "first": (first or a).isoformat(),
                "last": (last or b).isoformat(),
                "count": int(n),
                "file_id": None if file_id is None else int(file_id),
                "rows": [row0, row1],
            }
        )
    return out
