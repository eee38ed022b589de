"""Latency of one ``hermit screen NAME``: a fresh process per run, as a user types it.

Each run is ``hermit --store STORE screen NAME [options]`` in a new process, timed from
outside: wall seconds from start to exit, and the CPU seconds (user + system) the
kernel's rusage gives for the child (on a machine shared with other jobs the wall time
waits for a core; the CPU time is what the screen itself costs). The store holds the
real lists (UN consolidated and OFAC SDN by default; more with --lists-files) and the
screening index that ``hermit lists load`` builds beside it.

The anchor, measured in the same run and interleaved run by run with this checkout:
the same command from another revision (default ``main``), checked out in a temporary
git worktree and run on the same interpreter (PYTHONPATH; so only hermit's code
differs) or with --anchor-python on that revision's own environment (its own library
versions too). The anchor rebuilds the candidate index at every call, which is what
this checkout persists.

Both checkouts are byte-compiled first (``python -m compileall``), as ``pip install``
leaves an installed package: with PYTHONDONTWRITEBYTECODE set (as on this project's
machines) a checkout's modules would otherwise be compiled from source at every run, a
fifth of a second that no installed hermit pays. ``--no-compile`` measures without it.

Then one run of this checkout under ``python -X importtime``, summed by library, says
where the start-up time goes.

    .venv/bin/python bench/screen_latency.py [--runs 10] [--anchor main]
        [--anchor-python PATH] [--lists ../shared/data/lists] [--lists-files F ...]
        [--workdir /tmp/hermit-latency-bench] [--no-compile]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.machine import machine  # noqa: E402

#: What is screened: a Korean name in Latin and Hangul, an organization, a vessel by
#: IMO, and a name on no list.
QUERIES: tuple[tuple[str, ...], ...] = (
    ("Kim Yong Chol",),
    ("김영철",),
    ("Korea Rungrado General Trading Corp", "--schema", "Organization"),
    ("Some Other Ship", "--imo", "8910378"),
    ("Anna Lind", "--dob", "1970-05-04"),
)


def _run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one child process (which must succeed)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=env["HERMIT_BENCH_CWD"]
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"failed ({status}): {' '.join(cmd)}\n{err.decode()}")
    if err.strip():
        raise SystemExit(f"unexpected message (an index build?): {' '.join(cmd)}\n{err.decode()}")
    return wall, usage.ru_utime + usage.ru_stime


def _anchor_checkout(ref: str, workdir: Path) -> Path:
    path = workdir / f"anchor-{re.sub(r'[^A-Za-z0-9._-]', '_', ref)}"
    if path.exists():
        subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(path)])
        shutil.rmtree(path, ignore_errors=True)
    subprocess.run(
        ["git", "-C", str(REPO), "worktree", "add", "--detach", str(path), ref],
        check=True,
        capture_output=True,
    )
    return path


def _store(workdir: Path, files: list[Path]) -> Path:
    store = workdir / "store.duckdb"
    if not store.exists():
        cmd = [sys.executable, "-m", "hermit", "--store", str(store), "lists", "load"]
        subprocess.run([*cmd, *map(str, files)], check=True, stdout=subprocess.DEVNULL, cwd=workdir)
    # the index of the current lists (built by the load, or now if the code changed)
    subprocess.run(
        [sys.executable, "-m", "hermit", "--store", str(store), "screen", "warm up"],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=workdir,
    )
    return store


def _summary(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} | {min(values):.3f} | {max(values):.3f}"


def importtime(store: Path, env: dict[str, str]) -> dict[str, float]:
    """Seconds of import per top-level package in one screen (self time summed)."""
    cmd = [sys.executable, "-X", "importtime", "-m", "hermit", "--store", str(store)]
    proc = subprocess.run(
        [*cmd, "screen", *QUERIES[0]],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=env["HERMIT_BENCH_CWD"],
    )
    totals: dict[str, float] = {}
    for line in proc.stderr.splitlines():
        found = re.match(r"import time:\s+(\d+) \|\s+\d+ \|(\s*)(\S+)", line)
        if found is None:
            continue
        name = found[3]
        group = ".".join(name.split(".")[:2]) if name.startswith("hermit.") else name.split(".")[0]
        group = group.lstrip("_")
        totals[group] = totals.get(group, 0.0) + int(found[1]) / 1e6
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10, help="runs per query and system")
    parser.add_argument("--anchor", default="main", help="git revision to compare with")
    parser.add_argument("--anchor-python", type=Path, help="the anchor's own interpreter")
    parser.add_argument("--lists", type=Path, default=REPO.parent / "shared" / "data" / "lists")
    parser.add_argument("--lists-files", type=Path, nargs="*", help="list files to load")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/hermit-latency-bench"))
    parser.add_argument(
        "--no-compile", action="store_true", help="do not byte-compile the checkouts first"
    )
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    files = args.lists_files or [args.lists / "un_consolidated.xml", args.lists / "ofac_sdn.csv"]
    store = _store(args.workdir, files)
    anchor = _anchor_checkout(args.anchor, args.workdir)
    base_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    base_env["COLUMNS"] = "100"
    # run from the work folder: ``python -m hermit`` must not find a checkout in the cwd
    base_env["HERMIT_BENCH_CWD"] = str(args.workdir)
    systems = {
        "this checkout": ([sys.executable, "-m", "hermit"], base_env),
        f"anchor: {args.anchor}": (
            [str(args.anchor_python or sys.executable), "-m", "hermit"],
            {**base_env, "PYTHONPATH": str(anchor)},
        ),
    }
    # each system its own copy of the store, its index built before timing: the index
    # beside a store is keyed by hermit's code, so two revisions that both persist it
    # would rebuild it at every call on one shared store
    if not args.no_compile:
        for tree in (REPO, anchor):
            subprocess.run(
                [sys.executable, "-m", "compileall", "-q", str(tree / "hermit")],
                check=True,
                stdout=subprocess.DEVNULL,
            )
    stores: dict[str, Path] = {}
    for name, (cmd, env) in systems.items():
        own = store.with_name(f"store-{re.sub(r'[^A-Za-z0-9._-]', '_', name)}.duckdb")
        shutil.copyfile(store, own)
        subprocess.run(
            [*cmd, "--store", str(own), "screen", "warm up"],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=env["HERMIT_BENCH_CWD"],
        )
        stores[name] = own
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    anchor_commit = subprocess.run(
        ["git", "-C", str(anchor), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    print(f"machine: {machine()}")
    print(f"this checkout {commit}, anchor {args.anchor} at {anchor_commit}; store {store}")
    compiled = "not byte-compiled" if args.no_compile else "both byte-compiled first"
    print(f"lists: {', '.join(p.name for p in files)}; {args.runs} runs per query and system")
    flag = os.environ.get("PYTHONDONTWRITEBYTECODE")
    print(f"checkouts {compiled}; PYTHONDONTWRITEBYTECODE={flag}\n")
    walls: dict[str, list[float]] = {name: [] for name in systems}
    cpus: dict[str, list[float]] = {name: [] for name in systems}
    by_query: dict[tuple[str, str], list[float]] = {}
    for _ in range(args.runs):
        for query in QUERIES:
            for name, (cmd, env) in systems.items():  # interleaved: the same load on both
                wall, cpu = _run([*cmd, "--store", str(stores[name]), "screen", *query], env)
                walls[name].append(wall)
                cpus[name].append(cpu)
                by_query.setdefault((name, query[0]), []).append(wall)
    print(
        "| system | runs | wall median s | wall min s | wall max s "
        "| CPU median s | CPU min s | CPU max s |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name in systems:
        print(f"| {name} | {len(walls[name])} | {_summary(walls[name])} | {_summary(cpus[name])} |")
    print("\nwall median s by query:\n")
    print("| query | " + " | ".join(systems) + " |")
    print("|---|" + "---|" * len(systems))
    for query in QUERIES:
        cells = " | ".join(f"{statistics.median(by_query[(n, query[0])]):.3f}" for n in systems)
        print(f"| {' '.join(query)} | {cells} |")
    totals = importtime(stores["this checkout"], base_env)
    print(f"\nimports of this checkout, one run: {sum(totals.values()):.3f} s; the largest:\n")
    print("| package | import s |")
    print("|---|---|")
    for name, seconds in sorted(totals.items(), key=lambda kv: -kv[1])[:15]:
        print(f"| {name} | {seconds:.3f} |")
    subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(anchor)])


if __name__ == "__main__":
    main()
