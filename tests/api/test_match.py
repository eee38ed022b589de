"""POST /match/{dataset}: scores, explanations and parameters, on the real lists."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from hermit.api.routers.match import INLINE_QUERIES
from hermit.api.wire import EntityMatchResponse
from hermit.screening import scorer
from tests.api.conftest import Service

KIM = {"schema": "Person", "properties": {"name": ["Kim Yong Chol"], "birthDate": ["1962-02-18"]}}
QUERIES: dict[str, dict[str, Any]] = {
    "kim": KIM,
    "hangul": {"schema": "Person", "properties": {"name": ["김용철"]}},
    "vessel": {
        "schema": "Vessel",
        "properties": {"name": ["Chong Chon Gang"], "imoNumber": ["7937317"]},
    },
    "omm": {"schema": "Company", "properties": {"name": ["Ocean Maritime Management Co Ltd"]}},
    "ri": {"schema": "Person", "properties": {"name": ["Ri Je Son"], "nationality": ["kp"]}},
}


@pytest.fixture(scope="module")
def client(service: Service) -> Iterator[httpx.Client]:
    with service.client() as c:
        yield c


def match(
    client: httpx.Client, queries: dict[str, Any], path: str = "default", **params: Any
) -> dict[str, Any]:
    r = client.post(f"/match/{path}", json={"queries": queries}, params=params)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def results(body: dict[str, Any], key: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = body["responses"][key]["results"]
    return found


@pytest.fixture(scope="module")
def answered(client: httpx.Client) -> dict[str, Any]:
    return match(client, QUERIES, limit=10)


def test_every_query_has_results(answered: dict[str, Any]) -> None:
    for key in QUERIES:
        assert results(answered, key), key


def test_score_is_the_sum_of_the_features(answered: dict[str, Any]) -> None:
    checked = 0
    for key in QUERIES:
        for r in results(answered, key):
            assert r["features"], r["id"]
            assert r["score"] == pytest.approx(sum(r["features"].values()), abs=1e-3), r
            checked += 1
    assert checked >= 8


def test_every_feature_is_explained(answered: dict[str, Any]) -> None:
    for key in QUERIES:
        for r in results(answered, key):
            assert set(r["explanations"]) == set(r["features"]), r["id"]
            for name, explained in r["explanations"].items():
                assert explained["score"] == r["features"][name]
                assert explained["detail"].strip(), (r["id"], name)
            # the matcher documents every feature a result uses
            assert set(r["features"]) <= set(answered["matcher"])


def test_the_response_is_the_documented_model(answered: dict[str, Any]) -> None:
    # /match writes its JSON directly; it must be exactly what the response model says
    model = EntityMatchResponse.model_validate(answered)
    assert model.model_dump(mode="json", by_alias=True) == answered
    assert answered["algorithm"] == scorer.ALGORITHM
    assert {v["dataset"] for v in answered["lists"]} == {"un_sc_sanctions", "us_ofac_sdn"}


def test_openapi_documents_the_response_model(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    post = spec["paths"]["/match/{dataset}"]["post"]
    schema = post["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/EntityMatchResponse")
    names = {p["name"] for p in post["parameters"]}
    assert {"limit", "threshold", "cutoff", "algorithm", "include_dataset"} <= names


def test_threshold_decides_match(client: httpx.Client) -> None:
    # ofac-12211 (another KIM, Yong Chol, born 1945) scores 0.7 against the UN man's date
    default = {r["id"]: r for r in results(match(client, {"q": KIM}), "q")}
    low = {r["id"]: r for r in results(match(client, {"q": KIM}, threshold=0.65), "q")}
    high = {r["id"]: r for r in results(match(client, {"q": KIM}, threshold=1.0), "q")}
    score = default["ofac-12211"]["score"]
    assert 0.65 <= score < scorer.THRESHOLD
    assert not default["ofac-12211"]["match"]
    assert low["ofac-12211"]["match"]
    assert default["unsc-kpi-024"]["match"]
    assert high["unsc-kpi-024"]["match"] == (high["unsc-kpi-024"]["score"] >= 1.0)
    for found in (default, low, high):  # the threshold changes match, never the scores
        assert found["ofac-12211"]["score"] == score


def test_limit(client: httpx.Client) -> None:
    full = results(match(client, {"q": KIM}, limit=10), "q")
    assert len(full) >= 3
    for n in (1, 2):
        body = match(client, {"q": KIM}, limit=n)
        assert body["limit"] == n
        assert [r["id"] for r in results(body, "q")] == [r["id"] for r in full[:n]]
        assert body["responses"]["q"]["total"]["value"] == n


def test_cutoff(client: httpx.Client) -> None:
    # cutoff drops results below it, but is never above the threshold (yente's rule)
    strict = results(match(client, {"q": KIM}, threshold=0.95, cutoff=0.9), "q")
    assert strict and all(r["score"] >= 0.9 for r in strict)
    assert "ofac-12211" not in {r["id"] for r in strict}
    capped = results(match(client, {"q": KIM}, threshold=0.65, cutoff=0.9), "q")
    assert "ofac-12211" in {r["id"] for r in capped}


def test_unknown_dataset_is_404(client: httpx.Client) -> None:
    r = client.post("/match/eu_fsf", json={"queries": {"q": KIM}})
    assert r.status_code == 404
    assert "eu_fsf" in r.json()["detail"]


def test_unknown_algorithm_is_400(client: httpx.Client) -> None:
    r = client.post(
        "/match/default", json={"queries": {"q": KIM}}, params={"algorithm": "logic-v2"}
    )
    assert r.status_code == 400
    assert r.json()["detail"].startswith("algorithm:")
    for name in ("best", "default", scorer.ALGORITHM):
        ok = client.post("/match/default", json={"queries": {"q": KIM}}, params={"algorithm": name})
        assert ok.status_code == 200, name


def test_too_many_queries_is_400(client: httpx.Client, service: Service) -> None:
    most = service.settings.max_batch
    queries = {f"q{i}": KIM for i in range(most + 1)}
    r = client.post("/match/default", json={"queries": queries})
    assert r.status_code == 400
    assert "queries" in r.json()["detail"] and str(most) in r.json()["detail"]


def test_a_large_batch_is_answered_in_order(client: httpx.Client) -> None:
    # more screening queries than are answered inline: the thread pool path
    queries = {f"q{i:02d}": QUERIES[k] for i, k in enumerate(list(QUERIES) * 3)}
    assert len(queries) > INLINE_QUERIES
    r = client.post("/match/default", json={"queries": queries})
    assert r.status_code == 200
    assert r.headers["x-batch-size"] == str(len(queries))
    body = r.json()
    assert list(body["responses"]) == list(queries)
    assert [x["id"] for x in results(body, "q00")] == [x["id"] for x in results(body, "q05")]


def test_listed_entity_id_is_stable(client: httpx.Client) -> None:
    # the id comes from the UN reference (KPi.024), whatever the query looks like
    forms = [
        KIM,
        {"schema": "Person", "properties": {"name": ["김용철"], "birthDate": ["1962-02-18"]}},
        {"schema": "Person", "properties": {"name": ["KIM Young-Cheol"], "birthDate": ["1962"]}},
        {"schema": "LegalEntity", "properties": {"name": ["Kim Yong-Chol"]}},
    ]
    for form in forms:
        found = {r["id"]: r for r in results(match(client, {"q": form}, limit=10), "q")}
        assert "unsc-kpi-024" in found, form
        assert found["unsc-kpi-024"]["caption"] == "KIM YONG CHOL"
    entity = client.get("/entities/unsc-kpi-024").json()
    assert entity["provenance"]["record_id"] == "KPi.024"


def test_query_is_echoed(client: httpx.Client) -> None:
    query = {"id": "customer-7", "schema": "Person", "properties": {"name": "Kim Yong Chol"}}
    body = match(client, {"c": query})
    assert body["responses"]["c"]["query"] == query
    assert body["responses"]["c"]["status"] == 200


def test_exclude_entity_ids_and_schema(client: httpx.Client) -> None:
    everyone = {r["id"] for r in results(match(client, {"q": KIM}, limit=10), "q")}
    assert "unsc-kpi-024" in everyone
    without = match(client, {"q": KIM}, limit=10, exclude_entity_ids=["unsc-kpi-024"])
    assert {r["id"] for r in results(without, "q")} == everyone - {"unsc-kpi-024"}
    anything = {"schema": "Thing", "properties": {"name": ["Chong Chon Gang"]}}
    kinds = {r["schema"] for r in results(match(client, {"q": anything}, limit=10), "q")}
    assert "Vessel" in kinds
    no_vessels = match(client, {"q": anything}, limit=10, exclude_schema=["Vessel"])
    assert "Vessel" not in {r["schema"] for r in results(no_vessels, "q")}
