"""/resolve through a real service with closed reads over a registry store holding the
golden slice of the dev registry (tests/resolve/golden_output.py), loaded and resolved
by the real commands: an entity with its records' facts and each link's evidence, the
review queue, a judgement posted with a write key (refused without one, audited) and
listed; unknown ids give 404 or 400 naming the field."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.api.conftest import Service
from tests.api.keyed import auth, launch_keyed
from tests.cli.helpers import hermit
from tests.resolve.golden_output import slice_lines


@pytest.fixture(scope="module")
def served(
    lists_store: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Service, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("resolve_api")
    svc, tokens = launch_keyed(lists_store, folder, open_reads=False)
    source = folder / "slice.ftm.jsonl"
    source.write_bytes(b"\n".join(slice_lines()) + b"\n")
    hermit(svc.store_path, "registry", "load", str(source))
    hermit(svc.store_path, "resolve")
    yield svc, tokens
    svc.stop()


def _biggest(svc: Service) -> dict[str, Any]:
    """``hermit resolve show`` of the organization with the most links."""
    from hermit.registry.store import RegistryStore, registry_store_path

    with RegistryStore(registry_store_path(svc.store_path), read_only=True) as store:
        row = store.con.execute(
            "SELECT cluster_id FROM resolve_links WHERE tier = 'same' AND kind = 'organization' "
            "GROUP BY cluster_id "
            "ORDER BY count(*) DESC, cluster_id LIMIT 1"
        ).fetchone()
    assert row is not None
    shown: dict[str, Any] = orjson.loads(
        hermit(svc.store_path, "resolve", "show", str(row[0]), "--json").stdout
    )
    return shown


def test_an_entity_with_its_records_and_evidence(served: tuple[Service, dict[str, str]]) -> None:
    svc, tokens = served
    shown = _biggest(svc)
    entity = shown["entity"]
    with svc.client() as c:
        assert c.get(f"/resolve/entities/{entity}").status_code == 401
        read = auth(tokens["rita"])
        r = c.get(f"/resolve/entities/{entity}", headers=read)
        assert r.status_code == 200, r.text
        body = r.json()
        # by any of its records' ids too
        other = body["records"][-1]["record_id"]
        assert c.get(f"/resolve/entities/{other}", headers=read).json()["entity"] == entity
        missing = c.get("/resolve/entities/nosuch", headers=read)
        assert missing.status_code == 404 and "entity_id" in missing.json()["detail"]
        late = c.get(f"/resolve/entities/{entity}", params={"run": 99}, headers=read)
        assert late.status_code == 404 and "run" in late.json()["detail"]
        assert (
            c.get(f"/resolve/entities/{entity}", params={"run": 0}, headers=read).status_code == 422
        )
    assert body["entity"] == entity and body["algorithm"] == shown["algorithm"]
    assert [x["record_id"] for x in body["records"]] == [x["record_id"] for x in shown["records"]]
    for got, stored in zip(body["records"], shown["records"], strict=True):
        assert (got["file"], got["row"], got["registry"]) == (
            stored["file"],
            stored["row"],
            stored["registry"],
        )
        assert got["names"] and stored["name"] in got["names"]
    assert any(x["identifiers"] for x in body["records"])
    assert [(k["left"], k["right"]) for k in body["links"]] == [
        (k["left"], k["right"]) for k in shown["links"]
    ]
    reasons = body["links"][0]["reasons"]
    assert reasons[0]["comparison"] == "prior" and len(reasons) > 3
    assert body["link_probability"] == shown["settings"]["link_probability"]


def test_the_queue_and_a_judgement(served: tuple[Service, dict[str, str]]) -> None:
    svc, tokens = served
    read, write = auth(tokens["rita"]), auth(tokens["wes"])
    with svc.client() as c:
        assert c.get("/resolve/review").status_code == 401
        queue = c.get("/resolve/review", params={"limit": 5}, headers=read).json()
        assert queue["total"] >= len(queue["pairs"]) > 0
        probabilities = [
            p["probability"] for p in queue["pairs"] if p["left_entity"] != p["right_entity"]
        ]
        assert probabilities == sorted(probabilities, reverse=True)
        first = queue["pairs"][0]
        assert first["left"]["names"] and first["reasons"]
        pair = {"left": first["left"]["record_id"], "right": first["right"]["record_id"]}
        body = {**pair, "decision": "not same", "reason": "different founders"}
        assert c.post("/resolve/judgements", json=body).status_code == 401
        assert c.post("/resolve/judgements", json=body, headers=read).status_code == 403
        bad = c.post("/resolve/judgements", json={**body, "left": "nosuch"}, headers=write)
        assert bad.status_code == 400 and bad.json()["detail"].startswith("body.left:")
        same = c.post("/resolve/judgements", json={**body, "right": pair["left"]}, headers=write)
        assert same.status_code == 400
        odd = c.post("/resolve/judgements", json={**body, "decision": "maybe"}, headers=write)
        assert odd.status_code == 422 and "decision" in odd.json()["detail"]
        done = c.post("/resolve/judgements", json=body, headers=write)
        assert done.status_code == 201, done.text
        assert done.json()["who"] == "wes" and done.json()["decision"] == "not same"
        listed = c.get("/resolve/judgements", headers=read).json()
        assert [(j["left"], j["who"], j["why"]) for j in listed["results"]] == [
            (min(pair.values()), "wes", "different founders")
        ]
        after = c.get("/resolve/review", params={"limit": 200}, headers=read).json()
        assert after["total"] == queue["total"] - 1
        assert all(
            {p["left"]["record_id"], p["right"]["record_id"]} != set(pair.values())
            for p in after["pairs"]
        )
        entity = c.get(f"/resolve/entities/{pair['left']}", headers=read).json()
        assert [(j["decision"], j["after_run"]) for j in entity["judgements"]] == [
            ("not same", True)
        ]
        log = c.get("/admin/audit", params={"limit": 20}, headers=auth(tokens["ada"])).json()
        notes = [e for e in log["results"] if e["path"] == "/resolve/judgements"]
        assert any("resolve judgement" in (e.get("summary") or "") for e in notes), notes


def test_the_resolve_endpoints_fuzzed(served: tuple[Service, dict[str, str]]) -> None:
    """Requests generated from /openapi.json (tests/api/fuzz.py) with a write key, the
    entity id free and set to a resolved entity: never a 5xx, a 4xx always says why.
    Runs last in this module: its accepted judgements stay in the store."""
    from tests.api.fuzz import fuzz

    svc, tokens = served
    scope = {"entity_id": _biggest(svc)["entity"]}
    labels, sent = fuzz(svc.base_url, r"^/resolve/", 8, scope, auth(tokens["wes"]))
    assert labels >= {
        "GET /resolve/entities/{entity_id}",
        "GET /resolve/review",
        "POST /resolve/judgements",
        "GET /resolve/judgements",
    }
    assert sent > 40
