"""UNSCR 2321 para 16: at most one bank account per DPRK mission or consular post and
one per accredited diplomat, on any day from the rule's date. A diplomat's accounts are
linked to the accreditation list by passport or accreditation card (the banks spell the
names differently); an account is open from the day it was opened until the day before
it was closed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from hermit.compliance.folder import LabourData
from hermit.compliance.predicate import Predicate
from hermit.compliance.provisions import Provision
from hermit.compliance.records import LabourRecord
from hermit.compliance.violations import RecordRef, Violation
from hermit.compliance.vocabulary import vocabulary

FAR = dt.date.max


def _span(a: LabourRecord, start: dt.date) -> tuple[dt.date, dt.date] | None:
    opened, closed = a.day("opened"), a.day("closed")
    if opened is None:
        return None
    last = FAR if closed is None else closed - dt.timedelta(days=1)
    first = max(opened, start)
    return (first, last) if last >= first else None


def over_limit(
    accounts: list[LabourRecord], start: dt.date, limit: float
) -> tuple[dt.date, dt.date, list[LabourRecord]] | None:
    """The first day more than ``limit`` accounts are open at once, the last day of
    that run, and the accounts open then."""
    events: list[tuple[dt.date, int, LabourRecord]] = []
    for a in accounts:
        span = _span(a, start)
        if span is not None:
            events.append((span[0], 1, a))
            if span[1] < FAR:
                events.append((span[1] + dt.timedelta(days=1), -1, a))
    events.sort(key=lambda e: (e[0], e[1]))
    open_now: list[LabourRecord] = []
    first: dt.date | None = None
    held: list[LabourRecord] = []
    for day, step, a in events:
        if step > 0:
            open_now.append(a)
        else:
            open_now.remove(a)
        if first is None and len(open_now) > limit:
            first, held = day, list(open_now)
        elif first is not None and len(open_now) <= limit:
            return first, day - dt.timedelta(days=1), held
    return None if first is None else (first, FAR, held)


def _until(last: dt.date) -> str:
    return "still open" if last == FAR else f"to {last}"


def _check(rule: Provision, data: LabourData) -> Iterator[Violation]:
    start, words = rule.date("from"), vocabulary()
    missions: dict[str, list[LabourRecord]] = defaultdict(list)
    staff_of: dict[str, list[LabourRecord]] = defaultdict(list)
    staff = data.of("diplomatic_staff")
    by_key = {}
    for s in staff:
        for k in ("id_doc_number", "accreditation_card"):
            if (v := s.text(k)) is not None:
                by_key[v] = s
    unlinked: dict[str, list[LabourRecord]] = defaultdict(list)
    for a in data.of("diplomatic_accounts"):
        kind = words.term("holder_type", a.text("holder_type"))
        if kind == "mission":
            missions[a.text("mission") or a.text("holder_name") or "?"].append(a)
        elif kind == "staff":
            who = by_key.get(a.text("id_doc_number") or "") or by_key.get(
                a.text("accreditation_card") or ""
            )
            if who is not None:
                staff_of[who.record_id].append(a)
            else:
                unlinked[a.text("id_doc_number") or a.record_id].append(a)
    for name, accounts in sorted(missions.items()):
        found = over_limit(accounts, start, rule.threshold("max_accounts_per_mission"))
        if found is not None:
            first, last, held = found
            yield Violation(
                rule.id,
                rule.kind,
                "mission_accounts_over_limit",
                "diplomatic_accounts",
                name,
                first,
                tuple(RecordRef.of(a) for a in held),
                f"mission {name} held {len(held)} accounts at once from {first} ({_until(last)})",
            )
    staff_by_id = {s.record_id: s for s in staff}
    for sid, accounts in sorted(staff_of.items()):
        found = over_limit(accounts, start, rule.threshold("max_accounts_per_diplomat"))
        if found is not None:
            first, last, held = found
            yield Violation(
                rule.id,
                rule.kind,
                "diplomat_accounts_over_limit",
                "diplomatic_staff",
                sid,
                first,
                tuple(RecordRef.of(r) for r in [*held, staff_by_id[sid]]),
                f"accredited diplomat {sid} held {len(held)} accounts at once from {first} "
                f"({_until(last)})",
            )
    for doc, accounts in sorted(unlinked.items()):
        found = over_limit(accounts, start, rule.threshold("max_accounts_per_diplomat"))
        if found is not None:
            first, last, held = found
            yield Violation(
                rule.id,
                rule.kind,
                "diplomat_accounts_over_limit",
                "diplomatic_accounts",
                held[0].record_id,
                first,
                tuple(RecordRef.of(a) for a in held),
                f"holder of passport {doc} (not on the accreditation list) held "
                f"{len(held)} accounts at once from {first} ({_until(last)})",
            )


PREDICATE = Predicate(
    name="diplomatic_accounts",
    dates=("from",),
    thresholds=("max_accounts_per_mission", "max_accounts_per_diplomat"),
    exceptions=(),
    kinds=("diplomatic_accounts", "diplomatic_staff"),
    run=_check,
)
