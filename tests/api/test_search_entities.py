"""GET /search/{dataset} and GET /entities/{id} on the real lists."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest

from hermit.api.convert import SCREENED_AS
from tests.api.conftest import Service


@pytest.fixture(scope="module")
def client(service: Service) -> Iterator[httpx.Client]:
    with service.client() as c:
        yield c


@pytest.fixture(scope="module")
def parties(lists_store: Path) -> dict[str, int]:
    """Listed parties (screened schemata) per list, counted in the store itself."""
    con = duckdb.connect(str(lists_store), read_only=True)
    try:
        rows = con.execute(
            "SELECT dataset, count(*) FROM current_entities WHERE schema IN "
            f"({', '.join('?' for _ in SCREENED_AS)}) GROUP BY dataset",
            list(SCREENED_AS),
        ).fetchall()
    finally:
        con.close()
    return {str(k): int(v) for k, v in rows}


def search(client: httpx.Client, path: str = "default", **params: Any) -> dict[str, Any]:
    r = client.get(f"/search/{path}", params=params)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def ids(body: dict[str, Any]) -> list[str]:
    return [r["id"] for r in body["results"]]


def facet(body: dict[str, Any], name: str) -> dict[str, int]:
    return {v["name"]: v["count"] for v in body["facets"][name]["values"]}


# -- /search


def test_search_a_latin_name(client: httpx.Client) -> None:
    body = search(client, q="Kim Yong Chol", limit=20)
    assert {"unsc-kpi-024", "ofac-17614", "ofac-12211"} <= set(ids(body))
    first = body["results"][0]
    assert {"id", "caption", "schema", "properties", "datasets"} <= set(first)
    assert body["total"]["value"] >= 3


def test_search_a_hangul_name(client: httpx.Client) -> None:
    body = search(client, q="김용철", limit=20)
    assert "unsc-kpi-024" in ids(body)


def test_search_filters(client: httpx.Client) -> None:
    vessels = search(client, q="Chong Chon Gang", schema="Vessel")
    assert ids(vessels)[0] == "ofac-17069"
    assert {r["schema"] for r in vessels["results"]} == {"Vessel"}
    un = search(client, q="Kim Yong Chol", datasets=["un_sc_sanctions"], limit=50)
    assert ids(un) and {r["datasets"][0] for r in un["results"]} == {"un_sc_sanctions"}
    assert "unsc-kpi-024" in ids(un)
    path_un = search(client, "un_sc_sanctions", q="Kim Yong Chol", limit=50)
    assert ids(path_un) == ids(un)
    kp = search(client, q="Kim", countries=["kp"], limit=100)
    assert kp["results"]
    for r in kp["results"]:
        countries = {
            v
            for p in ("nationality", "country", "citizenship", "flag", "jurisdiction")
            for v in r["properties"].get(p, [])
        }
        assert "kp" in countries, r["id"]
    assert kp["total"]["value"] <= search(client, q="Kim", limit=100)["total"]["value"]


def test_search_facets_count_every_hit(client: httpx.Client) -> None:
    body = search(client, q="Korea Shipping", limit=5)
    total = body["total"]["value"]
    assert total > 5  # more hits than the page: facets count them all
    assert sum(facet(body, "schema").values()) == total
    assert sum(facet(body, "datasets").values()) == total
    assert set(facet(body, "datasets")) <= {"un_sc_sanctions", "us_ofac_sdn"}
    assert body["facets"]["countries"]["values"]


def test_search_paging(client: httpx.Client) -> None:
    first = search(client, q="Korea Trading", limit=5, offset=0)
    second = search(client, q="Korea Trading", limit=5, offset=5)
    both = search(client, q="Korea Trading", limit=10, offset=0)
    assert first["total"] == second["total"] == both["total"]
    assert len(ids(first)) == len(ids(second)) == 5
    assert not set(ids(first)) & set(ids(second))
    assert ids(first) + ids(second) == ids(both)
    assert (second["limit"], second["offset"]) == (5, 5)


def test_browse_without_q(client: httpx.Client, parties: dict[str, int]) -> None:
    body = search(client, limit=50)
    assert body["total"]["value"] == sum(parties.values())
    captions = [r["caption"].casefold() for r in body["results"]]
    assert captions == sorted(captions)
    un = search(client, "un_sc_sanctions", limit=0)
    assert un["total"]["value"] == parties["un_sc_sanctions"]
    assert facet(un, "datasets") == {"un_sc_sanctions": parties["un_sc_sanctions"]}
    vessels = search(client, schema="Vessel", limit=500)
    assert vessels["total"]["value"] == len(vessels["results"]) > 100
    assert {r["schema"] for r in vessels["results"]} == {"Vessel"}


# -- /entities


def nested(entity: dict[str, Any], prop: str) -> list[dict[str, Any]]:
    return [v for v in entity["properties"].get(prop, []) if isinstance(v, dict)]


def test_entity_un_person(client: httpx.Client) -> None:
    r = client.get("/entities/unsc-kpi-024")
    assert r.status_code == 200
    e = r.json()
    assert (e["id"], e["schema"], e["caption"]) == ("unsc-kpi-024", "Person", "KIM YONG CHOL")
    props = e["properties"]
    assert props["name"] == ["KIM YONG CHOL"]
    assert {"Kim Yong-Chol", "Kim Young-Cheol", "Young-Chul"} <= set(props["alias"])
    assert props["birthDate"] == ["1962-02-18"]
    assert props["nationality"] == ["kp"]
    # related entities nested the way yente nests them
    sanctions = nested(e, "sanctions")
    assert [s["schema"] for s in sanctions] == ["Sanction"]
    assert sanctions[0]["properties"]["program"]
    documents = nested(e, "identification")
    assert [d["schema"] for d in documents] == ["Passport"]
    assert documents[0]["properties"]["number"] == ["472310168"]
    # provenance: the list, the source's record, file and line
    prov = e["provenance"]
    assert prov["dataset"] == "un_sc_sanctions"
    assert prov["record_id"] == "KPi.024"
    assert prov["file"].endswith("un_consolidated.xml") and prov["line"] > 0
    assert ["alias", "Kim Young-Cheol", "Good"] in e["qualifiers"]
    # versions
    for key in ("first_seen_version", "last_change_version", "current_version"):
        assert e[key]["dataset"] == "un_sc_sanctions" and e[key]["seq"] == 1
    assert e["first_seen"] and e["last_change"]


def test_entity_without_nesting(client: httpx.Client) -> None:
    e = client.get("/entities/unsc-kpi-024", params={"nested": "false"}).json()
    assert "sanctions" not in e["properties"]
    assert all(isinstance(v, str) for vs in e["properties"].values() for v in vs)


def test_entity_ofac_vessel(client: httpx.Client) -> None:
    e = client.get("/entities/ofac-17069").json()
    assert (e["schema"], e["caption"]) == ("Vessel", "CHONG CHON GANG")
    assert e["properties"]["imoNumber"] == ["7937317"]
    assert e["properties"]["flag"] == ["kp"]
    assert e["datasets"] == ["us_ofac_sdn"]
    assert [s["schema"] for s in nested(e, "sanctions")] == ["Sanction"]
    assert e["provenance"]["dataset"] == "us_ofac_sdn"
    assert e["provenance"]["file"].endswith("sdn.csv")


def test_entity_not_found(client: httpx.Client) -> None:
    r = client.get("/entities/unsc-kpi-999999")
    assert r.status_code == 404
    assert "unsc-kpi-999999" in r.json()["detail"]


# -- /search: scores, prefixes, IMO numbers


def match_scores(client: httpx.Client, name: str) -> dict[str, float]:
    """POST /match for the same name (any kind): the engine's score of each hit."""
    body = {"queries": {"q": {"schema": "Thing", "properties": {"name": [name]}}}}
    r = client.post("/match/default", params={"limit": 50}, json=body)
    assert r.status_code == 200, r.text
    return {x["id"]: x["score"] for x in r.json()["responses"]["q"]["results"]}


