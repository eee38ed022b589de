"""The rule on the dev registry: every Ownership record of entities.ftm.jsonl.gz, record
ids replaced by the ground-truth clusters (labels/truth_clusters.csv, i.e. a perfect
resolution), the OFAC-listed clusters of labels/listed_entities.csv as roots, as of the
extract date: the status and both stakes of every company cluster of
labels/truth_ownership_50.csv."""

from __future__ import annotations

import csv
import gzip
from datetime import date

import orjson
import pytest

from hermit.network.holdings import Holding, ShareError, parse_share
from hermit.network.ofac50 import blocked_status
from tests.conftest import shared_data_dir

REGISTRY = shared_data_dir() / "registry"


def _csv(name: str) -> list[dict[str, str]]:
    with (REGISTRY / "labels" / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _day(props: dict[str, list[str]], name: str) -> date | None:
    return date.fromisoformat(props[name][0][:10]) if name in props else None


def dev_case() -> tuple[set[str], list[Holding], int]:
    """The roots, every Ownership record with a share as a holding between clusters, and
    the number of records without one."""
    cluster = {r["record_id"]: r["cluster_id"] for r in _csv("truth_clusters.csv")}
    truth = {r["cluster_id"]: r for r in _csv("truth_ownership_50.csv")}
    roots = {c for c, r in truth.items() if r["status"] == "listed"} | {
        r["cluster_id"]
        for r in _csv("listed_entities.csv")
        if "1" in (r["in_ofac_2021"], r["in_ofac_2024"])
    }
    holdings, no_share = [], 0
    with gzip.open(REGISTRY / "entities.ftm.jsonl.gz") as fh:
        for line in fh:
            entity = orjson.loads(line)
            if entity["schema"] != "Ownership":
                continue
            props = entity["properties"]
            try:
                low, high = parse_share(pct=(props.get("percentage") or [None])[0])
            except ShareError:
                no_share += 1  # nominal value only, no capital on the record
                continue
            owner, asset = props["owner"][0], props["asset"][0]
            holdings.append(
                Holding(
                    cluster.get(owner, owner),
                    cluster.get(asset, asset),
                    low,
                    high,
                    start=_day(props, "startDate"),
                    end=_day(props, "endDate"),
                    source=entity["id"],
                )
            )
    return roots, holdings, no_share


@pytest.mark.skipif(not REGISTRY.exists(), reason="no shared dev registry")
def test_dev_registry_statuses_and_stakes() -> None:
    truth = {r["cluster_id"]: r for r in _csv("truth_ownership_50.csv")}
    roots, holdings, no_share = dev_case()
    assert len(holdings) > 30_000 and no_share < 1_500
    result = blocked_status(roots, holdings, date(2024, 6, 1))
    wrong = []
    for cluster_id, row in truth.items():
        if row["status"] == "listed":
            continue
        finding = result.findings.get(cluster_id)
        got = finding.status if finding else "not_blocked"
        definite = finding.definite_pct if finding else 0.0
        possible = finding.possible_pct if finding else 0.0
        if (
            got != row["status"]
            or abs(definite - float(row["stake_definite"])) > 0.01
            or abs(possible - float(row["stake_possible"])) > 0.01
        ):
            wrong.append((cluster_id, row["status"], got, row["stake_definite"], definite))
    assert sum(1 for r in truth.values() if r["status"] == "blocked") == 82
    assert wrong == []
