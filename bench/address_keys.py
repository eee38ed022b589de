"""The building key of shared-address edges (hermit.network.shared.address_key, graph@1)
against the dev registry's labelled buildings (labels/truth_addresses.csv): of the pairs
of FtM Address records given the same key, how many are one building (precision), and of
the pairs that are one building, how many get the same key (recall); the keys that join
several labelled buildings, largest first.

    PYTHONPATH=. .venv/bin/python bench/address_keys.py [--street]

``--street`` measures a candidate for graph@2 instead (not in hermit): with a postcode,
the postcode, the last word before the house number that is not a street or house word
(ул., пр-кт, д. ...: ``STREET_WORDS`` below, a first list) and the house number.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import os
import re
from collections import Counter, defaultdict
from pathlib import Path

import orjson

from hermit.network.shared import address_key

_POSTCODE = re.compile(r"(?<!\d)\d{6}(?!\d)")
_NUMBER = re.compile(r"\d+")
_LETTERS = re.compile(r"[^\W\d_]+")
STREET_WORDS = frozenset(
    [
        "ул",
        "улица",
        "пр",
        "кт",
        "проспект",
        "наб",
        "набережная",
        "ш",
        "шоссе",
        "пер",
        "переулок",
        "б",
        "р",
        "бульвар",
        "пл",
        "площадь",
        "д",
        "дом",
        "г",
        "город",
        "обл",
        "область",
        "край",
        "респ",
        "мкр",
        "микрорайон",
        "проезд",
        "тупик",
        "аллея",
        "линия",
        "стр",
        "строение",
        "корп",
        "корпус",
        "к",
        "лит",
        "литера",
        "пом",
        "помещение",
        "офис",
        "оф",
        "кв",
        "st",
        "street",
        "str",
        "ave",
        "avenue",
        "rd",
        "road",
        "hwy",
        "no",
        "house",
        "bld",
        "building",
    ]
)


def street_key(text: str) -> str | None:
    """The candidate: postcode, street word, house number (else graph@1's key)."""
    postcode = _POSTCODE.search(text)
    if not postcode:
        return address_key(text)
    rest = text[: postcode.start()] + " " + text[postcode.end() :]
    house = _NUMBER.search(rest)
    if not house:
        return None
    before = rest[: house.start()].casefold().replace("ё", "е")
    words = [w for w in _LETTERS.findall(before) if w not in STREET_WORDS and len(w) >= 3]
    street = words[-1] if words else ""
    return f"{postcode.group()} {street} {house.group().lstrip('0') or '0'}"


DATA = Path(os.environ.get("HERMIT_SHARED_DATA", Path(__file__).parents[2] / "shared" / "data"))


def pairs(counts: Counter[str]) -> int:
    return sum(c * (c - 1) // 2 for c in counts.values())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--street", action="store_true", help="the graph@2 candidate")
    args = parser.parse_args()
    keyed = street_key if args.street else address_key
    registry = DATA / "registry"
    with (registry / "labels" / "truth_addresses.csv").open(encoding="utf-8") as fh:
        truth = {r["address_record_id"]: r["building_cluster_id"] for r in csv.DictReader(fh)}
    texts: dict[str, str] = {}
    with gzip.open(registry / "entities.ftm.jsonl.gz") as fh:
        for line in fh:
            entity = orjson.loads(line)
            if entity["schema"] == "Address" and entity["id"] in truth:
                texts[entity["id"]] = (entity["properties"].get("full") or [""])[0]
    by_key: dict[str, list[str]] = defaultdict(list)
    unkeyed = 0
    for record, text in texts.items():
        key = keyed(text)
        if key is None:
            unkeyed += 1
            continue
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
    print(f"{len(texts):,} labelled address records, {unkeyed:,} without a key")
    print(
        f"pairs with one key: {same_key:,}; precision {same_key_and_building / same_key:.4f}, "
        f"recall {same_key_and_building / same_building:.4f} (of {same_building:,} pairs "
        "in one building)"
    )
    mixed.sort(reverse=True)
    print(f"keys joining several buildings: {len(mixed):,}; the largest:")
    for size, key, buildings in mixed[:8]:
        print(f"  {key!r}: {size} records, {buildings} buildings")


if __name__ == "__main__":
    main()
