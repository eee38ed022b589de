"""Screening quality on fixed data, held against the issue's targets.

The cases are those of the screening benchmark (bench/screening/cases.py): generated
from the real lists and the committed negatives file (no Faker, no anchors here), all
of them (about 7,700 positives, 10,000 ordinary and 322 hard negatives; about 35 s on
a 2-core machine, half of it building the cases and stores), screened by hermit end to
end against the same three stores (UN positives against the UN list, OFAC positives
against OFAC, negatives against both). A failing test shows all the figures (Quality).
Timings and the anchors (nomenklatura logic-v1, logic-v2) live in the bench:
bench/screening/run.py and its RESULTS.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.screening.case import GROUPS, HARD_NEGATIVE, NEGATIVE, POSITIVE, Case
from bench.screening.cases import build_cases, read_lists, subsample
from bench.screening.evaluate import (
    Candidates,
    HermitSystem,
    Outcome,
    build_stores,
    open_screeners,
    schemas,
)
from bench.screening.metrics import Quality, quality
from hermit.screening.engine import Screener
from hermit.store import Store

#: Cases per group (positive, ordinary negative, hard negative); None: every case. If
#: the run grows too slow, set a number: subsample() picks the same cases every time.
SAMPLE: int | None = None
#: The issue's targets. They are the goal, not the current state: do not lower them to
#: make the suite pass.
TARGET_RECALL = 0.99  # labelled entity alerted, all positives
TARGET_RECALL_PERTURBED_DOB = 0.98  # date of birth shifted by a day, a month or a year
TARGET_WRONG_ALERTS = 0.02  # alerts on other entities, per positive query
TARGET_FPR_ORDINARY = 0.001  # share of ordinary negatives with any alert
TARGET_FPR_HARD = 0.02  # share of DPRK hard negatives with any alert
#: Candidate recall: a floor just below the measured figure (0.9996, 3 misses in 7,712,
#: on 2026-11-23), so that a change to the index that loses true matches fails here.
CANDIDATE_RECALL_FLOOR = 0.999


@pytest.fixture(scope="module")
def run(
    shared_lists: Path, lists_store: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[list[Case], dict[str, Outcome]]:
    un, ofac = read_lists(shared_lists)
    cases = subsample(build_cases(un.entities, ofac.entities).cases, SAMPLE)
    stores = tmp_path_factory.mktemp("stores")
    paths = build_stores({"un": un, "ofac": ofac}, stores, ["un", "ofac"])
    screeners = open_screeners(paths)
    # the "both" store is the session's UN + OFAC store (the same two files): its
    # screener read from the index persisted with it instead of built a third time
    # here (read-only: a valid index is read, not written)
    with Store(lists_store, read_only=True) as store:
        screeners["both"] = Screener.from_persisted(store.con, lists_store)
    system = HermitSystem(Candidates(screeners, schemas(lists_store)), False)
    return cases, {case.id: system.run(case) for case in cases}


@pytest.fixture(scope="module")
def figures(run: tuple[list[Case], dict[str, Outcome]]) -> Quality:
    return quality(*run)


def test_the_sample_covers_every_group_and_kind(run: tuple[list[Case], dict[str, Outcome]]) -> None:
    cases, _ = run
    assert {c.group for c in cases} == set(GROUPS)
    positives = [c for c in cases if c.group == POSITIVE]
    assert {c.slice("dataset") for c in positives} == {"un", "ofac"}
    assert {c.slice("schema") for c in positives} == {"Person", "Organization", "Vessel"}
    kinds = {c.slice("name") for c in positives}
    assert {"typo", "swap", "initials", "translit", "legal-form", "renamed"} <= kinds
    assert sum(c.group == HARD_NEGATIVE for c in cases) >= 300
    assert sum(c.group == NEGATIVE for c in cases) >= min(SAMPLE or 9_000, 9_000)


def test_labels_are_in_the_store_screened(run: tuple[list[Case], dict[str, Outcome]]) -> None:
    cases, _ = run
    prefix = {"un": "unsc-", "ofac": "ofac-"}
    for case in cases:
        if case.group == POSITIVE:
            assert case.expected is not None and case.expected.startswith(prefix[case.store])
        else:
            assert case.expected is None and case.store == "both"


def test_recall_at_threshold(figures: Quality) -> None:
    assert figures.recall >= TARGET_RECALL


def test_recall_with_perturbed_date_of_birth(figures: Quality) -> None:
    assert figures.recall_perturbed_dob >= TARGET_RECALL_PERTURBED_DOB


def test_wrong_alerts_per_positive(figures: Quality) -> None:
    assert figures.wrong_per_positive <= TARGET_WRONG_ALERTS


def test_false_positive_rate_ordinary(figures: Quality) -> None:
    assert figures.fpr <= TARGET_FPR_ORDINARY


def test_false_positive_rate_dprk_hard_negatives(figures: Quality) -> None:
    assert figures.fpr_hard <= TARGET_FPR_HARD


def test_candidate_recall(figures: Quality) -> None:
    assert figures.candidate_recall >= CANDIDATE_RECALL_FLOOR
