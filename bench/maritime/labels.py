"""Score hermit's AIS events against the NW Pacific labels (shared/data/ais_nwpacific/
labels): recall and precision of encounters, gaps and port visits, and what the
detections that match no positive label are (hard negatives by their label reason).

Matching is by MMSI (unordered pair for encounters) and overlapping time; a port visit
must also be at the labelled port (UN/LOCODE). Labels describe the true tracks, so only
what the data can show is asked for: gaps of at least 6 h (hermit's gap rule), port
visits with at least one position in the data (``ais_positions`` > 0), and every
encounter labelled ``is_encounter``.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def _t(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


@dataclass
class Score:
    labelled: int
    detected: int
    found: int  # labels matched by a detection
    correct: int  # detections matching a label
    missed: list[str] = field(default_factory=list)
    extra: Counter[str] = field(default_factory=Counter)

    @property
    def recall(self) -> float:
        return self.found / self.labelled if self.labelled else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.detected if self.detected else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "labelled": self.labelled,
            "detected": self.detected,
            "recall": round(self.recall, 4),
            "precision": round(self.precision, 4),
            "missed": self.missed[:20],
            "unmatched_detections": dict(self.extra),
        }


def _overlap(a0: dt.datetime, a1: dt.datetime, b0: dt.datetime, b1: dt.datetime) -> bool:
    return a0 <= b1 and b0 <= a1


def score_encounters(
    labels: Path, events: list[dict[str, Any]], observable_only: bool = False
) -> Score:
    """``observable_only``: only the labelled encounters whose two vessels both have
    positions in the data during it (a vessel dark all through cannot be seen)."""
    rows = _rows(labels / "encounters.csv")
    positives = [
        r
        for r in rows
        if r["is_encounter"] == "true"
        and (
            not observable_only
            or (int(r["obs_positions_a"] or 0) > 0 and int(r["obs_positions_b"] or 0) > 0)
        )
    ]
    found = [e for e in events if e["kind"] == "encounter"]

    def same(r: dict[str, str], e: dict[str, Any]) -> bool:
        return {int(r["mmsi_a"]), int(r["mmsi_b"])} == {e["mmsi"], e["other_mmsi"]} and _overlap(
            _t(r["start"]), _t(r["end"]), _t(e["start"]), _t(e["end"])
        )

    s = Score(len(positives), len(found), 0, 0)
    for r in positives:
        if any(same(r, e) for e in found):
            s.found += 1
        else:
            s.missed.append(f"{r['encounter_id']} {r['planted']} {r['sts_mode']}")
    for e in found:
        if any(same(r, e) for r in positives):
            s.correct += 1
        else:
            negative = next((r for r in rows if same(r, e)), None)
            s.extra[
                "unlabelled" if negative is None else f"{negative['planted']}:{negative['reason']}"
            ] += 1
    return s


def score_gaps(labels: Path, events: list[dict[str, Any]], min_h: float = 6.0) -> Score:
    rows = [r for r in _rows(labels / "gaps.csv") if float(r["duration_h"]) >= min_h]
    found = [e for e in events if e["kind"] == "gap"]
    by_mmsi: dict[int, list[dict[str, str]]] = {}
    for r in _rows(labels / "gaps.csv"):
        by_mmsi.setdefault(int(r["mmsi"]), []).append(r)

    def same(r: dict[str, str], e: dict[str, Any]) -> bool:
        return _overlap(_t(r["start"]), _t(r["end"]), _t(e["start"]), _t(e["end"]))

    s = Score(len(rows), len(found), 0, 0)
    for r in rows:
        if any(e["mmsi"] == int(r["mmsi"]) and same(r, e) for e in found):
            s.found += 1
        else:
            s.missed.append(f"{r['gap_id']} {r['kind']} {r['cause']} {r['duration_h']}")
    for e in found:
        if any(same(r, e) for r in by_mmsi.get(e["mmsi"], [])):
            s.correct += 1
        else:
            s.extra["unlabelled"] += 1
    return s


def score_disabling(labels: Path, events: list[dict[str, Any]]) -> Score:
    """Suspected disabling against the labels' ``gfw_disabling_candidate``."""
    rows = [r for r in _rows(labels / "gaps.csv") if r["gfw_disabling_candidate"] == "true"]
    found = [e for e in events if e["kind"] == "gap" and e["facts"]["suspected_disabling"]]
    s = Score(len(rows), len(found), 0, 0)

    def same(r: dict[str, str], e: dict[str, Any]) -> bool:
        return e["mmsi"] == int(r["mmsi"]) and _overlap(
            _t(r["start"]), _t(r["end"]), _t(e["start"]), _t(e["end"])
        )

    for r in rows:
        if any(same(r, e) for e in found):
            s.found += 1
        else:
            s.missed.append(f"{r['gap_id']} {r['kind']} {r['cause']}")
    s.correct = sum(1 for e in found if any(same(r, e) for r in rows))
    return s


