"""API keys and roles on the real service: who may read, write and administer, and
what a refused request is told.

The services (tests/api/keyed.py) hold four keys made beforehand, as ``hermit keys
add`` would: ada (admin), wes (write), rita (read) and rex (read, revoked).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from hermit.api import keys as api_keys
from tests.api.conftest import Service
from tests.api.keyed import MATCH_BODY, auth, launch_keyed


@pytest.fixture(scope="module")
def closed(
    lists_store: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Service, dict[str, str]]]:
    svc, tokens = launch_keyed(lists_store, tmp_path_factory.mktemp("closed"), open_reads=False)
    yield svc, tokens
    svc.stop()


SUPPRESS = {"entity_id": "ofac-12211", "query_name": "Nobody Here", "reason": "auth test"}


def test_a_write_without_a_key_is_401_and_says_how_to_send_one(
    keyed: tuple[Service, dict[str, str]],
) -> None:
    svc, _ = keyed
    with svc.client() as c:
        r = c.post("/suppressions", json=SUPPRESS)
    assert r.status_code == 401
    assert r.json()["detail"] == (
        "an API key with the write role is needed (send Authorization: ApiKey <key>)"
    )
    assert r.headers["www-authenticate"].startswith("ApiKey")


@pytest.mark.parametrize(
    ("headers", "detail"),
    [
        ({"Authorization": "ApiKey hermit_not-a-key"}, "unknown API key"),
        ({"X-API-Key": "hermit_not-a-key"}, "unknown API key"),
        ({"Authorization": "Basic dXNlcjpwdw=="}, "an API key with the write role is needed"),
    ],
)
def test_a_wrong_key_is_401(
    keyed: tuple[Service, dict[str, str]], headers: dict[str, str], detail: str
) -> None:
    svc, _ = keyed
    with svc.client() as c:
        r = c.post("/suppressions", json=SUPPRESS, headers=headers)
    assert r.status_code == 401
    assert r.json()["detail"].startswith(detail)


def test_a_revoked_key_is_401_naming_the_key(keyed: tuple[Service, dict[str, str]]) -> None:
    svc, tokens = keyed
    with svc.client() as c:
        r = c.post("/suppressions", json=SUPPRESS, headers=auth(tokens["rex"]))
        read = c.post("/match/default", json=MATCH_BODY, headers=auth(tokens["rex"]))
    assert r.status_code == 401
    assert "(rex) was revoked" in r.json()["detail"]
    # a key that is sent must be good even where reads are open
    assert read.status_code == 401


def test_a_read_key_on_a_write_is_403_naming_its_role(
    keyed: tuple[Service, dict[str, str]],
) -> None:
    svc, tokens = keyed
    with svc.client() as c:
        r = c.post("/suppressions", json=SUPPRESS, headers=auth(tokens["rita"]))
        admin_by_writer = c.get("/admin/keys", headers=auth(tokens["wes"]))
    assert r.status_code == 403
    assert r.json()["detail"].endswith("(rita) has the read role; write is needed")
    assert admin_by_writer.status_code == 403
    assert "has the write role; admin is needed" in admin_by_writer.json()["detail"]


@pytest.mark.parametrize("style", ["ApiKey {}", "Bearer {}", "apikey {}", "x-api-key"])
def test_every_header_style_carries_a_key(
    keyed: tuple[Service, dict[str, str]], style: str
) -> None:
    svc, tokens = keyed
    token = tokens["ada"]
    headers = (
        {"X-API-Key": token} if style == "x-api-key" else {"Authorization": style.format(token)}
    )
    with svc.client() as c:
        r = c.get("/admin/keys", headers=headers)
    assert r.status_code == 200, r.text
    assert {k["name"] for k in r.json()["results"]} >= {"ada", "wes", "rita", "rex"}


def test_open_reads_need_no_key(keyed: tuple[Service, dict[str, str]]) -> None:
    svc, _ = keyed
    with svc.client() as c:
        assert c.post("/match/default", json=MATCH_BODY).status_code == 200
        assert c.get("/search/default", params={"q": "Kim"}).status_code == 200
        assert c.get("/catalog").status_code == 200
        assert c.get("/suppressions").status_code == 200


def test_keyed_reads_refuse_anonymous_and_accept_a_read_key(
    closed: tuple[Service, dict[str, str]],
) -> None:
    svc, tokens = closed
    reads = [
        ("POST", "/match/default", MATCH_BODY),
        ("GET", "/search/default?q=Kim", None),
        ("GET", "/entities/ofac-12211", None),
        ("GET", "/catalog", None),
        ("GET", "/suppressions", None),
    ]
    with svc.client() as c:
        for method, path, body in reads:
            anonymous = c.request(method, path, json=body)
            assert anonymous.status_code == 401, path
            assert "read role is needed" in anonymous.json()["detail"]
            for name in ("rita", "wes", "ada"):  # read and every higher role
                r = c.request(method, path, json=body, headers=auth(tokens[name]))
                assert r.status_code == 200, (path, name, r.text)
            assert (
                c.request(method, path, json=body, headers=auth(tokens["rex"])).status_code == 401
            )
        # probes and the algorithm description stay open
        assert c.get("/healthz").status_code == 200
        assert c.get("/readyz").status_code == 200
        assert c.get("/algorithms").status_code == 200


def test_admin_api_makes_a_key_once_and_revokes_it_at_once(
    keyed: tuple[Service, dict[str, str]],
) -> None:
    svc, tokens = keyed
    admin = auth(tokens["ada"])
    with svc.client() as c:
        made = c.post("/admin/keys", json={"name": "crm-sync", "role": "write"}, headers=admin)
        assert made.status_code == 201, made.text
        key = made.json()
        assert key["name"] == "crm-sync" and key["role"] == "write"
        assert key["created_by"] == "ada" and key["revoked_at"] is None
        token = key["key"]
        assert token.startswith("hermit_") and len(token) > 40
        # the new key works at once, with its role
        assert c.get("/admin/audit", headers=auth(token)).status_code == 403
        ok = c.post(
            "/suppressions",
            json={"entity_id": "ofac-12211", "query_id": "crm-1", "reason": "new key"},
            headers=auth(token),
        )
        assert ok.status_code == 201, ok.text
        assert ok.json()["suppression"]["decided_by"] == "crm-sync"
        assert (
            c.request(
                "DELETE", "/suppressions/ofac-12211", params={"query_id": "crm-1"}, headers=admin
            ).status_code
            == 200
        )
        # the listing never shows a key nor its hash
        listing = c.get("/admin/keys", headers=admin)
        assert token not in listing.text
        assert hashlib.sha256(token.encode()).hexdigest() not in listing.text
        assert "key" not in listing.json()["results"][0]
        # revoked: refused from the next request, the record kept
        gone = c.delete(f"/admin/keys/{key['id']}", headers=admin)
        assert gone.status_code == 200
        assert gone.json()["revoked_by"] == "ada"
        refused = c.post("/suppressions", json=SUPPRESS, headers=auth(token))
        assert refused.status_code == 401 and "was revoked" in refused.json()["detail"]
        again = c.delete(f"/admin/keys/{key['id']}", headers=admin)
        assert again.status_code == 400 and "already revoked" in again.json()["detail"]
        assert c.delete("/admin/keys/key-nothere", headers=admin).status_code == 404
        listed = {k["id"]: k for k in c.get("/admin/keys", headers=admin).json()["results"]}
        assert listed[key["id"]]["revoked_by"] == "ada"
        bad_role = c.post("/admin/keys", json={"name": "x", "role": "root"}, headers=admin)
        assert bad_role.status_code == 400
        assert "must be one of read, write, admin" in bad_role.json()["detail"]


def test_key_ring_checks_hashes() -> None:
    key = api_keys.ApiKey("key-1", "a", "read", api_keys.datetime.now(api_keys.UTC), "t")
    token = api_keys.new_token()
    ring = api_keys.KeyRing([(api_keys.hash_token(token), key)])
    assert ring.verify(token) == key
    assert ring.verify(token + "x") is None
    assert ring.verify(token[:-1]) is None
    assert api_keys.hash_token(token) == hashlib.sha256(token.encode()).hexdigest()
