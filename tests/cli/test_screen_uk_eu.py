"""Screening against UK and EU listings through the real ``hermit screen`` on a store of
every list (UN, OFAC, UK OFSI 2025, EU FSF, EU DPRK annexes)."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from tests.cli.helpers import hermit
from tests.stores import copy_store


@pytest.fixture(scope="module")
def store(all_lists_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("screen") / "store.duckdb"
    copy_store(all_lists_store, copy)
    return copy


def _hits(store: Path, *args: str) -> list[dict[str, object]]:
    out = hermit(store, "screen", *args, "--json").stdout
    data = orjson.loads(out)
    assert isinstance(data, dict)
    results = data["matches"]
    assert isinstance(results, list)
    return results


def test_status_lists_every_dataset(store: Path) -> None:
    out = hermit(store, "lists", "status").stdout
    for dataset in (
        "un_sc_sanctions",
        "us_ofac_sdn",
        "gb_hmt_sanctions",
        "eu_fsf",
        "eu_dprk_annexes",
    ):
        assert dataset in out


def test_a_uk_listed_dprk_ship_found_by_imo_under_another_name(store: Path) -> None:
    # AN SAN 1 (OFSI group 13648, IMO 7303803), queried under a name it never had
    hits = _hits(store, "SEA PRINCESS", "--imo", "7303803", "--schema", "Vessel")
    by_id = {h["entity_id"]: h for h in hits}
    assert "ofsi-13648" in by_id and by_id["ofsi-13648"]["is_match"] is True
    assert "eu-dprk-imo-7303803" in by_id  # the EU annexes list the same hull


def test_an_eu_listed_dprk_person_by_name_and_birth_date(store: Path) -> None:
    hits = _hits(store, "Hwang Sok Hwa", "--dob", "1943-09-26")
    top = hits[0]
    assert top["entity_id"] == "eu-dprk-xiii-a-3" and top["is_match"] is True
    ids = {h["entity_id"] for h in hits}
    assert "eu-fsf-5468" in ids  # the same man in the FSF extract (Sok-hwa Hwang)


def test_a_uk_listed_dprk_person_by_name_and_birth_date(store: Path) -> None:
    hits = _hits(store, "Kim Yong Chol", "--dob", "1946")
    by_id = {h["entity_id"]: h for h in hits}
    assert by_id["ofsi-12439"]["is_match"] is True


def test_show_a_uk_entity_with_provenance(store: Path) -> None:
    out = hermit(store, "show", "ofsi-13648").stdout
    assert "AN SAN 1" in out and "7303803" in out and "uk_ofsi_conlist_2025-04-14.xlsx" in out