def score_port_visits(labels: Path, events: list[dict[str, Any]]) -> Score:
    rows = [r for r in _rows(labels / "port_visits.csv") if int(r["ais_positions"] or 0) > 0]
    found = [e for e in events if e["kind"] == "port_visit"]
    month0, month1 = dt.datetime(2017, 12, 1), dt.datetime(2018, 3, 1)

    def span(r: dict[str, str]) -> tuple[dt.datetime, dt.datetime]:
        start = r["entry"] or r["stop_start"]
        end = r["exit"] or r["stop_end"]
        return (_t(start) if start else month0, _t(end) if end else month1)

    def same(r: dict[str, str], e: dict[str, Any]) -> bool:
        a, b = span(r)
        return (
            e["mmsi"] == int(r["mmsi"])
            and e["facts"]["locode"] == r["locode"]
            and _overlap(a, b, _t(e["start"]), _t(e["end"]))
        )

    by_mmsi: dict[int, list[dict[str, str]]] = {}
    for r in rows:
        by_mmsi.setdefault(int(r["mmsi"]), []).append(r)
    s = Score(len(rows), len(found), 0, 0)
    matched: set[str] = set()
    for e in found:
        hits = [r for r in by_mmsi.get(e["mmsi"], []) if same(r, e)]
        if hits:
            s.correct += 1
            matched.update(r["visit_id"] for r in hits)
        else:
            s.extra[e["facts"]["port"]] += 1
    s.found = len(matched)
    s.missed = [
        f"{r['visit_id']} {r['port_name']} stop={r['has_stop']}"
        for r in rows
        if r["visit_id"] not in matched
    ]
    return s


IDENTITY_KINDS = ("identity_change", "mmsi_change", "imo_shared", "spoofed_mmsi")


def score_identity(labels: Path, events: list[dict[str, Any]], tolerance_h: float = 6.0) -> Score:
    """Identity changes: a detection matches a label when it names the label's old or
    new MMSI and falls within ``tolerance_h`` of the label's start (or of its end, for
    the temporary ones: false flag, identity theft, whose return is a change too)."""
    rows = _rows(labels / "identity_changes.csv")
    found_ids: set[str] = set()
    correct = 0
    extra: Counter[str] = Counter()
    tol = dt.timedelta(hours=tolerance_h)
    detected = [e for e in events if e["kind"] in IDENTITY_KINDS]
    for e in detected:
        mmsis = {e["mmsi"], e.get("other_mmsi")}
        t0, t1 = _t(e["start"]), _t(e["end"])
        hit = False
        for r in rows:
            if not mmsis & {int(r["old_mmsi"]), int(r["new_mmsi"])}:
                continue
            times = [_t(r["start"])] + ([_t(r["end"])] if r["end"] else [])
            if any(t0 - tol <= t <= t1 + tol for t in times):
                found_ids.add(r["change_id"])
                hit = True
        if hit:
            correct += 1
        else:
            extra[e["kind"]] += 1
    return Score(
        labelled=len(rows),
        detected=len(detected),
        found=len(found_ids),
        correct=correct,
        missed=[f"{r['change_id']} {r['kind']}" for r in rows if r["change_id"] not in found_ids],
        extra=extra,
    )


def score_dprk_port_calls_in_waters(
    labels: Path, events: list[dict[str, Any]], area_contains: Any
) -> Score:
    """Stays in DPRK waters against the labelled DPRK port calls: every labelled call at
    a DPRK port inside the area (its berth tested with ``area_contains(lon, lat)``)
    with positions in the data must lie in a stay of that MMSI (recall); a stay is
    "correct" when its vessel is DPRK-linked in dprk_links.csv (any link) or it holds a
    labelled DPRK port call (precision against the links, a lower bound: a foreign
    vessel crossing DPRK waters is a true stay no label names)."""
    visits = [
        r
        for r in _rows(labels / "port_visits.csv")
        if r["dprk_port"] == "true" and int(r["ais_positions"] or 0) > 0
    ]
    ports = {r["port"]: r for r in _rows(labels / "anchorages.csv") if r["kind"] == "berth"}
    linked = {int(m) for r in _rows(labels / "dprk_links.csv") for m in r["mmsis"].split(";")}
    stays = [e for e in events if e["kind"] == "dprk_waters"]
    inside = []
    for v in visits:
        p = ports.get(v["port"])
        if p is None or not area_contains(float(p["lon"]), float(p["lat"])):
            continue
        inside.append(v)
    found = 0
    missed = []
    for v in inside:
        a0 = _t(v["entry"]) if v["entry"] else _t("2018-01-01T00:00:00Z")
        a1 = _t(v["exit"]) if v["exit"] else _t("2018-02-01T00:00:00Z")
        if any(
            e["mmsi"] == int(v["mmsi"]) and _overlap(a0, a1, _t(e["start"]), _t(e["end"]))
            for e in stays
        ):
            found += 1
        else:
            missed.append(f"{v['visit_id']} {v['mmsi']} {v['port']}")
    extra: Counter[str] = Counter()
    correct = 0
    for e in stays:
        if e["mmsi"] in linked:
            correct += 1
        else:
            extra["not_dprk_linked"] += 1
    return Score(len(inside), len(stays), found, correct, missed, extra)


