"""The endpoints no other fuzz test reaches (/ais, /network, /compliance and the report
jobs' reads), fuzzed from /openapi.json with an administrator's key on a service of its
own over the real lists, with no AIS or registry store beside it (issue 11 section 4: no
input gives a 500; tests/api/fuzz.py): never a 5xx, always JSON with a ``detail`` on a
4xx. Asking for a report (POST /reports/kims, /dossier, /compliance) is left out: each
accepted case starts a ``hermit report`` process (tests/api/test_reports_api.py asks for
each kind)."""

from __future__ import annotations

from pathlib import Path

from tests.api.fuzz import fuzz
from tests.api.keyed import auth, launch_keyed

#: Few cases per operation and mode: the point is every operation, not depth.
EXAMPLES = 8
PATHS = r"^/(ais|network|compliance)/|^/reports(/\{job_id\}(/.*)?)?$"


def test_other_endpoints_fuzzed_with_an_admin_key(lists_store: Path, tmp_path: Path) -> None:
    svc, tokens = launch_keyed(lists_store, tmp_path)
    try:
        scope = {"entity_id": "ofac-12211", "job_id": "0" * 32, "mmsi": "445001000"}
        labels, sent = fuzz(svc.base_url, PATHS, EXAMPLES, scope, auth(tokens["ada"]))
    finally:
        svc.stop()
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
