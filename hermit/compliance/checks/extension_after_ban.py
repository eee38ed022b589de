"""UNSCR 2375 para 17 on permit extensions: an extension decided on or after the ban
is a new work authorization unless the written contract it rests on was finalized
before the cut-off and is in force for the whole extended period (not terminated, its
term not ending before the new validity end)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from hermit.compliance.contracts import ContractEvidence, same_person
from hermit.compliance.records import LabourRecord

Finding = tuple[str, str, list[LabourRecord]]


def permit_key(series: str | None, number: str | None) -> tuple[str, str] | None:
    if series is None or number is None:
        return None
    return series.strip(), number.strip()


def _finding(x: LabourRecord, cutoff: dt.date, ev: ContractEvidence) -> Finding | None:
    decided, until = x.day("decision_date"), x.day("valid_to_new")
    head = f"extension decided {decided} (valid to {until})"
    number, signed = x.text("contract_no") or "(no number)", x.day("contract_date")
    inn = x.text("employer_inn")
    notices = [n for n in ev.conclusions(inn, number) if same_person(x, n, unknown=True)]
    if signed is None:
        return "no_contract_date", f"{head}: no contract date stated", []
    if signed >= cutoff:
        return (
            "extension_new_contract",
            f"{head} on contract {number} dated {signed}, on or after {cutoff}",
            notices[:1],
        )
    for n in ev.terminations(inn, number):
        ended = n.day("termination_date")
        if (
            same_person(x, n, unknown=True)
            and ended is not None
            and decided is not None
            and ended < decided
        ):
            return (
                "extension_contract_terminated",
                f"{head} on pre-ban contract {number} of {signed}, terminated on {ended}",
                [n],
            )
    for n in notices:
        end = n.day("contract_end")
        if end is not None and until is not None and end < until:
            return (
                "extension_beyond_contract_end",
                f"{head} on pre-ban contract {number} of {signed}, whose term ends on {end}",
                [n],
            )
    return None


def extension_findings(
    extensions: list[LabourRecord],
    permits: list[LabourRecord],
    ban: dt.date,
    cutoff: dt.date,
    ev: ContractEvidence,
) -> Iterator[tuple[LabourRecord, str, str, list[LabourRecord]]]:
    """(extension, pattern, reason, evidence) for each extension the exception does not
    cover; the extended permit is part of the evidence when it is on record."""
    by_number = {
        key: p
        for p in permits
        if (key := permit_key(p.text("series"), p.text("number"))) is not None
    }
    for x in extensions:
        decided = x.day("decision_date")
        if decided is None or decided < ban:
            continue
        found = _finding(x, cutoff, ev)
        if found is None:
            continue
        pattern, reason, evidence = found
        key = permit_key(x.text("permit_series"), x.text("permit_number"))
        permit = None if key is None else by_number.get(key)
        yield x, pattern, reason, ([] if permit is None else [permit]) + evidence
