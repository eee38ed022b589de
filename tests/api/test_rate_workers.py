"""The rate limit holds across worker processes (issue 11 section 5): ``hermit serve
--workers 2`` counted each client's requests in each worker, so a client whose
connections reached both got twice its limit. The buckets are now shared beside the
store (hermit.api.rates); this fails on main (about 2 x RATE requests allowed)."""

from __future__ import annotations

import math
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from tests.api.served import Served
from tests.stores import copy_store

RATE = 30
SENT = 4 * RATE


def test_two_workers_share_one_rate_limit(lists_store: Path, tmp_path: Path) -> None:
    store = copy_store(lists_store, tmp_path / "store.duckdb")
    served = Served(store, "--workers", "2", env={"HERMIT_RATE_PER_MINUTE": str(RATE)})
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
