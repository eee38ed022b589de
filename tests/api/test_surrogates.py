"""A lone UTF-16 surrogate escape (``"\\ud800"``) in any request is a 4xx naming the
field, never a 500: JSON bodies (/match, /suppressions, /admin/keys), reconciliation
queries (a JSON body, a form field, a query parameter), list files and job files."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote

import pytest

from tests.api.conftest import Service
from tests.api.keyed import auth

RAW = {"content-type": "application/json"}
#: (path, key of, raw JSON text with a lone surrogate, words the detail must hold)
BODIES = [
    (
        "/match/default",
        None,
        r'{"queries": {"q": {"schema": "Person", "properties": {"name": ["\ud800"]}}}}',
        ("body.queries.q.properties.name.0", "surrogate", r"\ud800"),
    ),
    (
        "/match/default",
        None,
        r'{"queries": {"q\udfff": {"schema": "Person", "properties": {"name": ["Kim"]}}}}',
        (r"body.queries.q\udfff", "surrogate"),
    ),
    (
        "/match/default",
        None,
        r'{"queries": {"q": {"schema": "Person", "properties": {"name": ["Kim"],'
        r' "birthDate": ["1962-02-18\udc00"]}}}}',
        ("body.queries.q.properties.birthDate.0", "surrogate"),
    ),
    (
        "/reconcile/default",
        None,
        r'{"queries": {"q0": {"query": "Kim \ud800 Chol"}}}',
        ("queries.q0.query", "surrogate"),
    ),
    (
        "/reconcile/default",
        None,
        r'{"q0": {"query": "Kim", "properties": [{"pid": "birthDate", "v": "\udbff"}]}}',
        ("q0.properties.0.v", "surrogate"),
    ),
    (
        "/suppressions",
        "wes",
        r'{"entity_id": "ofac-12211", "query_name": "Kim \ud800", "reason": "x"}',
        ("body.query_name", "surrogate"),
    ),
    ("/admin/keys", "ada", r'{"name": "\ud800", "role": "read"}', ("body.name", "surrogate")),
]


@pytest.mark.parametrize(("path", "who", "text", "words"), BODIES)
def test_a_lone_surrogate_in_a_json_body_is_a_4xx_naming_the_field(
    keyed: tuple[Service, dict[str, str]],
    path: str,
    who: str | None,
    text: str,
    words: tuple[str, ...],
) -> None:
    svc, tokens = keyed
    headers = {**RAW, **(auth(tokens[who]) if who else {})}
    with svc.client() as c:
        r = c.post(path, content=text.encode("ascii"), headers=headers)
    assert 400 <= r.status_code < 500, r.text
    detail = r.json()["detail"]
    for word in words:
        assert word in detail, (word, detail)


def test_a_surrogate_pair_is_one_character_and_passes(
    keyed: tuple[Service, dict[str, str]],
) -> None:
    svc, _ = keyed
    text = r'{"queries": {"q": {"schema": "Person", "properties": {"name": ["Kim \ud83d\ude00"]}}}}'
    with svc.client() as c:
        r = c.post("/match/default", content=text.encode("ascii"), headers=RAW)
    assert r.status_code == 200, r.text


def test_a_lone_surrogate_in_a_reconciliation_form_or_address(
    keyed: tuple[Service, dict[str, str]],
) -> None:
    svc, _ = keyed
    queries = r'{"q0": {"query": "\ud800"}}'
    with svc.client() as c:
        for r in (
            c.post("/reconcile/default", data={"queries": queries}),
            c.get(f"/reconcile/default?queries={quote(queries)}"),
        ):
            assert r.status_code == 400, r.text
            assert "queries.q0.query" in r.json()["detail"] and "surrogate" in r.json()["detail"]
        # and in the other reads' addresses (never decoded to a surrogate): not a 500
        for path in ("/search/default?q=%ED%A0%80", "/entities/%ED%A0%80", "/search/%ED%A0%80"):
            assert c.get(path).status_code < 500, path


def _wait(c: Any, job_id: str) -> dict[str, Any]:
    end = time.monotonic() + 120
    while time.monotonic() < end:
        job: dict[str, Any] = c.get(f"/jobs/{job_id}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(job_id)


def test_a_lone_surrogate_in_an_uploaded_file(keyed: tuple[Service, dict[str, str]]) -> None:
    """A list file is refused naming the file and line; a job's row is rejected with
    its row number and the others are screened."""
    svc, tokens = keyed
    line = r'{"id": "t-1", "schema": "Person", "datasets": ["hermit_test_s"], '
    line += r'"properties": {"name": ["Kim \ud800"]}}' + "\n"
    with svc.client(headers=auth(tokens["wes"])) as c:
        r = c.post("/admin/lists", files=[("files", ("bad.ftm.json", line.encode("ascii")))])
        assert 400 <= r.status_code < 500, r.text
        assert "bad.ftm.json" in r.json()["detail"], r.text
        rows = b'{"name": "Kim Yong Chol"}\n{"name": "Kim \\ud800"}\n{"name": "Ri Hong Sop"}\n'
        r = c.post("/jobs", files={"file": ("rows.jsonl", rows)})
        assert r.status_code == 202, r.text
        job = _wait(c, r.json()["id"])
        assert job["status"] == "done", job
        assert (job["rows_read"], job["screened"], job["rejected"]) == (3, 2, 1)
        rejects = c.get(job["rejects_url"]).text
        assert ",2," in rejects and "surrogate" in rejects, rejects