def test_search_hits_carry_the_engine_s_score(client: httpx.Client) -> None:
    body = search(client, q="Kim Yong Chol", limit=50, prefix="false")
    scores = [r["score"] for r in body["results"]]
    assert all(isinstance(s, float) for s in scores)
    assert scores == sorted(scores, reverse=True)
    screened = match_scores(client, "Kim Yong Chol")
    reported = {r["id"]: r["score"] for r in body["results"] if r["score"] >= 0.6}
    assert set(reported) == set(screened)  # what /match reports, with the same scores
    for entity_id, score in reported.items():
        assert score == pytest.approx(screened[entity_id], abs=1e-4), entity_id
    assert {r["matched"] for r in body["results"]} == {"name"}
    assert all(r["completed"] is None for r in body["results"])
    browse = search(client, limit=3)
    assert [r["score"] for r in browse["results"]] == [None, None, None]


@pytest.mark.parametrize(
    ("q", "expected", "completed"),
    [
        ("Chongch", {"ofac-17067", "unsc-kpe-022", "ofac-17069"}, "chongchongang"),
        ("Ocean Mari", {"ofac-17068", "unsc-kpe-020"}, "ocean maritime"),
        ("Korea Mining Dev", {"ofac-9345", "unsc-kpe-001"}, "korea mining development"),
    ],
)
def test_a_partial_last_word_finds_the_names_it_begins(
    client: httpx.Client, q: str, expected: set[str], completed: str
) -> None:
    body = search(client, q=q, limit=20)
    found = {r["id"]: r for r in body["results"]}
    assert expected <= set(found), (q, list(found))
    for entity_id in expected:
        assert found[entity_id]["matched"] == "prefix"
        assert found[entity_id]["completed"] == completed
        assert found[entity_id]["score"] >= 0.5
    # a word ended with a space, or prefix=false, is a whole word: no completion
    for whole in (search(client, q=q + " ", limit=20), search(client, q=q, prefix="false")):
        assert all(r["matched"] != "prefix" for r in whole["results"])
        assert not expected <= set(ids(whole))


