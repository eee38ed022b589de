"""The true Person pairs a full hermit resolution of the dev registry misses (pairwise
false negatives), by category: never in one block of the person model's rules (no
shared key, blocks bounded as the run bounds them), blocked but scored below the keep
probability, kept as "possibly the same" (below the link probability), or refused by
negative evidence; then the missed pairs that share a block, by what their columns say
(name key, date of birth, company, region, identifiers), with the share of true pairs
among all blocked pairs of that pattern.

    .venv/bin/python bench/resolve_person_misses.py [--registry ../shared/data/registry]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.machine import machine  # noqa: E402
from hermit.registry.read import read_registry_file  # noqa: E402
from hermit.registry.store import RegistryStore  # noqa: E402
from hermit.resolve import blocks  # noqa: E402
from hermit.resolve.cluster import REFUSED  # noqa: E402
from hermit.resolve.config import resolve_config  # noqa: E402
from hermit.resolve.evaluate import read_truth  # noqa: E402
from hermit.resolve.features import bound_blocks  # noqa: E402
from hermit.resolve.records import PERSON, read_records  # noqa: E402
from hermit.resolve.run import BOUNDED, resolve  # noqa: E402


def _both(a: Any, b: Any) -> bool:
    return bool(set(a or ()) & set(b or ()))


def _pattern(a: dict[str, Any], b: dict[str, Any]) -> str:
    name = "same name key" if _both(a["name_keys"], b["name_keys"]) else "other name"
    if a["date"] and b["date"]:
        date = "same born" if a["date"] == b["date"] else "other born"
    else:
        date = "born unknown"
    if _both(a["related_entities"], b["related_entities"]):
        company = "same company"
    elif a["related_entities"] and b["related_entities"]:
        company = "other companies"
    else:
        company = "no company"
    if _both(a["related_districts"], b["related_districts"]):
        region = "same district"
    elif _both(a["related_regions"], b["related_regions"]):
        region = "same region"
    elif a["related_regions"] and b["related_regions"]:
        region = "other regions"
    else:
        region = "region unknown"
    return ", ".join((name, date, company, region))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--registry", type=Path, default=REPO.parent / "shared/data/registry")
    args = parser.parse_args()
    print(machine())
    source = args.registry / "entities.ftm.jsonl.gz"
    with tempfile.TemporaryDirectory() as tmp, RegistryStore(Path(tmp) / "r.duckdb") as store:
        store.load([str(source)], read_registry_file(source))
        records = read_records(store)
    found = resolve(records)
    truth = read_truth(args.registry / "labels" / "truth_clusters.csv")
    rows = {str(r["unique_id"]): dict(r) for r in found.rows if r["kind"] == PERSON}
    bound_blocks(list(rows.values()), BOUNDED, resolve_config().max_block_records)
    rules = blocks.rules(found.models[PERSON])
    keys = {rid: blocks.row_keys(r, rules) for rid, r in rows.items()}
    links = {(k.left, k.right): k for k in found.links if k.kind == PERSON}
    by_truth: dict[str, list[str]] = defaultdict(list)
    for rid in rows:
        if rid in truth:
            by_truth[truth[rid]].append(rid)
    categories: Counter[str] = Counter()
    found_pairs = 0
    for members in by_truth.values():
        for a, b in itertools.combinations(sorted(members), 2):
            if found.clusters[a] == found.clusters[b]:
                found_pairs += 1
                continue
            link = links.get((a, b))
            if link is not None and any(r.comparison == REFUSED for r in link.reasons):
                categories["refused by negative evidence"] += 1
            elif link is not None:
                categories["kept as possibly the same (below the link probability)"] += 1
            elif keys[a] & keys[b]:
                categories["blocked, scored below the keep probability"] += 1
            else:
                categories["never in one block"] += 1
    print(f"true Person pairs found {found_pairs:,}, missed {sum(categories.values()):,}")
    for category, n in categories.most_common():
        print(f"  {n:7,}  {category}")
    holders: dict[tuple[int, str], list[str]] = defaultdict(list)
    for rid, ks in keys.items():
        for k in ks:
            holders[k].append(rid)
    pairs = {p for ids in holders.values() for p in itertools.combinations(sorted(ids), 2)}
    stats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # true, false, true found
    for a, b in pairs:
        if a not in truth or b not in truth:
            continue
        s = stats[_pattern(rows[a], rows[b])]
        same = truth[a] == truth[b]
        s[0 if same else 1] += 1
        if same and found.clusters[a] == found.clusters[b]:
            s[2] += 1
    print(f"blocked Person pairs {len(pairs):,}; patterns by missed true pairs:")
    print("  missed    true   false  true share  pattern")
    for pattern, (t, f, hit) in sorted(stats.items(), key=lambda x: -(x[1][0] - x[1][2]))[:10]:
        print(f"  {t - hit:6,}  {t:6,}  {f:6,}  {t / (t + f):9.2f}   {pattern}")


if __name__ == "__main__":
    main()
