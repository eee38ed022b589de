"""The OFAC 50% rule through the engine seam (hermit.network.ofac50_engine) on DuckDB and
on Spark local mode, beside the in-process rule (hermit.network.ofac50, numpy columns),
on the dev registry's holdings (every Ownership record with a share, between the
ground-truth clusters, OFAC-listed clusters as roots, as of 2024-06-01) repeated
``--copies`` times (each copy's ids marked, so copies never link). CPU seconds of the
process tree (for Spark: the JVM and its Python workers, sampled from /proc), wall
seconds, the load average; findings compared.

    .venv/bin/python bench/ofac50_engine_bench.py [--copies 1] [--spark]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

AS_OF = date(2024, 6, 1)


def _case(copies: int) -> tuple[set[str], list[Any]]:
    from tests.network.test_dev_registry_ofac50 import dev_case

    roots, holdings, _ = dev_case()
    if copies == 1:
        return roots, holdings
    all_roots: set[str] = set()
    all_holdings = []
    for c in range(copies):
        mark = f"~{c}"
        all_roots |= {r + mark for r in roots}
        all_holdings += [
            replace(h, owner=h.owner + mark, asset=h.asset + mark, source=h.source + mark)
            for h in holdings
        ]
    return all_roots, all_holdings


def _timed(name: str, run: Any) -> tuple[Any, float, float]:
    from bench.engine_bench import TreeCpu

    tree = TreeCpu(os.getpid())
    tree.start()
    t0, w0 = time.process_time(), time.perf_counter()
    result = run()
    own = time.process_time() - t0
    tree.done.set()
    tree.join()
    cpu = own if name != "spark" else max(own, tree.seconds - tree.first)
    return result, cpu, time.perf_counter() - w0


def main() -> None:
    from hermit.engine import open_engine
    from hermit.network.ofac50 import blocked_status
    from hermit.network.ofac50_engine import blocked_status_on

    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=1)
    ap.add_argument("--spark", action="store_true", help="Spark local[2] beside DuckDB")
    args = ap.parse_args()
    roots, holdings = _case(args.copies)
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; {len(holdings):,} holdings, {len(roots):,} roots"
    )
    print("| side | holdings | CPU s | wall s | load avg (1 min) at end | blocked | same |")
    print("|---|---|---|---|---|---|---|")
    base, cpu, wall = _timed("in-process", lambda: blocked_status(roots, holdings, AS_OF))
    blocked = len(base.with_status("blocked"))
    load = os.getloadavg()[0]
    row = f"| in process (numpy) | {len(holdings):,} | {cpu:.1f} | {wall:.1f} | {load:.1f} |"
    print(f"{row} {blocked} | |")

    def on(name: str) -> Any:
        engine = open_engine(name)
        try:
            return blocked_status_on(engine, roots, holdings, AS_OF)
        finally:
            engine.close()

    sides = ["duckdb", "spark"] if args.spark else ["duckdb"]
    first = None
    for name in sides:
        result, cpu, wall = _timed(name, lambda n=name: on(n))
        status = {e: f.status for e, f in result.findings.items()}
        same = status == {e: f.status for e, f in base.findings.items()}
        if first is None:
            first = result
        else:
            same = same and result.findings == first.findings
        print(
            f"| engine ({name}) | {len(holdings):,} | {cpu:.1f} | {wall:.1f} | "
            f"{os.getloadavg()[0]:.1f} | {len(result.with_status('blocked'))} | {same} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
