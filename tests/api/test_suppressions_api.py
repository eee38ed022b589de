"""/suppressions on the real service and the real lists: a decision records the facts of
the query entity reviewed (FtM properties, read as /match reads them); the next /match
with the same facts marks the pair suppressed, a different person with the same name
alerts and says which decision lapsed, and a withdrawn decision alerts again."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.api.conftest import Service
from tests.api.keyed import auth

NAME = "Kim Yong Chol"
TARGET = "ofac-12211"  # KIM, Yong Chol, born circa 1947 (alt. circa 1946)


def _hit(
    c: httpx.Client,
    name: str = NAME,
    query_id: str | None = None,
    target: str = TARGET,
    **properties: Any,
) -> dict[str, Any]:
    query: dict[str, Any] = {"schema": "Person", "properties": {"name": [name], **properties}}
    if query_id is not None:
        query["id"] = query_id
    r = c.post("/match/default", json={"queries": {"q": query}}, params={"limit": 10})
    assert r.status_code == 200, r.text
    found = {x["id"]: x for x in r.json()["responses"]["q"]["results"]}
    assert target in found, sorted(found)
    return found[target]


def _withdraw(c: httpx.Client, token: str, **params: str) -> httpx.Response:
    return c.delete(f"/suppressions/{TARGET}", params=params, headers=auth(token))


def test_a_decision_on_one_kim_yong_chol_does_not_hide_the_listed_one(
    keyed: tuple[Service, dict[str, str]],
) -> None:
    svc, tokens = keyed
    with svc.client() as c:
        before = _hit(c, birthDate=["1962-02-18"])
        assert before["suppressed"] is None and before["lapsed"] is None

        added = c.post(
            "/suppressions",
            json={
                "entity_id": TARGET,
                "reason": "ours born 1962, the listed man c. 1947",
                "schema": "Person",
                "properties": {"name": ["KIM, Yong-chol"], "birthDate": ["1962-02-18"]},
            },
            headers=auth(tokens["wes"]),
        )
        assert added.status_code == 201, added.text
        decision = added.json()["suppression"]
        assert decision["decided_by"] == "wes"  # the key's name, not anything the body says
        assert decision["query_name"] == "KIM, Yong-chol" and decision["removed_at"] is None
        assert decision["facts"] == {"schema": "Person", "birth_date": "1962-02-18"}
        assert (decision["dataset"], decision["list_seq"]) == ("us_ofac_sdn", 1)
        assert len(decision["entity_fingerprint"]) == 64
        try:
            during = _hit(c, birthDate=["1962-02-18"])  # the name as the client spells it
            assert during["match"] is False and during["lapsed"] is None
            assert during["suppressed"].startswith("reviewed not a match by wes 20")
            assert during["suppressed"].endswith(
                " for schema Person, birth date 1962-02-18: ours born 1962, the listed man c. 1947"
            )
            assert during["score"] == before["score"]  # still scored, only not alerted

            other = _hit(c, birthDate=["1946"])  # fits the listed man: alerts, says why
            assert other["match"] is True and other["suppressed"] is None
            assert other["lapsed"].endswith(
                "; this query's birth date 1946 differs: alerting again"
            )
            both = _hit(c, birthDate=["1962-02-18", "1946"])  # one date reviewed, not the other
            assert both["match"] is True and both["suppressed"] is None and both["lapsed"]
            more = _hit(c, birthDate=["1962-02-18"], nationality=["kp"])
            assert "this query's nationality kp was not part of the review" in more["lapsed"]
            assert _hit(c, "Kim Yong Chol Jr")["lapsed"] is None  # another name, another key

            standing = c.get("/suppressions").json()
            assert standing["total"] == 1
            assert standing["results"][0]["facts"] == decision["facts"]
        finally:
            removed = _withdraw(c, tokens["ada"], query_name=NAME)
        assert removed.status_code == 200, removed.text
        assert removed.json()["removed_by"] == "ada"
        assert removed.json()["removed_at"] is not None

        after = _hit(c, birthDate=["1962-02-18"])
        assert after["suppressed"] is None and after["lapsed"] is None
        assert c.get("/suppressions").json()["total"] == 0
        everything = c.get("/suppressions", params={"all": "true"}).json()["results"]
        assert [(s["decided_by"], s["removed_by"]) for s in everything] == [("wes", "ada")]


def test_a_decision_without_facts_covers_a_bare_name_only(
    keyed: tuple[Service, dict[str, str]],
) -> None:
    """The fields of before (entity_id, query_name, reason) still record a decision:
    for the name alone. /match queries carry a schema, which was not reviewed."""
    svc, tokens = keyed
    with svc.client() as c:
        r = c.post(
            "/suppressions",
            json={"entity_id": TARGET, "query_name": NAME, "reason": "name only"},
            headers=auth(tokens["wes"]),
        )
        assert r.status_code == 201, r.text
        try:
            assert r.json()["suppression"]["facts"] == {}
            hit = _hit(c)
            assert hit["match"] is True and hit["suppressed"] is None
            assert hit["lapsed"].endswith(
                "for the name alone; this query's schema Person was not part of the review: "
                "alerting again"
            )
        finally:
            assert _withdraw(c, tokens["wes"], query_name=NAME).status_code == 200


def test_suppress_by_query_id_with_facts(keyed: tuple[Service, dict[str, str]]) -> None:
    svc, tokens = keyed
    with svc.client() as c:
        r = c.post(
            "/suppressions",
            json={
                "entity_id": TARGET,
                "query_id": "cust-77",
                "reason": "different person",
                "schema": "Person",
                "properties": {"name": [NAME], "nationality": ["South Korea"]},
            },
            headers=auth(tokens["wes"]),
        )
        assert r.status_code == 201, r.text
        decision = r.json()["suppression"]
        assert decision["query_id"] == "cust-77" and decision["query_name"] == NAME
        assert decision["facts"] == {"schema": "Person", "nationality": "kr"}
        try:
            same = _hit(c, query_id="cust-77", nationality=["kr"])
            assert same["suppressed"] is not None and same["match"] is False
            moved = _hit(c, query_id="cust-77", nationality=["kp"])
            assert moved["match"] is True and "nationality kp differs" in moved["lapsed"]
            renamed = _hit(c, "Kim Young Chol", query_id="cust-77", nationality=["kr"])
            assert "this query's name 'Kim Young Chol' differs" in renamed["lapsed"]
            assert _hit(c, query_id="cust-78", nationality=["kr"])["lapsed"] is None
        finally:
            assert _withdraw(c, tokens["wes"], query_id="cust-77").status_code == 200
        assert _hit(c, query_id="cust-77", nationality=["kr"])["suppressed"] is None


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"entity_id": TARGET, "reason": "x"}, "give a query id or a query name"),
        (
            {"entity_id": "ofac-nope", "query_name": NAME, "reason": "x"},
            "no entity 'ofac-nope' in the store's current lists",
        ),
        ({"entity_id": TARGET, "query_name": NAME, "reason": "   "}, "say why the pair"),
        ({"entity_id": TARGET, "query_name": NAME}, "body.reason: Field required"),
        ({"entity_id": TARGET, "query_name": "!!!", "reason": "x"}, "has no letters or digits"),
        (
            {"entity_id": TARGET, "query_name": NAME, "reason": "x", "schema": "Person",
             "properties": {"birthDate": ["1962-02-18", "1946"]}},
            "body.properties.birthDate: one date of birth per decision",
        ),
        (
            {"entity_id": TARGET, "query_name": NAME, "reason": "x", "schema": "Person",
             "properties": {"birthDate": "1962-13-45"}},
            "body.properties.birthDate: ",
        ),
        (
            {"entity_id": TARGET, "query_name": NAME, "reason": "x",
             "properties": {"birthDate": "1962"}},
            "body.schema: needed with properties",
        ),
        (
            {"entity_id": TARGET, "query_name": NAME, "reason": "x", "schema": "Person",
             "properties": {"imoNumber": "9018543"}},
            "body.properties.imoNumber: '9018543': Person has no property 'imoNumber'",
        ),
        (
            {"entity_id": TARGET, "reason": "x", "schema": "Person",
             "properties": {"name": [NAME, "Kim Young Chol"]}},
            "body.properties.name: one name per decision",
        ),
        (
            {"entity_id": TARGET, "query_name": "Paek", "reason": "x", "schema": "Person",
             "properties": {"name": [NAME]}},
            "body.properties.name: differs from body.query_name",
        ),
    ],
)  # fmt: skip
def test_bad_suppressions_are_400(
    keyed: tuple[Service, dict[str, str]], body: dict[str, Any], detail: str
) -> None:
    svc, tokens = keyed
    with svc.client() as c:
        r = c.post("/suppressions", json=body, headers=auth(tokens["wes"]))
    assert r.status_code in (400, 422), r.text
    assert detail in r.json()["detail"]


def test_removing_what_is_not_there_is_400(keyed: tuple[Service, dict[str, str]]) -> None:
    svc, tokens = keyed
    with svc.client() as c:
        r = _withdraw(c, tokens["wes"], query_name="Never Suppressed")
        anonymous = c.delete(f"/suppressions/{TARGET}", params={"query_name": NAME})
    assert r.status_code == 400
    assert "no standing suppression of 'ofac-12211'" in r.json()["detail"]
    assert anonymous.status_code == 401


def test_a_query_entity_alerts_when_any_of_its_screens_alerts() -> None:
    """/match screens a query entity once per name and date of birth; a decision that
    suppresses one of those screens must not hide a hit on another, even a lower one."""
    from hermit.api.convert import merge_matches
    from hermit.screening.result import Match

    def match(score: float, suppressed: str | None = None, lapsed: str | None = None) -> Match:
        return Match(
            TARGET, "Person", NAME, ("us_ofac_sdn",), score, score >= 0.8, (), suppressed, lapsed
        )

    reviewed = match(1.0, suppressed="reviewed not a match by a 2026-11-23 for birth date 1946")
    other = match(0.9, lapsed="reviewed ...; this query's birth date 1947 differs: alerting again")
    assert merge_matches([[reviewed], [other]]) == [other]
    assert merge_matches([[other], [reviewed]]) == [other]
    below = match(0.7)  # not a match: nothing to alert, the best score is shown
    assert merge_matches([[reviewed], [below]]) == [reviewed]
    assert merge_matches([[match(0.9)], [match(1.0)]]) == [match(1.0)]


def test_a_decision_lapses_when_a_load_over_the_api_changes_the_entity(
    keyed: tuple[Service, dict[str, str]],
) -> None:
    svc, tokens = keyed
    person = {
        "id": "review-pak-sonyo",
        "schema": "Person",
        "datasets": ["hermit_test_reviews"],
        "properties": {"name": ["PAK Sonyo Dalrim"], "birthDate": ["1971-04-09"]},
    }

    def load(entity: dict[str, Any]) -> None:
        upload = [("files", ("reviews.ftm.json", json.dumps(entity).encode() + b"\n"))]
        r = c.post("/admin/lists", files=upload, headers=auth(tokens["wes"]))
        assert r.status_code == 200, r.text

    with svc.client() as c:
        load(person)
        r = c.post(
            "/suppressions",
            json={
                "entity_id": person["id"],
                "reason": "ours is a teacher born 1990",
                "schema": "Person",
                "properties": {"name": ["Pak Sonyo Dalrim"], "birthDate": ["1990-01-01"]},
            },
            headers=auth(tokens["wes"]),
        )
        assert r.status_code == 201, r.text
        assert r.json()["suppression"]["list_seq"] == 1
        kept = _hit(c, "Pak Sonyo Dalrim", target=person["id"], birthDate=["1990-01-01"])
        assert kept["suppressed"] is not None
        load({**person, "properties": {**person["properties"], "alias": ["PAK So Nyo"]}})
        changed = _hit(c, "Pak Sonyo Dalrim", target=person["id"], birthDate=["1990-01-01"])
        assert changed["suppressed"] is None
        assert changed["lapsed"].endswith(
            "; the listed entity changed since the review (hermit_test_reviews version 1 -> 2): "
            "alerting again"
        )
