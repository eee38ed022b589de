"""UNSCR 2397 para 8: every DPRK national earning income is repatriated by the deadline.
A person (records linked by hermit.compliance.persons) is in breach when a permit of
theirs is valid, or a notified contract runs, after the deadline, and their crossings
put them in Russia after it (the last crossing on or before the deadline an entry, or
an entry after it); leaving on the deadline is in time. Exceptions: a status decision
making them a Russian citizen by the deadline (national of the member state), or
temporary asylum or refugee status in force after it (repatriation prohibited). Also:
a DPRK oversight attache still accredited after the deadline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from hermit.compliance.contracts import contract_key
from hermit.compliance.folder import LabourData
from hermit.compliance.persons import link_persons
from hermit.compliance.predicate import Predicate
from hermit.compliance.provisions import Provision
from hermit.compliance.records import LabourRecord
from hermit.compliance.validity import latest_extensions, validity
from hermit.compliance.violations import RecordRef, Violation
from hermit.compliance.vocabulary import vocabulary

PERSON_KINDS = (
    "work_permits",
    "permit_extensions",
    "employment_notifications",
    "visas",
    "border_crossings",
    "status_decisions",
)


def _income(data: LabourData, deadline: dt.date) -> set[tuple[str, str]]:
    """(kind, id) of permits valid, and conclusion notices of contracts running, after
    the deadline."""
    words = vocabulary()
    latest = latest_extensions(data.of("permit_extensions"))
    found = set()
    for p in data.of("work_permits"):
        span = validity(p, latest)
        if span is not None and span[1] > deadline:
            found.add((p.kind, p.record_id))
    ended: dict[tuple[str, str], dt.date] = {}
    notices = data.of("employment_notifications")
    for n in notices:
        if words.term("notification_type", n.text("notification_type")) == "termination":
            key = contract_key(n.text("employer_inn"), n.text("contract_no"))
            day = n.day("termination_date")
            if key is not None and day is not None:
                ended[key] = min(day, ended.get(key, day))
    for n in notices:
        if words.term("notification_type", n.text("notification_type")) != "conclusion":
            continue
        end = n.day("contract_end")
        key = contract_key(n.text("employer_inn"), n.text("contract_no"))
        stop = None if key is None else ended.get(key)
        if end is not None and end > deadline and (stop is None or stop > deadline):
            found.add((n.kind, n.record_id))
    return found


def _present(crossings: list[LabourRecord], deadline: dt.date) -> LabourRecord | None:
    """The entry that has the person in Russia after the deadline, if any."""
    words = vocabulary()
    ordered = sorted(crossings, key=lambda c: c.moment("crossed_at") or dt.datetime.min)
    before = [c for c in ordered if (c.day("crossed_at") or dt.date.min) <= deadline]
    after = [c for c in ordered if (c.day("crossed_at") or dt.date.min) > deadline]
    if before and words.term("direction", before[-1].text("direction")) == "entry":
        return before[-1]
    return next((c for c in after if words.term("direction", c.text("direction")) == "entry"), None)


def _exception(decisions: list[LabourRecord], deadline: dt.date) -> tuple[str, LabourRecord] | None:
    words = vocabulary()
    for d in decisions:
        kind, day = words.term("decision_type", d.text("decision_type")), d.day("decision_date")
        if kind == "citizenship" and day is not None and day <= deadline:
            return "national_of_member_state", d
        until = d.day("valid_until")
        if kind in ("temporary_asylum", "refugee") and (until is None or until > deadline):
            return "repatriation_prohibited", d
    return None


def _persons(rule: Provision, data: LabourData) -> Iterator[Violation]:
    deadline = rule.date("repatriate_by")
    income = _income(data, deadline)
    records = [r for k in PERSON_KINDS for r in data.of(k)]
    for group in link_persons(records):
        earning = [r for r in group if (r.kind, r.record_id) in income]
        if not earning:
            continue
        entry = _present([r for r in group if r.kind == "border_crossings"], deadline)
        if entry is None:
            continue
        if _exception([r for r in group if r.kind == "status_decisions"], deadline):
            continue
        by_permit = any(r.kind == "work_permits" for r in earning)
        pattern = "present_after_deadline_" + ("permit" if by_permit else "contract")
        kinds = ", ".join(sorted({r.kind for r in earning}))
        yield Violation(
            rule.id,
            rule.kind,
            pattern,
            "persons",
            f"person:{earning[0].record_id}",
            deadline + dt.timedelta(days=1),
            tuple(RecordRef.of(r) for r in [*earning, entry]),
            f"DPRK national in Russia after {deadline} (last entry {entry.day('crossed_at')}, "
            f"no exit by the deadline) with income records valid after it ({kinds})",
        )


def _attaches(rule: Provision, data: LabourData) -> Iterator[Violation]:
    deadline, words = rule.date("repatriate_by"), vocabulary()
    for s in data.of("diplomatic_staff"):
        if words.term("staff_title", s.text("title")) != "oversight_attache":
            continue
        until = s.day("accredited_to")
        if until is None or until > deadline:
            yield Violation(
                rule.id,
                rule.kind,
                "attache_after_deadline",
                "diplomatic_staff",
                s.record_id,
                deadline + dt.timedelta(days=1),
                (RecordRef.of(s),),
                f"DPRK oversight attache {s.text('name_lat') or s.text('fio')} still "
                f"accredited after {deadline} ("
                + ("no end of accreditation" if until is None else f"to {until}")
                + ")",
            )


def _check(rule: Provision, data: LabourData) -> Iterator[Violation]:
    yield from _persons(rule, data)
    yield from _attaches(rule, data)


PREDICATE = Predicate(
    name="repatriation",
    dates=("repatriate_by",),
    thresholds=(),
    exceptions=("national_of_member_state", "repatriation_prohibited"),
    kinds=(*PERSON_KINDS, "diplomatic_staff"),
    run=_check,
)
