"""The three main compliance checks through the engine seam (DuckDB in this process,
hermit.compliance.engine) beside the plain pandas implementation of the same checks
(bench/compliance/pandas_checks.py, the anchor), on a folder made by
bench/compliance/scale.py, interleaved in one process. CPU seconds of this process
(``time.process_time``: DuckDB's threads included), wall seconds, and the load average
(the machine is shared: the wall times are upper bounds). With ``--spark`` the same
run on Spark local mode too (its own local[2] session, started and stopped inside the
timing; CPU of the whole process tree: this process, the JVM and Spark's Python
workers, sampled from /proc), its findings compared with DuckDB's. With ``--phases``
the CPU seconds of each step of the DuckDB run (reading each kind, the views, each rule,
the people's linking inside 2397 para 8) and the process's peak RSS after each; with
``--json PATH`` the DuckDB run's check JSON (what ``hermit compliance check --engine
duckdb --json`` writes for these rules) and its SHA-256, so a faster step is shown to
give the same output.

    .venv/bin/python -m bench.compliance.scale --copies 3 --out /tmp/labour-3
    .venv/bin/python bench/compliance_engine_bench.py /tmp/labour-3 [--repeat 1] [--spark]
        [--phases] [--json /tmp/check.json]
"""

from __future__ import annotations

import argparse
import faulthandler
import functools
import hashlib
import os
import platform
import signal
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

MAIN = {"UNSCR-2375-17", "UNSCR-2371-11", "UNSCR-2397-8"}


def _peaks(peaks: dict[str, float]) -> None:
    """The process's peak RSS (GiB) at the end of each step of run._phase, in
    ``peaks`` (what each step raised the peak to)."""
    import contextlib
    import resource

    from hermit.compliance.engine import run

    phase = run._phase

    @contextlib.contextmanager
    def measured(phases: dict[str, float] | None, name: str) -> Any:
        with phase(phases, name):
            yield
        peaks[name] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20

    run._phase = measured  # type: ignore[assignment]


def _rss(resource: Any) -> float:
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 2**20


def _timed_link(phases: dict[str, float]) -> None:
    """checks._link (the people's linking of 2397 para 8) timed into ``phases``."""
    from hermit.compliance.engine import checks

    link = checks._link

    @functools.wraps(link)
    def timed(*args: Any) -> int:
        import resource

        t0 = time.process_time()
        phases["  peak RSS GiB before linking"] = _rss(resource)
        try:
            return link(*args)
        finally:
            phases["  of which linking people"] = time.process_time() - t0
            phases["  peak RSS GiB after linking"] = _rss(resource)

    checks._link = timed  # type: ignore[assignment]


def _engine(
    folder: Path, name: str = "duckdb", phases: dict[str, float] | None = None
) -> dict[str, Any]:
    from bench.engine_bench import TreeCpu
    from hermit.compliance.columns import load_columns
    from hermit.compliance.engine.run import run_on_engine
    from hermit.compliance.provisions import load_provisions
    from hermit.engine import open_engine

    tree = TreeCpu(os.getpid())
    tree.start()
    t0, w0 = time.process_time(), time.perf_counter()
    engine = open_engine(name)
    data, runs = run_on_engine(
        engine, load_provisions(), folder, load_columns(), MAIN, phases=phases
    )
    engine.close()
    own = time.process_time() - t0
    tree.done.set()
    tree.join()
    counts = {r.rule.id: len(r.violations) for r in runs}
    return {
        "cpu": own if name == "duckdb" else max(own, tree.seconds - tree.first),
        "violations": {r.rule.id: r.violations for r in runs},
        "wall": time.perf_counter() - w0,
        "rows": sum(data.summary.rows.values()),
        "permits": next(n for f, n in data.summary.rows.items() if f.startswith("work_permits")),
        "counts": counts,
        "data": data,
        "runs": runs,
    }


def _write_json(path: Path, e: dict[str, Any]) -> str:
    """The check JSON of the run ``e`` at ``path`` (as hermit compliance check --json
    writes it); its SHA-256."""
    from hermit.compliance.violations import check_parts, write_json

    found = [v for run in e["runs"] for v in run.violations]
    write_json(
        path,
        found,
        {"read": e["data"].summary.to_dict(), **check_parts(e["data"].problems, e["runs"])},
    )
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pandas(folder: Path) -> dict[str, Any]:
    from bench.compliance import pandas_checks

    t0, w0 = time.process_time(), time.perf_counter()
    found = pandas_checks.run_all(folder)
    return {
        "cpu": time.process_time() - t0,
        "wall": time.perf_counter() - w0,
        "counts": {
            "UNSCR-2375-17": found["permits_after_ban"],
            "UNSCR-2371-11": found["cap"],
            "UNSCR-2397-8": len(found["present_docs"]),  # type: ignore[arg-type]
        },
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", type=Path)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--spark", action="store_true", help="Spark local[2] beside DuckDB")
    ap.add_argument("--no-pandas", action="store_true", help="leave the pandas side out")
    ap.add_argument("--phases", action="store_true", help="CPU s of each DuckDB step")
    ap.add_argument("--json", type=Path, help="write the DuckDB run's check JSON here")
    args = ap.parse_args()
    phases: dict[str, float] | None = None
    peaks: dict[str, float] = {}
    if args.phases:
        phases = {}
        _timed_link(phases)
        _peaks(peaks)
    # `kill -USR1 PID` prints every thread's Python stack (a run that stops making
    # progress: beside `jstack` of the JVM, where each side waits)
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    print("| side | rows | permits | CPU s | wall s | load avg (1 min) at end | findings |")
    print("|---|---|---|---|---|---|---|")
    for _ in range(args.repeat):
        if phases is not None:
            phases.clear()
        e = _engine(args.folder, phases=phases)
        load_e = os.getloadavg()[0]
        print(
            f"| hermit engine (DuckDB) | {e['rows']:,} | {e['permits']:,} | {e['cpu']:.1f} | "
            f"{e['wall']:.1f} | {load_e:.1f} | {e['counts']} |",
            flush=True,
        )
        if phases is not None:
            print("  phases (CPU s): " + ", ".join(f"{k} {v:.1f}" for k, v in phases.items()))
            print("  peak RSS after (GiB): " + ", ".join(f"{k} {v:.2f}" for k, v in peaks.items()))
        if args.json is not None:
            print(f"  check JSON {args.json}: sha256 {_write_json(args.json, e)}", flush=True)
        if args.spark:
            s = _engine(args.folder, "spark")
            same = s["violations"] == e["violations"]
            print(
                f"| hermit engine (Spark local[2]) | {s['rows']:,} | {s['permits']:,} | "
                f"{s['cpu']:.1f} | {s['wall']:.1f} | {os.getloadavg()[0]:.1f} | "
                f"{s['counts']}; findings = DuckDB's: {same} |",
                flush=True,
            )
        if args.no_pandas:
            continue
        p = _pandas(args.folder)
        load_p = os.getloadavg()[0]
        print(
            f"| pandas | | | {p['cpu']:.1f} | {p['wall']:.1f} | {load_p:.1f} | {p['counts']} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