def test_an_imo_number_finds_its_vessel(client: httpx.Client) -> None:
    for q in ("IMO 7944695", "7944695", "imo7944695"):
        body = search(client, q=q)
        assert ids(body)[:1] == ["ofac-17086"], q  # DAI HONG DAN
        top = body["results"][0]
        assert (top["matched"], top["score"]) == ("imo", 0.95)
    both = search(client, q="Chong Chon Gang", imo="7944695", schema="Vessel")
    first = both["results"][0]
    assert (first["id"], first["matched"]) == ("ofac-17086", "imo")
    assert "ofac-17069" in ids(both)  # CHONG CHON GANG itself, by name, another IMO
    named = {r["id"]: r for r in both["results"]}
    assert named["ofac-17069"]["score"] < first["score"]
    alone = search(client, imo="IMO 7937317")
    assert ids(alone) == ["ofac-17069"]
    r = client.get("/search/default", params={"imo": "7944696"})  # check digit wrong
    assert r.status_code == 400 and r.json()["detail"].startswith("imo: '7944696'")


def test_the_openapi_description_documents_search(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    op = spec["paths"]["/search/{dataset}"]["get"]
    params = {p["name"]: p for p in op["parameters"]}
    assert {"q", "imo", "prefix"} <= set(params)
    assert "Chongch" in params["q"]["description"]
    assert "IMO" in params["imo"]["description"]
    hit = spec["components"]["schemas"]["SearchHit"]["properties"]
    assert {"score", "matched", "completed"} <= set(hit)
    assert "score" in op["description"] and "prefix" in op["description"]