def score_kims_calls(labels: Path, report_calls: list[dict[str, Any]]) -> Score:
    """The KIMS report's calls (dicts of mmsi, locode, start, end) against the labelled
    KIMS-port calls of DPRK-linked ships (dprk_links.csv, kims_port_call_dprk_linked):
    same MMSI, same port, overlapping time; labelled calls with no AIS position in the
    data (dark) are not asked for."""
    visits = {r["visit_id"]: r for r in _rows(labels / "port_visits.csv")}
    rows = [
        r
        for r in _rows(labels / "dprk_links.csv")
        if r["link"] == "kims_port_call_dprk_linked"
        and int(visits[r["ref"]]["ais_positions"] or 0) > 0
    ]
    found: set[str] = set()
    correct = 0
    extra: Counter[str] = Counter()
    for c in report_calls:
        hit = False
        for r in rows:
            v = visits[r["ref"]]
            a0 = _t(v["entry"]) if v["entry"] else _t("2017-12-01T00:00:00Z")
            a1 = _t(v["exit"]) if v["exit"] else _t("2018-03-01T00:00:00Z")
            if (
                int(v["mmsi"]) == c["mmsi"]
                and v["locode"] == c["locode"]
                and _overlap(a0, a1, _t(c["start"]), _t(c["end"]))
            ):
                found.add(r["ref"])
                hit = True
        if hit:
            correct += 1
        else:
            extra[f"{c['mmsi']} {c['locode']}"] += 1
    missed = [f"{r['ref']} {r['name']} {r['port']}" for r in rows if r["ref"] not in found]
    return Score(len(rows), len(report_calls), len(found), correct, missed, extra)


def score_loitering(labels: Path, events: list[dict[str, Any]]) -> Score:
    """Loitering against labels/loitering.csv (GFW's definition on the true tracks):
    same MMSI, overlapping time; labels with no position in the data not asked for."""
    rows = [r for r in _rows(labels / "loitering.csv") if int(r["ais_positions"] or 0) > 0]
    found = [e for e in events if e["kind"] == "loitering"]

    def same(r: dict[str, str], e: dict[str, Any]) -> bool:
        return e["mmsi"] == int(r["mmsi"]) and _overlap(
            _t(r["start"]), _t(r["end"]), _t(e["start"]), _t(e["end"])
        )

    s = Score(len(rows), len(found), 0, 0)
    for r in rows:
        if any(same(r, e) for e in found):
            s.found += 1
        else:
            s.missed.append(f"{r['loiter_id']} {r['context']} {r['duration_h']} h")
    for e in found:
        if any(same(r, e) for r in rows):
            s.correct += 1
        else:
            s.extra["unlabelled"] += 1
    return s


def score_dark_dprk_calls(labels: Path, events: list[dict[str, Any]], min_h: float = 6.0) -> Score:
    """Dark DPRK port calls against the labelled gaps (at least ``min_h``) during which
    the hull was in a DPRK port (gaps.csv ``dprk_port_call``, whatever the gap's cause):
    same MMSI, overlapping time."""
    rows = [
        r
        for r in _rows(labels / "gaps.csv")
        if r["dprk_port_call"] == "true" and float(r["duration_h"]) >= min_h
    ]
    found = [e for e in events if e["kind"] == "dark_dprk_port_call"]

    def same(r: dict[str, str], e: dict[str, Any]) -> bool:
        return e["mmsi"] in (int(r["mmsi"]), int(r["mmsi_end"] or 0)) and _overlap(
            _t(r["start"]), _t(r["end"]), _t(e["start"]), _t(e["end"])
        )

    s = Score(len(rows), len(found), 0, 0)
    for r in rows:
        if any(same(r, e) for e in found):
            s.found += 1
        else:
            s.missed.append(f"{r['gap_id']} {r['mmsi']} {r['ports_visited']} {r['kind']}")
    for e in found:
        if any(same(r, e) for r in rows):
            s.correct += 1
        else:
            s.extra[e["facts"]["port"]] += 1
    return s
