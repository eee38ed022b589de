"""``hermit network flags`` through the real command, the five structural detectors of
hermit.network.fronts on a small registry written here: each detector's finding and the
near misses it must leave alone (a golden output: a detector whose output moves must
bump its version and update this test)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from tests.cli.helpers import hermit


def _e(eid: str, schema: str, **props: str) -> dict[str, Any]:
    return {"id": eid, "schema": schema, "properties": {k: [v] for k, v in props.items()}}


def _own(eid: str, owner: str, asset: str, pct: str, **more: str) -> dict[str, Any]:
    return _e(eid, "Ownership", owner=owner, asset=asset, percentage=pct, **more)


def _dir(eid: str, person: str, org: str) -> dict[str, Any]:
    return _e(eid, "Directorship", director=person, organization=org, role="Директор")


SAKHALIN = "693013, г. Южно-Сахалинск, ул. Курильская, д. 47"
PERM = "614000, г. Пермь, ул. Ленина, д. 10"
ENTITIES = [
    _e("L", "Organization", name="KOREA TEST TRADING CORPORATION", jurisdiction="kp"),
    _e("O", "Organization", name="KOREA STATE PARTNER", jurisdiction="kp"),
    _e("R", "Company", name="ООО «Партнёр»", jurisdiction="ru"),
    # successor: P dissolved, owned by L; S registered at its building five months before
    _e(
        "P",
        "Company",
        name="ООО «Нео»",
        jurisdiction="ru",
        address=SAKHALIN,
        incorporationDate="2010-12-22",
        dissolutionDate="2017-06-12",
    ),
    _e(
        "S",
        "Company",
        name="ООО «Новастрой»",
        jurisdiction="ru",
        address=SAKHALIN + ", офис 3",
        incorporationDate="2017-01-18",
    ),
    _e(
        "S2",
        "Company",
        name="ООО «Старый»",
        jurisdiction="ru",
        address=SAKHALIN + ", офис 9",
        incorporationDate="2005-03-01",
    ),  # in the building long before: not a successor
    _e(
        "S3",
        "Company",
        name="ООО «Сахалинская оптовая компания»",
        jurisdiction="ru",
        address="693013, г. Южно-Сахалинск, ул. Пограничная, д. 47",
        incorporationDate="2017-02-01",
    ),  # house 47 of another street of the postcode: graph@1 took it for P's building
    _own("own-P", "L", "P", "51"),
    # re-registration with no DPRK owner: not a successor of a DPRK firm
    _e(
        "Q1",
        "Company",
        name="ООО «Уют»",
        jurisdiction="ru",
        address=PERM,
        incorporationDate="2010-01-01",
        dissolutionDate="2018-01-01",
    ),
    _e(
        "Q2",
        "Company",
        name="ООО «Уют Плюс»",
        jurisdiction="ru",
        address=PERM + ", офис 2",
        incorporationDate="2018-02-01",
    ),
    _e("QP", "Person", name="Иванов Иван Иванович", nationality="ru"),
    _own("own-Q1", "QP", "Q1", "100"),
    # proxy: a Vietnamese national owns three companies, each run by a DPRK national
    _e("V", "Person", name="Nguyen Van An", nationality="vn"),
    *[_e(f"C{i}", "Company", name=f"ООО «Сервис {i}»", jurisdiction="ru") for i in (1, 2, 3)],
    *[_e(f"K{i}", "Person", name=f"Ким Чол {i}", nationality="kp") for i in (1, 2, 3)],
    *[_own(f"own-C{i}", "V", f"C{i}", "100") for i in (1, 2, 3)],
    *[_dir(f"dir-C{i}", f"K{i}", f"C{i}") for i in (1, 2, 3)],
    # ... two only: not "many"
    _e("V2", "Person", name="Tran Thi Binh", nationality="vn"),
    *[_e(f"D{i}", "Company", name=f"ООО «Торг {i}»", jurisdiction="ru") for i in (1, 2)],
    *[_e(f"KD{i}", "Person", name=f"Пак Ир {i}", nationality="kp") for i in (1, 2)],
    *[_own(f"own-D{i}", "V2", f"D{i}", "100") for i in (1, 2)],
    *[_dir(f"dir-D{i}", f"KD{i}", f"D{i}") for i in (1, 2)],
    # joint ventures with the DPRK partner O: closed in time; opened after 2371; exempt
    _e(
        "J1",
        "Company",
        name="ООО «Гео-Альянс»",
        jurisdiction="ru",
        incorporationDate="2015-09-08",
        dissolutionDate="2017-09-25",
    ),
    _own("own-J1-O", "O", "J1", "50", startDate="2015-09-08"),
    _own("own-J1-R", "R", "J1", "50", startDate="2015-09-08"),
    _e("J2", "Company", name="ООО «Пульс»", jurisdiction="ru", incorporationDate="2018-03-01"),
    _own("own-J2-O", "O", "J2", "49", startDate="2018-03-01"),
    _own("own-J2-R", "R", "J2", "51", startDate="2018-03-01"),
    _e("J3", "Company", name="ООО «Хасан-Раджин Транзит»", jurisdiction="ru"),
    _own("own-J3-O", "O", "J3", "30"),
    _own("own-J3-R", "R", "J3", "70"),
    # all officers DPRK nationals (a head and an owner); one DPRK head alone is not
    _e("A1", "Company", name="ООО «Агро»", jurisdiction="ru"),
    _e("K4", "Person", name="Ли Сон 4", nationality="kp"),
    _e("K5", "Person", name="Ли Сон 5", citizenship="kp", nationality="kp"),
    _dir("dir-A1", "K4", "A1"),
    _own("own-A1", "K5", "A1", "100"),
    _e("A2", "Company", name="ООО «Строй»", jurisdiction="ru"),
    _e("K6", "Person", name="Ли Сон 6", nationality="kp"),
    _dir("dir-A2", "K6", "A2"),
    # location: registered in Russia, described in China, owned by L; a BVI company so
    # described is the ordinary offshore case; without a path to L no flag
    _e(
        "M1",
        "Company",
        name="ООО «Юни-Пром»",
        jurisdiction="ru",
        description="Trading company based in Dandong, China",
    ),
    _own("own-M1", "L", "M1", "30"),
    _e("M2", "Company", name="Sunrise Holdings Ltd", jurisdiction="vg", country="cn"),
    _own("own-M2", "L", "M2", "30"),
    _e("M3", "Company", name="ООО «Восток»", jurisdiction="ru", country="cn"),
]


def test_front_detectors(tmp_path: Path) -> None:
    store = tmp_path / "hermit.duckdb"
    lines = tmp_path / "registry.jsonl"
    lines.write_bytes(b"\n".join(orjson.dumps(e) for e in ENTITIES) + b"\n")
    hermit(store, "registry", "load", str(lines))
    roots = tmp_path / "roots.txt"
    roots.write_text("L\n", encoding="utf-8")
    hermit(store, "network", "build")
    args = ("network", "flags", "--roots", str(roots), "--as-of", "2024-06-01", "--json")
    proc = hermit(store, *args, "--no-screen")
    every = [orjson.loads(line) for line in proc.stdout.splitlines()]
    found = sorted((f["detector"], f["entity"]) for f in every)
    assert found == [
        ("all_dprk_officers@1", "A1"),
        ("joint_venture@1", "J1"),
        ("joint_venture@1", "J2"),
        ("location_mismatch@1", "M1"),
        ("proxy_owner@1", "C1"),
        ("proxy_owner@1", "C2"),
        ("proxy_owner@1", "C3"),
        ("successor@1", "S"),
    ]
    by = {(f["detector"], f["entity"]): f for f in every}
    succ = by[("successor@1", "S")]
    assert "follows DPRK firm P" in succ["summary"]
    records = [e["record"].split()[0] for e in succ["evidence"]]
    assert records == ["S", "P", "S", "own-P", "L"]
    assert "S registered 2017-01-18, P dissolved 2017-06-12" in succ["evidence"][2]["what"]
    j1, j2 = by[("joint_venture@1", "J1")], by[("joint_venture@1", "J2")]
    assert "opened 2015-09-08, closed 2017-09-25" in j1["summary"] and "in time" in j1["summary"]
    assert "S/RES/2375 (2017), para. 18" in j1["summary"]
    assert "opened 2018-03-01" in j2["summary"] and "S/RES/2371 (2017), para. 12" in j2["summary"]
    assert "still operating on 2024-06-01" in j2["summary"]
    assert [e["record"].split()[0] for e in j1["evidence"]][:2] == ["own-J1-O", "O"]
    proxy = by[("proxy_owner@1", "C2")]
    assert "owner of 3 DPRK-linked companies (C1, C2, C3)" in proxy["summary"]
    assert [e["record"].split()[0] for e in proxy["evidence"]] == [
        "own-C2",
        "dir-C2",
        "K2",
        "own-C1",
        "own-C3",
    ]
    officers = by[("all_dprk_officers@1", "A1")]
    assert "all 2 officers and individual owners are DPRK nationals" in officers["summary"]
    location = by[("location_mismatch@1", "M1")]
    assert "registered in ru but described in cn" in location["summary"]
    assert [e["record"].split()[0] for e in location["evidence"]] == ["M1", "M1", "own-M1"]
    assert "8 findings" in proc.stderr
