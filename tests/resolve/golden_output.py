"""The golden output of hermit's resolution (tests/resolve/test_golden.py): the
entities and links of a small fixed slice of the dev registry, recorded for one
version of the algorithm. Record it again after a version bump with
``.venv/bin/python -m tests.resolve.golden_output``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from hermit.registry.read import read_registry_file
from hermit.registry.store import RegistryStore
from hermit.resolve.evaluate import labelled_sample
from hermit.resolve.records import read_records
from hermit.resolve.run import ALGORITHM, resolve
from tests.conftest import shared_data_dir

GOLDEN = Path(__file__).parent / "golden" / "hermit-resolve.json"
#: One organization entity in PICK_EVERY of the labelled ones (by a hash of the
#: cluster id), with the people attached to them and the relations among these.
PICK_EVERY = 150
#: Link probabilities are compared to this many decimals (DuckDB's sums may differ in
#: the last bits between runs).
DECIMALS = 4


def slice_lines() -> list[bytes]:
    """The FtM lines of the slice."""
    objects, _ = labelled_sample(shared_data_dir() / "registry", PICK_EVERY)
    return [orjson.dumps(obj) for obj in objects]


def compute(tmp: Path) -> dict[str, Any]:
    """The resolution of the slice: entities (of two records or more, as sorted
    record ids) and links (records, tier, probability rounded)."""
    source = tmp / "golden.ftm.jsonl"
    source.write_bytes(b"\n".join(slice_lines()) + b"\n")
    with RegistryStore(tmp / "golden.registry.duckdb") as store:
        store.load([str(source)], read_registry_file(source))
        records = read_records(store)
    found = resolve(records)
    groups: dict[str, list[str]] = {}
    for record, entity in found.clusters.items():
        groups.setdefault(entity, []).append(record)
    return {
        "algorithm": found.algorithm,
        "records": len(records),
        "entities": sorted(sorted(g) for g in groups.values() if len(g) > 1),
        "links": [[k.left, k.right, k.tier, round(k.probability, DECIMALS)] for k in found.links],
    }


def load() -> dict[str, Any]:
    out: dict[str, Any] = orjson.loads(GOLDEN.read_bytes())
    return out


def main() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as name:
        now = compute(Path(name))
    assert now["algorithm"] == ALGORITHM
    GOLDEN.write_bytes(orjson.dumps(now, option=orjson.OPT_INDENT_2) + b"\n")
    print(f"{GOLDEN}: {len(now['entities'])} entities, {len(now['links'])} links")


if __name__ == "__main__":
    main()
