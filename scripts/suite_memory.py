"""Measure the test suite's memory and CPU: the whole process tree, sampled every 0.5 s.

    .venv/bin/python scripts/suite_memory.py --out /tmp/suite -- ./run test -q --durations=50

runs the command (any command whose processes descend from it: ``./run test``, pytest with
or without xdist) and polls its process tree through /proc: each process's PSS from
/proc/PID/smaps_rollup (summed: PSS counts a shared page once across the tree, unlike RSS)
and its CPU (utime + stime from /proc/PID/stat). This module is also a pytest plugin
(loaded in every pytest process through PYTEST_PLUGINS, the environment the script sets):
each pytest process writes the test it is running to ``OUT/current.PID``, so a sample is
attributed to the test file running in the nearest pytest ancestor (its xdist worker for
a ``hermit serve`` subprocess, chromium or Spark's JVM), and it writes per-file figures
(set-up, call and tear-down seconds, its own CPU seconds) to ``OUT/files.PID.jsonl``.

Written at the end: ``OUT/summary.txt`` (the peak of summed PSS, what ran at that moment,
each process's peak, the peak and CPU seconds of each test file) and ``OUT/samples.jsonl``
(one line a sample: time, total PSS, per-process PSS). The command's exit status is the
script's. Peak memory does not depend on the machine's load; wall times do (CPU seconds
much less), so give the load average with any figure.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TRACE_ENV = "HERMIT_SUITE_TRACE"
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
INTERVAL = 0.5


# --- the pytest plugin side (runs in each pytest process when TRACE_ENV is set) ---------


@dataclass
class _FileTimes:
    setup: float = 0.0
    call: float = 0.0
    teardown: float = 0.0
    tests: int = 0


@dataclass
class _Tracer:
    folder: Path
    files: dict[str, _FileTimes] = field(default_factory=lambda: defaultdict(_FileTimes))
    current_file: str | None = None
    file_cpu_start: float = 0.0
    file_child_start: float = 0.0
    file_wall_start: float = 0.0

    def start(self, nodeid: str) -> None:
        name = nodeid.split("::", 1)[0]
        (self.folder / f"current.{os.getpid()}").write_text(nodeid)
        if name != self.current_file:
            self.finish_file()
            self.current_file = name
            self.file_cpu_start = time.process_time()
            self.file_child_start = _children_cpu()
            self.file_wall_start = time.monotonic()

    def finish_file(self) -> None:
        if self.current_file is None:
            return
        times = self.files[self.current_file]
        row = {
            "file": self.current_file,
            "pid": os.getpid(),
            "tests": times.tests,
            "setup_s": round(times.setup, 2),
            "call_s": round(times.call, 2),
            "teardown_s": round(times.teardown, 2),
            "wall_s": round(time.monotonic() - self.file_wall_start, 2),
            "cpu_s": round(time.process_time() - self.file_cpu_start, 2),
            "children_cpu_s": round(_children_cpu() - self.file_child_start, 2),
        }
        with (self.folder / f"files.{os.getpid()}.jsonl").open("a") as out:
            out.write(json.dumps(row) + "\n")
        self.current_file = None


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


_TRACER: _Tracer | None = None


def pytest_configure(config: Any) -> None:
    global _TRACER
    folder = os.environ.get(TRACE_ENV)
    # the xdist controller hears of its workers' tests too: only the processes that
    # run tests (the workers, or a pytest without xdist) trace
    controller = not hasattr(config, "workerinput") and bool(
        getattr(config.option, "numprocesses", None)
    )
    if folder and not controller:
        _TRACER = _Tracer(Path(folder))


def pytest_runtest_logstart(nodeid: str, location: Any) -> None:
    if _TRACER is not None:
        _TRACER.start(nodeid)


def pytest_runtest_logreport(report: Any) -> None:
    if _TRACER is None:
        return
    name = report.nodeid.split("::", 1)[0]
    times = _TRACER.files[name]
    setattr(times, report.when, getattr(times, report.when) + report.duration)
    if report.when == "call":
        times.tests += 1


def pytest_sessionfinish(session: Any) -> None:
    if _TRACER is not None:
        _TRACER.finish_file()
        (_TRACER.folder / f"current.{os.getpid()}").write_text("(session end)")


# --- the sampler side ---------------------------------------------------------------------


def _read(path: str) -> str | None:
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds) of ``pid``."""
    text = _read(f"/proc/{pid}/stat")
    if text is None:
        return None
    rest = text[text.rindex(")") + 2 :].split()
    return int(rest[1]), (int(rest[11]) + int(rest[12])) / TICKS


