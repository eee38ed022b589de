"""Every red-flag detector on the dev registry against its labels, with the graph keyed by
graph@2's building key and by graph@1's (postcode and house number) side by side: the
graph of entities.ftm.jsonl.gz under the ground-truth resolution, the labelled listed
clusters as roots, as of 2024-06-01 (the graph of tests/network/test_dev_registry_exposure.py).

Per detector: the planted companies (its typology's label), the flagged ones, recall,
precision against the label and against the planted networks (is_front), the hard
negatives flagged; then the flagged companies outside the label, with their role.

    PYTHONPATH=. .venv/bin/python bench/front_detectors.py [--key graph@1|graph@2|both]

listed_officer, which screens officers against the lists, is measured by
bench/listed_officer.py.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from hermit.network import fronts
from hermit.network.exposure import Network
from hermit.network.flags import DPRK_MISSION_ADDRESS, DPRK_NAME, dprk_mission_address, dprk_name
from hermit.network.graph import Record, build, file_records
from hermit.network.shared import KEYS, postcode_house_key

REGISTRY = (
    Path(os.environ.get("HERMIT_SHARED_DATA", Path(__file__).parents[2] / "shared" / "data"))
    / "registry"
)
GRAPH_KEYS: dict[str, dict[str, Callable[[str], str | None]]] = {
    "graph@1": {**KEYS, "address": postcode_house_key},
    "graph@2": dict(KEYS),
}


def _csv(name: str) -> list[dict[str, str]]:
    with (REGISTRY / "labels" / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


Row = dict[str, str]


def _t(typology: str, *roles: str) -> Callable[[Row], bool]:
    def pred(r: Row) -> bool:
        return typology in r["typologies"].split(";") and (not roles or r["role"] in roles)

    return pred


#: detector -> its planted companies (the typology's label); the same as the floor test
PLANTED: dict[str, Callable[[Row], bool]] = {
    DPRK_NAME: _t("T5"),
    DPRK_MISSION_ADDRESS: _t("T4"),
    fronts.SUCCESSOR: _t("T1", "successor", "renamed"),
    fronts.PROXY_OWNER: _t("T2"),
    fronts.JOINT_VENTURE: lambda r: _t("T9")(r) and not r["hard_negative"],
    fronts.ALL_DPRK_OFFICERS: _t("T6", "all_dprk_officers"),
    fronts.LOCATION_MISMATCH: _t("T6", "location_mismatch"),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--key", choices=[*GRAPH_KEYS, "both"], default="both")
    args = parser.parse_args()
    clusters = {r["record_id"]: r["cluster_id"] for r in _csv("truth_clusters.csv")}
    listed = sorted({r["cluster_id"] for r in _csv("listed_entities.csv")})
    companies = _csv("truth_companies.csv")
    roles: dict[str, set[str]] = {}
    for r in companies:
        roles.setdefault(r["cluster_id"], set()).add(
            f"{r['typologies'] or '-'}/{r['role'] or '-'}/{r['hard_negative'] or '-'}"
        )
    front = {r["cluster_id"] for r in companies if r["is_front"] == "1"}
    hard = {r["cluster_id"] for r in companies if r["hard_negative"]}
    records: list[Record] = list(file_records(REGISTRY / "entities.ftm.jsonl.gz"))
    for name in GRAPH_KEYS if args.key == "both" else [args.key]:
        started = time.process_time()
        graph = build(records, clusters, GRAPH_KEYS[name])
        network = Network(graph, date(2024, 6, 1))
        built = time.process_time() - started
        started = time.process_time()
        findings = dprk_name(records, network, listed)
        findings += dprk_mission_address(records, network)
        findings += fronts.detect(records, network, listed)
        detected = time.process_time() - started
        shared = sum(1 for e in graph.edges if e.kind == "shared_address")
        print(
            f"== {name}: {len(graph.nodes):,} nodes, {shared:,} shared-address edges, "
            f"{len(graph.suppressed)} generic values set aside; build {built:.1f} CPU s, "
            f"detectors {detected:.1f} CPU s"
        )
        print("| detector | planted | flagged | recall | precision vs label | vs is_front | hard |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        outside: list[str] = []
        for detector, pred in PLANTED.items():
            planted = {r["cluster_id"] for r in companies if pred(r)}
            flagged = {f.entity for f in findings if f.detector == detector}
            hit = flagged & planted
            print(
                f"| {detector} | {len(planted)} | {len(flagged)} | "
                f"{len(hit) / len(planted):.2f} | {len(hit) / max(len(flagged), 1):.2f} | "
                f"{len(flagged & front) / max(len(flagged), 1):.2f} | {len(flagged & hard)} |"
            )
            for entity in sorted(flagged - planted):
                outside.append(f"  {detector} {entity}: {sorted(roles.get(entity, {'?'}))}")
            for entity in sorted(planted - flagged):
                outside.append(f"  {detector} MISSED {entity}: {sorted(roles[entity])}")
        print("flagged outside the label, and missed:")
        print("\n".join(outside))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:,.0f} MB")


if __name__ == "__main__":
    main()
