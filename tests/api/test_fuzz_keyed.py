"""The keyed endpoints, and the endpoints no other fuzz test reaches, fuzzed from
/openapi.json with an administrator's key (so the requests reach the code behind the key
check) on one service of this module's own over the real lists (issue 11 section 4: no
input gives a 500; tests/api/fuzz.py): never a 5xx, always JSON with a ``detail`` on a
4xx. The two tests share the service (one start and store copy, not two): the first
fuzzes /admin, /jobs and /suppressions with ids made by earlier requests where a path
takes one (a job's, a key's, a listed entity); the second /ais, /network, /compliance
and the report jobs' reads, with no AIS or registry store beside the service. Asking for
a report (POST /reports/kims, /dossier, /compliance) is left out: each accepted case
starts a ``hermit report`` process (tests/api/test_reports_api.py asks for each kind)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.conftest import Service
from tests.api.fuzz import fuzz
from tests.api.keyed import auth, launch_keyed

#: Few cases per operation and mode: the point is every operation, not depth.
EXAMPLES = 8
OTHER_PATHS = r"^/(ais|network|compliance)/|^/reports(/\{job_id\}(/.*)?)?$"


@pytest.fixture(scope="module")
def admin(
    lists_store: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Service, dict[str, str]]]:
    svc, tokens = launch_keyed(lists_store, tmp_path_factory.mktemp("fuzz_keyed"))
    try:
        yield svc, tokens
    finally:
        svc.stop()


def test_keyed_endpoints_fuzzed_with_an_admin_key(admin: tuple[Service, dict[str, str]]) -> None:
    svc, tokens = admin
    with svc.client(headers=auth(tokens["ada"])) as c:
        job = c.post("/jobs", files={"file": ("a.csv", b"name\nKim Yong Chol\n")}).json()
        spare = c.post("/admin/keys", json={"name": "spare", "role": "read"}).json()
    scope = {"job_id": job["id"], "key_id": spare["id"], "entity_id": "ofac-12211"}
    labels, sent = fuzz(
        svc.base_url, r"^/(admin|jobs|suppressions)", EXAMPLES, scope, auth(tokens["ada"])
    )
    assert labels >= {
        "POST /admin/keys",
        "GET /admin/audit",
        "DELETE /admin/keys/{key_id}",
        "GET /jobs/{job_id}",
        "GET /jobs/{job_id}/result",
        "POST /suppressions",
    }
    assert sent > 100


def test_other_endpoints_fuzzed_with_an_admin_key(admin: tuple[Service, dict[str, str]]) -> None:
    svc, tokens = admin
    scope = {"entity_id": "ofac-12211", "job_id": "0" * 32, "mmsi": "445001000"}
    labels, sent = fuzz(svc.base_url, OTHER_PATHS, EXAMPLES, scope, auth(tokens["ada"]))
    assert labels >= {
        "GET /ais/events",
        "GET /ais/kims",
        "GET /network/exposure/{entity_id}",
        "GET /network/neighbourhood/{entity_id}",
        "POST /compliance/check",
        "GET /reports",
        "GET /reports/{job_id}",
    }
    assert not any(label.startswith("POST /reports") for label in labels)
    assert sent > 100
