"""One person's records across files: permits, extensions, notifications, visas,
crossings and status decisions linked by document number, by an extension's permit, by
contract (employer INN and contract number), and by birth date with names that agree
(hermit's Korean name comparison, the threshold in resources/compliance/linking.yaml).
Names are compared only inside a block of one birth date, so the cost stays linear."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from importlib import resources

import yaml

from hermit.compliance.checks.extension_after_ban import permit_key
from hermit.compliance.contracts import contract_key
from hermit.compliance.records import LabourRecord


@cache
def name_match_min() -> float:
    ref = resources.files("hermit") / "resources" / "compliance" / "linking.yaml"
    return float(yaml.safe_load(ref.read_text(encoding="utf-8"))["name_match_min"])


@cache
def names_agree(a: str, b: str) -> bool:
    from hermit.names.korean import compare_names

    found = compare_names(a, b)
    return found is not None and found.score >= name_match_min()


class _Union:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def link_persons(records: Iterable[LabourRecord]) -> list[list[LabourRecord]]:
    """The records grouped by person (each group in input order)."""
    items = list(records)
    union = _Union(len(items))
    first: dict[tuple[str, str], int] = {}

    def key(k: tuple[str, str], i: int) -> None:
        if k in first:
            union.join(first[k], i)
        else:
            first[k] = i

    by_birth: dict[dt.date, list[int]] = defaultdict(list)
    for i, r in enumerate(items):
        doc = r.text("id_doc_number")
        if doc is not None:
            key(("doc", doc), i)
        if r.kind == "work_permits":
            pk = permit_key(r.text("series"), r.text("number"))
        elif r.kind == "permit_extensions":
            pk = permit_key(r.text("permit_series"), r.text("permit_number"))
        else:
            pk = None
        if pk is not None:
            key(("permit", f"{pk[0]}|{pk[1]}"), i)
        if r.kind in ("work_permits", "permit_extensions", "employment_notifications"):
            ck = contract_key(r.text("employer_inn"), r.text("contract_no"))
            if ck is not None:
                key(("contract", f"{ck[0]}|{ck[1]}"), i)
        born = r.day("birth_date")
        if born is not None:
            by_birth[born].append(i)
    for block in by_birth.values():
        _link_block(items, block, union)
    groups: dict[int, list[LabourRecord]] = defaultdict(list)
    for i, r in enumerate(items):
        groups[union.find(i)].append(r)
    return list(groups.values())


def _link_block(items: list[LabourRecord], block: list[int], union: _Union) -> None:
    """Join the groups of one birth date whose names agree: for each pair of groups,
    their Latin names first (then any), stopping at the first agreement."""
    groups: dict[int, list[int]] = defaultdict(list)
    for i in block:
        groups[union.find(i)].append(i)
    if len(groups) < 2:
        return
    spelled: list[tuple[int, set[str], set[str]]] = []
    for root, members in groups.items():
        latin = {
            _norm(n)
            for i in members
            for f in ("fio_lat", "name_lat")
            if (n := items[i].text(f)) is not None
        }
        cyrillic = {_norm(n) for i in members if (n := items[i].text("fio")) is not None}
        spelled.append((root, latin, cyrillic))
    for a in range(len(spelled)):
        for b in range(a + 1, len(spelled)):
            (ra, lat_a, cyr_a), (rb, lat_b, cyr_b) = spelled[a], spelled[b]
            if union.find(ra) == union.find(rb):
                continue
            # Latin (passport) spellings when both sides have one; else every spelling
            left, right = (lat_a, lat_b) if lat_a and lat_b else (lat_a | cyr_a, lat_b | cyr_b)
            if left & right or any(names_agree(x, y) for x in left for y in right):
                union.join(ra, rb)


def _norm(name: str) -> str:
    return " ".join(name.upper().split())
