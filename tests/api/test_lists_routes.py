"""GET /lists and GET /lists/{dataset}/changes on the real service, over a store holding
two versions of the OFAC list (the 2021 set, then the 2024-05-02 sdn.csv) and the UN list.

The oracle for the changes is the store's own diff (what ``hermit lists diff`` prints),
computed on the same file before the service opens it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from hermit.api import ServiceSettings
from hermit.api import keys as api_keys
from hermit.sources.detect import read_list_files
from hermit.store import Store
from hermit.store.records import EntityChange, VersionInfo
from tests.api.conftest import Service, launch
from tests.api.fuzz import fuzz
from tests.stores import copy_store

OFAC = "us_ofac_sdn"
UN = "un_sc_sanctions"


@dataclass
class TwoVersions:
    service: Service
    versions: list[VersionInfo]
    diff: list[EntityChange]  # us_ofac_sdn v1 -> v2, from the store


def two_version_store(lists_store: Path, shared_lists: Path, folder: Path) -> Path:
    path = folder / "store.duckdb"
    copy_store(lists_store, path)
    published = datetime(2024, 5, 2, tzinfo=UTC)
    with Store(path) as store:
        newer = shared_lists / "ofac_sdn_2024-05-02.csv"
        for snap in read_list_files([newer], published=published, companions="none"):
            store.load(snap, allow_large_change=True)  # the 2024 file has no alt.csv ...
    return path


@pytest.fixture(scope="module")
def two(
    lists_store: Path, shared_lists: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TwoVersions]:
    path = two_version_store(lists_store, shared_lists, tmp_path_factory.mktemp("lists"))
    with Store(path, read_only=True) as store:
        versions = store.versions()
        diff = store.diff(OFAC)[2]
    svc = launch(ServiceSettings(store_path=path))
    yield TwoVersions(svc, versions, diff)
    svc.stop()


def get(svc: Service, path: str, **params: Any) -> Any:
    with svc.client() as c:
        r = c.get(path, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def sorted_values(values: dict[str, list[str]]) -> dict[str, list[str]]:
    return {prop: sorted(found) for prop, found in values.items()}


def all_changes(svc: Service, dataset: str, **params: Any) -> list[dict[str, Any]]:
    """Every change, page by page (500 at a time)."""
    out: list[dict[str, Any]] = []
    while True:
        page = get(svc, f"/lists/{dataset}/changes", limit=500, offset=len(out), **params)
        out.extend(page["results"])
        if len(out) >= page["total"]["value"] or not page["results"]:
            return out


def test_lists_has_every_version_with_the_store_s_counts(two: TwoVersions) -> None:
    body = get(two.service, "/lists")
    got = {(v["dataset"], v["seq"]): v for v in body["versions"]}
    assert set(got) == {(UN, 1), (OFAC, 1), (OFAC, 2)}
    for v in two.versions:
        item = got[(v.dataset, v.seq)]
        assert (item["entity_count"], item["added"], item["removed"], item["changed"]) == (
            v.entity_count,
            v.added,
            v.removed,
            v.changed,
        )
        assert item["sha256"] == v.content_sha256
        assert item["label"] == v.label
    # a first version added everything; the second is current and says when it was published
    assert got[(OFAC, 1)]["added"] == got[(OFAC, 1)]["entity_count"] > 30_000
    assert not got[(OFAC, 1)]["current"] and got[(OFAC, 2)]["current"] and got[(UN, 1)]["current"]
    assert got[(OFAC, 2)]["published"] == "2024-05-02"
    assert got[(OFAC, 1)]["published"] is None
    assert got[(OFAC, 2)]["files"][0]["path"].endswith("ofac_sdn_2024-05-02.csv")
    assert got[(OFAC, 2)]["changes_url"] == f"/lists/{OFAC}/changes?to_seq=2"


def test_changes_of_the_newest_version_are_the_store_s_diff(two: TwoVersions) -> None:
    first = get(two.service, f"/lists/{OFAC}/changes", limit=3)
    assert first["from_version"]["seq"] == 1 and first["to_version"]["seq"] == 2
    v2 = next(v for v in two.versions if v.dataset == OFAC and v.seq == 2)
    # the counts are the version's own (what its load recorded)
    assert first["counts"] == {"added": v2.added, "removed": v2.removed, "changed": v2.changed}
    assert first["total"]["value"] == len(two.diff) == v2.added + v2.removed + v2.changed
    assert len(first["results"]) == 3
    # every person's change, paged, equals the store's diff for persons
    people = all_changes(two.service, OFAC, schema="Person")
    expected = [c for c in two.diff if c.schema == "Person"]
    assert len(people) == len(expected) > 1000
    for got, want in zip(people, expected, strict=True):
        assert (got["entity_id"], got["change"], got["caption"]) == (
            want.entity_id,
            want.change,
            want.caption,
        )
        assert got["added"] == sorted_values(want.added)
        assert got["removed"] == sorted_values(want.removed)


def test_a_dprk_listing_of_2024_is_an_added_person_with_its_values(two: TwoVersions) -> None:
    added = all_changes(two.service, OFAC, change="added", schema="Person")
    assert {c["change"] for c in added} == {"added"}
    dprk = [c for c in added if any("DPRK" in p for p in c["added"].get("program", []))]
    assert dprk, "the 2024 file adds DPRK-program persons"
    one = dprk[0]
    assert one["removed"] == {} and one["added"]["name"]
    with two.service.client() as c:
        assert c.get(f"/entities/{one['entity_id']}").status_code == 200


def test_filters_by_kind_and_schema(two: TwoVersions) -> None:
    body = get(two.service, f"/lists/{OFAC}/changes", change="removed", schema="Vessel", limit=1000)
    expected = [c for c in two.diff if c.change == "removed" and c.schema == "Vessel"]
    assert [r["entity_id"] for r in body["results"]] == [c.entity_id for c in expected]
    assert body["total"]["value"] == len(expected)
    vessels = Counter(c.change for c in two.diff if c.schema == "Vessel")
    assert body["counts"] == {k: vessels.get(k, 0) for k in ("added", "removed", "changed")}


def test_a_first_version_and_from_nothing(two: TwoVersions) -> None:
    un = get(two.service, f"/lists/{UN}/changes", limit=0)
    un_v1 = next(v for v in two.versions if v.dataset == UN)
    assert un["from_version"] is None and un["to_version"]["seq"] == 1
    assert un["counts"] == {"added": un_v1.entity_count, "removed": 0, "changed": 0}
    assert un["results"] == []
    # from_seq=0: everything in version 2 counts as added
    everything = get(two.service, f"/lists/{OFAC}/changes", from_seq=0, to_seq=2, limit=1)
    v2 = next(v for v in two.versions if v.dataset == OFAC and v.seq == 2)
    assert everything["counts"] == {"added": v2.entity_count, "removed": 0, "changed": 0}
    # an explicit from_seq=1 is the default comparison
    explicit = get(two.service, f"/lists/{OFAC}/changes", from_seq=1, to_seq=2, limit=5)
    default = get(two.service, f"/lists/{OFAC}/changes", limit=5)
    assert explicit == default


@pytest.mark.parametrize(
    ("path", "params", "status", "says"),
    [
        ("/lists/nosuch/changes", {}, 404, "no list 'nosuch'"),
        (f"/lists/{OFAC}/changes", {"to_seq": 9}, 404, "has no version 9 (newest is 2)"),
        (f"/lists/{OFAC}/changes", {"from_seq": 7, "to_seq": 2}, 404, "has no version 7"),
        (f"/lists/{OFAC}/changes", {"from_seq": 2, "to_seq": 1}, 400, "not older than"),
        (f"/lists/{OFAC}/changes", {"from_seq": 2, "to_seq": 2}, 400, "not older than"),
        (f"/lists/{OFAC}/changes", {"change": "renamed"}, 422, "change"),
        (f"/lists/{OFAC}/changes", {"limit": 5000}, 422, "limit"),
        (f"/lists/{OFAC}/changes", {"to_seq": "two"}, 422, "to_seq"),
        (f"/lists/{OFAC}/changes", {"offset": -1}, 422, "offset"),
    ],
)
def test_bad_requests_are_4xx_with_a_message(
    two: TwoVersions, path: str, params: dict[str, Any], status: int, says: str
) -> None:
    with two.service.client() as c:
        r = c.get(path, params=params)
    assert r.status_code == status, r.text
    assert says in r.json()["detail"]


def test_keyed_reads_need_a_read_key(lists_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "store.duckdb"
    copy_store(lists_store, path)
    with Store(path) as store:
        token = api_keys.add(store.state, "rita", "read", by="test")[1]
    svc = launch(replace(ServiceSettings(store_path=path), open_reads=False))
    try:
        with svc.client() as c:
            refused = c.get("/lists")
            assert refused.status_code == 401
            assert "API key" in refused.json()["detail"]
            assert c.get(f"/lists/{UN}/changes").status_code == 401
            ok = c.get("/lists", headers={"Authorization": f"ApiKey {token}"})
            assert ok.status_code == 200
            assert {v["dataset"] for v in ok.json()["versions"]} == {UN, OFAC}
    finally:
        svc.stop()


def test_the_diff_cache_keeps_the_newest_diffs_within_its_budget() -> None:
    from hermit.api.routers.lists import DiffCache

    def changes(n: int) -> list[EntityChange]:
        return [EntityChange(f"e{i}", "added", "Person", f"E {i}", {}, {}) for i in range(n)]

    cache = DiffCache(budget=10)
    cache.put(("a", 0, 1), changes(4))
    cache.put(("a", 1, 2), changes(4))
    assert cache.get(("a", 0, 1)) is not None  # used: now the newest
    cache.put(("b", 0, 1), changes(4))  # 12 > 10: the least recently used goes
    assert cache.get(("a", 1, 2)) is None
    assert cache.get(("a", 0, 1)) is not None and cache.get(("b", 0, 1)) is not None
    cache.put(("c", 0, 1), changes(25))  # over the budget alone: kept, the others go
    assert cache.get(("c", 0, 1)) is not None
    assert cache.get(("a", 0, 1)) is None and cache.get(("b", 0, 1)) is None


def test_fuzzed_requests_never_get_a_server_error(two: TwoVersions) -> None:
    """Requests for /lists and /lists/{dataset}/changes generated from /openapi.json
    (valid and schema-breaking, derandomized), with the list free and set to one with
    two versions: never a 5xx, a 4xx always with a detail (tests/api/fuzz.py)."""
    labels, sent = fuzz(two.service.base_url, r"^/lists", 30, {"dataset": OFAC})
    assert labels == {"GET /lists", "GET /lists/{dataset}/changes"}
    assert sent > 60
