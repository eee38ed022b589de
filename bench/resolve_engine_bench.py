"""Entity resolution (hermit-resolve) of the dev registry on DuckDB and on Spark in
local mode, side by side in the same run: the same records, each engine in a process of
its own (its whole process tree measured: the JVM and Spark's Python workers too).

    .venv/bin/python bench/resolve_engine_bench.py [--registry ../shared/data/registry]
        [--sample N]        # one organization cluster in N and its people (default: all)
        [--engines duckdb,spark] [--master local[2]] [--driver-memory 2g]

Figures per engine: the resolution's wall seconds; CPU seconds of the process tree
(user + system of every process in it, read from /proc every half second: the
driver, the JVM, the Python workers; a process that lives less than half a second is
missed) and of the driver's Python alone; peak resident memory of the tree (the sum
over its processes at the sample with the largest sum) and of the driver's Python;
the load average before and after. Then whether Spark gave DuckDB's answer: links
(pairs, tiers, match weights), the largest difference of a link's probability, the
entities. Records per CPU second of the tree, for the scale plan (BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import os
import pickle
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.machine import machine, proc_kb  # noqa: E402
from hermit.registry.read import read_registry_file  # noqa: E402
from hermit.registry.store import RegistryStore  # noqa: E402
from hermit.resolve.evaluate import labelled_sample  # noqa: E402
from hermit.resolve.records import read_records  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def _children() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        out.setdefault(parent, []).append(int(entry.name))
    return out


def _tree(root: int) -> list[int]:
    kids = _children()
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(kids.get(pid, []))
    return out


def _sample(pid: int) -> tuple[float, int] | None:
    """A process's CPU seconds (user + system, its own) and resident KB."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICKS, int(fields[21]) * PAGE_KB


class TreeMeter:
    """CPU and resident memory of a process and its descendants, sampled."""

    def __init__(self, root: int, every_s: float = 0.5) -> None:
        self.root = root
        self.every_s = every_s
        self.cpu: dict[int, float] = {}
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            for pid in _tree(self.root):
                got = _sample(pid)
                if got is not None:
                    self.cpu[pid] = max(self.cpu.get(pid, 0.0), got[0])
                    total += got[1]
            self.peak_kb = max(self.peak_kb, total)
            self._stop.wait(self.every_s)

    def stop(self) -> tuple[float, float]:
        """Tree CPU seconds, peak tree RSS in MB."""
        self._stop.set()
        self._thread.join()
        return sum(self.cpu.values()), self.peak_kb / 1024


def _stop_spark(engine: Any) -> None:
    """The session stopped and its JVM ended (as tests/engine/conftest.py does)."""
    from pyspark import SparkContext

    engine.close()
    gateway = SparkContext._gateway
    if gateway is not None:
        gateway.shutdown()
        proc = getattr(gateway, "proc", None)
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=60)


def _child(engine_name: str, records_file: Path, out_file: Path, options: dict[str, str]) -> None:
    from hermit.resolve.run import resolve

    with records_file.open("rb") as fh:
        records = pickle.load(fh)
    engine = None
    started = time.perf_counter()
    if engine_name == "spark":
        from hermit.engine.spark_engine import SparkEngine

        engine = SparkEngine.start(
            master=options["master"], conf={"spark.driver.memory": options["driver_memory"]}
        )
    up = time.perf_counter() - started
    wall, cpu = time.perf_counter(), time.process_time()
    found = resolve(records, engine=engine)
    spent = (time.perf_counter() - wall, time.process_time() - cpu)
    if engine is not None:
        _stop_spark(engine)
    peak = proc_kb("/proc/self/status", "VmHWM:") / 1024
    links = [(k.left, k.right, k.tier, k.match_weight, k.probability) for k in found.links]
    with out_file.open("wb") as fh:
        pickle.dump((found.clusters, links, spent, up, peak), fh)


