"""What other records say about the contract a permit or an extension cites: the
employer's notifications of that contract (by employer INN and contract number), the
employer's registration, and the 1718 Committee's approvals by reference."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from hermit.compliance.records import LabourRecord
from hermit.compliance.vocabulary import vocabulary


def contract_key(inn: str | None, number: str | None) -> tuple[str, str] | None:
    if inn is None or number is None:
        return None
    return inn.strip(), " ".join(number.split()).upper()


@dataclass(frozen=True, slots=True)
class ContractEvidence:
    """The notices of each employer's contracts, the employers by INN, the Committee's
    approvals by reference."""

    concluded: dict[tuple[str, str], list[LabourRecord]]
    terminated: dict[tuple[str, str], list[LabourRecord]]
    by_number: dict[str, list[LabourRecord]]
    employers: dict[str, LabourRecord]
    exemptions: dict[str, LabourRecord]

    def conclusions(self, inn: str | None, number: str | None) -> list[LabourRecord]:
        key = contract_key(inn, number)
        return [] if key is None else self.concluded.get(key, [])

    def terminations(self, inn: str | None, number: str | None) -> list[LabourRecord]:
        key = contract_key(inn, number)
        return [] if key is None else self.terminated.get(key, [])

    def elsewhere(self, holder: LabourRecord, date: dt.date) -> list[LabourRecord]:
        """Notices (conclusion or termination) by another employer of the contract number
        and date ``holder`` (a permit or extension) cites, about the same person (same
        passport or same birth date)."""
        key = contract_key(holder.text("employer_inn"), holder.text("contract_no"))
        if key is None:
            return []
        return [
            n
            for n in self.by_number.get(key[1], [])
            if n.text("employer_inn") != key[0]
            and n.day("contract_date") == date
            and same_person(holder, n)
        ]


def same_person(a: LabourRecord, b: LabourRecord, *, unknown: bool = False) -> bool:
    """Same passport number, or (no passport in common: passports are renewed) the same
    birth date; ``unknown`` is the answer when a birth date is missing."""
    doc_a, doc_b = a.text("id_doc_number"), b.text("id_doc_number")
    if doc_a is not None and doc_a == doc_b:
        return True
    born_a, born_b = a.day("birth_date"), b.day("birth_date")
    if born_a is None or born_b is None:
        return unknown
    return born_a == born_b


def build_evidence(
    notifications: list[LabourRecord],
    employers: list[LabourRecord],
    exemptions: list[LabourRecord],
) -> ContractEvidence:
    concluded: dict[tuple[str, str], list[LabourRecord]] = defaultdict(list)
    terminated: dict[tuple[str, str], list[LabourRecord]] = defaultdict(list)
    by_number: dict[str, list[LabourRecord]] = defaultdict(list)
    words = vocabulary()
    for n in notifications:
        key = contract_key(n.text("employer_inn"), n.text("contract_no"))
        if key is None:
            continue
        kind = words.term("notification_type", n.text("notification_type"))
        if kind == "termination":
            terminated[key].append(n)
        elif kind == "conclusion":
            concluded[key].append(n)
        else:
            continue
        by_number[key[1]].append(n)
    by_inn = {inn: e for e in employers if (inn := e.text("inn")) is not None}
    by_ref = {
        " ".join(ref.split()).upper(): e
        for e in exemptions
        if (ref := e.text("reference")) is not None
    }
    return ContractEvidence(dict(concluded), dict(terminated), dict(by_number), by_inn, by_ref)
