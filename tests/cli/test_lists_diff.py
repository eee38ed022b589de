"""``hermit lists diff`` by listed party and program, on the real OFAC list (the 2021
set, then the 2024-05-02 sdn.csv): the DPRK changes alone, each party once with its
addresses, documents and sanctions under it, readable at 80 columns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.cli.helpers import hermit

DPRK = {"DPRK", "DPRK2", "DPRK3", "DPRK4", "DPRK-NKSPEA"}  # OFAC's North Korea programs


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, shared_lists: Path) -> Path:
    path = tmp_path_factory.mktemp("diff") / "store.duckdb"
    # no screening index: a diff reads the stored versions, never the index
    hermit(path, "lists", "load", str(shared_lists / "ofac_sdn.csv"), "--no-index")
    newer = str(shared_lists / "ofac_sdn_2024-05-02.csv")
    # the 2024 file alone, without alt.csv ...: its aliases and addresses removed
    hermit(
        path,
        "lists",
        "load",
        newer,
        "--published",
        "2024-05-02",
        "--companions",
        "none",
        "--allow-large-change",
        "--no-index",
    )
    return path


def lines(store: Path, *args: str) -> list[dict[str, Any]]:
    out = hermit(store, "lists", "diff", "us_ofac_sdn", *args, "--json").stdout
    return [orjson.loads(line) for line in out.splitlines()]


@pytest.fixture(scope="module")
def dprk_parties(store: Path) -> list[dict[str, Any]]:
    """``--program DPRK --json``, read once for the tests that check it (read only)."""
    return lines(store, "--program", "DPRK")


@pytest.fixture(scope="module")
def dprk_entities(store: Path) -> list[dict[str, Any]]:
    """``--program DPRK --entities --json``, read once (read only)."""
    return lines(store, "--program", "DPRK", "--entities")


def test_the_dprk_changes_alone_by_party(
    store: Path, dprk_parties: list[dict[str, Any]], dprk_entities: list[dict[str, Any]]
) -> None:
    parties = dprk_parties
    assert parties and all(set(p["programs"]) & DPRK for p in parties)
    added = [p for p in parties if p["change"] == "added"]
    assert len(added) == 72  # the DPRK entries the 2024 file adds
    assert all(any(part["schema"] == "Sanction" for part in p["parts"]) for p in added)
    assert not {p["schema"] for p in parties} & {"Sanction", "Address", "Identification"}
    # the same changes, one entity a line, are the parties' own and their records'
    flat = dprk_entities
    own = [p for p in parties if p["added"] or p["removed"] or p["change"] != "changed"]
    rolled = {(p["entity_id"], p["change"]) for p in own} | {
        (part["entity_id"], part["change"]) for p in parties for part in p["parts"]
    }
    assert {(c["entity_id"], c["change"]) for c in flat} == rolled
    assert len(flat) == len(rolled)
    everything = lines(store, "--entities")
    assert len(flat) < len(everything) / 5


def test_every_change_of_the_versions_and_the_text_names_them(store: Path) -> None:
    """No filter: the whole diff, v1 to v2 (moved from test_commands.py, which loaded
    the same two files into a store of its own)."""
    rows = lines(store)
    added_dprk = [
        r
        for r in rows
        if r["change"] == "added"
        and r["schema"] != "Sanction"
        and any(p.startswith("DPRK") for p in r["added"].get("program", []))
    ]
    assert len(added_dprk) == 72
    text = hermit(store, "lists", "diff", "us_ofac_sdn", "--limit", "5").stdout
    assert "from v1" in text and "to v2" in text and "published 2024-05-02" in text


def test_filters_combine(store: Path) -> None:
    people = lines(store, "--program", "DPRK", "--schema", "Person", "--change", "added")
    assert people and {p["schema"] for p in people} == {"Person"}
    assert {p["change"] for p in people} == {"added"}
    addresses = lines(store, "--program", "DPRK", "--entities", "--schema", "Address")
    assert addresses and {c["schema"] for c in addresses} == {"Address"}
    bad = hermit(store, "lists", "diff", "us_ofac_sdn", "--change", "renamed", check=False)
    assert bad.returncode == 2 and "renamed" in bad.stderr


def test_the_text_reads_by_party_at_80_columns(
    store: Path, dprk_parties: list[dict[str, Any]]
) -> None:
    parties = dprk_parties
    counts = {kind: sum(p["change"] == kind for p in parties) for kind in ("added", "removed")}
    text = hermit(
        store, "lists", "diff", "us_ofac_sdn", "--program", "DPRK", "--limit", "400", columns=80
    ).stdout
    rows = text.splitlines()
    assert max(len(row.rstrip()) for row in rows) <= 80
    assert "published 2024-05-02" in text
    summary = f"listed parties under DPRK: {counts['added']} added, {counts['removed']} removed"
    assert summary in text
    heads = [row for row in rows if row.startswith(("added ", "removed ", "changed "))]
    assert len(heads) == len(parties)
    first = parties[0]
    head = next(row for row in heads if first["entity_id"] in row)
    assert head.startswith(first["change"]) and first["caption"].split()[0] in head
    sanction = next(part for part in first["parts"] if part["schema"] == "Sanction")
    assert f"+ sanction: {sanction['caption']}" in text
    assert "-addr-" not in text  # an address reads as its text, not its id
    assert "-link-" not in text  # a link as the party it leads to


def test_every_entity_on_its_own_reads_at_80_columns(
    store: Path, dprk_entities: list[dict[str, Any]]
) -> None:
    flat = dprk_entities
    text = hermit(
        store,
        "lists",
        "diff",
        "us_ofac_sdn",
        "--program",
        "DPRK",
        "--entities",
        "--limit",
        "2000",
        columns=80,
    ).stdout
    rows = text.splitlines()
    assert max(len(row.rstrip()) for row in rows) <= 80
    heads = [row for row in rows if row.startswith(("added ", "removed ", "changed "))]
    assert len(heads) == len(flat)
    for head, change in zip(heads, flat, strict=True):  # in order, each with its id whole
        assert head.startswith(change["change"])
        assert change["entity_id"] in text
    assert {c["schema"] for c in flat} >= {"Address", "Sanction"}


UK_DPRK = {  # OFSI's regime name for North Korea: 2018-2020 CSV, then the 2022 format
    "North Korea (Democratic People's Republic of Korea)",
    "Democratic People's Republic of Korea",
}


def test_dprk_on_the_uk_list_across_its_renamed_regime(tmp_path: Path, shared_lists: Path) -> None:
    path = tmp_path / "store.duckdb"
    old = str(shared_lists / "uk_ofsi_conlist_2018-11-29.csv")
    hermit(path, "lists", "load", old, "--no-index")
    # 2018 -> 2025 a third of the UK entries went: a large change, confirmed
    newer = str(shared_lists / "uk_ofsi_conlist_2025-04-14.xlsx")
    hermit(path, "lists", "load", newer, "--allow-large-change", "--no-index")

    def diff(*args: str) -> list[dict[str, Any]]:
        out = hermit(path, "lists", "diff", "gb_hmt_sanctions", *args, "--json").stdout
        return [orjson.loads(line) for line in out.splitlines()]

    everything = diff()
    expected = [p for p in everything if set(p["programs"]) & UK_DPRK]
    assert len(expected) > 200  # the regime's parties (renamed: each of them changed)
    assert diff("--program", "DPRK") == expected
    assert diff("--program", "north korea") == expected
    renamed = [p for p in expected if p["change"] == "changed"]
    # listed under the old name in 2018 and the new one in 2025: one party, both names
    assert sum(set(p["programs"]) >= UK_DPRK for p in renamed) > 100
