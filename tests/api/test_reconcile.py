"""The reconciliation service API (0.2) as OpenRefine uses it, on the real service
with the real UN and OFAC lists: the manifest, query batches sent as a form field, as
JSON and as ?queries=, properties refining the score, suggestions, previews and
malformed requests (4xx with a message, never a 500)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from hermit.api import ServiceSettings
from hermit.api import keys as api_keys
from hermit.store import Store
from tests.api.conftest import Service, launch
from tests.api.fuzz import fuzz
from tests.stores import copy_store

DEFAULT_TYPES = ["Person", "Organization", "Company", "LegalEntity", "Vessel"]
MADE_UP = "Margarethe Svensson-Oyelaran"


def batch(**queries: dict[str, Any]) -> str:
    return json.dumps(queries)


def form(client: httpx.Client, queries: str, dataset: str = "default") -> httpx.Response:
    return client.post(f"/reconcile/{dataset}", data={"queries": queries})


@pytest.fixture()
def client(service: Service) -> Iterator[httpx.Client]:
    with service.client() as c:
        yield c


def test_manifest_has_what_openrefine_reads(client: httpx.Client, service: Service) -> None:
    r = client.get("/reconcile/default")
    assert r.status_code == 200, r.text
    m = r.json()
    # the 0.2 schema's required fields
    assert "0.2" in m["versions"]
    assert m["name"].startswith("hermit") and "UN Security Council" in m["name"]
    assert m["identifierSpace"] and m["schemaSpace"]
    assert [t["id"] for t in m["defaultTypes"]] == DEFAULT_TYPES
    assert all(t["name"] for t in m["defaultTypes"])
    # an entity is viewed on the web entity page; previews are ours
    assert m["view"]["url"] == f"{service.base_url}/ui/entities/{{{{id}}}}"
    page = client.get(m["view"]["url"].replace("{{id}}", "unsc-kpi-024"))
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    preview = m["preview"]
    assert "{{id}}" in preview["url"] and preview["width"] > 0 and preview["height"] > 0
    card = client.get(preview["url"].replace("{{id}}", "unsc-kpi-024"))
    assert card.status_code == 200 and "KIM YONG CHOL" in card.text
    # every suggest service the manifest names answers
    for kind in ("entity", "type", "property"):
        svc = m["suggest"][kind]
        answer = client.get(svc["service_url"] + svc["service_path"], params={"prefix": "k"})
        assert answer.status_code == 200, (kind, answer.text)
        assert answer.json()["prefix"] == "k"


def test_manifest_of_one_list_and_of_an_unknown_one(client: httpx.Client) -> None:
    m = client.get("/reconcile/un_sc_sanctions").json()
    assert "UN Security Council" in m["name"] and "OFAC" not in m["name"]
    assert m["suggest"]["entity"]["service_url"].endswith("/reconcile/un_sc_sanctions")
    r = client.get("/reconcile/eu_fsf")
    assert r.status_code == 404 and "no dataset 'eu_fsf'" in r.json()["detail"]


def test_manifest_as_jsonp(client: httpx.Client) -> None:
    plain = client.get("/reconcile/default").json()
    r = client.get("/reconcile/default", params={"callback": "jQuery3600_17"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/javascript")
    assert r.text.startswith("jQuery3600_17(") and r.text.endswith(");")
    assert json.loads(r.text[len("jQuery3600_17(") : -2]) == plain
    bad = client.get("/reconcile/default", params={"callback": "alert(document.cookie)"})
    assert bad.status_code == 400 and "callback" in bad.json()["detail"]


def test_listed_name_with_birth_date_comes_first_and_matches(client: httpx.Client) -> None:
    queries = batch(
        q0={
            "query": "HWANG SOK-HWA",
            "type": "Person",
            "properties": [{"pid": "birthDate", "v": "1943-09-26"}],
        },
        q1={"query": MADE_UP, "type": "Person", "limit": 3},
        q2={"query": "Kim Yong Chol", "properties": [{"pid": "birthDate", "v": "1962-02-18"}]},
    )
    r = form(client, queries)
    assert r.status_code == 200, r.text
    answer = r.json()
    assert set(answer) == {"q0", "q1", "q2"}
    first = answer["q0"]["result"][0]
    assert first["id"] == "unsc-kpi-003" and first["name"] == "HWANG SOK-HWA"
    assert first["match"] is True and first["score"] >= 0.8
    assert first["type"][0]["id"] == "Person"
    assert "un_sc_sanctions" in first["description"]
    assert "born 1943-09-26" in first["description"]
    # features are the screening contributions, which add up to the score
    assert {f["id"] for f in first["features"]} >= {"name", "birth_date"}
    assert sum(f["value"] for f in first["features"]) == pytest.approx(first["score"], abs=0.01)
    # the made-up name: nothing to match
    assert not any(c["match"] for c in answer["q1"]["result"])
    # KIM YONG CHOL born 1962-02-18 is on both lists: both first, the one born 1946/47
    # (OFAC 12211) after them and not a match
    ranked = answer["q2"]["result"]
    assert {c["id"] for c in ranked[:2]} == {"unsc-kpi-024", "ofac-17614"}
    assert all(c["match"] for c in ranked[:2])
    other = next(c for c in ranked if c["id"] == "ofac-12211")
    assert other["match"] is False and other["score"] < ranked[0]["score"]
    for results in answer.values():
        scores = [c["score"] for c in results["result"]]
        assert scores == sorted(scores, reverse=True)
        assert all(0.0 <= s <= 1.0 for s in scores)


def test_a_different_birth_date_is_not_a_match(client: httpx.Client) -> None:
    queries = batch(
        q0={
            "query": "HWANG SOK-HWA",
            "type": "Person",
            "properties": [{"pid": "birthDate", "v": "1990-01-01"}],
        }
    )
    result = form(client, queries).json()["q0"]["result"]
    listed = next(c for c in result if c["id"] == "unsc-kpi-003")
    assert listed["match"] is False
    assert next(f["value"] for f in listed["features"] if f["id"] == "birth_date") < 0


def test_properties_refine_the_score(client: httpx.Client) -> None:
    """A passport number tells the UN record (which has it) from the OFAC one; a
    qualified pid (Person:passportNumber, as suggest gives) works the same."""
    for pid in ("passportNumber", "Person:passportNumber"):
        queries = batch(
            q0={
                "query": "Kim Yong Chol",
                "type": "Person",
                "properties": [{"pid": pid, "v": "472310168"}, {"pid": "nationality", "v": "kp"}],
            }
        )
        result = form(client, queries).json()["q0"]["result"]
        assert result[0]["id"] == "unsc-kpi-024", result[:2]
        assert result[0]["match"] is True
        assert any(f["id"] == "passport" and f["value"] > 0 for f in result[0]["features"])


def test_one_list_only(client: httpx.Client) -> None:
    queries = batch(q0={"query": "Kim Yong Chol", "limit": 10})
    result = form(client, queries, "un_sc_sanctions").json()["q0"]["result"]
    assert result and all(c["id"].startswith("unsc-") for c in result)
    assert result[0]["id"] == "unsc-kpi-024"


def test_json_body_and_get_give_the_form_answer(client: httpx.Client) -> None:
    queries = batch(
        q0={"query": "CHANG MYONG-CHIN", "properties": [{"pid": "birthDate", "v": "1968-02-19"}]},
        q1={"query": MADE_UP, "limit": 2},
    )
    by_form = form(client, queries).json()
    wrapped = client.post("/reconcile/default", json={"queries": json.loads(queries)})
    bare = client.post("/reconcile/default", json=json.loads(queries))
    as_text = client.post("/reconcile/default", json={"queries": queries})
    by_get = client.get("/reconcile/default", params={"queries": queries})
    multipart = client.post("/reconcile/default", files={"queries": (None, queries)})
    for r in (wrapped, bare, as_text, by_get, multipart):
        assert r.status_code == 200, r.text
        assert r.json() == by_form
    assert by_form["q0"]["result"][0]["id"] == "unsc-kpi-007"
    jsonp = client.get("/reconcile/default", params={"queries": queries, "callback": "cb"})
    assert jsonp.text.startswith("cb(") and json.loads(jsonp.text[3:-2]) == by_form


def test_limit_and_entity_values(client: httpx.Client) -> None:
    queries = batch(
        q0={"query": "Kim", "type": ["Person"], "limit": 2},
        q1={
            "query": "Kim Yong Chol",
            "properties": [{"pid": "birthDate", "v": [{"id": "x", "name": "1962-02-18"}, 1962]}],
        },
    )
    answer = form(client, queries).json()
    assert len(answer["q0"]["result"]) <= 2
    assert answer["q1"]["result"][0]["match"] is True


def _is_400(r: httpx.Response, words: str) -> None:
    assert r.status_code == 400, (r.status_code, r.text)
    assert words in r.json()["detail"], r.json()["detail"]


@pytest.mark.parametrize(
    ("queries", "prop", "words"),
    [
        (
            '{"q0": {"query": "Kim Yong Chol", '
            '"properties": [{"pid": "address", "v": "Pyongyang"}]}}',
            "address",
            "not used in screening",
        ),
        (
            '{"q0": {"query": "Kim Yong Chol", '
            '"properties": [{"pid": "birthDate", "v": "1962-13-45"}]}}',
            "birthDate",
            "there is no month 13",
        ),
        (
            '{"q0": {"query": "Kim Yong Chol", "type": "Person", '
            '"properties": [{"pid": "Person:imoNumber", "v": "1234568"}]}}',
            "imoNumber",
            "Person has no property 'imoNumber'",
        ),
        (
            '{"q0": {"query": "CHON MYONG 1", "type": "Vessel", '
            '"properties": [{"pid": "birthDate", "v": "1960"}]}}',
            "birthDate",
            "Vessel has no property 'birthDate'",
        ),
        (
            '{"q0": {"query": "CHON MYONG 1", "type": "Vessel", '
            '"properties": [{"pid": "imoNumber", "v": "1234568"}]}}',
            "imoNumber",
            "1234568 fails the IMO check digit",
        ),
        ('{"q0": {"query": "Kim Yong Chol", "type": "Sanction"}}', "schema", "cannot be screened"),
        ('{"q0": {"query": "Kim Yong Chol", "type": "Persn"}}', "schema", "did you mean Person"),
    ],
)
def test_a_value_that_can_be_set_aside_is_a_warning(
    client: httpx.Client, queries: str, prop: str, words: str
) -> None:
    r = form(client, queries)
    assert r.status_code == 200, r.text
    answer = r.json()["q0"]
    (warning,) = answer["warnings"]
    assert warning["property"] == prop and words in warning["message"], warning
    assert warning["set_aside"] is True
    assert answer["result"], "screened on what could be read"


def test_properties_of_two_kinds_are_both_used(client: httpx.Client) -> None:
    queries = (
        '{"q0": {"query": "Kim Yong Chol", "properties": [{"pid": "birthDate", "v": "1962-02-18"},'
        ' {"pid": "mmsi", "v": "445123456"}]}}'
    )
    answer = form(client, queries).json()["q0"]
    assert answer["warnings"] == []
    top = answer["result"][0]
    assert top["match"] and any(f["id"] == "birth_date" for f in top["features"])


@pytest.mark.parametrize(
    ("queries", "words"),
    [
        ('{"q0": {"query": ', "queries: not valid JSON"),
        ("", "queries: empty"),
        ("[1, 2]", "a JSON object of queries"),
        ("{}", "no queries given"),
        ('{"q0": "Kim"}', "queries.q0"),
        ('{"q0": {"query": "Kim", "limit": 0}}', "queries.q0.limit"),
        ('{"q0": {"query": "Kim", "limit": "ten"}}', "queries.q0.limit"),
        ('{"q0": {"limit": 3}}', "queries.q0.properties.name: missing"),
        (
            '{"q0": {"query": "Kim", "properties": [{"pid": "birthDate"}]}}',
            "queries.q0.properties.0.v",
        ),
        (
            '{"q0": {"query": "Kim", "properties": [{"pid": "birthDate", "v": true}]}}',
            "queries.q0.properties[0].v: true is not a value",
        ),
    ],
)
def test_malformed_queries_are_400_with_a_message(
    client: httpx.Client, queries: str, words: str
) -> None:
    _is_400(form(client, queries), words)
    if queries:
        _is_400(client.get("/reconcile/default", params={"queries": queries}), words)


def test_other_malformed_requests(client: httpx.Client) -> None:
    too_many = json.dumps({f"q{i}": {"query": "Kim"} for i in range(101)})
    _is_400(form(client, too_many), "101 in one request, at most 100")
    _is_400(client.post("/reconcile/default", data={"other": "x"}), "queries: missing")
    _is_400(
        client.post("/reconcile/default", data={"extend": "{}"}), "data extension is not offered"
    )
    broken = client.post(
        "/reconcile/default", content=b"{not json", headers={"content-type": "application/json"}
    )
    _is_400(broken, "body: not valid JSON")
    text = client.post(
        "/reconcile/default", content=b"queries=x", headers={"content-type": "text/plain"}
    )
    assert text.status_code == 415 and "application/json" in text.json()["detail"]
    unknown = form(client, batch(q0={"query": "Kim"}), "nowhere")
    assert unknown.status_code == 404


def test_suggest_entity(client: httpx.Client) -> None:
    r = client.get("/reconcile/default/suggest/entity", params={"prefix": "kim yong ch"})
    assert r.status_code == 200
    found = r.json()["result"]
    ids = [e["id"] for e in found]
    # names beginning with the words typed, the last one unfinished
    assert {"unsc-kpi-024", "ofac-12211", "ofac-17614"} <= set(ids[:3])
    assert all(e["type"][0]["id"] and e["name"] for e in found)
    # word order free, one list only, a limit
    r = client.get(
        "/reconcile/un_sc_sanctions/suggest/entity", params={"prefix": "chol kim", "limit": 4}
    )
    found = r.json()["result"]
    assert 0 < len(found) <= 4 and all(e["id"].startswith("unsc-") for e in found)
    assert all("KIM" in e["name"] and "CHOL" in e["name"] for e in found)
    assert client.get("/reconcile/default/suggest/entity").json()["result"] == []
    bad = client.get("/reconcile/default/suggest/entity", params={"prefix": "k", "limit": 0})
    assert bad.status_code == 422


def test_suggest_types_and_properties(client: httpx.Client) -> None:
    types = client.get("/reconcile/default/suggest/type", params={"prefix": "ves"}).json()
    assert [t["id"] for t in types["result"]] == ["Vessel"]
    everything = client.get("/reconcile/default/suggest/type").json()["result"]
    assert {t["id"] for t in everything} >= set(DEFAULT_TYPES)
    props = client.get("/reconcile/default/suggest/property", params={"prefix": "birth"}).json()
    assert [p["id"] for p in props["result"]] == ["birthDate"]
    assert props["result"][0]["name"] == "Birth date"
    # by label too ("Passport number")
    passport = client.get("/reconcile/default/suggest/property", params={"prefix": "Passport"})
    assert "passportNumber" in [p["id"] for p in passport.json()["result"]]


SAMPLE_VALUES = {
    "birthDate": ("Person", "1962-02-18"),
    "nationality": ("Person", "North Korea"),
    "country": ("Person", "kp"),
    "passportNumber": ("Person", "472310168"),
    "idNumber": ("Person", "472310168"),
    "registrationNumber": ("Company", "12345"),
    "imoNumber": ("Vessel", "9187629"),
    "mmsi": ("Vessel", "445123456"),
    "gender": ("Person", "male"),
    "alias": ("Person", "Kim Young-Chol"),
}


def test_every_suggested_property_is_accepted_in_a_query(client: httpx.Client) -> None:
    offered = client.get("/reconcile/default/suggest/property").json()["result"]
    assert {p["id"] for p in offered} == set(SAMPLE_VALUES)
    queries = {
        f"q{i}": {
            "query": "Kim Yong Chol",
            "type": SAMPLE_VALUES[p["id"]][0],
            "properties": [{"pid": p["id"], "v": SAMPLE_VALUES[p["id"]][1]}],
        }
        for i, p in enumerate(offered)
    }
    r = form(client, json.dumps(queries))
    assert r.status_code == 200, r.text
    assert set(r.json()) == set(queries)


def test_preview_card(client: httpx.Client) -> None:
    r = client.get("/reconcile/default/preview", params={"id": "unsc-kpi-024"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    html = r.text
    for text in (
        "KIM YONG CHOL",
        "Person",
        "UN Security Council consolidated list",
        "1962-02-18",
        "North Korea",
        "DPRK",
        "Kim Young-Cheol",
        "472310168",
        "/ui/entities/unsc-kpi-024",
    ):
        assert text in html, text
    assert "<script" not in html
    # values are escaped: the apostrophe of PEOPLE'S REPUBLIC is not markup
    ministry = client.get("/reconcile/default/preview", params={"id": "ofac-23174"})
    assert ministry.status_code == 200
    assert "PEOPLE&#x27;S REPUBLIC" in ministry.text


def test_preview_errors(client: httpx.Client) -> None:
    missing = client.get("/reconcile/default/preview", params={"id": "<b>nope</b>"})
    assert missing.status_code == 404 and "nope" in missing.json()["detail"]
    # an OFAC entity is not in the UN list's scope
    other = client.get("/reconcile/un_sc_sanctions/preview", params={"id": "ofac-12211"})
    assert other.status_code == 404
    assert client.get("/reconcile/default/preview").status_code == 422


def test_closed_reads_need_a_key(lists_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "store.duckdb"
    copy_store(lists_store, path)
    with Store(path) as store:
        _, token = api_keys.add(store.state, "rita", "read", by="test")
    svc = launch(ServiceSettings(store_path=path, open_reads=False))
    try:
        with svc.client() as c:
            key = {"Authorization": f"ApiKey {token}"}
            queries = {"queries": batch(q0={"query": "Kim Yong Chol"})}
            for path_ in (
                "/reconcile/default",
                "/reconcile/default/suggest/entity?prefix=kim",
                "/reconcile/default/preview?id=unsc-kpi-024",
            ):
                assert c.get(path_).status_code == 401, path_
                assert c.get(path_, headers=key).status_code == 200, path_
            assert c.post("/reconcile/default", data=queries).status_code == 401
            assert c.post("/reconcile/default", data=queries, headers=key).status_code == 200
    finally:
        svc.stop()


def test_fuzzed_reconciliation_requests_never_get_a_server_error(service: Service) -> None:
    """Generated queries, callbacks, prefixes and ids, valid (positive) and breaking the
    schema (negative), with the list scope free and set to ``default``: never a 5xx,
    and every 4xx is JSON with a ``detail`` (tests/api/fuzz.py)."""
    labels, sent = fuzz(service.base_url, r"^/reconcile/", 30, {"dataset": "default"})
    assert labels >= {
        "GET /reconcile/{dataset}",
        "POST /reconcile/{dataset}",
        "GET /reconcile/{dataset}/preview",
    }
    assert sent > 300
