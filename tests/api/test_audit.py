"""The audit log on the real service: every request that writes is recorded, accepted
or refused, with who, what and the outcome; reads (POST /match included) are not."""

from __future__ import annotations

from typing import Any

import httpx

from hermit.api import audit
from tests.api.conftest import Service
from tests.api.keyed import MATCH_BODY, auth


def _entries(c: httpx.Client, token: str, **params: Any) -> list[dict[str, Any]]:
    r = c.get("/admin/audit", params=params, headers=auth(token))
    assert r.status_code == 200, r.text
    results: list[dict[str, Any]] = r.json()["results"]
    return results


def test_accepted_and_refused_writes_are_logged(keyed: tuple[Service, dict[str, str]]) -> None:
    svc, tokens = keyed
    body = {"entity_id": "ofac-12211", "query_name": "Kim Yong Chol", "reason": "audit test"}
    with svc.client() as c:
        newest = _entries(c, tokens["ada"], limit=1)
        since = newest[0]["seq"] if newest else 0
        assert c.post("/suppressions", json=body).status_code == 401
        assert c.post("/suppressions", json=body, headers=auth(tokens["rita"])).status_code == 403
        assert c.post("/suppressions", json=body, headers=auth(tokens["rex"])).status_code == 401
        assert (
            c.post("/suppressions?via=test", json=body, headers=auth(tokens["wes"])).status_code
            == 201
        )
        assert (
            c.delete(
                "/suppressions/ofac-12211",
                params={"query_name": "Kim Yong Chol"},
                headers=auth(tokens["wes"]),
            ).status_code
            == 200
        )
        bad = {"entity_id": "ofac-nope", "query_name": "x", "reason": "y"}
        assert c.post("/suppressions", json=bad, headers=auth(tokens["wes"])).status_code == 400
        assert c.post("/no/such/path", json={}).status_code == 404
        # reads are not audited, whatever their method
        assert c.post("/match/default", json=MATCH_BODY).status_code == 200
        assert c.get("/suppressions").status_code == 200
        entries = [e for e in _entries(c, tokens["ada"], limit=50) if e["seq"] > since]

    got = [(e["method"], e["path"], e["status"], e["key_name"], e["role"]) for e in entries]
    assert got == [  # newest first
        ("POST", "/no/such/path", 404, "anonymous", "anonymous"),
        ("POST", "/suppressions", 400, "wes", "write"),
        ("DELETE", "/suppressions/ofac-12211", 200, "wes", "write"),
        ("POST", "/suppressions", 201, "wes", "write"),
        ("POST", "/suppressions", 401, "anonymous", "anonymous"),  # rex: revoked
        ("POST", "/suppressions", 403, "rita", "read"),
        ("POST", "/suppressions", 401, "anonymous", "anonymous"),
    ]
    by_status = {(e["method"], e["status"]): e for e in entries}
    accepted = by_status[("POST", 201)]
    assert accepted["summary"] == "suppression added: ofac-12211 / name 'Kim Yong Chol'"
    assert accepted["query"] == "via=test"
    assert accepted["key_id"].startswith("key-")
    assert accepted["client"] == "127.0.0.1"
    assert accepted["at"].startswith("20") and accepted["at"].endswith("+00:00")
    assert by_status[("DELETE", 200)]["summary"] == (
        "suppression removed: ofac-12211 / name 'Kim Yong Chol'"
    )
    revoked = entries[4]
    assert revoked["summary"].startswith("refused key: API key key-")
    assert revoked["summary"].endswith("(rex) was revoked")
    assert [e["seq"] for e in entries] == sorted((e["seq"] for e in entries), reverse=True)


def test_key_changes_are_logged_and_the_log_pages(keyed: tuple[Service, dict[str, str]]) -> None:
    svc, tokens = keyed
    admin = auth(tokens["ada"])
    with svc.client() as c:
        made = c.post("/admin/keys", json={"name": "temp", "role": "read"}, headers=admin).json()
        c.delete(f"/admin/keys/{made['id']}", headers=admin)
        top = _entries(c, tokens["ada"], limit=2)
        assert [e["summary"] for e in top] == [
            f"key revoked: {made['id']} (temp, read)",
            f"key created: {made['id']} (temp, read)",
        ]
        assert made["key"] not in str(top)
        # paging: each page older than the last, no entry twice, all of them in the end
        page = c.get("/admin/audit", params={"limit": 2}, headers=admin).json()
        total, seen = page["total"], [e["seq"] for e in page["results"]]
        while page["next_before"] is not None:
            page = c.get(
                "/admin/audit", params={"limit": 2, "before": page["next_before"]}, headers=admin
            ).json()
            seen += [e["seq"] for e in page["results"]]
        assert len(seen) == len(set(seen)) >= total >= 2
        assert seen == sorted(seen, reverse=True)
        # only an admin reads the log
        assert c.get("/admin/audit", headers=auth(tokens["wes"])).status_code == 403
        assert c.get("/admin/audit").status_code == 401


