"""/network/exposure, /network/blocked and /network/flags through a real service with
closed reads: a registry store beside the service's store (loaded, built and given its
listed parties by the real code), 401 without a key, the CLI's answers with a read key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from hermit.network import roots
from hermit.registry.store import RegistryStore, registry_store_path
from tests.api.conftest import Service
from tests.api.keyed import auth, launch_keyed
from tests.cli.helpers import hermit


def _e(eid: str, schema: str, **props: str) -> dict[str, object]:
    return {"id": eid, "schema": schema, "properties": {k: [v] for k, v in props.items()}}


ENTITIES = [
    _e("L", "Organization", name="KOREA TEST TRADING CORPORATION", jurisdiction="kp"),
    _e("A", "Company", name="ООО «Мансудэ Строй»", jurisdiction="ru"),
    _e("B", "Company", name="ООО «Вектор»", jurisdiction="ru"),
    _e("R", "Company", name="ООО «Партнёр»", jurisdiction="ru"),
    _e("own-1", "Ownership", owner="L", asset="A", percentage="51"),
    _e("own-2", "Ownership", owner="A", asset="B", percentage="60"),
    _e("own-3", "Ownership", owner="R", asset="A", percentage="49"),
]


@pytest.fixture(scope="module")
def served(
    lists_store: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Service, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("network_api")
    svc, tokens = launch_keyed(lists_store, folder, open_reads=False)
    lines = folder / "registry.jsonl"
    lines.write_bytes(b"\n".join(orjson.dumps(e) for e in ENTITIES) + b"\n")
    registry = registry_store_path(svc.store_path)
    hermit(svc.store_path, "registry", "load", str(lines))
    hermit(svc.store_path, "network", "build")
    with RegistryStore(registry) as store:
        roots.save(store, [roots.Root("L", "ofac-0", "KOREA TEST", ("test",), 1.0, "by hand")])
    yield svc, tokens
    svc.stop()


def test_network_endpoints(served: tuple[Service, dict[str, str]]) -> None:
    svc, tokens = served
    with svc.client() as client:
        for path in ("/network/exposure/B", "/network/blocked", "/network/flags"):
            assert client.get(path).status_code == 401
        key = auth(tokens["rita"])
        day = {"as_of": "2024-06-01"}
        found = client.get("/network/exposure/B", params=day, headers=key)
        assert found.status_code == 200, found.text
        body = found.json()
        assert body["entity"] == "B" and body["paths"][0]["listed"] == "L"
        assert [s["record"]["id"] for s in body["paths"][0]["steps"]] == ["own-2", "own-1"]
        assert client.get("/network/exposure/nobody", params=day, headers=key).status_code == 404
        bad = client.get("/network/blocked", params={"as_of": "June"}, headers=key)
        assert bad.status_code == 400 and "YYYY-MM-DD" in bad.text

        blocked = client.get("/network/blocked", params=day, headers=key).json()
        status = {r["entity"]: r for r in blocked["results"]}
        assert status["A"]["status"] == "blocked" and status["B"]["status"] == "blocked"
        assert status["A"]["reasons"][0]["owner"] == "L"

        flags = client.get("/network/flags", params=day, headers=key).json()
        found_flags = sorted((f["detector"], f["entity"]) for f in flags["findings"])
        assert found_flags == [("dprk_name@1", "A"), ("joint_venture@1", "A")]
        only = client.get(
            "/network/flags", params={**day, "detector": "joint_venture"}, headers=key
        ).json()
        assert [f["entity"] for f in only["findings"]] == ["A"]
        assert only["findings"][0]["evidence"][0]["record"].startswith("own-1 (")


def test_no_registry_store(served: tuple[Service, dict[str, str]], tmp_path: Path) -> None:
    svc, tokens = served
    registry = registry_store_path(svc.store_path)
    moved = tmp_path / "moved.duckdb"
    registry.rename(moved)
    try:
        with svc.client() as client:
            answer = client.get("/network/flags", headers=auth(tokens["rita"]))
        assert answer.status_code == 404 and "hermit registry load" in answer.text
    finally:
        moved.rename(registry)
