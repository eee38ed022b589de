"""GET /catalog, /algorithms, /healthz and /readyz on the real service."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import httpx
import pytest
import uvicorn

from hermit.api import ServiceSettings, create_app
from hermit.api.state import ServiceState
from hermit.screening import algorithms, scorer
from tests.api.conftest import Service, _free_port
from tests.stores import copy_store


@pytest.fixture(scope="module")
def client(service: Service) -> Iterator[httpx.Client]:
    with service.client() as c:
        yield c


@pytest.fixture(scope="module")
def stored(lists_store: Path) -> dict[str, tuple[int, str]]:
    """Per list, the current entity count and content hash, read from the store."""
    con = duckdb.connect(str(lists_store), read_only=True)
    try:
        counts = dict(
            con.execute("SELECT dataset, count(*) FROM current_entities GROUP BY 1").fetchall()
        )
        hashes = dict(con.execute("SELECT dataset, content_sha256 FROM versions").fetchall())
    finally:
        con.close()
    return {str(k): (int(v), str(hashes[k])) for k, v in counts.items()}


def test_catalog_lists_both_lists(client: httpx.Client, stored: dict[str, tuple[int, str]]) -> None:
    r = client.get("/catalog")
    assert r.status_code == 200
    body = r.json()
    by_name = {d["name"]: d for d in body["datasets"]}
    for name in ("un_sc_sanctions", "us_ofac_sdn"):
        d = by_name[name]
        count, sha = stored[name]
        assert (d["version"], d["seq"]) == ("1", 1)
        assert d["entity_count"] == count
        assert d["sha256"] == sha
        assert d["added"] == count and d["removed"] == d["changed"] == 0
        assert d["loaded_at"] and d["title"]
        assert d["entities_url"] == f"/search/{name}"
    assert by_name["un_sc_sanctions"]["published"]  # the UN file says when it was made
    default = by_name["default"]
    assert sorted(default["children"]) == ["un_sc_sanctions", "us_ofac_sdn"]
    assert default["entity_count"] == sum(c for c, _ in stored.values())
    assert default["version"] == "un_sc_sanctions.1+us_ofac_sdn.1"
    assert set(body["current"]) == set(by_name)
    assert body["outdated"] == [] and body["index_stale"] is False


def test_algorithms(client: httpx.Client) -> None:
    body = client.get("/algorithms").json()
    assert body["default"] == body["best"] == scorer.ALGORITHM
    [algo] = body["algorithms"]
    assert algo["name"] == scorer.ALGORITHM
    assert algo["threshold"] == scorer.THRESHOLD
    assert set(algo["features"]) == set(scorer.FEATURES)
    assert all(f["description"] for f in algo["features"].values())
    assert body["components"] == algorithms.algorithms()
    assert body["components"]["screen"] == scorer.ALGORITHM
    assert body["resources_sha256"] == algorithms.resources_digest()
    assert len(body["resources_sha256"]) == 64
    assert body["libraries"]["rapidfuzz"] == algorithms.library_versions()["rapidfuzz"]


def test_healthz_and_readyz(client: httpx.Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    r = client.get("/readyz")
    assert (r.status_code, r.json()) == (200, {"status": "ok"})


@pytest.fixture()
def unbuilt(lists_store: Path, tmp_path: Path) -> Iterator[tuple[str, ServiceState]]:
    """A real service whose index is not built yet: the app's lifespan (which starts
    the build) is turned off, so the test decides when the build happens. The store is
    copied with its persisted index, as ``hermit lists load`` leaves it: the build reads
    it, as a service's start does, rather than building and saving the index of both
    lists again in the test process."""
    path = copy_store(lists_store, tmp_path / "store.duckdb")
    app = create_app(ServiceSettings(store_path=path))
    state = app.state.hermit
    assert isinstance(state, ServiceState)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while not server.started:  # the socket is listening (not a readiness check)
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield base, state
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        state.close()


def test_readyz_is_503_until_the_index_is_built(unbuilt: tuple[str, ServiceState]) -> None:
    base, state = unbuilt
    with httpx.Client(base_url=base, timeout=60) as c:
        assert c.get("/healthz").status_code == 200  # the process answers
        r = c.get("/readyz")
        assert (r.status_code, r.json()["status"]) == (503, "building")
        assert r.headers["retry-after"]
        query = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Kim Yong Chol"]}}}}
        for r in (c.post("/match/default", json=query), c.get("/catalog")):
            assert r.status_code == 503
            assert "not ready" in r.json()["detail"]
        state.build()
        assert c.get("/readyz").status_code == 200
        found = c.post("/match/default", json=query).json()["responses"]["q"]["results"]
        assert "unsc-kpi-024" in {x["id"] for x in found}
        assert c.get("/catalog").status_code == 200


def test_openapi_docs_are_served_from_the_service_itself(service: Service) -> None:
    """/docs and /redoc work offline: every script and stylesheet they load is served by
    the service (no CDN), and the OpenAPI document lists the yente-style /match."""
    with service.client() as c:
        for page in ("/docs", "/redoc"):
            r = c.get(page)
            assert r.status_code == 200, page
            assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", r.text)
            assert assets, page
            for url in assets:
                assert not re.match(r"(https?:)?//", url), (page, url)
                assert c.get(url).status_code == 200, (page, url)
        spec = c.get("/openapi.json").json()
        assert "/match/{dataset}" in spec["paths"]
