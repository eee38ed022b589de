"""The KIMS Act port report (22 U.S.C. 9225(b)): for each of Nakhodka, Vanino,
Vladivostok, Dalian and Dandong, the DPRK-linked vessels that called there in a period,
their calls, the chain of events behind each, a summary table and a map per port, as
report data (hermit/report). The findings are hermit/maritime/kims.py's; this module
lays them out and cites them: AIS position ranges (``ais_positions``: MMSI, first and
last time, count, the position file and its sha256), list records (``list_record``:
list, version, entity; the record id, file and line in the caption) and the reviewed
parameters (``parameter``).

Every figure is ``derived``: ``verify_kims`` recomputes each one from its citations
(calls: the cited call ranges; vessels: their distinct MMSIs; listed vessels: the
MMSIs of the cited list records), counts every cited position range again in the AIS
store and finds every cited list record in the list store.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from hermit.maritime import params
from hermit.maritime.geo import Area, read_area
from hermit.maritime.kims import LINKS, KimsFindings
from hermit.report import cite, maps
from hermit.report.document import Report
from hermit.report.stamp import Stamp

KIND = "kims"
TITLE = "KIMS Act port report"
LINK_LABELS = {
    "listed": "listed",
    "dprk_flag": "DPRK flag",
    "dprk_port_call": "DPRK port call",
    "dprk_waters": "stopped in DPRK waters",
    "identity_change": "identity change",
    "met_dprk_linked": "met a DPRK-linked vessel",
}
EVENT_LABELS = {
    "port_visit": "port call",
    "dprk_waters": "in DPRK waters",
    "encounter": "encounter",
    "identity_change": "identity change (one MMSI)",
    "mmsi_change": "new MMSI (one IMO)",
    "imo_shared": "IMO on two MMSIs",
    "spoofed_mmsi": "spoofed MMSI",
}
TRACK_STEP_MIN = 30  # one position per half hour on the maps
# the maps' tracks (track_points): @1, unnamed, drew a track across a gap as one straight
# line; @2 cuts it at every gap of the gap detector's min_gap_h
MAP_TRACKS = "hermit-kims-map-tracks@2"
MAX_OUTLINE_POINTS = 600


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")


class _Ctx:
    def __init__(self, doc: Report, d: dict[str, Any], ais_files: dict[int, Path]) -> None:
        self.doc, self.events, self.vessels = doc, d["events"], d["vessels"]
        self.names = {fid: path.name for fid, path in ais_files.items()}
        for _fid, path in sorted(ais_files.items()):
            doc.stamp.add_input(path, name=path.name)

    def positions(self, r: dict[str, Any]) -> int:
        name = self.names.get(r["file_id"]) if r["file_id"] is not None else None
        name = name or next(iter(sorted(self.names.values())), "")
        c = cite.ais_positions(
            name,
            self.doc.stamp.digest(name) if name else "",
            str(r["mmsi"]),
            r["first"],
            r["last"],
            int(r["count"]),
        )
        return self.doc.cite(c)

    def event(self, eid: str) -> list[int]:
        return [self.positions(r) for r in self.events[eid]["positions"]]

    def listing(self, x: dict[str, Any]) -> int:
        caption = (
            f"MMSI {x['mmsi']} matched by {'IMO' if x['strength'] == 'imo' else 'name and flag'} "
            f"({x['broadcast']}) to {x['caption']}; record {x['record_id']}, {x['file']}"
            + (f" line {x['line']}" if x["line"] is not None else "")
        )
        return self.doc.cite(cite.list_record(x["list"], x["version"], x["entity_id"], caption))

    def parameter(self, key: str, value: Any, unit: str, source: str) -> int:
        return self.doc.cite(cite.parameter("maritime/kims_ports.yaml", key, value, unit, source))

    def vessel_label(self, mmsi: int) -> str:
        v = self.vessels.get(str(mmsi))
        names = " / ".join(v["names"]) if v else "?"
        return f"{names} ({mmsi})"


def build(
    findings: KimsFindings,
    ais_files: dict[int, Path],
    stamp: Stamp,
    tracks: dict[int, list[list[tuple[float, float]]]],
    area: Area | None,
) -> dict[str, Any]:
    """The report data. ``tracks``: the positions (lon, lat) of each reported vessel in
    the period for the maps, thinned, in pieces cut at gaps; ``area`` the DPRK waters
    polygon when given."""
    f = findings
    d = f.to_dict()
    period = (d["period"][0], d["period"][1])
    doc = Report(
        KIND,
        TITLE,
        stamp,
        subtitle="DPRK-linked vessels at Nakhodka, Vanino, Vladivostok, Dalian and Dandong "
        f"(22 U.S.C. 9225(b)), {period[0]} to {period[1]}",
        period=period,
    )
    ctx = _Ctx(doc, d, ais_files)
    for name, parameters in sorted(f.algorithms.items()):
        stamp.add_algorithm(name, parameters)
    stamp.add_algorithm(
        MAP_TRACKS, {"step_min": TRACK_STEP_MIN, "cut_gap_h": params.gaps().min_gap_h}
    )
    kp = params.kims_ports()
    legal = ctx.parameter("source", kp.source, "", kp.source_file)
    window = ctx.parameter("window_days", kp.window_days, "days", "issue 15 (365 days)")
    stopped = ctx.parameter(
        "waters_link_min_stopped_h", kp.waters_link_min_stopped_h, "h", "kims_ports.yaml"
    )
    _summary(ctx, d, legal, window, stopped)
    for port in d["ports"]:
        _port(ctx, d, port, tracks, area)
    _chains(ctx, d)
    _listings(ctx, d)
    _methods(ctx, d, area)
    for item in d["not_established"]:
        doc.unknown(item["what"], item["why"])
    for eid, e in d["events"].items():
        if e["kind"] == "spoofed_mmsi":
            doc.unknown(
                f"which calls of MMSI {e['mmsi']} are whose",
                f"from {e['start']} MMSI {e['mmsi']} is broadcast by two transmitters (one "
                f"of them, by the track, the hull of MMSI {e['other_mmsi']}): its calls are "
                "reported under the MMSI and may belong to either hull",
                cite=ctx.event(eid),
            )
    if area is not None:
        doc.unknown(
            "DPRK waters on the west coast",
            f"the DPRK waters polygon given ({Path(area.source).name}) spans longitudes "
            f"{area.bbox[0]:.2f}-{area.bbox[2]:.2f} E: the Yellow Sea and Korea Bay (Nampo, "
            "Haeju) are outside it, so only calls at the DPRK ports there link vessels",
        )
    doc.unknown(
        "dark calls and transfers",
        "a DPRK port call or a ship-to-ship meeting made with the transponder off is not "
        "in AIS: the report names only what the positions show (AIS gaps are not read as "
        "calls)",
    )
    return doc.to_dict()


def _call_row(
    ctx: _Ctx, d: dict[str, Any], port: dict[str, Any], c: dict[str, Any]
) -> dict[str, Any]:
    e = d["events"][c["event"]]
    chain = [d["events"][i] for i in c["chain"]]
    links = [LINK_LABELS[k] for k in c["standing"]]
    links += sorted({_chain_label(x) for x in chain})
    return {
        "vessel": ctx.vessel_label(c["mmsi"]),
        "flag": (ctx.vessels[str(c["mmsi"])]["flag"] or "unknown"),
        "arrived": e["start"][:16].replace("T", " "),
        "left": e["end"][:16].replace("T", " "),
        "hours": round(e["duration_h"], 1),
        "links": "; ".join(links),
    }


def _chain_label(e: dict[str, Any]) -> str:
    if e["kind"] == "port_visit":
        return f"called at {e['facts']['port']} (DPRK)"
    return str(EVENT_LABELS.get(e["kind"], e["kind"]))


def _summary(ctx: _Ctx, d: dict[str, Any], *cites: int) -> None:
    doc = ctx.doc
    sec = doc.section("summary", "Summary")
    legal, window, stopped = cites
    sec.text(
        "The KIMS Act asks the President's report for specific findings on the ports of "
        "Dandong and Dalian in China and Nakhodka, Vanino and Vladivostok in Russia. For "
        "each, this report lists the vessels with a link to the DPRK that called there "
        "in the period, from AIS positions and the sanctions lists held in hermit's "
        "store. A vessel is DPRK-linked when it is listed (by IMO number, or by name "
        "and flag), flies the DPRK flag (its MMSI's MID is 445), called at a DPRK port, "
        "stopped or drifted in DPRK waters, changed identity, or met such a vessel ship "
        "to ship; a call counts when the vessel's link is standing (listed, DPRK flag) or "
        "an event of it began within the window before the call ended.",
        cite=[legal, window, stopped],
    )
    rows: list[dict[str, Any]] = []
    figure_ids: list[str] = []
    for port in d["ports"]:
        slug = _slug(port["name"])
        call_cites = [n for c in port["calls"] for n in ctx.event(c["event"])]
        listed = sorted({c["mmsi"] for c in port["calls"] if str(c["mmsi"]) in d["listings"]})
        list_cites = [ctx.listing(x) for m in listed for x in d["listings"][str(m)]]
        calls = doc.figure(
            f"{slug}.calls",
            f"{port['name']}: calls by DPRK-linked vessels",
            len(port["calls"]),
            "calls",
            cite=call_cites,
            method="derived",
            how="calls (port visits with a stop, found per transmitter and across short "
            "excursions by the port-visit detector) overlapping the period; one cited "
            "position range per call",
        )
        vessels = doc.figure(
            f"{slug}.vessels",
            f"{port['name']}: DPRK-linked vessels",
            len(port["vessels"]),
            "vessels",
            cite=call_cites,
            method="derived",
            how="distinct MMSIs of the cited calls",
        )
        listed_fig = doc.figure(
            f"{slug}.listed",
            f"{port['name']}: listed vessels",
            len(listed),
            "vessels",
            cite=list_cites,
            method="derived",
            how="distinct MMSIs of the cited list records among the callers",
        )
        figure_ids += [vessels, calls, listed_fig]
        kinds = {k: 0 for k in LINKS}
        for m in port["vessels"]:
            for k in d["vessels"][str(m)]["links"]:
                kinds[k] += 1
        rows.append(
            {
                "port": f"{port['name']} ({port['locode']}; § {port['paragraph']})",
                "vessels": len(port["vessels"]),
                "calls": len(port["calls"]),
                "listed": len(listed),
                "dprk": kinds["dprk_flag"],
                "dprk_port": kinds["dprk_port_call"],
                "waters": kinds["dprk_waters"],
                "identity": kinds["identity_change"],
                "met": kinds["met_dprk_linked"],
            }
        )
    sec.table(
        "summary-table",
        "DPRK-linked vessels and their calls per port; then the vessels by link (one "
        "vessel may have several): DPRK flag, called at a DPRK port, stopped in DPRK "
        "waters, changed identity, met a DPRK-linked vessel",
        [
            ("port", "Port (22 U.S.C.)", None),
            ("vessels", "Vessels", None),
            ("calls", "Calls", None),
            ("listed", "Listed", None),
            ("dprk", "Flag", None),
            ("dprk_port", "Port", None),
            ("waters", "Waters", None),
            ("identity", "Identity", None),
            ("met", "Met", None),
        ],
        rows,
        cite=[legal],
        how="The counts of vessels, calls and listed vessels are the figures below, each "
        "with the calls and list records it rests on.",
    )
    sec.figures(figure_ids)


def _port(
    ctx: _Ctx,
    d: dict[str, Any],
    port: dict[str, Any],
    tracks: dict[int, list[list[tuple[float, float]]]],
    area: Area | None,
) -> None:
    sec = ctx.doc.section(f"port-{_slug(port['name'])}", f"{port['name']} ({port['country']})")
    if not port["calls"]:
        sec.text(f"No call by a DPRK-linked vessel at {port['name']} in the period.")
        return
    sec.text(
        f"{len(port['calls'])} call(s) by {len(port['vessels'])} DPRK-linked vessel(s). "
        "Each row cites the positions of the call; the links are detailed, with their "
        "positions, in the chain of events of each vessel."
    )
    rows, cites = [], []
    for c in port["calls"]:
        rows.append(_call_row(ctx, d, port, c))
        cites += ctx.event(c["event"])
    sec.table(
        f"calls-{_slug(port['name'])}",
        f"Calls at {port['name']}",
        [
            ("vessel", "Vessel (MMSI)", None),
            ("flag", "Flag (by MID)", None),
            ("arrived", "Arrived (UTC)", None),
            ("left", "Left (UTC)", None),
            ("hours", "Hours", "h"),
            ("links", "Links to the DPRK", None),
        ],
        rows,
        cite=cites,
    )
    _map(ctx, d, sec, port, tracks, area)


def _map(
    ctx: _Ctx,
    d: dict[str, Any],
    sec: Any,
    port: dict[str, Any],
    tracks: dict[int, list[list[tuple[float, float]]]],
    area: Area | None,
) -> None:
    lines: list[dict[str, Any]] = []
    cites: list[int] = []
    for m in port["vessels"]:
        pieces = tracks.get(m, [])
        if pieces:
            line: dict[str, Any] = {
                "label": ctx.vessel_label(m),
                "points": [[round(a, 4), round(b, 4)] for p in pieces for a, b in p],
            }
            if len(pieces) > 1:  # where a piece after a gap begins (maps.svg cuts there)
                line["breaks"] = [sum(len(p) for p in pieces[:i]) for i in range(1, len(pieces))]
            lines.append(line)
    for c in port["calls"]:
        cites += ctx.event(c["event"])
    places: list[dict[str, Any]] = []
    ref = next(
        (r for r in _port_rows() if r[0] == port["wpi"]),
        None,
    )
    if ref is not None:
        places.append({"label": port["name"], "lon": ref[2], "lat": ref[1], "kind": "kims_port"})
    seen = set()
    for c in port["calls"]:
        for eid in c["chain"]:
            e = d["events"][eid]
            if e["kind"] == "port_visit" and e["facts"]["port"] not in seen:
                seen.add(e["facts"]["port"])
                places.append(
                    {
                        "label": e["facts"]["port"],
                        "lon": e["lon"],
                        "lat": e["lat"],
                        "kind": "dprk_port",
                    }
                )
            elif e["kind"] == "encounter":
                places.append(
                    {
                        "label": "encounter " + e["start"][:10],
                        "lon": e["lon"],
                        "lat": e["lat"],
                        "kind": "event",
                    }
                )
    xs = [float(p[0]) for t in lines for p in t["points"]]
    xs += [float(p["lon"]) for p in places]
    ys = [float(p[1]) for t in lines for p in t["points"]]
    ys += [float(p["lat"]) for p in places]
    if not xs:
        return
    pad = 0.3
    bbox = [min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad]
    maps.add_map(
        sec,
        f"map-{_slug(port['name'])}",
        f"Tracks in the period of the DPRK-linked vessels that called at {port['name']}",
        bbox,
        tracks=lines,
        outlines=area_outlines(area),
        places=places,
        cite=sorted(set(cites)),
        how=f"one position per {TRACK_STEP_MIN} min of each vessel in the period "
        "(jumps and two-transmitter rows left out), the line cut at every AIS gap of "
        f"{params.gaps().min_gap_h:g} h or more (events.yaml); longitude and latitude in "
        "degrees; "
        "land from Natural Earth 1:10m (hermit's offline outline)",
    )


def area_outlines(area: Area | None) -> list[dict[str, Any]]:
    """The rings of the DPRK waters polygon given, thinned, as a map block's outlines."""
    outlines = []
    if area is not None:
        for ring in area.rings:
            step = max(1, len(ring) // MAX_OUTLINE_POINTS)
            outlines.append(
                {
                    "label": "DPRK waters (polygon given)",
                    "points": [[round(a, 4), round(b, 4)] for a, b in ring[::step]],
                }
            )
    return outlines


def _port_rows() -> list[tuple[str, float, float]]:
    from hermit.maritime.reference import port_rows

    return [(r[0], float(r[4]), float(r[5])) for r in port_rows()]


def _chains(ctx: _Ctx, d: dict[str, Any]) -> None:
    sec = ctx.doc.section("chains", "The chain of events behind each vessel")
    sec.text(
        "For each reported vessel, the events that link it to the DPRK (before a call: "
        "in its chain; after: shown as later), with the positions each rests on. Times "
        "are UTC."
    )
    for mmsi_text, v in d["vessels"].items():
        ids: list[str] = []
        for port in d["ports"]:
            for c in port["calls"]:
                if str(c["mmsi"]) == mmsi_text:
                    ids += c["chain"] + c["later"]
        ids = sorted(set(ids), key=lambda i: (d["events"][i]["start"], i))
        standing = [LINK_LABELS[k] for k in v["links"] if k in ("listed", "dprk_flag")]
        rows, cites = [], []
        for eid in ids:
            e = d["events"][eid]
            these = ctx.event(eid)
            cites += these
            rows.append(
                {
                    "event": EVENT_LABELS.get(e["kind"], e["kind"]),
                    "start": e["start"][:16].replace("T", " "),
                    "end": e["end"][:16].replace("T", " "),
                    "where": f"{e['lat']:.3f} N {e['lon']:.3f} E",
                    "why": "; ".join(e["reasons"]),
                }
            )
        label = ctx.vessel_label(int(mmsi_text))
        caption = f"{label}" + (f": {', '.join(standing)}" if standing else "")
        if not rows:
            sec.text(f"{caption}. No linking event in the load: the link is standing.")
            continue
        sec.table(
            f"chain-{mmsi_text}",
            caption,
            [
                ("event", "Event", None),
                ("start", "From (UTC)", None),
                ("end", "To (UTC)", None),
                ("where", "Where", None),
                ("why", "Why", None),
            ],
            rows,
            cite=sorted(set(cites)),
        )


def _listings(ctx: _Ctx, d: dict[str, Any]) -> None:
    sec = ctx.doc.section("listings", "Listed vessels")
    rows, cites = [], []
    for mmsi_text, found in d["listings"].items():
        for x in found:
            n = ctx.listing(x)
            cites.append(n)
            rows.append(
                {
                    "vessel": ctx.vessel_label(int(mmsi_text)),
                    "listed": x["caption"],
                    "list": f"{x['list']} v{x['version']}",
                    "record": x["record_id"],
                    "by": "IMO" if x["strength"] == "imo" else "name and flag (weak)",
                    "broadcast": x["broadcast"],
                }
            )
    if not rows:
        sec.text("No reported vessel matches a listed vessel in the store's lists.")
        return
    sec.text(
        "Matches by IMO number are strong; by name and flag (hermit's screening of the "
        "broadcast name against the listed vessels, and the flag of the MMSI's MID among "
        "the listed flags) weak: an analyst should confirm them."
    )
    sec.table(
        "listings-table",
        "Reported vessels on the lists",
        [
            ("vessel", "Vessel (MMSI)", None),
            ("listed", "Listed as", None),
            ("list", "List, version", None),
            ("record", "Record", None),
            ("by", "Matched by", None),
            ("broadcast", "Broadcast", None),
        ],
        rows,
        cite=sorted(set(cites)),
    )


def _methods(ctx: _Ctx, d: dict[str, Any], area: Area | None) -> None:
    sec = ctx.doc.section("methods", "Methods")
    names = ", ".join(sorted(d["algorithms"]))
    where = (
        f"the DPRK waters polygon {Path(area.source).name}" if area is not None else "no polygon"
    )
    sec.text(
        f"Algorithms: {names} (their parameters are in the generation stamp and in "
        "hermit/resources/maritime/events.yaml and kims_ports.yaml, each with its source). "
        "Port visits follow Global Fishing Watch's definition (entry within 3 km of a "
        "port point or derived anchorage, exit beyond 4 km, a stop under 0.2 kn); "
        "encounters GFW's (within 500 m for 2 h, median speeds under 2 kn, 10 km from "
        f"any anchorage); DPRK waters: {where}, point in polygon by ray casting; identity "
        "changes by hermit-identity (events.yaml). AIS load "
        f"{d['load_id']}; positions with implied-speed jumps and the rows of MMSIs with "
        "two transmitters are left out, as every detector leaves them out."
    )


def track_points(
    ais: Any, load_id: int, mmsis: list[int], t0: dt.datetime, t1: dt.datetime
) -> dict[int, list[list[tuple[float, float]]]]:
    """One position per TRACK_STEP_MIN minutes of each MMSI in [t0, t1), for the maps,
    in pieces: a new piece after every silence of at least the gap detector's
    ``min_gap_h`` (events.yaml, the gaps the web map cuts its tracks at), so a track is
    not drawn as a straight line across a gap."""
    if not mmsis:
        return {}
    step = TRACK_STEP_MIN * 60
    gap_s = params.gaps().min_gap_h * 3600
    rows = ais.execute(
        f"""
        SELECT mmsi, lon, lat, cut FROM (
          SELECT mmsi, ts, lon, lat, row_number() OVER (
                   PARTITION BY mmsi, CAST(floor(epoch(ts) / {step}) AS BIGINT) ORDER BY ts) AS k,
                 coalesce(epoch(ts) - epoch(lag(ts) OVER (PARTITION BY mmsi ORDER BY ts))
                          >= {gap_s}, false) AS cut
          FROM ais_positions
          WHERE load_id = ? AND NOT (jump OR conflict) AND ts >= ? AND ts < ?
            AND mmsi IN ({", ".join(str(int(m)) for m in mmsis)}))
        WHERE k = 1 ORDER BY mmsi, ts
        """,
        [load_id, t0, t1],
    ).fetchall()
    out: dict[int, list[list[tuple[float, float]]]] = {}
    for m, lon, lat, cut in rows:
        pieces = out.setdefault(int(m), [])
        if cut or not pieces:
            pieces.append([])
        pieces[-1].append((float(lon), float(lat)))
    return out


def make(
    ais_path: Path,
    store_path: Path,
    period: tuple[dt.date, dt.date],
    eez: Path | None,
    stamp: Stamp,
    load_id: int | None = None,
) -> dict[str, Any]:
    """The KIMS port report data from the AIS store and the list store."""
    from hermit.maritime.kims import kims_findings
    from hermit.maritime.listed import name_screening
    from hermit.maritime.store import AisStore
    from hermit.store.store import Store

    have_lists = store_path.exists()
    screen = name_screening(store_path) if have_lists else None
    if have_lists:
        stamp.add_lists(store_path)
    area = read_area(eez.resolve(), "DPRK waters (the EEZ polygon given)") if eez else None
    if eez is not None:
        stamp.add_input(eez, name=eez.name)
    with AisStore(ais_path, read_only=True) as ais:
        lid = load_id if load_id is not None else ais.latest_load()
        if have_lists:
            with Store(store_path, read_only=True) as lists:
                found = kims_findings(ais.con, lid, lists.con, screen, period, eez)
        else:
            found = kims_findings(ais.con, lid, None, None, period, eez)
        t0 = dt.datetime.combine(period[0], dt.time())
        t1 = dt.datetime.combine(period[1], dt.time()) + dt.timedelta(days=1)
        tracks = track_points(ais.con, lid, sorted(found.vessels), t0, t1)
    files = {fid: Path(p) for fid, p in found.files.items()}
    return build(found, files, stamp, tracks, area)


def verify_kims(data: dict[str, Any], ais_path: Path, store_path: Path | None) -> list[str]:
    """Every citation of a KIMS report resolved against the stores, every figure
    recomputed from its citations; the problems found (none: all hold)."""
    from hermit.maritime.store import AisStore
    from hermit.report.stamp import sha256_of

    problems: list[str] = []
    cites = {c["n"]: c for c in data["citations"]}
    inputs = {i["name"]: i for i in data["generated"]["inputs"]}
    kp = params.kims_ports()
    with AisStore(ais_path, read_only=True) as ais:
        files = {
            Path(str(p)).name: Path(str(p))
            for (p,) in ais.con.execute(
                "SELECT unnest(from_json(files, '[\"JSON\"]'))->>'path' FROM ais_loads"
            ).fetchall()
        }
        for c in data["citations"]:
            if c["kind"] == "ais_positions":
                held = ais.con.execute(
                    "SELECT count(*) FROM ais_positions WHERE mmsi = ? AND ts BETWEEN ? AND ? "
                    "AND NOT (jump OR conflict) AND load_id = ?",
                    [int(c["mmsi"]), c["first"], c["last"], _load_of(data)],
                ).fetchone()
                if held is None or int(held[0]) != c["count"]:
                    problems.append(f"[{c['n']}] {c['count']} positions cited, {held} found")
                path = files.get(c["file"])
                if path is None or inputs.get(c["file"], {}).get("sha256") != c["sha256"]:
                    problems.append(f"[{c['n']}] {c['file']}: not an input of the report")
                elif sha256_of(path) != c["sha256"]:
                    problems.append(f"[{c['n']}] {c['file']}: sha256 differs")
            elif c["kind"] == "parameter":
                value = getattr(kp, c["key"], None)
                if value != c["value"]:
                    problems.append(f"[{c['n']}] {c['key']} = {value!r}, cited {c['value']!r}")
        listed_ok = _check_records(data, ais, store_path, problems)
    for fig in data["figures"]:
        rows = [cites[n] for n in fig["cite"]]
        ranges = [r for r in rows if r["kind"] == "ais_positions"]
        if fig["id"].endswith(".calls"):
            got: Any = len(ranges)
        elif fig["id"].endswith(".vessels"):
            got = len({r["mmsi"] for r in ranges})
        elif fig["id"].endswith(".listed"):
            got = len({listed_ok[r["n"]] for r in rows if r["n"] in listed_ok})
        else:
            problems.append(f"figure {fig['id']}: no recomputation known")
            continue
        if got != fig["value"]:
            problems.append(f"figure {fig['id']}: recomputed {got}, states {fig['value']}")
    return problems


def _load_of(data: dict[str, Any]) -> int:
    for a in data["generated"]["algorithms"]:
        if a["name"] == "hermit-kims-ports":
            return int(a["parameters"]["ais_load"])
    raise ValueError("no hermit-kims-ports algorithm in the stamp")


def _check_records(
    data: dict[str, Any], ais: Any, store_path: Path | None, problems: list[str]
) -> dict[int, str]:
    """Each cited list record in the store at its version, and the MMSI its caption
    names broadcasting one of the record's IMO numbers (an IMO match) or a name (a
    name match); the MMSI of each record that holds."""
    import re

    from hermit.ids.imo import normalize_imo
    from hermit.store.store import Store

    records = [c for c in data["citations"] if c["kind"] == "list_record"]
    out: dict[int, str] = {}
    if not records:
        return out
    if store_path is None or not store_path.exists():
        problems.append("list records cited but no list store to resolve them")
        return out
    with Store(store_path, read_only=True) as store:
        for c in records:
            found = store.con.execute(
                "SELECT count(*) FROM entities WHERE dataset = ? AND entity_id = ? "
                "AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)",
                [c["dataset"], c["entity_id"], c["version"], c["version"]],
            ).fetchone()
            if found is None or int(found[0]) == 0:
                problems.append(f"[{c['n']}] {c['dataset']} v{c['version']} {c['entity_id']}: none")
                continue
            m = re.match(r"MMSI (\d+) ", c["caption"])
            if m is None:
                problems.append(f"[{c['n']}] caption names no MMSI")
                continue
            mmsi = m.group(1)
            imos = {
                normalize_imo(v)
                for (v,) in store.con.execute(
                    "SELECT value FROM statements WHERE dataset = ? AND entity_id = ? "
                    "AND prop = 'imoNumber' AND valid_from <= ? "
                    "AND (valid_to IS NULL OR valid_to > ?)",
                    [c["dataset"], c["entity_id"], c["version"], c["version"]],
                ).fetchall()
            }
            said = ais.con.execute(
                "SELECT imos, names FROM ais_vessels WHERE mmsi = ? AND load_id = ?",
                [int(mmsi), _load_of(data)],
            ).fetchone()
            broadcast = {normalize_imo(i) for i in (said[0] if said else []) or []}
            if "matched by IMO" in c["caption"] and not (imos & broadcast - {None}):
                problems.append(f"[{c['n']}] MMSI {mmsi} broadcast none of the record's IMOs")
                continue
            out[c["n"]] = mmsi
    return out
