"""``hermit network export`` through the real command: the neighbourhood of an entity as
FtM JSON lines (read back by FollowTheMoney), GraphML (read back by igraph) and a CSV edge
list, each edge with its record; what lies beyond the hop limit is left out."""

from __future__ import annotations

import csv
from pathlib import Path

import igraph
import orjson
from followthemoney import model

from hermit.network.export import address_id
from tests.cli.helpers import hermit


def _e(eid: str, schema: str, **props: str) -> dict[str, object]:
    return {"id": eid, "schema": schema, "properties": {k: [v] for k, v in props.items()}}


ADDRESS = "690106, г. Владивосток, ул. Дальзаводская, д. 101"
ENTITIES = [
    _e("L", "Company", name="KOREA RUNGRADO GENERAL TRADING CORPORATION"),
    _e("A", "Company", name="ООО «Вектор»", address=ADDRESS),
    _e("B", "Company", name="ООО «Строй»", address=ADDRESS + ", офис 2"),
    _e("P", "Person", name="Ким Чол"),
    _e("far", "Company", name="ООО «Далеко»"),
    _e("own-1", "Ownership", owner="L", asset="A", percentage="25-50", startDate="2016-01-02"),
    _e("dir-1", "Directorship", director="P", organization="A", role="Директор"),
    _e("own-2", "Ownership", owner="B", asset="far", percentage="100"),
]


def test_export(tmp_path: Path) -> None:
    store = tmp_path / "hermit.duckdb"
    lines = tmp_path / "registry.jsonl"
    lines.write_bytes(b"\n".join(orjson.dumps(e) for e in ENTITIES) + b"\n")
    hermit(store, "registry", "load", str(lines))
    hermit(store, "network", "build")

    # A, its owner, its director and the shared address node; B two steps away; far three
    proc = hermit(store, "network", "export", "A", "--hops", "2")
    entities = [model.get_proxy(orjson.loads(line)) for line in proc.stdout.splitlines()]
    by_id = {e.id: e for e in entities}
    addr = address_id("address:vladavastak|dalzavadska|101")  # graph@2's building key
    assert sorted(by_id) == sorted(["A", "B", "L", "P", addr, "dir-1", "own-1"])
    own = by_id["own-1"]
    assert own.schema.name == "Ownership" and own.get("percentage") == ["25-50"]
    assert own.get("owner") == ["L"] and own.get("startDate") == ["2016-01-02"]
    assert own.get("summary") == [f"source record own-1 ({lines}, row 6)"]
    assert by_id["dir-1"].get("role") == ["Директор"]
    assert by_id["A"].get("addressEntity") == by_id["B"].get("addressEntity") == [addr]
    assert by_id[addr].schema.name == "Address" and by_id[addr].get("full") == [ADDRESS]
    assert "A: 5 nodes and 4 edges within 2 steps (ftm)" in proc.stderr

    graphml = tmp_path / "a.graphml"
    hermit(
        store, "network", "export", "A", "--hops", "3", "--format", "graphml", "--out", str(graphml)
    )
    graph = igraph.Graph.Read_GraphML(str(graphml))
    assert "far" in graph.vs["id"] and graph.ecount() == 5
    e = next(e for e in graph.es if e["record_id"] == "own-1")
    assert (graph.vs[e.source]["id"], graph.vs[e.target]["id"]) == ("L", "A")
    assert (e["kind"], e["low"], e["high"], e["row"]) == ("ownership", "25.0", "50.0", "6")

    table = hermit(store, "network", "export", "far", "--hops", "1", "--format", "csv").stdout
    rows = list(csv.DictReader(table.splitlines()))
    assert [(r["kind"], r["source"], r["target"], r["record_id"]) for r in rows] == [
        ("ownership", "B", "far", "own-2")
    ]
    missing = hermit(store, "network", "export", "nobody", check=False)
    assert missing.returncode != 0 and "'nobody': no such record or entity" in missing.stderr
