"""The command line on the store of a running ``hermit serve`` (issue 11 section 5).

Before, the service held the DuckDB file open for writing and every command on the same
store failed with DuckDB's lock error, even ``lists status``. Now the service reads a
published copy of the lists and keeps keys, audit log, jobs and suppressions in the
SQLite state beside the store: ``lists status``, ``screen``, ``keys add``, ``suppress
add`` and ``lists load`` all work while it runs, and the running service sees the new
key, the new decision and the new list version without a restart."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from tests.api import served
from tests.cli.helpers import hermit
from tests.stores import copy_store

NAME = "Kim Yong Chol"
TARGET = "ofac-12211"  # KIM, Yong Chol, born circa 1947 (alt. circa 1946)


class Served(served.Served):
    """``hermit serve`` ready (the index built: minutes on a busy machine)."""

    def __init__(self, store: Path, *args: str) -> None:
        super().__init__(store, *args)


def _within(seconds: float, probe: Callable[[], Any]) -> Any:
    """``probe()`` until it returns something true (the service looks every second)."""
    deadline = time.monotonic() + seconds
    while True:
        found = probe()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def _ok(store: Path, *args: str) -> str:
    proc = hermit(store, *args, check=False)
    assert proc.returncode == 0, (args, proc.stdout, proc.stderr)
    assert "lock" not in (proc.stdout + proc.stderr).lower(), proc.stderr
    return proc.stdout


def _hit(base: str, name: str = NAME) -> dict[str, Any] | None:
    query = {"schema": "Person", "properties": {"name": [name]}}
    r = httpx.post(
        f"{base}/match/default", json={"queries": {"q": query}}, params={"limit": 10}, timeout=30
    )
    assert r.status_code == 200, r.text
    found = {x["id"]: x for x in r.json()["responses"]["q"]["results"]}
    return found.get(TARGET)


def test_the_cli_works_beside_a_running_service(
    lists_store: Path, shared_lists: Path, tmp_path: Path
) -> None:
    store = tmp_path / "store.duckdb"
    copy_store(lists_store, store)
    admin = _ok(store, "keys", "add", "ada", "--role", "admin", "--by", "test").split()[0]
    served = Served(store)
    try:
        base = served.base
        status = _ok(store, "lists", "status")
        assert "us_ofac_sdn" in status and "un_sc_sanctions" in status
        assert "KIM" in _ok(store, "screen", NAME).upper()

        # a key made on the command line is known to the service at once
        bob = _ok(store, "keys", "add", "bob", "--role", "admin", "--by", "test").split()[0]

        def bob_in() -> bool:
            r = httpx.get(f"{base}/admin/keys", headers={"Authorization": f"ApiKey {bob}"})
            return r.status_code == 200

        assert _within(60, bob_in), "the service never took the new key"
        keys = httpx.get(f"{base}/admin/keys", headers={"Authorization": f"ApiKey {admin}"})
        assert {k["name"] for k in keys.json()["results"]} == {"ada", "bob"}

        # a decision recorded on the command line suppresses the service's next match
        before = _hit(base)
        assert before is not None and before["suppressed"] is None
        _ok(
            store,
            *("suppress", "add", "--entity", TARGET, "--name", NAME, "--schema", "Person"),
            *("--by", "alice", "--reason", "ours born 1962"),
        )

        def suppressed() -> str | None:
            hit = _hit(base)
            return None if hit is None else hit["suppressed"]

        found = _within(60, suppressed)
        assert found is not None and found.startswith("reviewed not a match by alice"), _hit(base)

        # a list loaded on the command line is served without a restart
        versions = httpx.get(f"{base}/lists").json()["versions"]
        assert "eu_fsf" not in {v["dataset"] for v in versions}
        _ok(store, "lists", "load", str(shared_lists / "eu_fsf_sample_2020-04-15.xml"))

        def eu_served() -> bool:
            catalog = httpx.get(f"{base}/catalog", timeout=10).json()
            return any(d["name"] == "eu_fsf" for d in catalog["datasets"])

        assert _within(600, eu_served), httpx.get(f"{base}/catalog").text
        assert "eu_fsf" in _ok(store, "lists", "status")
        # the job process started again on the new version (the same process, os.execv):
        # a job uploaded now is screened against it
        auth = {"Authorization": f"ApiKey {admin}"}
        job_id = httpx.post(
            f"{base}/jobs", headers=auth, files={"file": ("q.csv", b"name\n" + NAME.encode())}
        ).json()["id"]

        def job_done() -> dict[str, Any] | None:
            job = httpx.get(f"{base}/jobs/{job_id}", headers=auth, timeout=30).json()
            return job if job["status"] in ("done", "failed") else None

        job = _within(600, job_done)
        assert job is not None and job["status"] == "done", job
        assert "eu_fsf" in {v["dataset"] for v in job["lists"]}, job["lists"]
        # the decision still stands in the new index
        assert _hit(base) is not None and suppressed() is not None
        assert served.proc.poll() is None
    finally:
        served.stop()
    log = served.proc.communicate()[1]
    assert "Traceback" not in log
    assert "the job runner starts again to read it" in log
