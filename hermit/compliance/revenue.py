"""The revenue range of DPRK labour: worker-months (permits valid on a day of each
month) times gross pay per worker-month times the share the DPRK state takes, low,
central and high, with the parameters and their sources in resources/compliance/
revenue.yaml (hermit-revenue@1)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from hermit.compliance.records import LabourRecord

BOUNDS = ("low", "central", "high")
FILE = "compliance/revenue.yaml"  # under hermit/resources


@dataclass(frozen=True, slots=True)
class Parameter:
    key: str  # where it is in revenue.yaml (wage_usd_month.low.value)
    value: float
    unit: str
    source: str


@dataclass(frozen=True, slots=True)
class RevenueModel:
    algorithm: str
    day_of_month: int
    years: tuple[int, int]
    years_source: str
    wage: dict[str, Parameter]
    take: dict[str, Parameter]
    published: tuple[dict[str, Any], ...]


def load_model() -> RevenueModel:
    raw = yaml.safe_load((resources.files("hermit") / "resources" / FILE).read_text("utf-8"))

    def table(name: str) -> dict[str, Parameter]:
        return {
            b: Parameter(
                f"{name}.{b}.value",
                float(raw[name][b]["value"]),
                str(raw[name][b]["unit"]),
                str(raw[name][b]["source"]),
            )
            for b in BOUNDS
        }

    return RevenueModel(
        str(raw["algorithm"]),
        int(raw["worker_months"]["day_of_month"]),
        (int(raw["years"]["from"]), int(raw["years"]["to"])),
        str(raw["years"]["source"]),
        table("wage_usd_month"),
        table("state_take"),
        tuple(raw.get("published") or ()),
    )


def worker_months(
    spans: list[tuple[LabourRecord, dt.date, dt.date]], day_of_month: int
) -> Counter[str]:
    """Per month (YYYY-MM): the permits valid on its ``day_of_month``."""
    found: Counter[str] = Counter()
    for _, start, end in spans:
        year, month = start.year, start.month
        while True:
            day = dt.date(year, month, day_of_month)
            if day > end:
                break
            if day >= start:
                found[f"{year:04d}-{month:02d}"] += 1
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def state_take_usd(months: int, model: RevenueModel) -> dict[str, float]:
    """US$ taken by the DPRK state over ``months`` worker-months, per bound."""
    return {b: months * model.wage[b].value * model.take[b].value for b in BOUNDS}
