"""Joint ventures: companies with a DPRK founder (by the country the register shows,
or by a name on the lists: hermit.compliance.listed), each DPRK founder's period of
participation, and the exemptions (a 1718 Committee approval for a joint venture, a
register note naming an exempt project)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from hermit.compliance.folder import LabourData
from hermit.compliance.records import LabourRecord
from hermit.compliance.vocabulary import vocabulary


@dataclass(frozen=True, slots=True)
class Venture:
    employer: LabourRecord
    founders: tuple[LabourRecord, ...]  # every founder row, by date
    dprk: tuple[LabourRecord, ...]  # the DPRK founders' rows, by date
    exemption: str | None  # why it is exempt, if it is

    @property
    def start(self) -> dt.date | None:
        return min((d for f in self.dprk if (d := f.day("date_from")) is not None), default=None)

    def end(self) -> dt.date | None:
        """Last day of DPRK participation (None: still participating): the latest row
        end, or the company's end."""
        ends = [f.day("date_to") for f in self.dprk]
        last = None if any(e is None for e in ends) else max(e for e in ends if e is not None)
        closed = self.employer.day("termination_date")
        if closed is not None and (last is None or closed < last):
            return closed
        return last


def founder_label(f: LabourRecord, data: LabourData) -> str:
    name = f.text("founder_name_lat") or f.text("founder_name") or f.record_id
    match = data.listed.get(f.record_id)
    shown = f.text("country") or "country not given"
    return f"{name} ({shown}" + (f"; listed: {match.caption}" if match else "") + ")"


def is_dprk(f: LabourRecord, data: LabourData) -> bool:
    words = vocabulary()
    return words.term("country", f.text("country")) == "dprk" or f.record_id in data.listed


def _exemption(employer: LabourRecord, data: LabourData) -> str | None:
    words = vocabulary()
    project = words.term("project_note", employer.text("note"))
    if project is not None:
        return project
    for e in data.of("committee_exemptions"):
        if e.text("scope") == "joint_venture" and e.text("employer_inn") == employer.text("inn"):
            return f"committee_approval {e.text('reference')}"
    return None


def ventures(data: LabourData) -> list[Venture]:
    by_inn: dict[str, list[LabourRecord]] = defaultdict(list)
    for f in data.of("employer_founders"):
        inn = f.text("employer_inn")
        if inn is not None:
            by_inn[inn].append(f)
    found = []
    for employer in data.of("employers"):
        rows = sorted(
            by_inn.get(employer.text("inn") or "", []),
            key=lambda f: (f.day("date_from") or dt.date.min, f.line),
        )
        dprk = tuple(f for f in rows if is_dprk(f, data))
        if dprk:
            found.append(Venture(employer, tuple(rows), dprk, _exemption(employer, data)))
    return found
