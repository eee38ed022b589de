"""``hermit report kims`` on a slice of the NW Pacific dev set (the DPRK-linked ships of
labels/dprk_links.csv and the ships they met, all January) and the DPRK vessels of the
real OFAC list, through the real commands: the data validates, every citation resolves
(every position range counted again in the AIS store, every list record found at its
version and its IMO among those the vessel broadcast), every figure is recomputed from
its citations, two runs give the same bytes, and the HTML and PDF hold a map per port."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from hermit.report import schema
from hermit.report.kims import verify_kims
from tests.cli.helpers import hermit
from tests.conftest import shared_data_dir

DATA = shared_data_dir()
NWP = DATA / "ais_nwpacific"
EEZ = DATA / "geo" / "gfw_nk_eez_prk.json"
WHEN = "2026-12-03T00:00:00Z"
END = b"\x1a"


def _ofac_dprk_vessels(folder: Path) -> Path:
    """The DPRK vessels of the real OFAC set (sdn.csv rows, their alt and add rows)."""
    lists = DATA / "lists"
    text = (lists / "ofac_sdn.csv").read_bytes().decode("latin-1")
    kept, nums = [], set()
    for row in csv.reader(io.StringIO(text.rstrip("\x1a\r\n"), newline="")):
        if len(row) > 3 and row[2] == "vessel" and "DPRK" in row[3]:
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\r\n").writerow(row)
            kept.append(buf.getvalue())
            nums.add(row[0])
    (folder / "sdn.csv").write_bytes("".join(kept).encode("latin-1") + END)
    for name, out in (("ofac_alt.csv", "alt.csv"), ("ofac_add.csv", "add.csv")):
        rows = [
            line
            for line in (lists / name).read_bytes().decode("latin-1").splitlines(keepends=True)
            if line.split(",", 1)[0] in nums
        ]
        (folder / out).write_bytes("".join(rows).encode("latin-1") + END)
    (folder / "sdn_comments.csv").write_bytes(b"")
    return folder / "sdn.csv"


def _slice(path: Path) -> Path:
    mmsis: set[int] = set()
    with open(NWP / "labels" / "dprk_links.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            mmsis.update(int(m) for m in r["mmsis"].split(";"))
    with open(NWP / "labels" / "encounters.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["is_encounter"] == "true":
                mmsis.update({int(r["mmsi_a"]), int(r["mmsi_b"])})
    listed = ", ".join(str(m) for m in sorted(mmsis))
    duckdb.sql(
        f"COPY (SELECT * FROM '{NWP / 'positions_201801.parquet'}' WHERE mmsi IN ({listed}) "
        f"ORDER BY mmsi, ts) TO '{path}' (FORMAT parquet)"
    )
    return path


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("kims")
    store = out / "hermit.duckdb"
    (out / "ofac").mkdir()
    hermit(store, "lists", "load", str(_ofac_dprk_vessels(out / "ofac")))
    hermit(store, "ais", "load", str(_slice(out / "dprk_linked.parquet")))
    for name in ("r.json", "again.json"):
        outs = ["--out", str(out / name)]
        if name == "r.json":
            outs += ["--out", str(out / "r.html"), "--out", str(out / "r.pdf")]
        hermit(
            store, "report", "kims", "--from", "2018-01-01", "--to", "2018-01-31",
            "--eez", str(EEZ), "--generated-at", WHEN, *outs,
        )  # fmt: skip
    return out


@pytest.fixture(scope="module")
def data(made: Path) -> dict[str, Any]:
    found: dict[str, Any] = json.loads((made / "r.json").read_bytes())
    return found


def test_data_validates_and_is_the_same_bytes_again(made: Path, data: dict[str, Any]) -> None:
    assert schema.problems(data) == []
    assert (made / "r.json").read_bytes() == (made / "again.json").read_bytes()
    assert data["kind"] == "kims" and data["period"] == {"from": "2018-01-01", "to": "2018-01-31"}


def test_every_citation_resolves_and_every_figure_recomputes(
    made: Path, data: dict[str, Any]
) -> None:
    assert verify_kims(data, made / "hermit.ais.duckdb", made / "hermit.duckdb") == []
    kinds = {c["kind"] for c in data["citations"]}
    assert {"ais_positions", "list_record", "parameter"} <= kinds
    # a figure or a citation changed is caught
    bad = json.loads(json.dumps(data))
    bad["figures"][0]["value"] += 1
    rng = next(c for c in bad["citations"] if c["kind"] == "ais_positions")
    rng["count"] += 1
    found = verify_kims(bad, made / "hermit.ais.duckdb", made / "hermit.duckdb")
    assert any(p.startswith(f"figure {bad['figures'][0]['id']}") for p in found)
    assert any(p.startswith(f"[{rng['n']}] ") for p in found)


def _figure(data: dict[str, Any], fid: str) -> Any:
    return next(f["value"] for f in data["figures"] if f["id"] == fid)


def test_the_ports_their_vessels_and_chains(data: dict[str, Any]) -> None:
    sections = {s["id"]: s for s in data["sections"]}
    assert [s for s in sections if s.startswith("port-")] == [
        "port-nakhodka", "port-vanino", "port-vladivostok", "port-dalian", "port-dandong",
    ]  # fmt: skip
    calls = {
        b["id"]: b["rows"]
        for s in data["sections"]
        for b in s["blocks"]
        if b["type"] == "table" and b["id"].startswith("calls-")
    }
    vvo = " ".join(r["vessel"] for r in calls["calls-vladivostok"])
    assert "KUMGANGSAN (445830990)" in vvo  # the weekly Rajin-Vladivostok ferry
    dandong = {r["vessel"]: r["links"] for r in calls["calls-dandong"]}
    assert "listed" in dandong["WON SAN 2 (445070700)"]
    assert _figure(data, "vladivostok.calls") >= 4
    assert _figure(data, "dandong.listed") >= 1
    listings = next(b for b in sections["listings"]["blocks"] if b.get("id") == "listings-table")
    won_san = [r for r in listings["rows"] if r["vessel"] == "WON SAN 2 (445070700)"]
    assert won_san and won_san[0]["by"] == "IMO" and won_san[0]["list"].startswith("us_ofac_sdn")
    # HUAFU broadcasts no listed IMO: found by its name (listed as HUA FU) and its
    # Panamanian flag, a weak match
    huafu = [r for r in listings["rows"] if r["vessel"] == "HUAFU (355210200)"]
    assert huafu and huafu[0]["by"] == "name and flag (weak)" and huafu[0]["listed"] == "HUA FU"
    maps = [b for s in data["sections"] for b in s["blocks"] if b["type"] == "map"]
    assert len(maps) == 5 and all(m["tracks"] and m["outlines"] for m in maps)
    assert {m["basemap"] for m in maps} == {"natural-earth-land-10m-nwpacific@1"}
    # tracks cut at their AIS gaps (hermit-kims-map-tracks@2): some vessel of January
    # 2018 is silent 6 h or more inside the month
    cut = [t for m in maps for t in m["tracks"] if t.get("breaks")]
    assert cut and all(0 < b < len(t["points"]) for t in cut for b in t["breaks"])
    named = {a["name"] + "@" + a["version"] for a in data["generated"]["algorithms"]}
    assert "hermit-kims-map-tracks@2" in named


def test_html_and_pdf(made: Path) -> None:
    page = (made / "r.html").read_text(encoding="utf-8")
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="map"') == 5
    # every port's map has land under its tracks (the five ports lie in the outline's
    # box), a legend entry for it and a scale bar
    assert page.count('fill="#e9e4d4" stroke="#8a8a7a"') == 10  # the land, its legend
    assert page.count(" nm (") == 5 and "No coastline" not in page
    assert (made / "r.pdf").read_bytes().startswith(b"%PDF-")
