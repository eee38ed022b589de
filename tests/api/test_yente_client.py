"""A client written against yente's documented shapes, used unchanged on hermit.

The models below mirror yente's own response models (yente/data/common.py:
``EntityResponse``, ``ScoredEntityResponse``, ``EntityMatches``, ``EntityMatchResponse``,
``TotalSpec``, ``EntityExample``; nomenklatura's ``FeatureDocs``) and the request is the
one OpenSanctions' matching API docs show: ``POST /match/{dataset}`` with
``{"queries": {key: {"schema": ..., "properties": {prop: [values]}}}}`` and
``algorithm``, ``threshold``, ``limit``, ``include_dataset``, ``exclude_dataset`` as
query parameters. Nothing here knows hermit's extra fields: a yente client ignores
them, and the cases are checked only through what yente defines. The cases are real
listed DPRK people, companies and vessels of the UN and OFAC lists.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, Union

import httpx
import pytest
from pydantic import BaseModel, Field

from tests.api.conftest import Service

# -- yente's response models, as a client would copy them


class YenteEntityResponse(BaseModel):
    id: str
    caption: str
    schema_: str = Field(..., alias="schema")
    properties: dict[str, list[Union[str, YenteEntityResponse]]]  # noqa: UP007 (yente's form)
    datasets: list[str] = []
    referents: list[str] = []
    target: bool = False
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    last_change: datetime | None = None


class YenteScoredEntityResponse(YenteEntityResponse):
    score: float = 0.99
    features: dict[str, float]
    match: bool = False


class YenteTotalSpec(BaseModel):
    value: int
    relation: str = "eq"


class YenteEntityExample(BaseModel):
    id: str | None = None
    schema_: str = Field(..., alias="schema")
    properties: dict[str, Union[str, list[Any]]]  # noqa: UP007


class YenteEntityMatches(BaseModel):
    status: int = 200
    results: list[YenteScoredEntityResponse]
    total: YenteTotalSpec
    query: YenteEntityExample


class YenteFeatureDoc(BaseModel):
    description: str
    coefficient: float
    url: str


class YenteEntityMatchResponse(BaseModel):
    responses: dict[str, YenteEntityMatches]
    matcher: dict[str, YenteFeatureDoc]
    limit: int


class YenteClient:
    """What a yente integration does: POST the queries, raise on an error status,
    validate the answer with yente's models."""

    def __init__(self, base_url: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=60)

    def match(
        self,
        queries: dict[str, dict[str, Any]],
        dataset: str = "default",
        **params: Any,
    ) -> YenteEntityMatchResponse:
        params.setdefault("algorithm", "best")
        r = self.http.post(f"/match/{dataset}", json={"queries": queries}, params=params)
        r.raise_for_status()
        return YenteEntityMatchResponse.model_validate(r.json())

    def close(self) -> None:
        self.http.close()


@pytest.fixture(scope="module")
def yente(service: Service) -> Iterator[YenteClient]:
    client = YenteClient(service.base_url)
    yield client
    client.close()


def person(name: str, **props: str) -> dict[str, Any]:
    return {
        "schema": "Person",
        "properties": {"name": [name], **{k: [v] for k, v in props.items()}},
    }


def ids(matches: YenteEntityMatches) -> list[str]:
    return [r.id for r in matches.results]


def matched(matches: YenteEntityMatches) -> list[str]:
    return [r.id for r in matches.results if r.match]


# -- the cases


def test_un_person_by_name_and_birth_date(yente: YenteClient) -> None:
    # UN KPi.024: KIM YONG CHOL, born 1962-02-18 (KOMID representative in Iran)
    resp = yente.match(
        {"q1": person("Kim Yong Chol", birthDate="1962-02-18")}, threshold=0.8, limit=5
    )
    q1 = resp.responses["q1"]
    assert q1.status == 200
    assert "unsc-kpi-024" in matched(q1)
    top = next(r for r in q1.results if r.id == "unsc-kpi-024")
    assert top.schema_ == "Person"
    assert top.caption == "KIM YONG CHOL"
    assert top.datasets == ["un_sc_sanctions"]
    assert "1962-02-18" in top.properties["birthDate"]
    assert "Kim Young-Cheol" in top.properties["alias"]
    assert top.score >= 0.8 and "name" in top.features
    # results best first, total counts them, the query comes back as sent
    assert [r.score for r in q1.results] == sorted((r.score for r in q1.results), reverse=True)
    assert q1.total.value == len(q1.results)
    assert q1.query.schema_ == "Person"
    assert q1.query.properties["birthDate"] == ["1962-02-18"]
    assert resp.limit == 5
    assert "name" in resp.matcher and resp.matcher["name"].description


def test_birth_date_separates_namesakes(yente: YenteClient) -> None:
    # OFAC lists another KIM, Yong Chol (ofac-12211) with another birth date: the date
    # keeps him below the threshold while the UN-listed man matches.
    q1 = yente.match({"q1": person("Kim Yong Chol", birthDate="1962-02-18")}).responses["q1"]
    scores = {r.id: r for r in q1.results}
    assert scores["unsc-kpi-024"].match
    assert "ofac-12211" in scores and not scores["ofac-12211"].match
    assert scores["ofac-12211"].features["birth_date"] < 0


