"""The memory of a running ``hermit serve`` across list loads, and what it answers meanwhile.

    .venv/bin/python bench/api/reload_memory.py [--workdir /tmp/hermit-reload-bench]
        [--lists $HERMIT_SHARED_DATA/lists] [--store STORE] [--serve-args "..."] [--json OUT]

1. A store with the real UN and OFAC lists (bench/api/load.py's, ``--store`` to copy one),
   copied afresh with its persisted index; ``hermit serve`` on it as a subprocess on
   loopback, ready (/readyz).
2. A sampler reads the summed PSS of the service's processes (/proc/PID/smaps_rollup)
   every 0.2 s; a client POSTs one /match (``Kim Yong Chol``) every 0.1 s throughout
   and records each answer's status, latency and the OFAC version it was screened
   against (the response's ``lists``).
3. Three list changes, one after the other, each followed by a settle of 8 s:
   a. POST /admin/lists with OFAC's 2024-05-02 sdn.csv (``companions=keep-previous``,
      ``allow_large_change``): a new OFAC version, loaded and indexed in the service;
   b. the same with the current OFAC files again (another new version);
   c. ``hermit lists load`` of the 2019-01-15 OFAC file from the command line beside the
      running service, which finds the published version within its poll.
4. Reports, per phase: PSS before, the peak during, and after; the probes' statuses, the
   longest answer and the OFAC versions seen in order (a probe never sees an older
   version after a newer one, and none is refused).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bench.api.load import HERMIT, Server, lists_store, tree  # noqa: E402
from bench.machine import machine, proc_kb  # noqa: E402

QUERY = {"schema": "Person", "properties": {"name": ["Kim Yong Chol"]}}


def pss_kb(pid: int) -> int:
    """The summed PSS of ``pid`` and every process under it."""
    return sum(proc_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in tree(pid))


def own_pss_kb(pid: int) -> int:
    """The PSS of ``pid`` alone (the serving process, without the job process)."""
    return proc_kb(f"/proc/{pid}/smaps_rollup", "Pss:")


class Sampler(threading.Thread):
    """(time, PSS kB of the serving process, of all the service's processes) every
    ``every`` seconds."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.samples: list[tuple[float, int, int]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(self.every):
            self.samples.append((time.monotonic(), own_pss_kb(self.pid), pss_kb(self.pid)))

    def between(self, t0: float, t1: float, which: int) -> list[int]:
        return [s[which] for s in self.samples if t0 <= s[0] <= t1]

    def at(self, t: float, which: int) -> int:
        """The last sample taken at or before ``t``."""
        found = [s[which] for s in self.samples if s[0] <= t]
        return found[-1] if found else 0


class Prober(threading.Thread):
    """One /match every ``every`` seconds: (sent at, status, seconds, OFAC seq)."""

    def __init__(self, base: str, every: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.base, self.every = base, every
        self.answers: list[tuple[float, int, float, int | None]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=60) as c:
            while not self.stop.wait(self.every):
                t = time.monotonic()
                try:
                    r = c.post("/match/default", json={"queries": {"q": QUERY}})
                    status = r.status_code
                    seq = _ofac_seq(r.json()) if status == 200 else None
                except httpx.HTTPError:
                    status, seq = 0, None
                self.answers.append((t, status, time.monotonic() - t, seq))

    def between(self, t0: float, t1: float) -> list[tuple[float, int, float, int | None]]:
        return [a for a in self.answers if t0 <= a[0] <= t1]


def _ofac_seq(body: dict[str, Any]) -> int | None:
    for v in body.get("lists", []):
        if v["dataset"] == "us_ofac_sdn":
            return int(v["seq"])
    return None


def _load_over_api(base: str, token: str, files: list[Path]) -> dict[str, Any]:
    upload = [("files", (f.name, f.read_bytes())) for f in files]
    params = {"companions": "keep-previous", "allow_large_change": "true"}
    r = httpx.post(
        f"{base}/admin/lists",
        files=upload,
        params=params,
        headers={"Authorization": f"Bearer {token}"},
        timeout=1800,
    )
    r.raise_for_status()
    return dict(r.json())


def _wait_for_seq(prober: Prober, seq: int, timeout_s: float = 900) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if prober.answers and prober.answers[-1][3] == seq:
            return
        time.sleep(0.2)
    raise RuntimeError(f"OFAC v{seq} not served within {timeout_s} s")


def phase(
    name: str, sampler: Sampler, prober: Prober, t0: float, t1: float, settle_s: float
) -> dict[str, Any]:
    time.sleep(settle_s)
    t2 = time.monotonic()
    mb: dict[str, int] = {}
    for which, label in [(1, "serve"), (2, "all")]:
        during = sampler.between(t0, t1, which)
        mb[f"{label}_before"] = round(sampler.at(t0, which) / 1024)
        mb[f"{label}_peak"] = round(max(during or [0]) / 1024)
        mb[f"{label}_after"] = round(sampler.at(t2, which) / 1024)
    answers = prober.between(t0, t2)
    seqs: list[int] = []
    for a in answers:
        if a[3] is not None and (not seqs or seqs[-1] != a[3]):
            seqs.append(a[3])
    statuses: dict[str, int] = {}
    for a in answers:
        statuses[str(a[1])] = statuses.get(str(a[1]), 0) + 1
    row = {
        "phase": name,
        "seconds": round(t1 - t0, 1),
        "pss_mb": mb,
        "probes": len(answers),
        "statuses": statuses,
        "slowest_probe_s": round(max((a[2] for a in answers), default=0.0), 2),
        "ofac_versions_seen": seqs,
    }
    print(json.dumps(row), flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/hermit-reload-bench"))
    shared = Path(os.environ.get("HERMIT_SHARED_DATA", REPO.parent / "shared" / "data"))
    parser.add_argument("--lists", type=Path, default=shared / "lists")
    parser.add_argument("--store", type=Path, default=None, help="a store to copy")
    parser.add_argument("--serve-args", default="", help="extra arguments to hermit serve")
    parser.add_argument("--settle", type=float, default=8.0, help="seconds after each change")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    print(machine(), flush=True)
    source = args.store if args.store is not None else lists_store(args.workdir, args.lists)
    store = args.workdir / "serve.duckdb"
    for old in args.workdir.glob("serve.*"):
        if old.is_dir():
            shutil.rmtree(old)
        else:
            old.unlink()
    shutil.copyfile(source, store)
    index = source.parent / f"{source.stem}.index"  # its persisted index, as a load leaves it
    if index.is_dir():
        shutil.copytree(index, args.workdir / f"{store.stem}.index")
    token = subprocess.run(
        [str(HERMIT), "--store", str(store), "keys", "add", "bench", "--role", "write"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[0]
    server = Server(store, shlex.split(args.serve_args))
    print(f"server: {server.command}", flush=True)
    rows: list[dict[str, Any]] = []
    try:
        ready_s = server.wait_ready()
        sampler, prober = Sampler(server.proc.pid), Prober(server.base)
        sampler.start()
        prober.start()
        time.sleep(3)
        print(f"ready in {ready_s:.1f} s; PSS {pss_kb(server.proc.pid) / 1024:.0f} MB", flush=True)
        lists = args.lists
        for name, files in [
            ("api: OFAC 2024-05-02", [lists / "ofac_sdn_2024-05-02.csv"]),
            ("api: OFAC current files", [lists / "ofac_sdn.csv"]),
        ]:
            t0 = time.monotonic()
            loaded = _load_over_api(server.base, token, files)
            t1 = time.monotonic()
            rows.append(phase(name, sampler, prober, t0, t1, args.settle))
            rows[-1]["seq"] = loaded["loads"][0]["seq"]
        t0 = time.monotonic()
        subprocess.run(
            [
                *(str(HERMIT), "--store", str(store), "lists", "load", "--allow-large-change"),
                *("--companions", "keep-previous", "--no-end-mark"),
                str(lists / "ofac_sdn_2019-01-15.csv"),
            ],
            check=True,
            capture_output=True,
        )
        seq = int(rows[-1]["seq"]) + 1
        _wait_for_seq(prober, seq)
        t1 = time.monotonic()
        rows.append(phase("cli beside: OFAC 2019-01-15", sampler, prober, t0, t1, args.settle))
        sampler.stop.set()
        prober.stop.set()
    finally:
        server.stop()
    if args.json is not None:
        args.json.write_text(json.dumps({"phases": rows, "samples": sampler.samples}, indent=1))
    print(
        "| change | seconds | serving process PSS MB before / peak / after "
        "| all processes before / peak / after | probes | statuses | slowest s "
        "| OFAC versions seen |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        m = r["pss_mb"]
        print(
            f"| {r['phase']} | {r['seconds']} "
            f"| {m['serve_before']} / {m['serve_peak']} / {m['serve_after']} "
            f"| {m['all_before']} / {m['all_peak']} / {m['all_after']} "
            f"| {r['probes']} | {r['statuses']} | {r['slowest_probe_s']} "
            f"| {r['ofac_versions_seen']} |"
        )


if __name__ == "__main__":
    main()
