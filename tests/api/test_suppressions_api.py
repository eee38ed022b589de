"""/suppressions on the real service and the real lists: a reviewed hit stops alerting
on the next /match and alerts again once the decision is withdrawn."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.api.conftest import Service
from tests.api.keyed import auth

NAME = "Kim Yong Chol"
TARGET = "ofac-12211"


def _hit(c: httpx.Client, name: str = NAME, query_id: str | None = None) -> dict[str, Any]:
    query: dict[str, Any] = {"schema": "Person", "properties": {"name": [name]}}
    if query_id is not None:
        query["id"] = query_id
    r = c.post("/match/default", json={"queries": {"q": query}}, params={"limit": 10})
    assert r.status_code == 200, r.text
    found = {x["id"]: x for x in r.json()["responses"]["q"]["results"]}
    assert TARGET in found, sorted(found)
    return found[TARGET]


def test_suppress_then_withdraw_end_to_end(keyed: tuple[Service, dict[str, str]]) -> None:
    svc, tokens = keyed
    with svc.client() as c:
        before = _hit(c)
        assert before["match"] is True and before["suppressed"] is None

        added = c.post(
            "/suppressions",
            json={"entity_id": TARGET, "query_name": "KIM, Yong-chol", "reason": "ours born 1990"},
            headers=auth(tokens["wes"]),
        )
        assert added.status_code == 201, added.text
        decision = added.json()["suppression"]
        assert decision["decided_by"] == "wes"  # the key's name, not anything the body says
        assert decision["query_name"] == "KIM, Yong-chol" and decision["removed_at"] is None
        assert added.json()["replaced"] is None

        during = _hit(c)  # the name as the client spells it: matched normalised
        assert during["match"] is False
        assert during["suppressed"].startswith("reviewed not a match by wes 20")
        assert during["suppressed"].endswith(": ours born 1990")
        assert during["score"] == before["score"]  # still scored, only not alerted
        other = _hit(c, "Kim Yong Chol Jr")  # another name is another decision
        assert other["suppressed"] is None

        standing = c.get("/suppressions").json()
        assert standing["total"] == 1
        assert standing["results"][0]["decided_by"] == "wes"
        assert standing["results"][0]["decided_at"].startswith("20")

        removed = c.delete(
            f"/suppressions/{TARGET}",
            params={"query_name": NAME},
            headers=auth(tokens["ada"]),
        )
        assert removed.status_code == 200, removed.text
        assert removed.json()["removed_by"] == "ada"
        assert removed.json()["removed_at"] is not None

        after = _hit(c)
        assert after["match"] is True and after["suppressed"] is None
        assert c.get("/suppressions").json()["total"] == 0
        everything = c.get("/suppressions", params={"all": "true"}).json()["results"]
        assert [(s["decided_by"], s["removed_by"]) for s in everything] == [("wes", "ada")]


def test_suppress_by_query_id(keyed: tuple[Service, dict[str, str]]) -> None:
    svc, tokens = keyed
    with svc.client() as c:
        r = c.post(
            "/suppressions",
            json={"entity_id": TARGET, "query_id": "cust-77", "reason": "different person"},
            headers=auth(tokens["wes"]),
        )
        assert r.status_code == 201, r.text
        try:
            assert _hit(c, query_id="cust-77")["suppressed"] is not None
            assert _hit(c, query_id="cust-78")["match"] is True
        finally:
            gone = c.delete(
                f"/suppressions/{TARGET}",
                params={"query_id": "cust-77"},
                headers=auth(tokens["wes"]),
            )
            assert gone.status_code == 200
        assert _hit(c, query_id="cust-77")["match"] is True


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (
            {"entity_id": TARGET, "query_id": "a", "query_name": "b", "reason": "x"},
            "give either a query id or a query name (exactly one)",
        ),
        ({"entity_id": TARGET, "reason": "x"}, "give either a query id or a query name"),
        (
            {"entity_id": "ofac-nope", "query_name": NAME, "reason": "x"},
            "no entity 'ofac-nope' in the store's current lists",
        ),
        ({"entity_id": TARGET, "query_name": NAME, "reason": "   "}, "say why the pair"),
        ({"entity_id": TARGET, "query_name": NAME}, "body.reason: Field required"),
        ({"entity_id": TARGET, "query_name": "!!!", "reason": "x"}, "has no letters or digits"),
    ],
)
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
        r = c.delete(
            f"/suppressions/{TARGET}",
            params={"query_name": "Never Suppressed"},
            headers=auth(tokens["wes"]),
        )
        anonymous = c.delete(f"/suppressions/{TARGET}", params={"query_name": NAME})
    assert r.status_code == 400
    assert "no standing suppression of 'ofac-12211'" in r.json()["detail"]
    assert anonymous.status_code == 401
