"""A 500 carries the security headers like every other answer (issue 11 §4).

No input gives a 500 (tests/api/test_fuzz_keyed.py), so the fault here is the store's:
the service state's key table dropped under a running service (a broken or half-restored
state database). Starlette's ServerErrorMiddleware writes that 500, and it sat outside
the middleware adding the headers: on main the answer had none of them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hermit.store.state import state_path
from tests.api.keyed import auth, launch_keyed


def test_a_500_carries_the_security_headers(lists_store: Path, tmp_path: Path) -> None:
    svc, tokens = launch_keyed(lists_store, tmp_path)
    try:
        with svc.client() as c:
            before = c.get("/admin/keys", headers=auth(tokens["ada"]))
            assert before.status_code == 200
            with sqlite3.connect(state_path(svc.store_path)) as con:
                con.execute("DROP TABLE api_keys")
            r = c.get("/admin/keys", headers=auth(tokens["ada"]))
    finally:
        svc.stop()
    assert r.status_code == 500, r.text
    assert r.json() == {"detail": "internal error (a bug in hermit; the log has the details)"}
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["content-security-policy"].startswith("default-src 'none'")
    for name in ("x-content-type-options", "content-security-policy", "referrer-policy"):
        assert r.headers[name] == before.headers[name], name
