"""``hermit show ID`` names the parties an entity is linked to, both ways, on the real
OFAC list: the party's caption, kind and id, never a link entity's bare id."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from tests.cli.helpers import hermit

OMM = "ofac-17068"  # OCEAN MARITIME MANAGEMENT COMPANY LIMITED
VESSELS = {
    "ofac-19570": "EVER BRIGHT 88",
    "ofac-19572": "GOLD STAR 3",
    "ofac-19573": "JH 86",
    "ofac-19575": "JIN TAI",
    "ofac-19577": "JIN TENG",
    "ofac-19578": "ORION STAR",
    "ofac-19582": "SOUTH HILL 2",
    "ofac-19584": "SOUTH HILL 5",
    "ofac-19585": "GRAND KARO",
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, shared_lists: Path) -> Path:
    path = tmp_path_factory.mktemp("show") / "store.duckdb"
    hermit(path, "lists", "load", str(shared_lists / "ofac_sdn.csv"))
    return path


def test_show_names_the_parties_linked_to_an_entity(store: Path) -> None:
    text = hermit(store, "show", OMM, columns=80).stdout
    linked = text[text.index("Linked parties") :]
    for entity_id, caption in VESSELS.items():
        row = next(line for line in linked.splitlines() if entity_id in line)
        assert caption in row and "Vessel" in row and "linked to this" in row
    assert "-link-" not in text  # the UnknownLink entities are resolved, not listed
    assert "Sanction" in text and "ofac-17068-addr-" in text  # its own records stay


def test_show_names_the_party_an_entity_is_linked_to(store: Path) -> None:
    text = hermit(store, "show", "ofac-19570", columns=120).stdout
    row = next(line for line in text.splitlines() if OMM in line)
    assert "OCEAN MARITIME MANAGEMENT COMPANY LIMITED" in row and "Organization" in row
    assert "linked to" in row and "linked to this" not in row
    data = orjson.loads(hermit(store, "show", "ofac-19570", "--json").stdout)
    assert data["links"] == [
        {
            "entity_id": OMM,
            "caption": "OCEAN MARITIME MANAGEMENT COMPANY LIMITED",
            "schema": "Organization",
            "dataset": "us_ofac_sdn",
            "relation": "linked to",
            "direction": "outgoing",
            "via": "ofac-19570-link-17068",
            "via_schema": "UnknownLink",
            "details": [],
        }
    ]
    back = orjson.loads(hermit(store, "show", OMM, "--json").stdout)["links"]
    assert {x["entity_id"] for x in back} == set(VESSELS)
    assert {x["direction"] for x in back} == {"incoming"}
