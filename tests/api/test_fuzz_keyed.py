"""The keyed endpoints fuzzed from /openapi.json with an administrator's key (so the
requests reach the code behind the key check), on a service of their own, with ids made
by earlier requests where a path takes one (a job's, a key's, a listed entity): never a
5xx, always JSON with a ``detail`` on a 4xx (tests/api/fuzz.py)."""

from __future__ import annotations

from pathlib import Path

from tests.api.fuzz import fuzz
from tests.api.keyed import auth, launch_keyed

#: Few cases per operation and mode: the point is every keyed operation, not depth.
EXAMPLES = 8


def test_keyed_endpoints_fuzzed_with_an_admin_key(lists_store: Path, tmp_path: Path) -> None:
    svc, tokens = launch_keyed(lists_store, tmp_path)
    try:
        with svc.client(headers=auth(tokens["ada"])) as c:
            job = c.post("/jobs", files={"file": ("a.csv", b"name\nKim Yong Chol\n")}).json()
            spare = c.post("/admin/keys", json={"name": "spare", "role": "read"}).json()
        scope = {"job_id": job["id"], "key_id": spare["id"], "entity_id": "ofac-12211"}
        labels, sent = fuzz(
            svc.base_url, r"^/(admin|jobs|suppressions)", EXAMPLES, scope, auth(tokens["ada"])
        )
    finally:
        svc.stop()
    assert labels >= {
        "POST /admin/keys",
        "GET /admin/audit",
        "DELETE /admin/keys/{key_id}",
        "GET /jobs/{job_id}",
        "GET /jobs/{job_id}/result",
        "POST /suppressions",
    }
    assert sent > 100
