"""Load test of POST /match/default on loopback, bounded in time.

    .venv/bin/python bench/api/load.py [--seconds 60] [--concurrency 1,10,50]
        [--workers 1,2] [--job-rows 0] [--bodies 20000] [--check 1000]
        [--workdir /tmp/hermit-api-bench] [--lists ../shared/data/lists] [--store STORE]
        [--serve-args "..."] [--json OUT]

1. A store with the real UN and OFAC lists (``--store`` to copy one, else loaded once
   from ``--lists`` into the workdir and reused), copied afresh for the service.
2. ``hermit --store COPY serve`` as a subprocess on a free loopback port, with
   ``HERMIT_RATE_PER_MINUTE=0`` (no rate limit for the run); waits for /readyz.
3. ``--bodies`` request bodies from bench/api/bodies.py (seed printed; 20,000 so that a
   minute at full speed sends each only two or three times and the name caches see
   mostly new names), the first ``--check`` of them POSTed once first to check they are
   answered 200 and to warm up (the run stops if one is not).
4. For each concurrency C: wrk (Debian package ``wrk``, a separate process) with C
   connections for ``--seconds`` seconds, the bodies in turn (bench/api/match.lua),
   one connection per client, keep-alive. Reports requests/s, p50/p95/p99/max latency,
   errors (socket errors and any status >= 400), the server's CPU (user+system
   seconds over the run, divided by wall time: 1.0 is one core busy) and its peak RSS
   (sampled every 0.5 s from /proc), both over all its processes (workers, job runner).
5. Steps 2 and 4 once per ``--workers`` count (``hermit serve --workers N``), one after
   the other in the same run, so the figures sit side by side. With ``--job-rows N``, a
   batch job of N rows (the bodies' names) is uploaded just before each level and runs
   in the service's job process while wrk measures.

Loopback only: the service listens on 127.0.0.1 and wrk targets it; every run stops by
itself after ``--seconds``.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bench.api.bodies import SEED, bodies  # noqa: E402
from bench.machine import machine, proc_kb  # noqa: E402

LUA = Path(__file__).resolve().parent / "match.lua"
HERMIT = Path(sys.executable).parent / "hermit"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def lists_store(workdir: Path, lists: Path) -> Path:
    store = workdir / "lists.duckdb"
    if not store.exists():
        files = [str(lists / "un_consolidated.xml"), str(lists / "ofac_sdn.csv")]
        subprocess.run(
            [str(HERMIT), "--store", str(store), "lists", "load", *files],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    return store


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def tree(pid: int) -> list[int]:
    """``pid`` and every process under it (uvicorn's workers, the job runner)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int(_stat(int(entry.name))[1])
            except (OSError, IndexError, ValueError):
                continue
    found, todo = [pid], [pid]
    while todo:
        parent = todo.pop()
        children = [p for p, pp in parents.items() if pp == parent]
        found += children
        todo += children
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and every process under it."""
    ticks = 0
    for p in tree(pid):
        try:
            ticks += sum(int(x) for x in _stat(p)[11:13])
        except (OSError, ValueError):
            continue
    return ticks / os.sysconf("SC_CLK_TCK")


class RssSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.5):
            total = 0
            for p in tree(self.pid):
                try:
                    total += proc_kb(f"/proc/{p}/status", "VmRSS:")
                except OSError:
                    continue
            self.peak_kb = max(self.peak_kb, total)


class Server:
    def __init__(self, store: Path, serve_args: list[str]) -> None:
        self.port = free_port()
        env = {**os.environ, "HERMIT_RATE_PER_MINUTE": "0"}
        cmd = [str(HERMIT), "--store", str(store), "serve", "--host", "127.0.0.1"]
        cmd += ["--port", str(self.port), "--log-level", "warning", *serve_args]
        self.command = " ".join(shlex.quote(c) for c in cmd)
        self.proc = subprocess.Popen(cmd, env=env)
        self.base = f"http://127.0.0.1:{self.port}"

    def wait_ready(self, workers: int = 1, timeout_s: float = 900) -> float:
        """Until /readyz has answered 200 from ``workers`` distinct processes (each on a
        fresh connection; a worker accepts one only once its index is read)."""
        began = time.monotonic()
        seen: set[str] = set()
        while time.monotonic() - began < timeout_s:
            if self.proc.poll() is not None:
                raise RuntimeError(f"hermit serve exited with {self.proc.returncode}")
            try:
                r = httpx.get(f"{self.base}/readyz", timeout=5)
                if r.status_code == 200:
                    seen.add(r.headers.get("x-hermit-process", "?"))
                if len(seen) >= workers:
                    return time.monotonic() - began
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise RuntimeError("service not ready in time")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def check_bodies(base: str, items: list[dict[str, Any]]) -> dict[str, int]:
    """POST every body once; any status but 200 stops the run."""
    counts = {"queries": 0, "with_match": 0, "with_results": 0}
    with httpx.Client(base_url=base, timeout=30) as client:
        for body in items:
            r = client.post("/match/default", json=body)
            if r.status_code != 200:
                raise SystemExit(f"body answered {r.status_code}: {body} -> {r.text[:300]}")
            for resp in r.json()["responses"].values():
                counts["queries"] += 1
                counts["with_results"] += bool(resp["results"])
                counts["with_match"] += any(x["match"] for x in resp["results"])
    return counts


def start_job(base: str, token: str, job_file: Path) -> str:
    with job_file.open("rb") as handle:
        r = httpx.post(
            f"{base}/jobs",
            headers={"Authorization": f"ApiKey {token}"},
            files={"file": ("bench.csv", handle)},
            timeout=120,
        )
    if r.status_code != 202:
        raise SystemExit(f"job upload answered {r.status_code}: {r.text[:300]}")
    return str(r.json()["id"])


def job_state(base: str, token: str, job_id: str) -> dict[str, Any]:
    """What the job did while wrk ran (it is still running when it outlasts the level)."""
    job = httpx.get(
        f"{base}/jobs/{job_id}", headers={"Authorization": f"ApiKey {token}"}, timeout=30
    ).json()
    return {"id": job_id, "status": job["status"], "rows_read": job["rows_read"]}


def run_wrk(base: str, bodies_file: Path, concurrency: int, seconds: int) -> dict[str, Any]:
    threads = min(2, concurrency)
    cmd = ["wrk", "-t", str(threads), "-c", str(concurrency), "-d", f"{seconds}s"]
    cmd += ["--timeout", "10s", "-s", str(LUA), base]
    env = {**os.environ, "BODIES_FILE": str(bodies_file)}
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    line = [x for x in out.splitlines() if x.startswith("{")][-1]
    result: dict[str, Any] = json.loads(line)
    result["wrk"] = " ".join(cmd)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--concurrency", default="1,10,50")
    parser.add_argument("--bodies", type=int, default=20_000)
    parser.add_argument("--check", type=int, default=1000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/hermit-api-bench"))
    parser.add_argument("--lists", type=Path, default=REPO.parent / "shared" / "data" / "lists")
    parser.add_argument("--store", type=Path, default=None, help="a store to copy")
    parser.add_argument("--serve-args", default="", help="extra arguments to hermit serve")
    parser.add_argument("--workers", default="1", help="worker counts, one server each")
    parser.add_argument("--job-rows", type=int, default=0, help="a job running meanwhile")
    parser.add_argument("--json", type=Path, default=None, help="write the results here")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk not found: apt-get install wrk")
    if not 1 <= args.seconds <= 600:
        raise SystemExit("--seconds: 1 to 600")
    args.workdir.mkdir(parents=True, exist_ok=True)
    source = args.store if args.store is not None else lists_store(args.workdir, args.lists)
    store = args.workdir / "serve.duckdb"
    shutil.copyfile(source, store)
    print(f"machine: {machine()}")
    head = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    wrk_out = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
    wrk_version = wrk_out.splitlines()[0] if wrk_out else "wrk"
    print(f"hermit at {head or 'unknown commit'}; {wrk_version}")
    items = bodies(source, args.bodies)
    bodies_file = args.workdir / "bodies.jsonl"
    bodies_file.write_text(
        "".join(json.dumps(b, ensure_ascii=False) + "\n" for b in items), encoding="utf-8"
    )
    n_queries = sum(len(b["queries"]) for b in items)
    print(f"bodies: {len(items)} ({n_queries} queries), seed {SEED}, {bodies_file}")
    token = subprocess.run(
        [str(HERMIT), "--store", str(store), "keys", "add", "bench", "--role", "write"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[0]
    job_file = args.workdir / "job.csv"
    if args.job_rows:
        names = [q["properties"]["name"][0] for b in items for q in b["queries"].values()]
        rows = (names * (args.job_rows // len(names) + 1))[: args.job_rows]
        job_file.write_text(
            "name\n" + "".join('"' + n.replace('"', '""') + '"\n' for n in rows),
            encoding="utf-8",
        )
    results: list[dict[str, Any]] = []
    for workers in (int(x) for x in args.workers.split(",")):
        extra = [*shlex.split(args.serve_args), "--workers", str(workers)]
        server = Server(store, extra)
        print(f"server: {server.command}")
        try:
            ready_s = server.wait_ready(workers)
            print(f"ready after {ready_s:.1f} s (index build included)")
            counts = check_bodies(server.base, items[: args.check])
            print(f"checked: the first {args.check} bodies answered 200; {counts}")
            sampler = RssSampler(server.proc.pid)
            sampler.start()
            for c in (int(x) for x in args.concurrency.split(",")):
                job = start_job(server.base, token, job_file) if args.job_rows else None
                cpu0, t0 = cpu_seconds(server.proc.pid), time.monotonic()
                r = run_wrk(server.base, bodies_file, c, args.seconds)
                cpu = (cpu_seconds(server.proc.pid) - cpu0) / (time.monotonic() - t0)
                errors = sum(r[k] for k in ("connect", "read", "write", "status", "timeout"))
                row = {
                    "workers": workers,
                    "concurrency": c,
                    "seconds": args.seconds,
                    "requests": r["requests"],
                    "rps": r["requests"] / (r["duration_us"] / 1e6),
                    "p50_ms": r["p50"] / 1000,
                    "p95_ms": r["p95"] / 1000,
                    "p99_ms": r["p99"] / 1000,
                    "max_ms": r["max"] / 1000,
                    "errors": errors,
                    "server_cpu_cores": cpu,
                    "server_peak_rss_mb": sampler.peak_kb / 1024,
                    "job": None if job is None else job_state(server.base, token, job),
                    "wrk": r["wrk"],
                }
                results.append(row)
                print(json.dumps(row), flush=True)
            sampler.stop.set()
        finally:
            server.stop()
    print()
    print(
        "| workers | clients | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors "
        "| server CPU (cores) | server peak RSS MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for row in results:
        print(
            f"| {row['workers']} | {row['concurrency']} | {row['requests']:,} "
            f"| {row['rps']:,.0f} "
            f"| {row['p50_ms']:.1f} | {row['p95_ms']:.1f} | {row['p99_ms']:.1f} "
            f"| {row['max_ms']:.1f} | {row['errors']} | {row['server_cpu_cores']:.2f} "
            f"| {row['server_peak_rss_mb']:.0f} |"
        )
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=2))
    if any(row["errors"] for row in results):
        raise SystemExit("errors during the load test")


if __name__ == "__main__":
    main()
