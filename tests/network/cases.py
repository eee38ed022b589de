"""Reading the OFAC 50% cases file (../shared/data/registry/ofac_50_cases.json)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from hermit.network.holdings import Holding, parse_share
from tests.conftest import shared_data_dir

CASES = shared_data_dir() / "registry" / "ofac_50_cases.json"


def load() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(CASES.read_text(encoding="utf-8"))
    return data


def holding(row: dict[str, Any], index: int) -> Holding:
    low, high = parse_share(
        pct=row.get("pct"),
        band=row.get("range"),
        fraction=row.get("fraction"),
        nominal=row.get("nominal"),
        capital=row.get("capital"),
    )
    return Holding(
        owner=row["owner"],
        asset=row["asset"],
        low=low,
        high=high,
        start=date.fromisoformat(row["start"]) if row.get("start") else None,
        end=date.fromisoformat(row["end"]) if row.get("end") else None,
        source=f"{row.get('source', 'case')}#{index}",
    )
