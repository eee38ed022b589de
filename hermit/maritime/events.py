"""Events as rows: what happened, to whom, when and where, why hermit says so (reasons)
and the positions (MMSI, time) the event rests on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Event:
    kind: str  # gap | encounter | port_visit
    algorithm: str  # e.g. hermit-ais-gap@1
    mmsi: int
    start: dt.datetime
    end: dt.datetime
    lat: float
    lon: float
    reasons: list[str]
    positions: list[tuple[int, dt.datetime]]  # (MMSI, time) of the positions it rests on
    other_mmsi: int | None = None
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def duration_h(self) -> float:
        return (self.end - self.start).total_seconds() / 3600.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "algorithm": self.algorithm,
            "mmsi": self.mmsi,
            "other_mmsi": self.other_mmsi,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "duration_h": round(self.duration_h, 3),
            "lat": round(self.lat, 5),
            "lon": round(self.lon, 5),
            "facts": self.facts,
            "reasons": self.reasons,
            "positions": [[m, t.isoformat()] for m, t in self.positions],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        """The event of ``to_dict``'s answer (times at their stored precision: the
        answer's to_dict is the same again)."""
        return cls(
            kind=d["kind"],
            algorithm=d["algorithm"],
            mmsi=int(d["mmsi"]),
            start=dt.datetime.fromisoformat(d["start"]),
            end=dt.datetime.fromisoformat(d["end"]),
            lat=float(d["lat"]),
            lon=float(d["lon"]),
            reasons=list(d["reasons"]),
            positions=[(int(m), dt.datetime.fromisoformat(t)) for m, t in d["positions"]],
            other_mmsi=None if d["other_mmsi"] is None else int(d["other_mmsi"]),
            facts=dict(d["facts"]),
        )