def _run(engine: str, records_file: Path, tmp: Path, options: dict[str, str]) -> dict[str, Any]:
    out = tmp / f"{engine}.pickle"
    args = [
        sys.executable,
        __file__,
        "--child",
        engine,
        str(records_file),
        str(out),
        options["master"],
        options["driver_memory"],
    ]
    load_before = os.getloadavg()[0]
    wall = time.perf_counter()
    proc = subprocess.Popen(args)
    meter = TreeMeter(proc.pid)
    if proc.wait():
        meter.stop()
        raise SystemExit(f"{engine}: the child process failed")
    tree_cpu, tree_peak = meter.stop()
    total_wall = time.perf_counter() - wall
    with out.open("rb") as fh:
        clusters, links, spent, up, peak = pickle.load(fh)
    return {
        "clusters": clusters,
        "links": links,
        "resolve_wall_s": spent[0],
        "driver_cpu_s": spent[1],
        "start_s": up,
        "driver_peak_mb": peak,
        "tree_cpu_s": tree_cpu,
        "tree_peak_mb": tree_peak,
        "process_wall_s": total_wall,
        "load": (load_before, os.getloadavg()[0]),
    }


def _compare(duck: dict[str, Any], spark: dict[str, Any]) -> None:
    a = {(x[0], x[1]): x for x in duck["links"]}
    b = {(x[0], x[1]): x for x in spark["links"]}
    shared = a.keys() & b.keys()
    tiers = sum(a[p][2] != b[p][2] for p in shared)
    weights = sum(a[p][3] != b[p][3] for p in shared)
    diffs = [abs(a[p][4] - b[p][4]) for p in shared]
    unequal = sum(d > 0 for d in diffs)
    print(
        f"links: DuckDB {len(a):,}, Spark {len(b):,}, only DuckDB {len(a.keys() - b.keys()):,}, "
        f"only Spark {len(b.keys() - a.keys()):,}; of the shared, tiers differ {tiers:,}, "
        f"match weights (3 decimals) differ {weights:,}, probabilities differ {unequal:,} "
        f"(largest difference {max(diffs, default=0.0):.3g})"
    )
    same = duck["clusters"] == spark["clusters"]
    moved = sum(duck["clusters"][r] != spark["clusters"].get(r) for r in duck["clusters"])
    print(f"entities: the same {same} ({moved:,} records in another entity)")


def main() -> None:
    if len(sys.argv) == 7 and sys.argv[1] == "--child":
        options = {"master": sys.argv[5], "driver_memory": sys.argv[6]}
        _child(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]), options)
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registry", type=Path, default=REPO.parent / "shared/data/registry")
    parser.add_argument("--sample", type=int, default=1)
    parser.add_argument("--engines", default="duckdb,spark")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--driver-memory", default="2g")
    args = parser.parse_args()
    options = {"master": args.master, "driver_memory": args.driver_memory}
    print(f"machine: {machine()}")
    runs: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        source = args.registry / "entities.ftm.jsonl.gz"
        if args.sample > 1:
            objects, _ = labelled_sample(args.registry, args.sample)
            import orjson

            source = tmp / "sample.ftm.jsonl"
            source.write_bytes(b"\n".join(orjson.dumps(obj) for obj in objects) + b"\n")
        with RegistryStore(tmp / "bench.registry.duckdb") as store:
            store.load([str(source)], read_registry_file(source))
            records = read_records(store)
        records_file = tmp / "records.pickle"
        with records_file.open("wb") as fh:
            pickle.dump(records, fh)
        print(f"records: {len(records):,} (1 in {args.sample} organization clusters)", flush=True)
        for engine in args.engines.split(","):
            runs[engine] = got = _run(engine, records_file, tmp, options)
            print(
                f"{engine}: resolve {got['resolve_wall_s']:.1f} s wall; CPU of the process "
                f"tree {got['tree_cpu_s']:.1f} s (the driver's Python in the resolution "
                f"{got['driver_cpu_s']:.1f} s); peak RSS of the tree {got['tree_peak_mb']:,.0f} "
                f"MB (the driver's Python {got['driver_peak_mb']:,.0f} MB); session start "
                f"{got['start_s']:.1f} s wall; the process {got['process_wall_s']:.1f} s wall; "
                f"load average {got['load'][0]:.1f} before, {got['load'][1]:.1f} after; "
                f"{len(records) / got['tree_cpu_s']:,.0f} records per CPU second",
                flush=True,
            )
    if "duckdb" in runs and "spark" in runs:
        _compare(runs["duckdb"], runs["spark"])
        ratio = runs["spark"]["tree_cpu_s"] / runs["duckdb"]["tree_cpu_s"]
        wall = runs["spark"]["resolve_wall_s"] / runs["duckdb"]["resolve_wall_s"]
        print(f"Spark / DuckDB: CPU {ratio:.2f}x, wall {wall:.2f}x")


if __name__ == "__main__":
    main()
