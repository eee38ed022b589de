"""``hermit network lists`` through the real command on the real lists (UN consolidated
list and OFAC SDN): the 132 "Linked To" relations of OFAC's DPRK entries, the UN's DPRK
entries joined by name, the components and their hubs (issue 13: Ocean Maritime
Management, Gudzon Shipping)."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson

from tests.cli.helpers import hermit


def test_linked_to_graph_of_the_real_lists(tmp_path: Path, lists_store: Path) -> None:
    store = tmp_path / "hermit.duckdb"
    shutil.copy(lists_store, store)
    found = orjson.loads(hermit(store, "network", "lists", "--json", "--top", "200").stdout)
    assert found["algorithm"] == "lists-graph@1"
    assert found["linked_to"] == 132
    assert found["same_name"] >= 80  # UN entries that OFAC lists under the same name
    assert found["component_sizes"][:3] == [11, 8, 7]
    assert len(found["component_sizes"]) == 118
    first, second = found["components"][:2]
    assert first["hubs"][0] == {
        "entry": "ofac-17068",
        "name": "OCEAN MARITIME MANAGEMENT COMPANY LIMITED",
        "links": 9,
    }
    assert second["hubs"][0]["name"] == "GUDZON SHIPPING CO LLC"
    assert second["hubs"][0]["links"] == 6
    assert [h["name"] for h in found["hubs"][:2]] == [
        "OCEAN MARITIME MANAGEMENT COMPANY LIMITED",
        "GUDZON SHIPPING CO LLC",
    ]
    # the UN's KOMID (KPe.001) is joined to OFAC's KOMID and its Linked To relations
    komid = next(c for c in found["components"] if "ofac-9345" in c["entries"])
    assert "unsc-kpe-001" in komid["entries"]

    text = hermit(store, "network", "lists", "--top", "2").stdout
    assert "1. 11 entries; hubs: OCEAN MARITIME MANAGEMENT COMPANY LIMITED (9)" in text
    assert "lists-graph@1: " in text and "132 Linked To relations" in text
