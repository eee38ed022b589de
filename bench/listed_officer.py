"""listed_officer (hermit.network.listed_officers) on the dev registry against its T8
label: the graph of entities.ftm.jsonl.gz under the ground-truth resolution, every
officer screened against the real UN consolidated list and OFAC SDN set of a list store
(built at --lists-store with its screening index when missing, as ``hermit lists load``
leaves it). Prints the planted (T8), flagged, recall, precision against the label and
against the planted networks (is_front), hard negatives flagged, each finding outside
the label and each miss, and the CPU time of the screening.

    PYTHONPATH=. .venv/bin/python bench/listed_officer.py [--lists-store /tmp/lists.duckdb]
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import time
from pathlib import Path

from hermit.network.graph import build, file_records
from hermit.network.listed_officers import LISTED_OFFICER, listed_officers

DATA = Path(os.environ.get("HERMIT_SHARED_DATA", Path(__file__).parents[2] / "shared" / "data"))
REGISTRY = DATA / "registry"


def _csv(name: str) -> list[dict[str, str]]:
    with (REGISTRY / "labels" / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _lists_store(path: Path) -> Path:
    if path.exists():
        return path
    from hermit.screening.engine import list_versions
    from hermit.screening.persisted import ensure_index
    from hermit.sources.detect import read_list_files
    from hermit.store import Store

    lists = DATA / "lists"
    with Store(path) as store:
        for snap in read_list_files([lists / "un_consolidated.xml", lists / "ofac_sdn.csv"]):
            store.load(snap)
        ensure_index(store.con, path, list_versions(store.con))
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lists-store", type=Path, default=Path("/tmp/hermit-bench-lists.duckdb"))
    args = parser.parse_args()
    from hermit.screening.store_screener import StoreScreener

    screener = StoreScreener(_lists_store(args.lists_store)).build()
    clusters = {r["record_id"]: r["cluster_id"] for r in _csv("truth_clusters.csv")}
    records = list(file_records(REGISTRY / "entities.ftm.jsonl.gz"))
    graph = build(records, clusters)
    companies = _csv("truth_companies.csv")
    planted = {r["cluster_id"] for r in companies if "T8" in r["typologies"].split(";")}
    front = {r["cluster_id"] for r in companies if r["is_front"] == "1"}
    hard = {r["cluster_id"]: r["hard_negative"] for r in companies if r["hard_negative"]}
    started = time.process_time()
    findings = listed_officers(records, graph, screener)
    cpu = time.process_time() - started
    print(f"{LISTED_OFFICER}: screening and findings {cpu:.1f} CPU s")
    print("| detector | planted | flagged | recall | precision vs label | vs is_front | hard |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    # listed_officer@1's findings are @2's of officers with a birth date (the same code)
    dated = {f.entity for f in findings if "no birth date" not in f.summary}
    for name, flagged in (
        ("listed_officer@1", dated),
        (LISTED_OFFICER, {f.entity for f in findings}),
    ):
        hit = flagged & planted
        print(
            f"| {name} | {len(planted)} | {len(flagged)} | {len(hit) / len(planted):.2f} "
            f"| {len(hit) / max(len(flagged), 1):.2f} | "
            f"{len(flagged & front) / max(len(flagged), 1):.2f} | {len(flagged & hard.keys())} |"
        )
    flagged = {f.entity for f in findings}
    for f in findings:
        if f.entity not in planted:
            print(f"  outside T8 {f.entity} ({hard.get(f.entity, '')}): {f.summary}")
    for entity in sorted(planted - flagged):
        print(f"  MISSED {entity}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:,.0f} MB")


if __name__ == "__main__":
    main()
