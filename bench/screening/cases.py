"""The labelled cases of the screening benchmark, generated from the real lists at run
time (nothing of the lists is kept in the repository).

- positives (positives.py): every UN person and organization, and OFAC's DPRK people,
  organizations and vessels, one case per kind of name damage that applies, with
  date-of-birth damage, nationality, passport, country, IMO drawn per case;
- ordinary negatives (negatives.tsv, made once with Faker by make_negatives.py);
- hard negatives: recombined DPRK-style names and relatives of listed leaders.

Every random choice is seeded (by the entity id or the row), so the same lists give the
same cases. Faker is not imported here: CI builds the same cases from the committed
negatives.tsv.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.screening.case import GROUPS, Case
from bench.screening.lookup import ListedNames
from bench.screening.negatives import (
    NEGATIVES_TSV,
    NegativeNotes,
    ordinary_negatives,
    recombined_negatives,
    relative_negatives,
)
from bench.screening.positives import positive_cases
from hermit.model import Entity
from hermit.sources.detect import read_list_files
from hermit.sources.snapshot import ListSnapshot

UN_FILE = "un_consolidated.xml"
OFAC_FILE = "ofac_sdn.csv"  # alt, add and comments are found beside it


@dataclass(slots=True)
class CaseSet:
    cases: list[Case]
    notes: NegativeNotes

    def counts(self) -> Counter[str]:
        return Counter(c.group for c in self.cases)


def read_lists(lists: Path) -> tuple[ListSnapshot, ListSnapshot]:
    """The UN and OFAC snapshots (parsed once; the stores and the cases share them)."""
    (un,) = read_list_files([lists / UN_FILE])
    (ofac,) = read_list_files([lists / OFAC_FILE])
    return un, ofac


def build_cases(un: list[Entity], ofac: list[Entity], negatives: Path = NEGATIVES_TSV) -> CaseSet:
    names = ListedNames([*un, *ofac])
    notes = NegativeNotes()
    cases = positive_cases(un, ofac, names)
    cases += ordinary_negatives(names, notes, negatives)
    cases += recombined_negatives(names)
    cases += relative_negatives(names, notes)
    ids = [c.id for c in cases]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    return CaseSet(cases, notes)


def _rank(case: Case) -> str:
    return hashlib.sha1(case.id.encode()).hexdigest()


def subsample(cases: list[Case], per_group: int | None) -> list[Case]:
    """At most ``per_group`` cases of each group, chosen by a hash of their ids (the
    same cases every time, spread over every slice), in their original order."""
    if per_group is None:
        return cases
    keep: set[str] = set()
    for group in GROUPS:
        members = sorted((c for c in cases if c.group == group), key=_rank)
        keep.update(c.id for c in members[:per_group])
    return [c for c in cases if c.id in keep]
