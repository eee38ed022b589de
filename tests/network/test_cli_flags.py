"""``hermit network flags`` through the real command: a DPRK place name in a company's
name (any script) with a path to a listed party is a finding citing the records; the
same word without a tie to a listed party (a Koryo-saram travel firm) is not."""

from __future__ import annotations

from pathlib import Path

import orjson

from tests.cli.helpers import hermit
from tests.conftest import shared_data_dir


def _entity(eid: str, schema: str, **props: str) -> dict[str, object]:
    return {"id": eid, "schema": schema, "properties": {k: [v] for k, v in props.items()}}


ENTITIES = [
    _entity("L", "Company", name="KOREA RUNGRADO GENERAL TRADING CORPORATION"),
    _entity("A", "Company", name="ООО «Мансудэ Строй»"),
    _entity("B", "Company", name="MANSUDE STROY LLC"),
    _entity("C", "Company", name="ООО «Кымгансан Тур»"),
    _entity("D", "Company", name="ООО «Вектор»"),
    _entity("E", "Company", name="平壤贸易有限公司"),
    _entity("P", "Person", name="Ким Александр Сергеевич"),
    _entity(
        "M",
        "PublicBody",
        name="Генеральное консульство КНДР в г. Владивостоке",
        jurisdiction="kp",
        address="690106, Приморский край, г. Владивосток, ул. Дальзаводская, д. 101",
    ),
    _entity(
        "F",
        "Company",
        name="ООО «Строй-Трейд»",
        address="690106, г. Владивосток, ул. Дальзаводская, д. 101, офис 14",
    ),
    _entity(
        "G",
        "Company",
        name="ООО «Сити Трейд»",
        address="690012, г. Владивосток, ул. Дальзаводская, д. 4",
    ),
    _entity("own-1", "Ownership", owner="L", asset="A", percentage="51"),
    _entity("own-2", "Ownership", owner="L", asset="D", percentage="100"),
    _entity("own-3", "Ownership", owner="A", asset="E", percentage="30"),
    _entity("dir-1", "Directorship", director="P", organization="C", role="Директор"),
]


def test_dprk_name_flags(tmp_path: Path) -> None:
    store = tmp_path / "hermit.duckdb"
    lines = tmp_path / "registry.jsonl"
    lines.write_bytes(b"\n".join(orjson.dumps(e) for e in ENTITIES) + b"\n")
    hermit(store, "registry", "load", str(lines))
    roots = tmp_path / "roots.txt"
    roots.write_text("L\n", encoding="utf-8")
    hermit(store, "network", "build")
    proc = hermit(
        store, "network", "flags", "--roots", str(roots), "--as-of", "2024-06-01", "--json"
    )
    every = [orjson.loads(line) for line in proc.stdout.splitlines()]
    found = {f["entity"]: f for f in every if f["detector"] == "dprk_name@1"}
    assert sorted(found) == ["A", "E"]  # not C (no tie), not D (no word), not L (listed)
    (mission,) = [f for f in every if f["detector"] == "dprk_mission_address@1"]
    assert mission["entity"] == "F"  # not G: another house on the street
    assert "the building of Генеральное консульство КНДР" in mission["summary"]
    assert [e["record"].split()[0] for e in mission["evidence"]] == ["F", "M"]
    a = found["A"]
    assert a["detector"] == "dprk_name@1"
    assert "Mansudae" in a["summary"] and "reaches listed party L in 1 steps" in a["summary"]
    assert a["evidence"][0]["record"] == f"A ({lines}, row 2)"
    assert a["evidence"][1]["record"] == f"own-1 ({lines}, row 11)"
    assert "Pyongyang" in found["E"]["summary"]  # 平壤 read in Latin letters
    assert [e["record"].split()[0] for e in found["E"]["evidence"]] == ["E", "own-3", "own-1"]
    assert "3 findings (dprk_mission_address@1 1, dprk_name@1 2)" in proc.stderr


def test_missions_loaded_from_their_csv_are_missions(tmp_path: Path) -> None:
    """The shared reference list of missions loaded through its mapping (not the FtM
    export): a company in the consulate's building is flagged (the mapping once gave the
    missions a country but no jurisdiction, and the detector found no mission)."""
    store = tmp_path / "hermit.duckdb"
    lines = tmp_path / "registry.jsonl"
    firm = ENTITIES[8]
    lines.write_bytes(orjson.dumps(firm) + b"\n")
    missions = shared_data_dir() / "registry" / "dprk_missions.csv"
    hermit(store, "registry", "load", str(missions), str(lines))
    hermit(store, "network", "build")
    roots = tmp_path / "roots.txt"
    roots.write_text("nobody\n", encoding="utf-8")  # no listed party: this detector needs none
    proc = hermit(store, "network", "flags", "--roots", str(roots), "--json")
    every = [orjson.loads(line) for line in proc.stdout.splitlines()]
    (mission,) = [f for f in every if f["detector"] == "dprk_mission_address@1"]
    assert mission["entity"] == "F"
    assert mission["evidence"][1]["record"].startswith("ref-mission-2288e775 (")