def _pss_kb(pid: int) -> int:
    text = _read(f"/proc/{pid}/smaps_rollup")
    if not text:
        return 0
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def _label(pid: int) -> str:
    raw = _read(f"/proc/{pid}/cmdline") or ""
    parts = [p for p in raw.split("\0") if p]
    if not parts:
        return "?"
    text = " ".join(parts)
    if "sys.stdin.readline()" in text:  # how execnet starts an xdist worker
        return "pytest-xdist worker"
    if "java" in os.path.basename(parts[0]):
        return "java (Spark JVM)" if "spark" in text.lower() else "java"
    if "chrom" in text:
        return "chromium"
    if "hermit" in text and "serve" in text:
        return "hermit serve"
    return " ".join(os.path.basename(p) if i == 0 else p for i, p in enumerate(parts[:4]))[:80]


def _tree(root: int) -> dict[int, tuple[int, float]]:
    """Every live process descending from ``root`` (itself included): pid -> (ppid, cpu)."""
    stats: dict[int, tuple[int, float]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            st = _stat(int(entry))
            if st is not None:
                stats[int(entry)] = st
    children: dict[int, list[int]] = defaultdict(list)
    for pid, (ppid, _) in stats.items():
        children[ppid].append(pid)
    found: dict[int, tuple[int, float]] = {}
    todo = [root]
    while todo:
        pid = todo.pop()
        if pid in stats and pid not in found:
            found[pid] = stats[pid]
            todo.extend(children.get(pid, ()))
    return found


def _file_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def sample_loop(proc: subprocess.Popen[bytes], out: Path) -> dict[str, Any]:
    peak_total = 0
    peak_at: dict[str, Any] = {}
    per_process: dict[int, dict[str, Any]] = {}
    file_peak: dict[str, int] = defaultdict(int)  # the peak of a worker's subtree
    file_cpu: dict[str, float] = defaultdict(float)  # CPU of a worker's subtree
    last_cpu: dict[int, float] = {}
    t0 = time.monotonic()
    with (out / "samples.jsonl").open("w") as samples:
        while proc.poll() is None:
            tree = _tree(proc.pid)
            current: dict[int, str] = {}
            for pid in tree:
                text = _read(str(out / f"current.{pid}"))
                if text is not None:
                    current[pid] = text
            pss = {pid: _pss_kb(pid) for pid in tree}
            owner: dict[int, int | None] = {}
            for pid in tree:
                walk: int | None = pid
                while walk is not None and walk not in current:
                    parent = tree.get(walk, (0, 0.0))[0]
                    walk = parent if parent in tree else None
                owner[pid] = walk
            subtree: dict[str, int] = defaultdict(int)
            for pid, (_, cpu) in tree.items():
                test = current.get(owner[pid], "") if owner[pid] is not None else ""
                name = _file_of(test) if test else "(outside tests)"
                delta = cpu - last_cpu.get(pid, 0.0)
                last_cpu[pid] = cpu
                # a worker's own test names are its own; the controller's are its workers'
                if owner[pid] is not None and _file_of(test) and test != "(session end)":
                    subtree[name] += pss[pid]
                    file_cpu[name] += max(delta, 0.0)
                info = per_process.setdefault(
                    pid, {"pid": pid, "label": _label(pid), "peak_kb": 0, "test": ""}
                )
                if pss[pid] > info["peak_kb"]:
                    info["peak_kb"] = pss[pid]
                    info["test"] = test
            for name, kb in subtree.items():
                file_peak[name] = max(file_peak[name], kb)
            total = sum(pss.values())
            now = round(time.monotonic() - t0, 1)
            samples.write(json.dumps({"t": now, "pss_kb": total, "pids": pss}) + "\n")
            if total > peak_total:
                peak_total = total
                peak_at = {
                    "t": now,
                    "processes": sorted(
                        (
                            {
                                "pid": pid,
                                "label": per_process[pid]["label"],
                                "pss_kb": kb,
                                "test": current.get(owner[pid], "") if owner[pid] else "",
                            }
                            for pid, kb in pss.items()
                            if kb > 10_000
                        ),
                        key=lambda p: -int(p["pss_kb"]),
                    ),
                }
            time.sleep(INTERVAL)
    return {
        "wall_s": round(time.monotonic() - t0, 1),
        "peak_kb": peak_total,
        "peak_at": peak_at,
        "per_process": sorted(per_process.values(), key=lambda p: -int(p["peak_kb"])),
        "file_peak_kb": dict(file_peak),
        "file_tree_cpu_s": {k: round(v, 1) for k, v in file_cpu.items()},
    }


def _mb(kb: int) -> str:
    return f"{kb / 1024:,.0f} MB"


def summarise(result: dict[str, Any], out: Path, command: list[str], rc: int) -> str:
    rows: list[dict[str, Any]] = []
    for path in sorted(out.glob("files.*.jsonl")):
        rows.extend(json.loads(line) for line in path.read_text().splitlines() if line)
    lines = [
        f"command: {' '.join(command)}",
        f"exit status {rc}; wall {result['wall_s']} s; load average at the end "
        f"{(_read('/proc/loadavg') or '?').split(' ')[0]}",
        f"peak summed PSS over the process tree: {_mb(result['peak_kb'])} "
        f"({result['peak_kb']} kB) at {result['peak_at'].get('t')} s",
    ]
    for p in result["peak_at"].get("processes", [])[:12]:
        lines.append(f"  {_mb(p['pss_kb']):>9}  pid {p['pid']:<7} {p['label']:<28} {p['test']}")
    lines.append("peak PSS of each process (> 50 MB), and the test running at its peak:")
    for p in result["per_process"]:
        if p["peak_kb"] > 50_000:
            lines.append(
                f"  {_mb(p['peak_kb']):>9}  pid {p['pid']:<7} {p['label']:<28} {p['test']}"
            )
    tree_cpu = result["file_tree_cpu_s"]
    total_cpu = sum(tree_cpu.values())
    lines.append(
        f"test files (a worker's subtree: itself, its hermit/chromium/JVM children): "
        f"CPU s summed {total_cpu:,.0f}"
    )
    lines.append(
        f"  {'tree CPU s':>10} {'own CPU s':>9} {'wall s':>7} {'setup':>7} {'call':>7} "
        f"{'teardown':>8} {'peak':>9}  file"
    )
    by_file = {r["file"]: r for r in rows}
    names = sorted(set(by_file) | set(tree_cpu), key=lambda n: -tree_cpu.get(n, 0.0))
    for name in names:
        r = by_file.get(name, {})
        lines.append(
            f"  {tree_cpu.get(name, 0.0):>10.1f} {r.get('cpu_s', 0.0):>9.1f} "
            f"{r.get('wall_s', 0.0):>7.1f} {r.get('setup_s', 0.0):>7.1f} "
            f"{r.get('call_s', 0.0):>7.1f} {r.get('teardown_s', 0.0):>8.1f} "
            f"{_mb(result['file_peak_kb'].get(name, 0)):>9}  {name} [pid {r.get('pid', '?')}]"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure a command's process tree: PSS and CPU.")
    parser.add_argument("--out", type=Path, required=True, help="folder for the results")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the command")
    args = parser.parse_args(argv)
    command = [c for c in args.command if c != "--"] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to measure after --")
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    for old in [*out.glob("current.*"), *out.glob("files.*.jsonl")]:
        old.unlink()
    env = dict(os.environ)
    env[TRACE_ENV] = str(out)
    here = str(Path(__file__).resolve().parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (here, env.get("PYTHONPATH")) if p)
    plugins = [p for p in env.get("PYTEST_PLUGINS", "").split(",") if p]
    env["PYTEST_PLUGINS"] = ",".join([*plugins, "suite_memory"])
    proc = subprocess.Popen(command, env=env)
    try:
        result = sample_loop(proc, out)
    except KeyboardInterrupt:
        proc.terminate()
        raise
    rc = proc.wait()
    text = summarise(result, out, command, rc)
    (out / "summary.json").write_text(json.dumps(result, indent=1))
    (out / "summary.txt").write_text(text)
    sys.stdout.write(text)
    return rc


if __name__ == "__main__":
    sys.exit(main())
