"""Entity resolution on the dev registry's labelled clusters: hermit's configuration
beside Splink's plain one (names, dates and addresses as written, with Splink's default
comparisons: NameComparison, DateOfBirthComparison, JaroWinklerAtThresholds) on the same
records, in the same run, through the same pipeline (hermit.resolve.run.link_table: the
same prior rule kind, seeded u sample, EM sessions, link probability and connected
components).

    .venv/bin/python bench/resolve_bench.py [--registry ../shared/data/registry]
        [--sample N]   # every record of one organization cluster in N, and its people
        [--scale M]    # the records copied (ids suffixed) up to M records: speed only

Figures: pairwise precision, recall and F1 over all records, per kind, and on the pairs
whose names are written in two different scripts; clusters (of two records or more)
found exactly; the same pairs by FtM schema (Company, Person, Organization ...). Each
configuration runs in a process of its own: its wall and CPU
seconds and its peak resident memory (the records read in included, the same for both);
the machine is shared, so the load average is printed beside them. With --scale the
copies' truth is their originals' (a copy is the same entity as its original).
"""

from __future__ import annotations

import argparse
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.machine import machine, proc_kb  # noqa: E402
from hermit.names.script import detect_script  # noqa: E402
from hermit.registry.read import read_registry_file  # noqa: E402
from hermit.registry.store import RegistryStore  # noqa: E402
from hermit.resolve import model  # noqa: E402
from hermit.resolve.config import resolve_config  # noqa: E402
from hermit.resolve.evaluate import (  # noqa: E402
    Evaluation,
    components,
    evaluate,
    labelled_sample,
    read_truth,
)
from hermit.resolve.links import Link  # noqa: E402
from hermit.resolve.records import Record, read_records  # noqa: E402
from hermit.resolve.run import link_table, resolve  # noqa: E402

THRESHOLDS = (0.5, 0.8, 0.9, 0.95, 0.99, 0.999)
PLAIN_COLUMNS = ("unique_id", "kind", "name", "date", "address")


def _sample_file(registry: Path, every: int, out: Path) -> Path:
    """The FtM file cut to one organization cluster in ``every`` and its people."""
    objects, _ = labelled_sample(registry, every)
    out.write_bytes(b"\n".join(orjson.dumps(obj) for obj in objects) + b"\n")
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


def _scaled(records: dict[str, Record], size: int) -> dict[str, Record]:
    """The records and copies of them (ids suffixed ~1, ~2 ..., relations to the copies
    of the same round) up to ``size`` records."""
    out = dict(records)
    ids = sorted(records)
    n = 0
    while len(out) < size:
        n += 1
        for rid in ids[: size - len(out)]:
            r = records[rid]
            out[f"{rid}~{n}"] = Record(
                f"{rid}~{n}",
                r.schema,
                r.registry,
                r.file,
                r.row,
                r.props,
                r.strong_ids,
                r.weak_ids,
                {f"{x}~{n}" for x in r.related},
            )
    return out


def _child(label: str, records_file: Path, out_file: Path) -> None:
    with records_file.open("rb") as fh:
        records = pickle.load(fh)
    wall, cpu = time.perf_counter(), time.process_time()
    if label == "hermit":
        found = resolve(records)
        clusters, links = found.clusters, found.links
    else:
        clusters, links = _plain(records)
    spent = (time.perf_counter() - wall, time.process_time() - cpu)
    peak = proc_kb("/proc/self/status", "VmHWM:") / 1024  # this process's own peak RSS
    found = (clusters, [(k.left, k.right, k.probability) for k in links], spent, peak)
    with out_file.open("wb") as fh:
        pickle.dump(found, fh)


def _run(label: str, records_file: Path, tmp: Path) -> tuple[Any, Any, tuple[float, float], float]:
    """One configuration in a process of its own: clusters, links, (wall, CPU) of the
    resolution, peak RSS in MB of the process."""
    out = tmp / f"{label.replace(' ', '_')}.pickle"
    args = [sys.executable, __file__, "--child", label, str(records_file), str(out)]
    # the child's own VmHWM: the ru_maxrss of a forked child starts at its parent's
    if subprocess.run(args, check=False).returncode:
        raise SystemExit(f"{label}: the child process failed")
    with out.open("rb") as fh:
        clusters, links, spent, peak = pickle.load(fh)
    return clusters, links, spent, peak


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        _child(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registry", type=Path, default=REPO.parent / "shared/data/registry")
    parser.add_argument("--sample", type=int, default=1)
    parser.add_argument("--scale", type=int, default=0)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        source = args.registry / "entities.ftm.jsonl.gz"
        if args.sample > 1:
            source = _sample_file(args.registry, args.sample, tmp / "sample.ftm.jsonl")
        store_path = tmp / "bench.registry.duckdb"
        with RegistryStore(store_path) as store:
            store.load([str(source)], read_registry_file(source))
            records = read_records(store)
        truth = read_truth(args.registry / "labels" / "truth_clusters.csv")
        if args.scale > len(records):
            records = _scaled(records, args.scale)
            truth.update({k: truth[k.split("~")[0]] for k in records if "~" in k})
        truth = {r: c for r, c in truth.items() if r in records}
        records_file = tmp / "records.pickle"
        with records_file.open("wb") as fh:
            pickle.dump(records, fh)
        scripts = {
            k: detect_script(next(iter(r.values("name")), "").replace(" ", ""))
            for k, r in records.items()
        }
        kinds = {k: r.kind for k, r in records.items()}
        schemata = {k: r.schema for k, r in records.items()}
        print(f"records: {len(records):,} (sample 1 in {args.sample} organization clusters)")
        runs = {}
        for label in ("hermit", "plain Splink"):
            runs[label] = _run(label, records_file, tmp)
            wall, cpu = runs[label][2]
            print(
                f"{label}: {wall:.1f} s wall, {cpu:.1f} s CPU, peak RSS {runs[label][3]:,.0f} MB, "
                f"load average now {os.getloadavg()[0]:.1f}",
                flush=True,
            )
    out = []
    for label, (found, _, spent, peak) in runs.items():
        ev = evaluate(found, truth, scripts, kinds)
        out.append(_line(label, ev, *spent) + f" {peak:,.0f} MB |")
        print(orjson.dumps({"config": label, **ev.as_dict()}).decode(), flush=True)
        by_schema = evaluate(found, truth, scripts, schemata).by_kind
        print(f"{label} by FtM schema (pairs P / R / F1, true pairs):")
        for schema, s in by_schema.items():
            print(
                f"  {schema}: {s.precision:.3f} / {s.recall:.3f} / {s.f1:.3f} ({s.true_pairs:,})",
                flush=True,
            )
    for label, (_, links, _, _) in runs.items():
        print(f"{label} at other link probabilities (the same trained model):")
        for threshold in THRESHOLDS:
            pairs = [(a, b) for a, b, p in links if p >= threshold]
            ev = evaluate(components(sorted(records), pairs), truth, scripts, kinds)
            print(
                f"  {threshold}: F1 {ev.pairs.f1:.4f} (P {ev.pairs.precision:.4f} R "
                f"{ev.pairs.recall:.4f}), cross-script F1 {ev.cross_script.f1:.4f}",
                flush=True,
            )
    print(
        "| configuration | pairs P / R / F1 | cross-script pairs P / R / F1 | per kind P / R / F1 "
        "| clusters found exactly | time | peak RSS |"
    )
    print("|---|---|---|---|---|---|---|")
    print("\n".join(out))


if __name__ == "__main__":
    main()