def test_refused_reads_of_admin_and_job_endpoints_are_logged(
    keyed: tuple[Service, dict[str, str]],
) -> None:
    """A read of /admin... or /jobs... that is refused (no key, a revoked key, too low a
    role, another key's job) is in the log; one that is answered is not."""
    svc, tokens = keyed
    admin = auth(tokens["ada"])
    with svc.client() as c:
        made = c.post("/admin/keys", json={"name": "wes", "role": "write"}, headers=admin)
        other = auth(made.json()["key"])
        job = c.post(
            "/jobs", headers=auth(tokens["wes"]), files={"file": ("a.csv", b"name\nKim Chol\n")}
        ).json()
        since = _entries(c, tokens["ada"], limit=1)[0]["seq"]
        refused = [
            (c.get("/admin/audit"), 401),
            (c.get("/admin/keys", headers=auth(tokens["rex"])), 401),
            (c.get("/admin/audit", headers=auth(tokens["rita"])), 403),
            (c.get("/jobs", headers=auth(tokens["rita"])), 403),
            (c.get(f"/jobs/{job['id']}", headers=other), 404),
            (c.get(f"/jobs/{job['id']}/result", headers=other), 404),
            (c.get("/jobs/no-such-job", headers=auth(tokens["wes"])), 404),
        ]
        assert [r.status_code for r, _ in refused] == [status for _, status in refused]
        # answered reads are not logged
        assert c.get("/admin/keys", headers=admin).status_code == 200
        assert c.get(f"/jobs/{job['id']}", headers=auth(tokens["wes"])).status_code == 200
        assert c.get("/jobs", headers=other).status_code == 200
        assert c.get("/suppressions", headers=auth(tokens["rita"])).status_code == 200
        entries = [e for e in _entries(c, tokens["ada"], limit=50) if e["seq"] > since]
    got = [(e["method"], e["path"], e["status"], e["key_name"]) for e in reversed(entries)]
    assert got == [
        ("GET", "/admin/audit", 401, "anonymous"),
        ("GET", "/admin/keys", 401, "anonymous"),
        ("GET", "/admin/audit", 403, "rita"),
        ("GET", "/jobs", 403, "rita"),
        ("GET", f"/jobs/{job['id']}", 404, "wes"),
        ("GET", f"/jobs/{job['id']}/result", 404, "wes"),
        ("GET", "/jobs/no-such-job", 404, "wes"),
    ]
    oldest_first = list(reversed(entries))
    assert oldest_first[1]["summary"].endswith("(rex) was revoked")
    assert oldest_first[4]["key_id"] == made.json()["id"]  # the other "wes", by its id
    assert oldest_first[4]["summary"] == f"job {job['id']} is another key's"
    assert oldest_first[6]["summary"] is None


def test_what_counts_as_a_write() -> None:
    assert audit.is_write("POST", "/suppressions")
    assert audit.is_write("DELETE", "/suppressions/ofac-1")
    assert audit.is_write("POST", "/jobs")
    assert audit.is_write("POST", "/admin/lists")
    assert audit.is_write("PUT", "/match/default")  # only POST is a read there
    assert not audit.is_write("POST", "/match/default")
    assert not audit.is_write("POST", "/reconcile")
    assert not audit.is_write("POST", "/reconcile/default")
    assert audit.is_write("POST", "/matches")  # not under /match
    assert not audit.is_write("GET", "/admin/audit")
    assert not audit.is_write("HEAD", "/suppressions")
    assert not audit.is_write("OPTIONS", "/suppressions")


def test_which_refused_reads_are_logged() -> None:
    assert audit.is_audited("GET", "/admin/audit", 403)
    assert audit.is_audited("HEAD", "/jobs/x/result", 404)
    assert audit.is_audited("GET", "/admin", 404)
    assert not audit.is_audited("GET", "/admin/audit", 200)
    assert not audit.is_audited("GET", "/administrator", 404)  # not under /admin
    assert not audit.is_audited("GET", "/suppressions", 401)
    assert audit.is_audited("POST", "/suppressions", 201)


def test_the_audit_module_offers_no_way_to_change_an_entry() -> None:
    public = {name for name in dir(audit) if not name.startswith("_")}
    assert not {n for n in public if n.startswith(("update", "delete", "remove", "clear"))}
