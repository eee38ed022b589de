"""The OFAC 50% rule through the engine seam (hermit.network.ofac50_engine) on the dev
registry (every Ownership record with a share, between the ground-truth clusters, the
OFAC-listed clusters as roots, as of 2024-06-01): on DuckDB the in-process rule's
findings (ofac50@1: the same statuses and reasons, stakes to within 1e-9, added as
exact decimals), and on Spark in local mode DuckDB's findings exactly."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from hermit.engine import open_engine
from hermit.network.holdings import Holding
from hermit.network.ofac50 import BLOCKED, Result, blocked_status
from hermit.network.ofac50_engine import ALGORITHM, blocked_status_on
from tests.engine.conftest import needs_spark
from tests.network.test_dev_registry_ofac50 import REGISTRY, dev_case

pytestmark = pytest.mark.skipif(not REGISTRY.exists(), reason="no shared dev registry")
AS_OF = date(2024, 6, 1)
Case = tuple[set[str], list[Holding]]


@pytest.fixture(scope="module")
def case() -> Case:
    roots, holdings, _ = dev_case()
    return roots, holdings


@pytest.fixture(scope="module")
def duckdb_result(case: Case) -> Result:
    engine = open_engine("duckdb")
    try:
        return blocked_status_on(engine, *case, AS_OF)
    finally:
        engine.close()


def _reasons(result: Result, entity: str) -> list[tuple[str, str]]:
    return sorted((s.owner, s.source) for s in result.findings[entity].reasons)


def test_duckdb_gives_the_in_process_findings(case: Case, duckdb_result: Result) -> None:
    expected = blocked_status(*case, AS_OF)
    got = duckdb_result
    assert got.algorithm == ALGORITHM and got.listed == expected.listed
    assert got.findings.keys() == expected.findings.keys()
    assert sum(f.status == BLOCKED for f in got.findings.values()) == 82
    for entity, want in expected.findings.items():
        found = got.findings[entity]
        assert found.status == want.status, entity
        assert found.definite_pct == pytest.approx(want.definite_pct, abs=1e-9), entity
        assert found.possible_pct == pytest.approx(want.possible_pct, abs=1e-9), entity
        assert (found.over_full_pct is None) == (want.over_full_pct is None), entity
        assert _reasons(got, entity) == _reasons(expected, entity), entity


def test_a_chain_is_followed_round_by_round() -> None:
    """A listed owner's 60% blocks A, A's 50% in B blocks B, B's 30% plus a listed 20%
    in C block C; D is held 49.9% by C (not blocked) and E only by an unlisted F."""
    holdings = [
        Holding("L", "A", 60, 60, source="h1"),
        Holding("A", "B", 50, 50, source="h2"),
        Holding("B", "C", 30, 30, source="h3"),
        Holding("L2", "C", 20, 20, source="h4"),
        Holding("C", "D", 49.9, 49.9, source="h5"),
        Holding("F", "E", 100, 100, source="h6"),
        Holding("L", "D", 0, 10, source="h7"),
    ]
    engine = open_engine("duckdb")
    try:
        result = blocked_status_on(engine, {"L", "L2"}, holdings, AS_OF)
    finally:
        engine.close()
    status = {e: f.status for e, f in result.findings.items()}
    assert status == {
        "A": "blocked",
        "B": "blocked",
        "C": "blocked",
        "D": "possibly_blocked",
        "E": "not_blocked",
        "F": "not_blocked",
    }
    assert result.findings["C"].definite_pct == 50.0
    assert [s.owner for s in result.findings["C"].reasons] == ["B", "L2"]
    assert result.findings["D"].possible_pct == pytest.approx(59.9)


@needs_spark
def test_spark_gives_duckdbs_findings(
    case: Case, duckdb_result: Result, spark_session: Any
) -> None:
    engine = open_engine("spark", session=spark_session)
    got = blocked_status_on(engine, *case, AS_OF)
    assert got.findings == duckdb_result.findings
    assert got.listed == duckdb_result.listed
