"""Incremental resolution on the dev registry: all but HOLD party records resolved in
a full run (and stored), then the held-out records loaded and joined incrementally
(hermit.resolve.incremental.join_new); beside it a full run over everything. Figures:
pairwise precision / recall / F1 against the labels for both, the pairwise agreement
of the incremental clusters with the full run's, and the CPU seconds of the
incremental step (reading the records, and the join itself).

    .venv/bin/python bench/resolve_incremental.py [--registry ../shared/data/registry]
        [--hold 1000]

The held-out records are picked by a hash of their record id (not by name or value);
the relations with a held-out end are loaded with them."""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

import orjson

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.machine import machine  # noqa: E402
from hermit.names.script import detect_script  # noqa: E402
from hermit.registry.read import read_registry_file  # noqa: E402
from hermit.registry.store import RegistryStore  # noqa: E402
from hermit.resolve.evaluate import evaluate, read_truth  # noqa: E402
from hermit.resolve.incremental import join_new  # noqa: E402
from hermit.resolve.records import party_schemata, read_records  # noqa: E402
from hermit.resolve.run import resolve  # noqa: E402
from hermit.resolve.store import save  # noqa: E402


def _digest(ident: str) -> str:
    return hashlib.sha256(ident.encode()).hexdigest()


def _split(registry: Path, hold: int) -> tuple[list[bytes], list[bytes]]:
    with gzip.open(registry / "entities.ftm.jsonl.gz") as fh:
        objects = [orjson.loads(line) for line in fh if line.strip()]
    parties = set(party_schemata())
    ids = sorted((o["id"] for o in objects if o["schema"] in parties), key=_digest)
    held = set(ids[:hold])
    first: list[bytes] = []
    later: list[bytes] = []
    for o in objects:
        ends = {v for vs in o.get("properties", {}).values() for v in vs if isinstance(v, str)}
        (later if o["id"] in held or ends & held else first).append(orjson.dumps(o))
    return first, later


def _load(store: RegistryStore, path: Path, lines: list[bytes]) -> None:
    path.write_bytes(b"\n".join(lines) + b"\n")
    store.load([str(path)], read_registry_file(path))


def _scores(found: dict[str, str], truth: dict[str, str], scripts: dict[str, str]) -> str:
    p = evaluate(found, truth, scripts).pairs
    return f"{p.precision:.3f} / {p.recall:.3f} / {p.f1:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--registry", type=Path, default=REPO.parent / "shared/data/registry")
    parser.add_argument("--hold", type=int, default=1000)
    args = parser.parse_args()
    print(machine())
    first, later = _split(args.registry, args.hold)
    truth = read_truth(args.registry / "labels" / "truth_clusters.csv")
    with tempfile.TemporaryDirectory() as tmp:
        with RegistryStore(Path(tmp) / "inc.duckdb") as store:
            _load(store, Path(tmp) / "first.ftm.jsonl", first)
            base = read_records(store)
            t = time.process_time()
            save(store, base, resolve(base))
            print(f"first run: {len(base):,} records, {time.process_time() - t:.1f} CPU s")
            _load(store, Path(tmp) / "later.ftm.jsonl", later)
            t0 = time.process_time()
            records = read_records(store)
            t1 = time.process_time()
            joined = join_new(store, records)
            t2 = time.process_time()
            save(store, records, joined.resolution)
            t3 = time.process_time()
        print(
            f"incremental: {joined.new_records:,} new records, {len(joined.grown):,} "
            f"entities grew, {len(joined.new_entities):,} new; CPU s: reading the records "
            f"{t1 - t0:.2f}, join {t2 - t1:.2f}, storing the run {t3 - t2:.2f}; "
            f"load average {os.getloadavg()}"
        )
        t = time.process_time()
        full = resolve(records)
        print(f"full run: {len(records):,} records, {time.process_time() - t:.1f} CPU s")
    scripts = {rid: detect_script(next(iter(r.values("name")), "")) for rid, r in records.items()}
    truth = {r: c for r, c in truth.items() if r in records}
    inc = joined.resolution.clusters
    print(
        f"labels P / R / F1: incremental {_scores(inc, truth, scripts)}, "
        f"full {_scores(full.clusters, truth, scripts)}"
    )
    print(f"agreement with the full run (P / R / F1): {_scores(inc, full.clusters, scripts)}")
    new_ids = set(records) - set(base)
    print(f"held-out records in labels: {len(new_ids & set(truth)):,}")


if __name__ == "__main__":
    main()
