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
