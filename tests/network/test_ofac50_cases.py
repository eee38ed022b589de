"""Every case of ofac_50_cases.json: the expected blocked, possibly blocked and not
blocked sets, the stake held by blocked parties in both readings, and the explanation
(the owners and stakes that reach 50% add up to the stake reported)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from hermit.network.holdings import CONTROL, Holding
from hermit.network.ofac50 import (
    ALGORITHM,
    BLOCKED,
    NOT_BLOCKED,
    POSSIBLY_BLOCKED,
    blocked_status,
)
from tests.network.cases import holding, load

DATA = load()
AS_OF = date.fromisoformat(DATA["as_of"])


def _run(case: dict[str, Any]) -> Any:
    rows = [holding(row, i) for i, row in enumerate(case["holdings"])]
    return blocked_status(case["listed"], rows, AS_OF)


def test_all_cases_present() -> None:
    assert len(DATA["cases"]) == 30
    assert ALGORITHM == "ofac50@1"


@pytest.mark.parametrize("case", DATA["cases"], ids=[c["id"] for c in DATA["cases"]])
def test_case(case: dict[str, Any]) -> None:
    result = _run(case)
    expected = case["expected"]
    assert result.with_status(BLOCKED) == sorted(expected["blocked"])
    assert result.with_status(POSSIBLY_BLOCKED) == sorted(expected["possibly_blocked"])
    for entity in expected["not_blocked"]:
        assert result.findings[entity].status == NOT_BLOCKED, entity
    for entity, stake in case["stake_held_by_blocked_parties"].items():
        finding = result.findings[entity]
        assert finding.definite_pct == pytest.approx(stake["definite"], abs=1e-3), entity
        assert finding.possible_pct == pytest.approx(stake["possible"], abs=1e-3), entity
    for finding in result.findings.values():
        if finding.status == NOT_BLOCKED:
            assert finding.reasons == []
            continue
        total = finding.definite_pct if finding.status == BLOCKED else finding.possible_pct
        assert total >= 50 - 1e-6
        assert sum(s.pct for s in finding.reasons) == pytest.approx(total)
        owners = {s.owner for s in finding.reasons}
        # every owner named in a reason is listed or itself (possibly) blocked
        for owner in owners:
            assert owner in result.listed or result.findings[owner].status in (
                BLOCKED,
                POSSIBLY_BLOCKED,
            )
        for owner in owners:
            assert owner in finding.explain()


def test_explanations_name_owners() -> None:
    by_id = {c["id"]: c for c in DATA["cases"]}
    result = _run(by_id["faq401_ex3"])
    assert result.findings["B"].explain() == "B: blocked: A 40% + X 10% = 50%"
    result = _run(by_id["band_25_50"])
    assert result.findings["R"].explain() == "R: possibly blocked: O 100% = 100%"
    result = _run(by_id["total_over_100_raw_blocks"])
    assert result.findings["A"].over_full_pct == pytest.approx(120)
    assert result.findings["P"].over_full_pct is None


def test_listed_director_does_not_block() -> None:
    """FAQ 398: Z, listed, is the general director of A: a control edge, not a stake."""
    case = next(c for c in DATA["cases"] if c["id"] == "faq398_control_not_ownership")
    rows = [holding(row, i) for i, row in enumerate(case["holdings"])]
    rows.append(Holding("Z", "A", 100, 100, kind=CONTROL, source="director"))
    result = blocked_status(case["listed"], rows, AS_OF)
    assert result.findings["A"].status == NOT_BLOCKED
    assert result.findings["A"].definite_pct == pytest.approx(20)


def test_as_of_before_exit_blocks() -> None:
    """blocked_owner_exited: before the 2019 transfer X's 70% blocked A."""
    case = next(c for c in DATA["cases"] if c["id"] == "blocked_owner_exited")
    rows = [holding(row, i) for i, row in enumerate(case["holdings"])]
    assert blocked_status(case["listed"], rows, date(2019, 2, 28)).findings["A"].status == BLOCKED
    assert (
        blocked_status(case["listed"], rows, date(2019, 3, 1)).findings["A"].status == NOT_BLOCKED
    )
