"""Exposure on the dev registry (issue 13 §3): the graph of entities.ftm.jsonl.gz under the
ground-truth resolution, the listed parties of labels/listed_entities.csv as roots, as of
2024-06-01; ROC-AUC of the planted fronts against all other company clusters and against
the hard negatives, per typology the fronts with a path, and the times.

    .venv/bin/python bench/network_exposure_bench.py
"""

from __future__ import annotations

import csv
import os
import time
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from hermit.network.evaluate import roc_auc
from hermit.network.exposure import Network
from hermit.network.graph import Record, build, file_records

REGISTRY = (
    Path(os.environ.get("HERMIT_SHARED_DATA", Path(__file__).parents[2] / "shared" / "data"))
    / "registry"
)


def _csv(name: str) -> list[dict[str, str]]:
    with (REGISTRY / "labels" / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _records() -> Iterator[Record]:
    return file_records(REGISTRY / "entities.ftm.jsonl.gz")


def main() -> None:
    clusters = {r["record_id"]: r["cluster_id"] for r in _csv("truth_clusters.csv")}
    started = time.perf_counter()
    graph = build(_records(), clusters)
    built = time.perf_counter() - started
    listed = sorted({r["cluster_id"] for r in _csv("listed_entities.csv")})
    started = time.perf_counter()
    network = Network(graph, date(2024, 6, 1))
    scores = network.scores(listed)
    scored = time.perf_counter() - started
    front: dict[str, bool] = {}
    hard: dict[str, str] = {}
    typologies: dict[str, set[str]] = defaultdict(set)
    for row in _csv("truth_companies.csv"):
        cluster = row["cluster_id"]
        if row["listed_ids"] or cluster in listed:
            continue
        front[cluster] = front.get(cluster, False) or row["is_front"] == "1"
        if row["hard_negative"]:
            hard[cluster] = row["hard_negative"]
        for t in filter(None, row["typologies"].split(";")):
            typologies[t].add(cluster)
    pos = [scores.get(c, 0.0) for c, f in front.items() if f]
    neg = [scores.get(c, 0.0) for c, f in front.items() if not f]
    hard_neg = [scores.get(c, 0.0) for c in hard if not front[c]]
    print(
        f"graph: {len(graph.nodes)} nodes, {len(graph.edges)} edges {graph.counts()}, "
        f"{len(graph.suppressed)} generic values set aside; build {built:.1f} s"
    )
    print(f"scores of all nodes from {len(listed)} listed parties: {scored:.2f} s")
    print(f"fronts {len(pos)}, other companies {len(neg)}, hard negatives {len(hard_neg)}")
    print(f"ROC-AUC fronts vs all others: {roc_auc(pos, neg):.4f}")
    print(f"ROC-AUC fronts vs hard negatives: {roc_auc(pos, hard_neg):.4f}")
    by_kind: dict[str, list[float]] = defaultdict(list)
    for c, kind in hard.items():
        if not front[c]:
            by_kind[kind].append(scores.get(c, 0.0))
    for kind, values in sorted(by_kind.items()):
        print(
            f"  hard negative {kind}: {len(values)}, with a path {sum(v > 0 for v in values)}, "
            f"mean score {sum(values) / len(values):.3f}"
        )
    for t, members in sorted(typologies.items()):
        fronts = [c for c in members if front.get(c)]
        mean = sum(scores.get(c, 0.0) for c in fronts) / max(1, len(fronts))
        reached = sum(scores.get(c, 0) > 0 for c in fronts)
        print(f"  {t}: {len(fronts)} fronts, with a path {reached}, mean score {mean:.3f}")
    started = time.perf_counter()
    sample = sorted(c for c, f in front.items() if f)
    for c in sample:
        network.exposure(c, listed)
    each = (time.perf_counter() - started) / len(sample)
    print(f"one entity's ranked paths (exposure): {each * 1000:.1f} ms each over {len(sample)}")


if __name__ == "__main__":
    main()
