"""GET /lists/{dataset}/changes by listed party and by program, on the real OFAC list:
the 2021 set, then the 2024-05-02 sdn.csv (and the UN list).

Oracles: the store's own flat diff (every change must land exactly once, as a party's own
or under its party), the store's references (each record rolled up under the party it
belongs to, in either version), and the 72 DPRK entries the 2024 file adds (counted the
same way by tests/cli/test_commands.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from hermit.api import ServiceSettings
from hermit.store import Store
from hermit.store.records import EntityChange
from tests.api.conftest import Service, launch
from tests.api.test_lists_routes import OFAC, UN, get, two_version_store

PARTY_SCHEMATA = {"Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane"}


@dataclass
class Lists:
    service: Service
    diff: list[EntityChange]  # us_ofac_sdn v1 -> v2, from the store
    owners: set[tuple[str, str]]  # (record, party): the record belongs to the party


@pytest.fixture(scope="module")
def lists(
    lists_store: Path, shared_lists: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Lists]:
    path = two_version_store(lists_store, shared_lists, tmp_path_factory.mktemp("parties"))
    with Store(path, read_only=True) as store:
        diff = store.diff(OFAC)[2]
    con = duckdb.connect(str(path), read_only=True)
    try:  # every reference between a record and a party, in either version
        rows = con.execute(
            "SELECT s.entity_id, s.prop, s.value FROM statements s "
            "WHERE s.dataset = ? AND s.is_ref",
            [OFAC],
        ).fetchall()
    finally:
        con.close()
    owners: set[tuple[str, str]] = set()
    for source, prop, target in rows:
        if prop in ("entity", "holder", "subject"):
            owners.add((source, target))
        elif prop == "addressEntity":
            owners.add((target, source))
    svc = launch(ServiceSettings(store_path=path))
    yield Lists(svc, diff, owners)
    svc.stop()


def pages(svc: Service, dataset: str, **params: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    while True:
        page = get(svc, f"/lists/{dataset}/changes", limit=1000, offset=len(out), **params)
        out.extend(page["results"])
        if len(out) >= page["total"]["value"] or not page["results"]:
            return out


def is_dprk(programs: list[str]) -> bool:
    """OFAC's North Korea programs, spelled out (the oracle for ``program=DPRK``)."""
    known = {"DPRK", "DPRK2", "DPRK3", "DPRK4", "DPRK-NKSPEA"}
    return any(p.upper() in known for p in programs)


def test_every_change_lands_once_under_its_party(lists: Lists) -> None:
    parties = pages(lists.service, OFAC, parties="true")
    assert {p["schema"] for p in parties} <= PARTY_SCHEMATA
    landed: list[tuple[str, str]] = []
    for p in parties:
        own = p["added"] or p["removed"] or p["change"] != "changed"
        if own:
            landed.append((p["entity_id"], p["change"]))
        if not own:
            assert p["parts"], p  # changed through its records alone
        for part in p["parts"]:
            assert part["schema"] not in PARTY_SCHEMATA
            assert (part["entity_id"], p["entity_id"]) in lists.owners, (part, p["entity_id"])
            landed.append((part["entity_id"], part["change"]))
    assert sorted(landed) == sorted((c.entity_id, c.change) for c in lists.diff)
    assert len(parties) < len(lists.diff) / 2  # addresses, sanctions ... are not parties


def test_the_2024_dprk_listings_are_72_parties_with_their_records(lists: Lists) -> None:
    added = pages(lists.service, OFAC, parties="true", program="DPRK", change="added")
    assert len(added) == 72
    assert {p["change"] for p in added} == {"added"}
    assert all(is_dprk(p["programs"]) for p in added)
    body = get(lists.service, f"/lists/{OFAC}/changes", parties="true", program="DPRK", limit=0)
    assert body["counts"]["added"] == 72
    # each arrives with its sanction (and its addresses and documents) under it
    for p in added:
        kinds = {part["schema"] for part in p["parts"]}
        assert "Sanction" in kinds, p["caption"]
        assert all(part["change"] == "added" for part in p["parts"])
    assert {p["schema"] for p in added} <= PARTY_SCHEMATA


def test_a_program_keeps_its_parties_and_their_records_only(lists: Lists) -> None:
    dprk = pages(lists.service, OFAC, program="dprk")  # any case
    everything = pages(lists.service, OFAC)
    assert 0 < len(dprk) < len(everything) / 5
    assert all(is_dprk(c["programs"]) for c in dprk)
    others = [c for c in everything if not is_dprk(c["programs"])]
    assert len(dprk) + len(others) == len(everything) == len(lists.diff)
    assert {c["entity_id"] for c in dprk} == {
        c["entity_id"] for c in everything if is_dprk(c["programs"])
    }
    # a number or a qualifier narrows: DPRK3 alone is fewer, and no DPRK4-only party
    dprk3 = pages(lists.service, OFAC, parties="true", program="DPRK3")
    assert 0 < len(dprk3) < len({c["entity_id"] for c in dprk})
    assert all(any(p.upper() == "DPRK3" for p in c["programs"]) for c in dprk3)
    both = pages(lists.service, OFAC, parties="true", program=["DPRK3", "IRAN"])
    assert len(both) > len(dprk3)


def test_the_un_list_by_program(lists: Lists) -> None:
    body = get(lists.service, f"/lists/{UN}/changes", parties="true", program="DPRK", limit=200)
    assert body["from_version"] is None
    assert body["counts"] == {"added": 155, "removed": 0, "changed": 0}  # 80 KPi, 75 KPe
    refs = {r["entity_id"].split("-")[1] for r in body["results"]}
    assert refs == {"kpi", "kpe"}
    person = next(r for r in body["results"] if r["entity_id"] == "unsc-kpi-024")
    assert {p["schema"] for p in person["parts"]} >= {"Sanction", "Passport"}
