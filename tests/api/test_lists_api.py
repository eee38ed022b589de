"""POST /admin/lists on the real service: files loaded as ``hermit lists load`` loads
them, the new index swapped in at once, and a bad file refused whole."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from tests.api.conftest import Service
from tests.api.keyed import auth

DATASET = "hermit_test_additions"
ENTITIES = [
    {
        "id": "test-pak-sonyo",
        "schema": "Person",
        "datasets": [DATASET],
        "properties": {
            "name": ["PAK Sonyo Dalrim"],
            "birthDate": ["1971-04-09"],
            "nationality": ["kp"],
        },
    },
    {
        "id": "test-ocean-star",
        "schema": "Vessel",
        "datasets": [DATASET],
        "properties": {"name": ["OCEAN STAR TEST"], "imoNumber": ["IMO9036181"]},
    },
]


def _jsonl(rows: list[dict[str, Any]]) -> bytes:
    return b"".join(json.dumps(r).encode() + b"\n" for r in rows)


def _catalog(c: httpx.Client) -> dict[str, tuple[int, str]]:
    datasets = c.get("/catalog").json()["datasets"]
    return {d["name"]: (d["seq"], d["sha256"]) for d in datasets if d.get("seq") is not None}


def test_a_broken_file_is_400_naming_it_and_nothing_is_loaded(
    keyed: tuple[Service, dict[str, str]], tmp_path: Path
) -> None:
    svc, tokens = keyed
    good = _jsonl([{**ENTITIES[0], "datasets": ["hermit_test_other"]}])
    broken = _jsonl(ENTITIES[:1]) + b'{"id": "cut-off", "schema": "Per\n'
    with svc.client() as c:
        before = _catalog(c)
        r = c.post(
            "/admin/lists",
            files=[("files", ("good.ftm.json", good)), ("files", ("broken.ftm.json", broken))],
            headers=auth(tokens["wes"]),
        )
        assert r.status_code == 400, r.text
        assert r.json()["detail"].startswith("broken.ftm.json, line 2: ")
        assert "hermit-upload" not in r.json()["detail"]  # the client's name, not a temp path
        assert _catalog(c) == before  # the good file was not loaded either
        assert c.get("/entities/test-pak-sonyo").status_code == 404


def test_a_load_over_the_api_is_served_at_once(keyed: tuple[Service, dict[str, str]]) -> None:
    svc, tokens = keyed
    upload = [("files", ("additions.ftm.json", _jsonl(ENTITIES)))]
    with svc.client() as c:
        before = _catalog(c)
        assert c.get("/entities/test-pak-sonyo").status_code == 404
        r = c.post("/admin/lists", files=upload, headers=auth(tokens["wes"]))
        assert r.status_code == 200, r.text
        (loaded,) = r.json()["loads"]
        assert loaded["dataset"] == DATASET and loaded["file"] == "additions.ftm.json"
        assert (loaded["seq"], loaded["unchanged"], loaded["added"]) == (1, False, 2)
        after = _catalog(c)
        assert after[DATASET][0] == 1
        assert {k: v for k, v in after.items() if k != DATASET} == before  # others untouched

        entity = c.get("/entities/test-pak-sonyo")
        assert entity.status_code == 200
        assert entity.json()["caption"] == "PAK Sonyo Dalrim"
        # provenance names the uploaded file, not the temporary copy it was read from
        assert entity.json()["provenance"]["file"] == "upload:additions.ftm.json"
        versions = c.get("/lists").json()
        shown = str(versions)
        assert "upload:additions.ftm.json" in shown and "hermit-upload-" not in shown
        query = {"schema": "Person", "properties": {"name": ["Pak Sonyo Dalrim"]}}
        found = c.post("/match/default", json={"queries": {"q": query}}).json()
        top = found["responses"]["q"]["results"][0]
        assert top["id"] == "test-pak-sonyo" and top["match"] is True
        vessel = c.get("/search/default", params={"q": "Ocean Star Test"}).json()
        assert "test-ocean-star" in [x["id"] for x in vessel["results"]]

        again = c.post("/admin/lists", files=upload, headers=auth(tokens["wes"]))
        assert again.status_code == 200
        assert again.json()["loads"][0]["unchanged"] is True
        assert _catalog(c) == after

        log = c.get("/admin/audit", params={"limit": 2}, headers=auth(tokens["ada"])).json()
        assert [e["summary"] for e in log["results"]] == [
            f"lists loaded: {DATASET} v1 unchanged",
            f"lists loaded: {DATASET} v1 +2 -0 ~0",
        ]


def test_ofac_companions_are_found_beside_sdn(
    keyed: tuple[Service, dict[str, str]], shared_lists: Path
) -> None:
    svc, tokens = keyed
    names = ("ofac_sdn.csv", "ofac_alt.csv", "ofac_add.csv", "ofac_sdn_comments.csv")
    files = [("files", (n, (shared_lists / n).read_bytes())) for n in names]
    with svc.client() as c:
        before = _catalog(c)
        r = c.post("/admin/lists", files=files, headers=auth(tokens["ada"]))
        assert r.status_code == 200, r.text
        (loaded,) = r.json()["loads"]  # one list from four files
        # the same four files the store was loaded from: the same version, nothing new
        assert loaded["dataset"] == "us_ofac_sdn" and loaded["unchanged"] is True
        assert set(loaded["file"].split(", ")) == set(names)
        assert _catalog(c) == before


def test_only_writers_load_lists(keyed: tuple[Service, dict[str, str]]) -> None:
    svc, tokens = keyed
    upload = [("files", ("x.ftm.json", _jsonl(ENTITIES)))]
    with svc.client() as c:
        assert c.post("/admin/lists", files=upload).status_code == 401
        read = c.post("/admin/lists", files=upload, headers=auth(tokens["rita"]))
        none = c.post("/admin/lists", headers=auth(tokens["wes"]))
    assert read.status_code == 403
    assert none.status_code == 422
    assert "files" in none.json()["detail"]


def test_malformed_hermit_fields_are_400_naming_line_and_field(
    keyed: tuple[Service, dict[str, str]],
) -> None:
    """Before, each of these was a 500 (TypeError, ValueError, pyarrow's error)."""
    svc, tokens = keyed
    good = {**ENTITIES[0], "hermit": {"provenance": {"line": 1}}}
    bad = {
        "provenance": ({"provenance": "x"}, "field hermit.provenance: expected an object"),
        "line": ({"provenance": {"line": "abc"}}, "field hermit.provenance.line"),
        "qualifiers": ({"qualifiers": [["alias", "x"]]}, "field hermit.qualifiers[0]"),
        "originals": ({"originals": [["name", ["x"], "y"]]}, "field hermit.originals[0]"),
    }
    with svc.client() as c:
        before = _catalog(c)
        for name, (extras, expected) in bad.items():
            upload = _jsonl([good, {**ENTITIES[1], "hermit": extras}])
            r = c.post(
                "/admin/lists",
                files=[("files", (f"{name}.ftm.json", upload))],
                headers=auth(tokens["wes"]),
            )
            assert r.status_code == 400, (name, r.text)
            assert r.json()["detail"].startswith(f"{name}.ftm.json, line 2: {expected}"), r.text
        assert _catalog(c) == before


def test_a_version_that_removes_much_is_409_unless_allowed(
    keyed: tuple[Service, dict[str, str]],
) -> None:
    svc, tokens = keyed
    dataset = "hermit_test_guard"
    rows = [
        {
            "id": f"guard-{n}",
            "schema": "Person",
            "datasets": [dataset],
            "properties": {"name": [f"GUARD PERSON {n}"]},
        }
        for n in range(20)
    ]
    with svc.client() as c:
        first = c.post(
            "/admin/lists",
            files=[("files", ("guard.ftm.json", _jsonl(rows)))],
            headers=auth(tokens["wes"]),
        )
        assert first.status_code == 200, first.text
        before = _catalog(c)
        smaller = [("files", ("guard.ftm.json", _jsonl(rows[:8])))]  # 12 of 20 gone
        r = c.post("/admin/lists", files=smaller, headers=auth(tokens["wes"]))
        assert r.status_code == 409, r.text
        detail = r.json()["detail"]
        assert detail.startswith("upload:guard.ftm.json: refused")
        assert (
            "12 of its 20 entities (60%)" in detail
            and "GUARD PERSON 10 (Person guard-10)" in detail
        )
        assert "allow_large_change=true" in detail and "hermit-upload" not in detail
        assert _catalog(c) == before
        assert c.get("/entities/guard-19").status_code == 200
        log = c.get("/admin/audit", params={"limit": 1}, headers=auth(tokens["ada"])).json()
        assert log["results"][0]["summary"].startswith("list load refused: upload:guard")

        allowed = c.post(
            "/admin/lists",
            params={"allow_large_change": "true"},
            files=smaller,
            headers=auth(tokens["wes"]),
        )
        assert allowed.status_code == 200, allowed.text
        assert allowed.json()["loads"][0]["removed"] == 12
        assert c.get("/entities/guard-19").status_code == 404


def test_sdn_uploaded_alone_is_refused_and_none_is_still_guarded(
    keyed: tuple[Service, dict[str, str]],
) -> None:
    svc, tokens = keyed
    samples = Path(__file__).resolve().parents[2] / "hermit" / "resources" / "samples"
    upload = [("files", ("sdn.csv", (samples / "sdn.csv").read_bytes()))]
    with svc.client() as c:
        before = _catalog(c)
        r = c.post("/admin/lists", files=upload, headers=auth(tokens["wes"]))
        assert r.status_code == 400, r.text
        detail = r.json()["detail"]
        assert detail.startswith("sdn.csv: no alt.csv, add.csv or sdn_comments.csv beside it")
        assert "aliases from ofac_alt.csv" in detail and "hermit-upload" not in detail
        # choosing "none" is allowed, but the guard still sees what the version removes
        r = c.post(
            "/admin/lists",
            params={"companions": "none"},
            files=upload,
            headers=auth(tokens["wes"]),
        )
        assert r.status_code == 409, r.text
        assert "would remove" in r.json()["detail"]
        assert _catalog(c) == before


def test_queries_are_answered_during_the_rebuild_and_after_from_the_new_version(
    keyed: tuple[Service, dict[str, str]],
) -> None:
    """A load over the API is read, stored and indexed by a process of its own, and the
    new index is swapped in whole: meanwhile every /match is answered (none refused),
    each from one whole version (its lists and its results agree), never an older one
    after a newer, and from the load's answer on, from the new version."""
    svc, tokens = keyed
    dataset = "hermit_test_during"
    listed = {
        "id": "test-during-ri",
        "schema": "Person",
        "datasets": [dataset],
        "properties": {"name": ["RI Tonghwan Pyolsong"], "nationality": ["kp"]},
    }
    body = {
        "queries": {"q": {"schema": "Person", "properties": {"name": ["Ri Tonghwan Pyolsong"]}}}
    }
    answers: list[tuple[float, int, bool | None, bool | None]] = []
    stop = threading.Event()

    def probe() -> None:
        with svc.client() as c:
            while not stop.is_set():
                sent = time.monotonic()
                r = c.post("/match/default", json=body)
                if r.status_code != 200:
                    answers.append((sent, r.status_code, None, None))
                    continue
                data = r.json()
                loaded = dataset in {v["dataset"] for v in data["lists"]}
                found = listed["id"] in {x["id"] for x in data["responses"]["q"]["results"]}
                answers.append((sent, 200, loaded, found))
                time.sleep(0.02)

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    try:
        while not answers:
            time.sleep(0.05)
        with svc.client() as c:
            began = time.monotonic()
            r = c.post(
                "/admin/lists",
                files=[("files", ("during.ftm.json", _jsonl([listed])))],
                headers=auth(tokens["wes"]),
            )
            answered = time.monotonic()
        assert r.status_code == 200, r.text
        time.sleep(1.0)
    finally:
        stop.set()
        thread.join(timeout=60)
    assert {a[1] for a in answers} == {200}  # never refused, not even while it rebuilt
    during = [a for a in answers if began <= a[0] < answered]
    assert len(during) >= 3, len(during)  # the rebuild took a while: answered meanwhile
    assert all(a[2] is False for a in answers if a[0] < began)
    assert all(a[2] is a[3] for a in answers)  # one whole version: its lists, its results
    seen = [a[2] for a in answers]
    assert seen == sorted(seen)  # the old version, then the new one, never back
    after = [a for a in answers if a[0] >= answered]
    assert after and all(a[2] is True for a in after)  # from the load's answer on