def test_another_un_person(yente: YenteClient) -> None:
    # UN KPi.001: YUN HO-JIN, born 1944-10-13, written without the hyphen
    q = yente.match({"q": person("Yun Ho Jin", birthDate="1944-10-13")}).responses["q"]
    assert "unsc-kpi-001" in matched(q)


def test_ofac_vessel_by_imo_number(yente: YenteClient) -> None:
    # OFAC: CHONG CHON GANG, IMO 7937317; the IMO finds it under another name
    query = {"schema": "Vessel", "properties": {"name": ["Ocean Star"], "imoNumber": ["7937317"]}}
    q = yente.match({"v": query}).responses["v"]
    assert q.results, "the IMO number alone should find the vessel"
    top = q.results[0]
    assert (top.id, top.schema_, top.match) == ("ofac-17069", "Vessel", True)
    assert top.properties["imoNumber"] == ["7937317"]
    assert top.features["imo"] > 0


def test_company_with_a_legal_form_variant(yente: YenteClient) -> None:
    # listed as OCEAN MARITIME MANAGEMENT COMPANY LIMITED (OFAC) and KOREA YUJONG
    # SHIPPING CO LTD (UN KPe.066, OFAC)
    resp = yente.match(
        {
            "omm": {
                "schema": "Company",
                "properties": {"name": ["Ocean Maritime Management Co., Ltd."]},
            },
            "yujong": {
                "schema": "Organization",
                "properties": {"name": ["Korea Yujong Shipping Company Limited"]},
            },
        }
    )
    assert "ofac-17068" in matched(resp.responses["omm"])
    assert {"unsc-kpe-066", "ofac-23714"} <= set(matched(resp.responses["yujong"]))


def test_hangul_name(yente: YenteClient) -> None:
    # 김영철 with the UN-listed man's birth date: the Korean reading matches the listing
    q = yente.match({"h": person("김영철", birthDate="1962-02-18")}).responses["h"]
    assert "unsc-kpi-024" in matched(q)
    assert q.query.properties["name"] == ["김영철"]


def test_a_name_on_no_list(yente: YenteClient) -> None:
    q = yente.match({"n": person("Margaret Thornbury", birthDate="1980-05-05")}).responses["n"]
    assert matched(q) == []
    assert q.total.value == len(q.results)


def test_several_queries_in_one_request(yente: YenteClient) -> None:
    queries = {
        "kim": person("Kim Yong Chol", birthDate="1962-02-18"),
        "vessel": {"schema": "Vessel", "properties": {"imoNumber": ["7937317"], "name": ["X"]}},
        "nobody": person("Margaret Thornbury"),
    }
    resp = yente.match(queries)
    assert set(resp.responses) == set(queries)
    assert "unsc-kpi-024" in matched(resp.responses["kim"])
    assert matched(resp.responses["vessel"]) == ["ofac-17069"]
    assert matched(resp.responses["nobody"]) == []


def test_include_and_exclude_dataset(yente: YenteClient) -> None:
    query = {"q": person("Kim Yong Chol", birthDate="1962-02-18")}
    only_un = yente.match(query, include_dataset=["un_sc_sanctions"]).responses["q"]
    assert ids(only_un) == ["unsc-kpi-024"]
    no_un = yente.match(query, exclude_dataset=["un_sc_sanctions"]).responses["q"]
    assert ids(no_un) and all(i.startswith("ofac-") for i in ids(no_un))
    assert "ofac-17614" in ids(no_un)


def test_dataset_in_the_path(yente: YenteClient) -> None:
    query = {"q": person("Kim Yong Chol", birthDate="1962-02-18")}
    un = yente.match(query, dataset="un_sc_sanctions").responses["q"]
    everything = yente.match(query, dataset="default").responses["q"]
    assert ids(un) == ["unsc-kpi-024"]
    assert all(r.datasets == ["un_sc_sanctions"] for r in un.results)
    assert {"unsc-kpi-024", "ofac-17614", "ofac-12211"} <= set(ids(everything))
    ofac = yente.match(query, dataset="us_ofac_sdn").responses["q"]
    assert set(ids(ofac)) == set(ids(everything)) - {"unsc-kpi-024"}


def test_threshold_and_limit_as_a_client_sets_them(yente: YenteClient) -> None:
    query = {"q": person("Kim Yong Chol", birthDate="1962-02-18")}
    strict = yente.match(query, threshold=0.99, limit=1)
    assert strict.limit == 1 and len(strict.responses["q"].results) == 1
    assert all(r.score >= 0.99 for r in strict.responses["q"].results if r.match)


def test_an_error_is_raised_as_yente_clients_expect(yente: YenteClient) -> None:
    with pytest.raises(httpx.HTTPStatusError) as err:
        yente.match({"q": {"schema": "Person", "properties": {"birthDate": ["1962"]}}})
    assert err.value.response.status_code == 400
    assert "name" in err.value.response.json()["detail"]
