"""Resolution measured against labelled clusters: pairwise precision, recall and F1
(over all pairs of records in one cluster), the same for the pairs whose names are
written in two different scripts, and cluster-level figures (clusters found exactly)."""

from __future__ import annotations

import csv
import gzip
import hashlib
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import orjson

from hermit.errors import SourceError


@dataclass(frozen=True, slots=True)
class Scores:
    true_pairs: int
    found_pairs: int
    correct_pairs: int

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.found_pairs if self.found_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = asdict(self)
        out.update(precision=self.precision, recall=self.recall, f1=self.f1)
        return out


@dataclass(frozen=True, slots=True)
class Evaluation:
    pairs: Scores
    cross_script: Scores
    by_kind: dict[str, Scores]
    true_clusters: int  # of two records or more
    found_clusters: int  # of two records or more
    exact_clusters: int  # true clusters of two or more found exactly

    def as_dict(self) -> dict[str, Any]:
        return {
            "pairs": self.pairs.as_dict(),
            "cross_script": self.cross_script.as_dict(),
            "by_kind": {k: v.as_dict() for k, v in self.by_kind.items()},
            "true_clusters": self.true_clusters,
            "found_clusters": self.found_clusters,
            "exact_clusters": self.exact_clusters,
            "cluster_recall": self.exact_clusters / self.true_clusters if self.true_clusters else 1,
            "cluster_precision": (
                self.exact_clusters / self.found_clusters if self.found_clusters else 1
            ),
        }


def read_truth(path: Path) -> dict[str, str]:
    """record_id -> cluster_id of a labels file (columns record_id, cluster_id)."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            if not {"record_id", "cluster_id"} <= set(reader.fieldnames or ()):
                raise SourceError(path, "needs the columns record_id and cluster_id")
            return {row["record_id"]: row["cluster_id"] for row in reader}
    except FileNotFoundError:
        raise SourceError(path, "no such file") from None


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _cross(counts: Counter[str]) -> int:
    """Pairs of a group whose two records are in different scripts."""
    total = sum(counts.values())
    return (total * total - sum(c * c for c in counts.values())) // 2


def evaluate(
    found: dict[str, str],
    truth: dict[str, str],
    scripts: dict[str, str],
    kinds: dict[str, str] | None = None,
) -> Evaluation:
    """``found`` and ``truth``: record id -> cluster id (only records in both count);
    ``scripts``: record id -> the script its name is written in."""
    ids = sorted(set(found) & set(truth))
    cells: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    by_found: dict[str, Counter[str]] = defaultdict(Counter)
    by_truth: dict[str, Counter[str]] = defaultdict(Counter)
    members_found: dict[str, list[str]] = defaultdict(list)
    members_truth: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        s = scripts.get(i, "")
        cells[(found[i], truth[i])][s] += 1
        by_found[found[i]][s] += 1
        by_truth[truth[i]][s] += 1
        members_found[found[i]].append(i)
        members_truth[truth[i]].append(i)

    def scores(select: set[str] | None) -> Scores:
        def size(c: Counter[str]) -> int:
            return _pairs(sum(c.values()))

        if select is not None:
            keep = [i for i in ids if (kinds or {}).get(i) in select]
            sub = evaluate({i: found[i] for i in keep}, {i: truth[i] for i in keep}, scripts)
            return sub.pairs
        return Scores(
            sum(size(c) for c in by_truth.values()),
            sum(size(c) for c in by_found.values()),
            sum(size(c) for c in cells.values()),
        )

    cross = Scores(
        sum(_cross(c) for c in by_truth.values()),
        sum(_cross(c) for c in by_found.values()),
        sum(_cross(c) for c in cells.values()),
    )
    truth_sets = {frozenset(m) for m in members_truth.values() if len(m) > 1}
    found_sets = {frozenset(m) for m in members_found.values() if len(m) > 1}
    by_kind = {k: scores({k}) for k in sorted(set((kinds or {}).values()))} if kinds else {}
    return Evaluation(
        pairs=scores(None),
        cross_script=cross,
        by_kind=by_kind,
        true_clusters=len(truth_sets),
        found_clusters=len(found_sets),
        exact_clusters=len(truth_sets & found_sets),
    )


def components(ids: list[str], pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Connected components of ``pairs`` over ``ids``: record id -> the smallest id of
    its component (for figures at other thresholds than a run's)."""
    parent = {i: i for i in ids}

    def root(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {i: root(i) for i in ids}


def _picked(cluster: str, every: int) -> bool:
    return int(hashlib.sha256(cluster.encode()).hexdigest(), 16) % every == 0


def labelled_sample(registry: Path, every: int) -> tuple[list[dict[str, Any]], set[str]]:
    """A slice of a labelled registry folder (``entities.ftm.jsonl.gz`` and
    ``labels/truth_clusters.csv``, as the dev registry's): the FtM objects, in the
    file's order, of one organization cluster in ``every`` (picked by a hash of the
    cluster id), of the people attached to them (directors, owners) and of the
    relations among these; and the record ids of those organizations and people."""
    labels = registry / "labels" / "truth_clusters.csv"
    truth = read_truth(labels)
    with labels.open(encoding="utf-8", newline="") as fh:
        people = {r["record_id"] for r in csv.DictReader(fh) if r["entity_type"] == "Person"}
    kept = {r for r, c in truth.items() if r not in people and _picked(c, every)}
    with gzip.open(registry / "entities.ftm.jsonl.gz") as fh:
        entities = [orjson.loads(raw) for raw in fh]
    for obj in entities:
        props = obj["properties"]
        for one, other in (("owner", "asset"), ("director", "organization")):
            if any(x in kept for x in props.get(other, [])):
                kept.update(x for x in props.get(one, []) if x in people)
    ends = ("owner", "asset", "director", "organization")
    out = []
    for obj in entities:
        linked = [v for k in ends for v in obj["properties"].get(k, [])]
        if obj["id"] in kept or (linked and all(e in kept for e in linked)):
            out.append(obj)
    return out, kept
