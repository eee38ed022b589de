"""The E.O. 13810 check (``resources/maritime/eo13810.yaml``): given later port calls
(a vessel by MMSI or IMO, an arrival date), whether the vessel called at a DPRK port, or
met ship to ship a vessel that had, within the 180 days before the arrival, as the AIS
load shows it. Each finding cites the events and the positions they rest on, and says
how much of the window the load covers (a load of January cannot clear an arrival in
October: the verdict is then "not shown", not "clear")."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from hermit.errors import HermitError
from hermit.ids.imo import normalize_imo
from hermit.maritime.detect import find_events
from hermit.maritime.events import Event

if TYPE_CHECKING:
    import duckdb


@dataclass(frozen=True, slots=True)
class Rule:
    algorithm: str
    source: str
    window_days: int


@cache
def rule() -> Rule:
    path = resources.files("hermit") / "resources" / "maritime" / "eo13810.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Rule(str(data["algorithm"]), str(data["source"]), int(data["window_days"]))


@dataclass(slots=True)
class PortCall:
    row: int  # file row (header is row 1)
    arrival: dt.date
    mmsi: int | None
    imo: str | None
    port: str | None
    name: str | None


@dataclass(slots=True)
class CallsFile:
    calls: list[PortCall] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)


def read_calls(path: Path) -> CallsFile:
    """Port calls from a CSV with ``arrival`` (ISO date) and ``mmsi`` and/or ``imo``
    (optional: ``us_port`` or ``port``, ``vessel_name``). A row without a usable arrival
    or vessel is set aside, named by row and field; a bad IMO beside a good MMSI is a
    warning on the row, which is still checked."""
    out = CallsFile()
    if not path.is_file():
        raise HermitError(f"{path}: no such file")
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields = set(reader.fieldnames or [])
        if "arrival" not in fields or not fields & {"mmsi", "imo"}:
            raise HermitError(f"{path}: needs the columns arrival and mmsi or imo")
        for n, r in enumerate(reader, start=2):
            problems = []
            try:
                arrival = dt.date.fromisoformat((r.get("arrival") or "").strip()[:10])
            except ValueError:
                out.rejected.append(
                    {"row": n, "field": "arrival", "value": r.get("arrival"), "reason": "no date"}
                )
                continue
            text = (r.get("mmsi") or "").strip()
            mmsi = int(text) if text.isdigit() and len(text) == 9 else None
            if text and mmsi is None:
                problems.append(f"mmsi {text!r} is not nine digits")
            imo_text = (r.get("imo") or "").strip()
            imo = normalize_imo(imo_text) if imo_text else None
            if imo_text and imo is None:
                problems.append(f"imo {imo_text!r} is not an IMO number")
            if imo == "0000000":
                imo = None
            if mmsi is None and imo is None:
                out.rejected.append(
                    {
                        "row": n,
                        "field": "mmsi/imo",
                        "value": text or imo_text,
                        "reason": "; ".join(problems) or "no vessel",
                    }
                )
                continue
            call = PortCall(
                n, arrival, mmsi, imo, r.get("us_port") or r.get("port"), r.get("vessel_name")
            )
            out.calls.append(call)
            for p in problems:
                out.rejected.append(
                    {
                        "row": n,
                        "field": p.split()[0],
                        "value": None,
                        "reason": p + " (row checked by its other identifier)",
                    }
                )
    return out


def _eid(e: Event) -> str:
    other = f"-{e.other_mmsi}" if e.other_mmsi is not None else ""
    return f"{e.kind}:{e.mmsi}{other}:{e.start:%Y%m%dT%H%M%S}"


def check_calls(
    con: duckdb.DuckDBPyConnection, load_id: int, calls: list[PortCall]
) -> list[dict[str, Any]]:
    """One finding per call: verdict ``barred`` (an observed DPRK call or a transfer with
    a DPRK-calling vessel in the window), ``possible`` (only a dark DPRK port call
    inferred from a gap), ``not_shown`` (nothing in the window, which the load covers
    only in part) or ``clear`` (nothing, and the load covers the whole window)."""
    r = rule()
    window = dt.timedelta(days=r.window_days)
    events = find_events(con, load_id, ["port_visit", "encounter", "dark_port_call"])
    first, last = con.execute(
        "SELECT min(ts), max(ts) FROM ais_positions WHERE load_id = ?", [load_id]
    ).fetchone() or (None, None)
    by_imo: dict[str, set[int]] = {}
    for mmsi, imos in con.execute(
        "SELECT mmsi, imos FROM ais_vessels WHERE load_id = ?", [load_id]
    ).fetchall():
        for imo in imos or []:
            key = normalize_imo(imo)
            if key:
                by_imo.setdefault(key, set()).add(int(mmsi))
    dprk_calls: dict[int, list[Event]] = {}
    for e in events:
        if e.kind == "port_visit" and e.facts.get("dprk_port") and e.facts.get("has_stop"):
            dprk_calls.setdefault(e.mmsi, []).append(e)

    def called_before(mmsi: int, t: dt.datetime) -> list[Event]:
        return [c for c in dprk_calls.get(mmsi, []) if t - window <= c.start <= t]

    out = []
    for call in calls:
        mmsis = set(by_imo.get(call.imo, set())) if call.imo else set()
        if call.mmsi is not None:
            mmsis.add(call.mmsi)
        t1 = dt.datetime.combine(call.arrival, dt.time())
        t0 = t1 - window
        grounds: list[dict[str, Any]] = []
        possible: list[dict[str, Any]] = []
        for e in events:
            if e.end < t0 or e.start > t1:
                continue
            ids = {e.mmsi, e.other_mmsi}
            if not ids & mmsis:
                continue
            body = {"event": _eid(e), **e.to_dict()}
            if e.kind == "port_visit" and e in dprk_calls.get(e.mmsi, []):
                body["ground"] = f"called at {e.facts['port']} (a DPRK port)"
                grounds.append(body)
            elif e.kind == "encounter" and e.other_mmsi is not None:
                other = e.other_mmsi if e.mmsi in mmsis else e.mmsi
                theirs = called_before(other, e.end)
                if theirs:
                    body["ground"] = (
                        f"met MMSI {other} ship to ship, which called at "
                        f"{theirs[-1].facts['port']} (a DPRK port) on "
                        f"{theirs[-1].start:%Y-%m-%d}, within {r.window_days} days before"
                    )
                    body["other_calls"] = [{"event": _eid(c), **c.to_dict()} for c in theirs]
                    grounds.append(body)
            elif e.kind == "dark_dprk_port_call":
                body["ground"] = f"dark for {e.duration_h:.0f} h near {e.facts['port']}"
                possible.append(body)
        covered = 0.0
        if first is not None and last is not None:
            a, b = max(first, t0), min(last, t1)
            covered = max((b - a).total_seconds() / 86400.0, 0.0)
        verdict = (
            "barred"
            if grounds
            else "possible"
            if possible
            else "clear"
            if covered >= r.window_days - 1e-9
            else "not_shown"
        )
        out.append(
            {
                "algorithm": r.algorithm,
                "source": r.source,
                "row": call.row,
                "mmsi": call.mmsi,
                "imo": call.imo,
                "vessel_name": call.name,
                "port": call.port,
                "arrival": call.arrival.isoformat(),
                "window": [t0.date().isoformat(), call.arrival.isoformat()],
                "mmsis": sorted(mmsis),
                "verdict": verdict,
                "barred": verdict == "barred",
                "grounds": grounds,
                "possible": possible,
                "window_days_covered": round(covered, 2),
                "data": [
                    None if first is None else first.isoformat(),
                    None if last is None else last.isoformat(),
                ],
            }
        )
    return out
