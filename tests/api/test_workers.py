"""``hermit serve --workers N`` (issue 11 section 5): N processes answer requests and
one more runs the batch jobs, so a job's screening takes no CPU time from /match; all of
them see what the command line writes beside the store; and the rate limit holds
across the workers (the buckets are shared beside the store: hermit.api.rates; each
worker counted its own before, so a client reaching both got twice its limit). These
services are tests/conftest.py's LAST (two processes of ~650 MB each): one file, so
that two of them never run at once on the suite's two processes."""

from __future__ import annotations

import math
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from tests.api import served as real
from tests.api.test_cli_beside_service import Served, _hit, _ok, _within
from tests.stores import copy_store

RATE = 30
SENT = 4 * RATE


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                found.append(int(entry.name))
    return found


def test_several_workers_and_a_job_process(lists_store: Path, tmp_path: Path) -> None:
    """``hermit serve --workers 2``: two processes answer requests and a third runs the
    batch jobs; a key made on the command line works on every worker, and a job
    uploaded to one is run by the job process and seen done from any worker."""
    store = tmp_path / "store.duckdb"
    copy_store(lists_store, store)
    served = Served(store, "--workers", "2")
    try:
        base = served.base
        # uvicorn's two workers (under its spawn helper) and the job runner
        assert len(_descendants(served.proc.pid)) >= 3, _descendants(served.proc.pid)
        wes = _ok(store, "keys", "add", "wes", "--role", "write", "--by", "test").split()[0]
        auth = {"Authorization": f"ApiKey {wes}"}

        def known_everywhere() -> bool:  # connections spread over the workers
            return all(
                httpx.get(f"{base}/jobs", headers=auth, timeout=30).status_code == 200
                for _ in range(12)
            )

        assert _within(60, known_everywhere), "a worker never took the new key"
        r = httpx.post(
            f"{base}/jobs",
            headers=auth,
            files={"file": ("q.csv", b"name\nKim Yong Chol\nHavin Bank Ltd\n")},
            timeout=60,
        )
        assert r.status_code == 202, r.text
        job_id = r.json()["id"]

        def done() -> dict[str, Any] | None:
            job = httpx.get(f"{base}/jobs/{job_id}", headers=auth, timeout=30).json()
            return job if job["status"] in ("done", "failed") else None

        job = _within(300, done)
        assert job is not None and job["status"] == "done", job
        assert job["screened"] == 2
        result = httpx.get(f"{base}{job['result_url']}", headers=auth, timeout=30)
        assert result.status_code == 200 and "Kim Yong Chol" in result.text
        assert _hit(base) is not None
    finally:
        served.stop()
    assert "Traceback" not in served.proc.communicate()[1]


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        children = _children(todo.pop())
        out += children
        todo += children
    return out


def test_the_job_process_ends_with_a_killed_service(lists_store: Path, tmp_path: Path) -> None:
    """A hermit serve killed outright (SIGKILL: no cleanup) while its job process is
    still starting leaves no job process behind: it ends within seconds, not only once
    it has read its index."""
    import signal
    import subprocess
    import sys
    import time

    store = tmp_path / "store.duckdb"
    copy_store(lists_store, store)
    proc = subprocess.Popen(
        [sys.executable, "-m", "hermit", "--store", str(store), "serve", "--port", "0"],
        env={"PATH": "/usr/bin:/bin"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        runner = _within(300, lambda: _children(proc.pid))
        assert runner, "no job process started"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 8
    while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in runner):
        time.sleep(0.2)
    alive = [p for p in runner if Path(f"/proc/{p}").exists()]
    for p in alive:  # do not leave it running whatever the outcome
        subprocess.run(["kill", str(p)], check=False)
    assert not alive, "the job process outlived its service"


def test_two_workers_share_one_rate_limit(lists_store: Path, tmp_path: Path) -> None:
    store = copy_store(lists_store, tmp_path / "store.duckdb")
    served = real.Served(store, "--workers", "2", env={"HERMIT_RATE_PER_MINUTE": str(RATE)})
    try:

        def one(_: int) -> int:  # a connection of its own: the workers share them out
            return httpx.get(f"{served.base}/algorithms", timeout=60).status_code

        start = time.monotonic()
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(one, range(SENT)))
        elapsed = time.monotonic() - start
    finally:
        served.stop()
    assert set(statuses) <= {200, 429}, statuses
    refilled = math.ceil(elapsed * RATE / 60.0)  # the bucket refills as the test runs
    allowed = statuses.count(200)
    assert RATE <= allowed <= RATE + refilled, (allowed, f"{elapsed:.1f} s")
    assert "Traceback" not in served.proc.communicate()[1]
