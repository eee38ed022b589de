"""The revenue model: worker-months count a permit in each month whose 15th it is
valid on, and the bounds multiply low by low and high by high (revenue.yaml)."""

from __future__ import annotations

import datetime as dt

from hermit.compliance.records import LabourRecord
from hermit.compliance.revenue import load_model, state_take_usd, worker_months


def _permit(rid: str) -> LabourRecord:
    return LabourRecord("work_permits", "work_permits.csv", 2, rid, {})


def test_a_permit_counts_in_each_month_whose_15th_it_covers() -> None:
    spans = [
        (_permit("a"), dt.date(2018, 1, 15), dt.date(2018, 3, 14)),  # Jan, Feb
        (_permit("b"), dt.date(2018, 1, 16), dt.date(2018, 2, 15)),  # Feb
        (_permit("c"), dt.date(2018, 12, 1), dt.date(2019, 1, 20)),  # Dec, Jan
    ]
    assert worker_months(spans, 15) == {"2018-01": 1, "2018-02": 2, "2018-12": 1, "2019-01": 1}


def test_bounds_pair_low_with_low_and_high_with_high() -> None:
    model = load_model()
    assert model.algorithm == "hermit-revenue@1"
    assert [model.take[b].value for b in ("low", "central", "high")] == [0.3, 0.6, 0.9]
    usd = state_take_usd(10, model)
    assert usd == {"low": 10 * 500 * 0.3, "central": 10 * 750 * 0.6, "high": 10 * 1000 * 0.9}
    assert all(p.source for p in [*model.wage.values(), *model.take.values()])
