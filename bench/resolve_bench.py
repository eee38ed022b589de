"""Entity resolution on the dev registry's labelled clusters: hermit's configuration
beside Splink's plain one (names, dates and addresses as written, with Splink's default
comparisons: NameComparison, DateOfBirthComparison, JaroWinklerAtThresholds) on the same
records, in the same run, through the same pipeline (hermit.resolve.run.link_table: the
same prior rule kind, seeded u sample, EM sessions, link probability and connected
components).

    .venv/bin/python bench/resolve_bench.py [--registry ../shared/data/registry]
        [--sample N]   # every record of one organization cluster in N, and its people

Figures: pairwise precision, recall and F1 over all records, per kind, and on the pairs
whose names are written in two different scripts; clusters (of two records or more)
found exactly. Times: wall and CPU seconds of this process (the machine is shared).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.machine import machine  # noqa: E402
from hermit.names.script import detect_script  # noqa: E402
from hermit.registry.read import read_registry_file  # noqa: E402
from hermit.registry.store import RegistryStore  # noqa: E402
from hermit.resolve import model  # noqa: E402
from hermit.resolve.config import resolve_config  # noqa: E402
from hermit.resolve.evaluate import Evaluation, components, evaluate, read_truth  # noqa: E402
from hermit.resolve.records import Record, read_records  # noqa: E402
from hermit.resolve.run import Link, link_table, resolve  # noqa: E402

THRESHOLDS = (0.5, 0.8, 0.9, 0.95, 0.99, 0.999)
PLAIN_COLUMNS = ("unique_id", "kind", "name", "date", "address")


def _sample_file(registry: Path, every: int, out: Path) -> Path:
    """The FtM file cut to one organization cluster in ``every`` and its people."""
    truth = read_truth(registry / "labels" / "truth_clusters.csv")
    with (registry / "labels" / "truth_clusters.csv").open(encoding="utf-8", newline="") as fh:
        people = {r["record_id"] for r in csv.DictReader(fh) if r["entity_type"] == "Person"}

    def picked(c: str) -> bool:
        return int(hashlib.sha256(c.encode()).hexdigest(), 16) % every == 0

    kept = {r for r, c in truth.items() if r not in people and picked(c)}
    with gzip.open(registry / "entities.ftm.jsonl.gz") as fh:
        entities = [orjson.loads(raw) for raw in fh]
    for obj in entities:
        props = obj["properties"]
        for one, other in (("owner", "asset"), ("director", "organization")):
            if any(x in kept for x in props.get(other, [])):
                kept.update(x for x in props.get(one, []) if x in people)
    ends = ("owner", "asset", "director", "organization")
    lines = []
    for obj in entities:
        linked = [v for k in ends for v in obj["properties"].get(k, [])]
        if obj["id"] in kept or (linked and all(e in kept for e in linked)):
            lines.append(orjson.dumps(obj))
    out.write_bytes(b"\n".join(lines) + b"\n")
    return out


def _plain_rows(records: dict[str, Record]) -> list[dict[str, Any]]:
    rows = []
    for r in records.values():
        date = r.values("incorporationDate" if r.kind == "organization" else "birthDate")
        rows.append(
            {
                "unique_id": r.record_id,
                "kind": r.kind,
                "name": next(iter(r.values("name")), None),
                "date": min(date) if date else None,
                "address": next(iter(r.values("address")), None),
            }
        )
    return rows


def _plain(records: dict[str, Record]) -> tuple[dict[str, str], list[Link]]:
    clusters, links, _ = link_table(
        _plain_rows(records),
        "plain",
        model.plain_settings(),
        resolve_config(),
        PLAIN_COLUMNS,
        ['l."name" = r."name"', 'l."date" = r."date"'],
        ['l."name" = r."name" AND l."date" = r."date"'],
    )
    return clusters, links


def _line(label: str, ev: Evaluation, wall: float, cpu: float) -> str:
    def f(s: Any) -> str:
        return f"{s.precision:.3f} / {s.recall:.3f} / {s.f1:.3f}"

    kinds = "; ".join(f"{k} {f(v)}" for k, v in ev.by_kind.items())
    return (
        f"| {label} | {f(ev.pairs)} | {f(ev.cross_script)} | {kinds} | "
        f"{ev.exact_clusters:,} of {ev.true_clusters:,} ({ev.found_clusters:,} found) | "
        f"{wall:.0f} s ({cpu:.0f} s CPU) |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registry", type=Path, default=REPO.parent / "shared/data/registry")
    parser.add_argument("--sample", type=int, default=1)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        source = args.registry / "entities.ftm.jsonl.gz"
        if args.sample > 1:
            source = _sample_file(args.registry, args.sample, Path(tmp) / "sample.ftm.jsonl")
        store_path = Path(tmp) / "bench.registry.duckdb"
        with RegistryStore(store_path) as store:
            store.load([str(source)], read_registry_file(source))
            records = read_records(store)
    truth = read_truth(args.registry / "labels" / "truth_clusters.csv")
    truth = {r: c for r, c in truth.items() if r in records}
    scripts = {
        k: detect_script(next(iter(r.values("name")), "").replace(" ", ""))
        for k, r in records.items()
    }
    kinds = {k: r.kind for k, r in records.items()}
    print(f"records: {len(records):,} (sample 1 in {args.sample} organization clusters)")
    wall, cpu = time.perf_counter(), time.process_time()
    found_hermit = resolve(records)
    times = {"hermit": (time.perf_counter() - wall, time.process_time() - cpu)}
    wall, cpu = time.perf_counter(), time.process_time()
    found_plain, plain_links = _plain(records)
    times["plain Splink"] = (time.perf_counter() - wall, time.process_time() - cpu)
    out = []
    for label, found in (("hermit", found_hermit.clusters), ("plain Splink", found_plain)):
        ev = evaluate(found, truth, scripts, kinds)
        out.append(_line(label, ev, *times[label]))
        print(orjson.dumps({"config": label, **ev.as_dict()}).decode(), flush=True)
    for label, links in (("hermit", found_hermit.links), ("plain Splink", plain_links)):
        print(f"{label} at other link probabilities (the same trained model):")
        for threshold in THRESHOLDS:
            pairs = [(k.left, k.right) for k in links if k.probability >= threshold]
            ev = evaluate(components(sorted(records), pairs), truth, scripts, kinds)
            print(
                f"  {threshold}: F1 {ev.pairs.f1:.4f} (P {ev.pairs.precision:.4f} R "
                f"{ev.pairs.recall:.4f}), cross-script F1 {ev.cross_script.f1:.4f}",
                flush=True,
            )
    print(
        "| configuration | pairs P / R / F1 | cross-script pairs P / R / F1 | per kind P / R / F1 "
        "| clusters found exactly | time |"
    )
    print("|---|---|---|---|---|---|")
    print("\n".join(out))


if __name__ == "__main__":
    main()
