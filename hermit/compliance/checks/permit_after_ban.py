"""UNSCR 2375 para 17 on work permits: a permit issued on or after the ban is a
violation unless its written contract was finalized before the cut-off (the same
contract with the same employer, not backdated, in force when the permit was issued)
or a 1718 Committee approval covers it (the reference exists, approves this employer
for work authorizations, the permit falls within its dates and its number of persons,
counted in order of issue)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from hermit.compliance.contracts import ContractEvidence, same_person
from hermit.compliance.records import LabourRecord

Finding = tuple[str, str, list[LabourRecord]]  # pattern, reason, evidence records


def permit_label(p: LabourRecord) -> str:
    return f"permit {p.text('series') or '?'} {p.text('number') or p.record_id}"


def _contract_finding(p: LabourRecord, cutoff: dt.date, ev: ContractEvidence) -> Finding | None:
    """Why the contract exception does not cover ``p`` (None if it does)."""
    issued = p.day("issue_date")
    assert issued is not None
    head = f"{permit_label(p)} issued {issued}"
    number, signed = p.text("contract_no") or "(no number)", p.day("contract_date")
    inn = p.text("employer_inn")
    if signed is None:
        return "no_contract_date", f"{head}: no contract date stated", []
    if signed >= cutoff:
        return (
            "new_contract_after_ban",
            f"{head} on contract {number} dated {signed}, on or after {cutoff}",
            [],
        )
    notices = [n for n in ev.conclusions(inn, number) if same_person(p, n, unknown=True)]
    if not any(n.day("contract_date") == signed for n in notices):
        other = ev.elsewhere(p, signed)
        if other:
            was = other[0].text("employer_inn") or "?"
            return (
                "contract_of_other_employer",
                f"{head} for employer {inn} cites contract {number} of {signed}, "
                f"a contract another employer ({was}) notified",
                other[:1],
            )
    employer = None if inn is None else ev.employers.get(inn)
    registered = None if employer is None else employer.day("reg_date")
    if employer is not None and registered is not None and registered > signed:
        return (
            "backdated_contract",
            f"{head} cites contract {number} as dated {signed}; the employer was "
            f"registered on {registered}",
            [employer],
        )
    for n in notices:
        notified = n.day("contract_date")
        if notified is not None and notified > signed:
            return (
                "backdated_contract",
                f"{head} cites contract {number} as dated {signed}; the employer's "
                f"notification shows it concluded on {notified}",
                [n],
            )
    for n in ev.terminations(inn, number):
        if not same_person(p, n, unknown=True):
            continue
        ended = n.day("termination_date")
        if ended is not None and ended < issued:
            return (
                "contract_terminated_before_permit",
                f"{head} cites contract {number} of {signed}, terminated on {ended}",
                [n],
            )
    for n in notices:
        end = n.day("contract_end")
        if end is not None and end < issued:
            return (
                "contract_ended_before_permit",
                f"{head} cites contract {number} of {signed}, whose term ended {end}",
                [n],
            )
    return None


def _exemption_finding(
    p: LabourRecord, ev: ContractEvidence, used: dict[str, int]
) -> Finding | None:
    """Why the Committee reference ``p`` cites does not cover it (None if it does)."""
    ref = p.text("committee_ref") or ""
    head = f"{permit_label(p)} issued {p.day('issue_date')} cites {ref}"
    e = ev.exemptions.get(" ".join(ref.split()).upper())
    if e is None:
        return "bogus_exemption", f"{head}, not a 1718 Committee approval on record", []
    if (e.text("scope") or "") != "work_authorizations" or e.text("employer_inn") != p.text(
        "employer_inn"
    ):
        return (
            "bogus_exemption",
            f"{head}, which approves {e.text('employer_inn')} for "
            f"{e.text('scope')}, not this employer's work authorizations",
            [e],
        )
    issued, start, end = p.day("issue_date"), e.day("date_approved"), e.day("valid_until")
    assert issued is not None
    if (start is not None and issued < start) or (end is not None and issued > end):
        return "bogus_exemption", f"{head}, valid {start} to {end} only", [e]
    cap = e.amount("max_persons")
    used[e.record_id] = used.get(e.record_id, 0) + 1
    if cap is not None and used[e.record_id] > cap:
        return (
            "exemption_overused",
            f"{head}, which approves {cap:g} persons: this is permit {used[e.record_id]} citing it",
            [e],
        )
    return None


def permit_findings(
    permits: list[LabourRecord], ban: dt.date, cutoff: dt.date, ev: ContractEvidence
) -> Iterator[tuple[LabourRecord, str, str, list[LabourRecord]]]:
    """(permit, pattern, reason, evidence) for each permit issued from ``ban`` on that
    neither exception covers, in order of issue (the order Committee approvals are
    counted in)."""
    late = [p for p in permits if (p.day("issue_date") or dt.date.min) >= ban]
    late.sort(key=lambda p: (p.day("issue_date") or ban, p.line))
    used: dict[str, int] = {}
    for p in late:
        by_committee = None
        if p.text("committee_ref"):
            by_committee = _exemption_finding(p, ev, used)
            if by_committee is None:
                continue  # a Committee approval covers it
        by_contract = _contract_finding(p, cutoff, ev)
        if by_contract is None:
            continue  # the contract exception covers it
        pattern, reason, evidence = by_committee or by_contract
        if by_committee is not None:
            reason += f"; and {by_contract[1].split('; ', 1)[-1]}"
        else:
            reason += "; no 1718 Committee approval"
        yield p, pattern, reason, evidence


def committee_covered(permits: list[LabourRecord], ban: dt.date, ev: ContractEvidence) -> set[str]:
    """Ids of the permits a 1718 Committee approval covers (counted in order of issue,
    as permit_findings counts them)."""
    cited = [
        p
        for p in permits
        if p.text("committee_ref") and (p.day("issue_date") or dt.date.min) >= ban
    ]
    cited.sort(key=lambda p: (p.day("issue_date") or ban, p.line))
    used: dict[str, int] = {}
    return {p.record_id for p in cited if _exemption_finding(p, ev, used) is None}
