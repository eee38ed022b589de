"""UNSCR 2375 para 17 on employment notified without a work permit: a DPRK national
taken on from the ban onwards under an arrangement standing in for a work permit (a
claimed student exemption, an apprenticeship contract, a civil-law work contract with
no permit) is given work authorization in effect. Temporary asylum or refugee status
(the right to work comes with the protection) is not such an arrangement. The visa the
person entered on (by passport) is cited as evidence."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from hermit.compliance.records import LabourRecord
from hermit.compliance.vocabulary import vocabulary

PROTECTED = frozenset({"temporary_asylum", "refugee"})
PATTERN_BY_VISA = {"study": "student_visa_work", "tourist": "tourist_visa_work"}
ARRANGEMENT = {
    "student_exemption": "under a labour contract claiming a student's exemption",
    "apprenticeship": "under an apprenticeship contract",
    "civil_law": "under a civil-law work contract with no work permit",
}


def _arrangement(n: LabourRecord) -> str | None:
    words = vocabulary()
    right = words.term("right_to_work", n.text("work_permit_ref"))
    contract = words.term("contract_type", n.text("contract_type"))
    if right in PROTECTED or right == "work_permit":
        return None
    if contract == "apprenticeship" or right == "apprenticeship":
        return "apprenticeship"
    if right == "student_exemption":
        return "student_exemption"
    if contract == "civil_law" and right is None:
        return "civil_law"
    return None


def employment_findings(
    notifications: list[LabourRecord], visas: list[LabourRecord], ban: dt.date
) -> Iterator[tuple[LabourRecord, str, str, list[LabourRecord]]]:
    words = vocabulary()
    by_doc: dict[str, list[LabourRecord]] = defaultdict(list)
    for v in visas:
        doc = v.text("id_doc_number")
        if doc is not None:
            by_doc[doc].append(v)
    for n in notifications:
        if words.term("notification_type", n.text("notification_type")) != "conclusion":
            continue
        start = n.day("contract_date") or n.day("received_date")
        if start is None or start < ban:
            continue
        how = _arrangement(n)
        if how is None:
            continue
        doc = n.text("id_doc_number")
        before = [v for v in by_doc.get(doc or "", []) if (v.day("issue_date") or start) <= start]
        visa = max(before, key=lambda v: v.day("issue_date") or dt.date.min, default=None)
        vtype = None if visa is None else words.term("visa_type", visa.text("visa_type"))
        pattern = (
            "trainee_contract"
            if how == "apprenticeship"
            else PATTERN_BY_VISA.get(vtype or "", "work_without_permit")
        )
        seen = (
            ""
            if visa is None
            else (
                f" (admitted on {visa.text('visa_type') or 'a'} visa {visa.text('visa_number')}"
                + (f", entry {visa.day('entry_date')}" if visa.day("entry_date") else "")
                + ")"
            )
        )
        reason = (
            f"employed by {n.text('employer_inn')} from {start} {ARRANGEMENT[how]}{seen}, "
            f"on or after {ban}, without a pre-ban contract"
        )
        yield n, pattern, reason, [] if visa is None else [visa]
