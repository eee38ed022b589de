"""``hermit network build`` and ``hermit network exposure`` through the real command:
registry records loaded with ``hermit registry load`` (FtM JSON lines), the graph stored
as edge tables, paths to the listed parties of a roots file ranked with their records,
dates and the contributions that add up to the score."""

from __future__ import annotations

from pathlib import Path

import duckdb
import orjson

from tests.cli.helpers import hermit


def _company(cid: str, address: str | None = None) -> dict[str, object]:
    props: dict[str, list[str]] = {"name": [f"Company {cid}"]}
    if address:
        props["address"] = [address]
    return {"id": cid, "schema": "Company", "properties": props}


def _rel(rid: str, schema: str, a: str, b: str, **more: str) -> dict[str, object]:
    ends = {
        "Ownership": ("owner", "asset"),
        "Directorship": ("director", "organization"),
        "Succession": ("predecessor", "successor"),
    }[schema]
    props = {ends[0]: [a], ends[1]: [b]} | {k: [v] for k, v in more.items()}
    return {"id": rid, "schema": schema, "properties": props}


MISSION = "690106, Приморский край, г. Владивосток, ул. Дальзаводская, д. 101"
HUB = "109769, г. Москва, ул. Угрешская, д. 69"  # a registered-agent hub: 30 firms

ENTITIES = (
    [_company(c) for c in ("L", "A", "B", "C", "D", "E", "F", "G", "H", "Z")]
    + [_company("M", MISSION + ", офис 14"), _company("K", MISSION + ", каб. 20")]
    + [_company(f"hub{i}", f"{HUB}, офис {i}") for i in range(30)]
    + [{"id": "P", "schema": "Person", "properties": {"name": ["Ким Ен Чол"]}}]
    + [
        _rel("own-1", "Ownership", "L", "A", percentage="51"),
        _rel("dir-1", "Directorship", "P", "A", role="Директор", startDate="2016-03-14"),
        _rel("dir-2", "Directorship", "P", "B", role="Директор", endDate="2019-05-28"),
        _rel("own-2", "Ownership", "L", "K", percentage="25-50"),
        _rel("suc-1", "Succession", "A", "C"),
        # a chain of seven ownership steps from L: H is beyond the hop limit (6)
        _rel("own-c1", "Ownership", "L", "D", percentage="100"),
        _rel("own-c2", "Ownership", "D", "E", percentage="100"),
        _rel("own-c3", "Ownership", "E", "F", percentage="100"),
        _rel("own-c4", "Ownership", "F", "G", percentage="100"),
        _rel("own-c5", "Ownership", "G", "hub0", percentage="100"),
        _rel("own-c6", "Ownership", "hub0", "hub1", percentage="100"),
        _rel("own-c7", "Ownership", "hub1", "H", percentage="100"),
        _rel("own-8", "Ownership", "hub1", "Z", percentage="lots"),
    ]
)


def _setup(tmp_path: Path) -> tuple[Path, Path]:
    store = tmp_path / "hermit.duckdb"
    lines = tmp_path / "registry.jsonl"
    lines.write_bytes(b"\n".join(orjson.dumps(e) for e in ENTITIES) + b"\n")
    hermit(store, "registry", "load", str(lines))
    roots = tmp_path / "roots.txt"
    roots.write_text("# listed parties\nL\n", encoding="utf-8")
    return store, roots


def test_build_stores_edge_tables(tmp_path: Path) -> None:
    store, _roots = _setup(tmp_path)
    proc = hermit(store, "network", "build")
    # graph@2 keys a building by town, street and house (hermit.network.building)
    assert "generic address set aside: 'maskva|agraska|69' (30 entities)" in proc.stdout
    assert (
        "graph@2 build 1: 44 nodes (records (no resolve run)), 15 edges (officer 2, "
        "ownership 10, shared_address 2, succession 1), 1 generic values set aside, "
        "1 fields set aside" in proc.stdout
    )
    assert "record own-8: percentage 'lots'" in proc.stderr
    con = duckdb.connect(str(tmp_path / "hermit.registry.duckdb"), read_only=True)
    rows = con.execute(
        "SELECT kind, source, target, role, start_date, end_date, record_id, row "
        "FROM network_edges WHERE build_id = 1 ORDER BY record_id"
    ).fetchall()
    by_record = {r[6]: r for r in rows}
    assert by_record["dir-2"][:4] == ("officer", "P", "B", "Директор")
    assert str(by_record["dir-2"][5]) == "2019-05-28"
    shared = sorted(r[1:3] for r in rows if r[0] == "shared_address")
    building = "address:vladavastak|dalzavadska|101"
    assert shared == [("K", building), ("M", building)]
    lost = con.execute("SELECT value FROM network_problems").fetchall()
    assert lost == [("lots",)]
    # Z's holding is kept as an edge without a share, not lost
    assert by_record["own-8"][:3] == ("ownership", "hub1", "Z")


def test_exposure_paths_and_contributions(tmp_path: Path) -> None:
    store, roots = _setup(tmp_path)
    hermit(store, "network", "build")
    args = ("network", "exposure", "--roots", str(roots), "--as-of", "2024-06-01")
    text = hermit(store, *args, "M").stdout
    assert "M: exposure 0.40 (exposure@1, as of 2024-06-01)" in text
    assert "1. to L: 0.40 in 3 steps" in text
    assert "M ->shared_address" in text and "<-ownership 25-50%<- L" in text
    assert "score: +1.00 -0.05 -0.15 -0.05 -0.15 -0.05 -0.15 = 0.40" in text

    found = orjson.loads(hermit(store, *args, "--json", "B").stdout)
    (path,) = found["paths"]
    assert [s["kind"] for s in path["steps"]] == ["officer", "officer", "ownership"]
    assert [s["record"]["id"] for s in path["steps"]] == ["dir-2", "dir-1", "own-1"]
    assert path["steps"][0]["end"] == "2019-05-28"
    reasons = [c["reason"] for c in path["contributions"]]
    assert "not current on 2024-06-01" in reasons and reasons[0] == "reaches listed party L"
    assert abs(sum(c["value"] for c in path["contributions"]) - path["score"]) < 1e-9
    assert abs(found["score"] - 0.40) < 1e-9  # 1 - 3 x 0.05 - 2 x 0.15 - 0.05 - 0.10 ended

    succ = orjson.loads(hermit(store, *args, "--json", "C").stdout)
    assert [s["kind"] for s in succ["paths"][0]["steps"]] == ["succession", "ownership"]

    far = hermit(store, *args, "H").stdout
    assert "H: exposure 0.00" in far and "no listed party within 6 steps" in far
    six = orjson.loads(hermit(store, *args, "--json", "hub1").stdout)
    assert len(six["paths"][0]["steps"]) == 6


def test_exposure_bad_input(tmp_path: Path) -> None:
    store, roots = _setup(tmp_path)
    unbuilt = hermit(store, "network", "exposure", "M", "--roots", str(roots), check=False)
    assert unbuilt.returncode == 1 and "hermit network build" in unbuilt.stderr
    hermit(store, "network", "build")
    unknown = hermit(store, "network", "exposure", "NOPE", "--roots", str(roots), check=False)
    assert unknown.returncode == 1 and "'NOPE': no such record or entity" in unknown.stderr
