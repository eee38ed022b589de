"""``hermit report dossier`` through the real commands, over the real lists (the UN
consolidated list and the DPRK entries of two OFAC SDN files, 2019 and 2021: two versions
of one list), a small registry of our own (a front company of KOMID, a person of KIM Yong
Chol's name and birth date) screened against them by ``hermit network roots``, and the AIS
of one listed vessel from the NW Pacific dev set: the data validates, two runs give the
same bytes, ``hermit report verify`` resolves every citation in the stores and counts
every figure again (and names a figure or a record changed), the derived figures agree
with hermit network and hermit ais, and the HTML and PDF render."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import duckdb
import orjson
import pytest

from hermit.report import render, schema
from tests.cli.helpers import hermit
from tests.conftest import shared_data_dir

DATA = shared_data_dir()
LISTS = DATA / "lists"
WHEN = "2026-12-03T00:00:00Z"
END = b"\x1a"
VESSEL_MMSI = 445671700  # HAP JANG GANG 6, IMO9066540 (OFAC 23728)


def _ofac_dprk(source: Path, folder: Path, companions: bool) -> Path:
    """The DPRK-programme rows of a real OFAC sdn.csv (with their alt and add rows)."""
    folder.mkdir()
    text = source.read_bytes().decode("latin-1")
    kept, nums = [], set()
    for row in csv.reader(io.StringIO(text.rstrip("\x1a\r\n"), newline="")):
        if len(row) > 3 and "DPRK" in row[3]:
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\r\n").writerow(row)
            kept.append(buf.getvalue())
            nums.add(row[0])
    (folder / "sdn.csv").write_bytes("".join(kept).encode("latin-1") + END)
    if companions:
        for name, out in (("ofac_alt.csv", "alt.csv"), ("ofac_add.csv", "add.csv")):
            rows = [
                line
                for line in (LISTS / name).read_bytes().decode("latin-1").splitlines(True)
                if line.split(",", 1)[0] in nums
            ]
            (folder / out).write_bytes("".join(rows).encode("latin-1") + END)
        (folder / "sdn_comments.csv").write_bytes(b"")
    return folder / "sdn.csv"


def _entity(eid: str, schema_: str, **props: str) -> dict[str, object]:
    return {"id": eid, "schema": schema_, "properties": {k: [v] for k, v in props.items()}}


REGISTRY = [
    _entity(
        "R-KOMID", "Company", name="KOREA MINING DEVELOPMENT TRADING CORPORATION", jurisdiction="kp"
    ),
    _entity("R-KIM", "Person", name="KIM Yong Chol", birthDate="1962-02-18", nationality="kp"),
    _entity("R-A", "Company", name="ООО «Мансудэ Строй»", jurisdiction="ru"),
    _entity("R-B", "Company", name="ООО «Вектор»", jurisdiction="ru"),
    _entity("own-1", "Ownership", owner="R-KOMID", asset="R-A", percentage="51"),
    _entity("own-2", "Ownership", owner="R-KOMID", asset="R-B", percentage="30"),
    _entity("own-3", "Ownership", owner="R-A", asset="R-B", percentage="25"),
    _entity("dir-1", "Directorship", director="R-KIM", organization="R-A", role="Директор"),
]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dossier")
    store = out / "hermit.duckdb"
    hermit(store, "lists", "load", "--no-index", str(LISTS / "un_consolidated.xml"))
    old = _ofac_dprk(LISTS / "ofac_sdn_2019-01-15.csv", out / "ofac2019", companions=False)
    hermit(
        store,
        "lists",
        "load",
        "--no-index",
        "--companions",
        "none",
        "--published",
        "2019-01-15",
        str(old),
    )
    hermit(store, "lists", "load", str(_ofac_dprk(LISTS / "ofac_sdn.csv", out / "ofac2021", True)))
    hermit(
        store,
        "suppress",
        "add",
        "--entity",
        "ofac-17614",
        "--by",
        "analyst",
        "--reason",
        "another KIM Yong Chol: born 1971",
        "--name",
        "Kim Yong Chol",
        "--dob",
        "1971-05-02",
    )
    lines = out / "registry.jsonl"
    lines.write_bytes(b"\n".join(orjson.dumps(e) for e in REGISTRY) + b"\n")
    hermit(store, "registry", "load", str(lines))
    hermit(store, "network", "roots")
    hermit(store, "network", "build")
    duckdb.sql(
        f"COPY (SELECT * FROM '{DATA / 'ais_nwpacific' / 'positions_201801.parquet'}' "
        f"WHERE mmsi = {VESSEL_MMSI} ORDER BY ts) TO '{out / 'vessel.parquet'}' (FORMAT parquet)"
    )
    hermit(store, "ais", "load", str(out / "vessel.parquet"))
    for name, query in (("kim", "unsc-kpi-024"), ("front", "R-B"), ("ship", "IMO9066540")):
        hermit(
            store,
            "report",
            "dossier",
            query,
            "--generated-at",
            WHEN,
            "--out",
            str(out / f"{name}.json"),
        )
    hermit(
        store,
        "report",
        "dossier",
        "unsc-kpi-024",
        "--generated-at",
        WHEN,
        "--out",
        str(out / "again.json"),
        "--out",
        str(out / "kim.html"),
        "--out",
        str(out / "kim.pdf"),
    )
    return out


def _data(made: Path, name: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads((made / f"{name}.json").read_bytes())
    return found


def _figure(data: dict[str, Any], fid: str) -> Any:
    return next(f["value"] for f in data["figures"] if f["id"] == fid)


def _rows(data: dict[str, Any], block_id: str) -> list[dict[str, Any]]:
    for sec in data["sections"]:
        for b in sec["blocks"]:
            if b.get("id") == block_id:
                return [r["cells"] for r in b["rows"]]
    raise AssertionError(f"no block {block_id}")


def test_same_bytes_again_and_valid(made: Path) -> None:
    assert (made / "kim.json").read_bytes() == (made / "again.json").read_bytes()
    for name in ("kim", "front", "ship"):
        assert schema.problems(_data(made, name)) == [], name


def test_person_listings_versions_changes_and_suppression(made: Path) -> None:
    data = _data(made, "kim")
    entries = {r["entry"]: r for r in _rows(data, "entries")}
    # the UN entry and OFAC 17614 (same name, same birth date); not OFAC 12211, another
    # KIM Yong Chol with another birth date
    assert sorted(entries) == ["ofac-17614", "unsc-kpi-024"]
    assert "birth date 1962-02-18" in entries["ofac-17614"]["why"]
    history = _rows(data, "history-us_ofac_sdn-ofac-17614")
    assert [r["version"] for r in history] == ["v1", "v2"]
    assert history[1]["published"] == "2021-01-01" or history[1]["changes"] != "unchanged"
    assert _figure(data, "suppressions") == 1
    (sup,) = _rows(data, "suppressions")
    assert sup["entry"] == "ofac-17614" and sup["state"] == "in force"
    # the registry person screened as one of the entries, and its path to KOMID
    (rec,) = _rows(data, "records")
    assert rec["record"] == "R-KIM" and "screened as" in rec["why"]


def test_front_company_network_verdict_and_flags(made: Path) -> None:
    data = _data(made, "front")
    assert data["title"] == "Dossier: ООО «Вектор»"
    # KOMID 30% direct + through R-A (51% KOMID: blocked) 25% = 55%: blocked
    assert _figure(data, "ofac50.R-B") == pytest.approx(55.0)
    proc = hermit(
        made / "hermit.duckdb", "network", "exposure", "R-B", "--as-of", "2026-12-03", "--json"
    )
    found = orjson.loads(proc.stdout)
    assert _figure(data, "exposure.R-B") == pytest.approx(found["score"])
    assert _figure(data, "paths.R-B") == len(found["paths"])
    front = _data(made, "kim")
    assert any(f["id"].startswith("exposure.") for f in front["figures"])
    listed = {c["entity_id"] for c in data["citations"] if c["kind"] == "list_record"}
    assert listed and all(e.startswith(("ofac-", "unsc-")) for e in listed)


def test_vessel_maritime_history(made: Path) -> None:
    data = _data(made, "ship")
    entries = {r["entry"] for r in _rows(data, "entries")}
    assert "ofac-23728" in entries
    events = _rows(data, "events")
    assert events and {e["mmsi"] for e in events} == {str(VESSEL_MMSI)}
    proc = hermit(made / "hermit.duckdb", "ais", "events", "--json")
    theirs = [orjson.loads(line) for line in proc.stdout.splitlines()]
    for kind in {e["kind"] for e in events}:
        assert _figure(data, f"ais.{kind}") == sum(1 for t in theirs if t["kind"] == kind)
    # hermit-dossier@2: the track map, citing the positions it is drawn from (verify
    # below counts them again), over the land outline, its port calls marked
    (track_map,) = [b for s in data["sections"] for b in s["blocks"] if b["type"] == "map"]
    assert [t["label"].endswith(f"({VESSEL_MMSI})") for t in track_map["tracks"]] == [True]
    assert 10 < len(track_map["tracks"][0]["points"]) <= 1500
    assert track_map["basemap"] == "natural-earth-land-10m-nwpacific@1"
    (cited,) = [data["citations"][n - 1] for n in track_map["cite"]]
    assert cited["kind"] == "ais_positions" and cited["mmsi"] == str(VESSEL_MMSI)
    ports = {e["reasons"] for e in events if e["kind"] == "port_visit"}
    assert bool(ports) == any(p["kind"] in ("port", "dprk_port") for p in track_map["places"])
    page = render.html(data)
    assert page.count('class="map"') == 2 and 'fill="#e9e4d4"' in page  # svg + figure
    versions = {a["name"]: a["version"] for a in data["generated"]["algorithms"]}
    assert versions["hermit-dossier"] == "2"


def test_verify_resolves_every_citation_and_names_what_breaks(made: Path) -> None:
    store = made / "hermit.duckdb"
    for name in ("kim", "front", "ship"):
        ok = hermit(store, "report", "verify", str(made / f"{name}.json"))
        assert "citations resolved" in ok.stdout, name
    bad = _data(made, "kim")
    fig = next(f for f in bad["figures"] if f["id"] == "listings")
    fig["value"] += 1
    rec = next(c for c in bad["citations"] if c["kind"] == "list_record")
    rec["version"] = 99
    (made / "bad.json").write_bytes(schema.dumps(bad))
    proc = hermit(store, "report", "verify", str(made / "bad.json"), check=False)
    assert proc.returncode == 1
    assert f"[{rec['n']}] {rec['dataset']} v99 has no entry {rec['entity_id']}" in proc.stdout
    assert "figure listings: count gives" in proc.stdout


def test_renderings(made: Path) -> None:
    page = (made / "kim.html").read_text("utf-8")
    assert "KIM YONG CHOL" in page and "What this report could not establish" in page
    assert (made / "kim.pdf").read_bytes().startswith(b"%PDF")


def test_verify_without_the_stores_says_so(made: Path, tmp_path: Path) -> None:
    proc = hermit(
        tmp_path / "elsewhere.duckdb", "report", "verify", str(made / "front.json"), check=False
    )
    assert proc.returncode == 1
    assert "list_record: no store given to resolve it in" in proc.stdout
    assert "registry_record: no store given to resolve it in" in proc.stdout
