"""The building key of shared-address edges (hermit.network.shared.address_key, graph@2)
beside graph@1's (hermit.network.shared.postcode_house_key, the anchor) against the dev
registry's labelled buildings (labels/truth_addresses.csv): of the pairs of FtM Address
records given the same key, how many are one building (precision), and of the pairs that
are one building, how many get the same key (recall); the keys that join several
labelled buildings, largest first; and each key's CPU time.

    PYTHONPATH=. .venv/bin/python bench/address_keys.py [--show N]

``--show N`` prints N labelled buildings the graph@2 key splits (their records' texts and
keys), to read why.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import os
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

import orjson

from hermit.network.shared import address_key, postcode_house_key

DATA = Path(os.environ.get("HERMIT_SHARED_DATA", Path(__file__).parents[2] / "shared" / "data"))

KEYS: dict[str, Callable[[str], str | None]] = {
    "graph@1 postcode_house_key": postcode_house_key,
    "graph@2 address_key": address_key,
}


def pairs(counts: Counter[str]) -> int:
    return sum(c * (c - 1) // 2 for c in counts.values())


def measure(
    name: str, keyed: Callable[[str], str | None], texts: dict[str, str], truth: dict[str, str]
) -> dict[str, str | None]:
    started = time.process_time()
    keys = {record: keyed(text) for record, text in texts.items()}
    cpu = time.process_time() - started
    by_key: dict[str, list[str]] = defaultdict(list)
    for record, key in keys.items():
        if key is not None:
            by_key[key].append(record)
    same_key = same_key_and_building = 0
    mixed: list[tuple[int, str, int]] = []
    for key, records in by_key.items():
        buildings = Counter(truth[r] for r in records)
        same_key += len(records) * (len(records) - 1) // 2
        same_key_and_building += pairs(buildings)
        if len(buildings) > 1:
            mixed.append((len(records), key, len(buildings)))
    same_building = pairs(Counter(truth[r] for r in texts))
    unkeyed = sum(1 for k in keys.values() if k is None)
    print(f"== {name}: {cpu:.2f} CPU s, {unkeyed:,} records without a key")
    print(
        f"pairs with one key: {same_key:,}; precision {same_key_and_building / same_key:.4f}, "
        f"recall {same_key_and_building / same_building:.4f} (of {same_building:,} pairs "
        "in one building)"
    )
    mixed.sort(reverse=True)
    print(f"keys joining several buildings: {len(mixed):,}; the largest:")
    for size, key, buildings in mixed[:5]:
        print(f"  {key!r}: {size} records, {buildings} buildings")
    return keys


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", type=int, default=0, help="buildings graph@2 splits")
    args = parser.parse_args()
    registry = DATA / "registry"
    with (registry / "labels" / "truth_addresses.csv").open(encoding="utf-8") as fh:
        truth = {r["address_record_id"]: r["building_cluster_id"] for r in csv.DictReader(fh)}
    texts: dict[str, str] = {}
    with gzip.open(registry / "entities.ftm.jsonl.gz") as fh:
        for line in fh:
            entity = orjson.loads(line)
            if entity["schema"] == "Address" and entity["id"] in truth:
                texts[entity["id"]] = (entity["properties"].get("full") or [""])[0]
    print(f"{len(texts):,} labelled address records")
    keys: dict[str, str | None] = {}
    for name, keyed in KEYS.items():
        keys = measure(name, keyed, texts, truth)
    if args.show:
        buildings: dict[str, list[str]] = defaultdict(list)
        for record in sorted(texts):
            buildings[truth[record]].append(record)
        shown = 0
        for building, records in sorted(buildings.items()):
            if len({keys[r] for r in records}) > 1 and shown < args.show:
                shown += 1
                print(f"-- {building}")
                for record in records:
                    print(f"   {keys[record]!r:40} {texts[record]}")


if __name__ == "__main__":
    main()
