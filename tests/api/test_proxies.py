"""X-Forwarded-For is believed only from proxies the operator names (issue 11 section 4).

Through the real ``hermit serve``: before this, a local client wrote any address it liked
into the audit log and escaped the anonymous rate limit by rotating the header."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api import served
from tests.cli.helpers import hermit

FORGED = "203.0.113.9"


class Served(served.Served):
    def __init__(self, store: Path, *args: str) -> None:
        super().__init__(store, *args, env={"HERMIT_RATE_PER_MINUTE": "5"}, stop_s=20)


@pytest.fixture()
def store(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "store.duckdb"
    out = hermit(path, "keys", "add", "ada", "--role", "admin", "--by", "test").stdout
    token = out.split()[0]
    assert token.startswith("hermit_"), out
    return path, token


@pytest.fixture()
def serve(store: tuple[Path, str]) -> Iterator[Any]:
    started: list[Served] = []

    def start(*args: str) -> Served:
        s = Served(store[0], *args)
        started.append(s)
        return s

    yield start
    for s in started:
        s.stop()


def _refused_write_client(base: str, token: str) -> str | None:
    body = {"entity_id": "ofac-1", "query_name": "Kim Yong Chol", "reason": "proxy test"}
    with httpx.Client(base_url=base, timeout=30) as c:
        r = c.post("/suppressions", json=body, headers={"X-Forwarded-For": FORGED})
        assert r.status_code == 401, r.text
        admin = {"Authorization": f"Bearer {token}"}
        log = c.get("/admin/audit", params={"limit": 5}, headers=admin)
        assert log.status_code == 200, log.text
        entries = [e for e in log.json()["results"] if e["path"] == "/suppressions"]
        assert entries, log.text
        client: str | None = entries[0]["client"]
        return client


def test_forged_forwarded_for_is_not_believed(store: tuple[Path, str], serve: Any) -> None:
    svc = serve()
    assert _refused_write_client(svc.base, store[1]) == "127.0.0.1"
    # rotating the header does not give a new anonymous rate-limit bucket
    codes = []
    with httpx.Client(base_url=svc.base, timeout=30) as c:
        for i in range(12):
            r = c.get("/catalog", headers={"X-Forwarded-For": f"198.51.100.{i + 1}"})
            codes.append(r.status_code)
    assert 429 in codes, codes


def test_a_named_proxy_is_believed(store: tuple[Path, str], serve: Any) -> None:
    svc = serve("--trusted-proxy", "127.0.0.0/8")
    assert _refused_write_client(svc.base, store[1]) == FORGED


def test_a_bad_proxy_is_a_clear_error(store: tuple[Path, str]) -> None:
    proc = hermit(store[0], "serve", "--trusted-proxy", "banana", check=False)
    assert proc.returncode == 2
    assert "banana" in proc.stderr and "Traceback" not in proc.stderr
    env_proc = subprocess.run(
        [sys.executable, "-m", "hermit", "--store", str(store[0]), "serve"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "HERMIT_TRUSTED_PROXIES": "10.0.0.0/8, nope"},
    )
    assert env_proc.returncode == 2 and "nope" in env_proc.stderr, env_proc.stderr
