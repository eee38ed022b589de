"""The AIS map page (/ui/ais) in a real browser (test_web.py's chromium and tab), over a
small planted AIS load beside a real-lists store: a vessel that stopped at Nampo, went
dark for 8 h, met another vessel at sea for 4 h and sailed on. What the page draws and
lists is checked against GET /ais/vessels and /ais/tracks; the screenshots go to
``test-artifacts/screenshots/ais/``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from hermit.api import ServiceSettings
from hermit.api.headers import PAGE_POLICY
from tests.api import test_web
from tests.api.conftest import Service, launch
from tests.api.test_web import SHOTS, WEB, Tab
from tests.cli.helpers import hermit
from tests.maritime.fixtures import HEADER, track
from tests.stores import copy_store

NAMPO = (38.716667, 125.4)
CALLER, MET = 445000031, 636000033
browser = test_web.browser  # test_web.py's chromium and tab, as fixtures of this module
tab = test_web.tab


@pytest.fixture(scope="module")
def ais_service(lists_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    folder = tmp_path_factory.mktemp("web_ais")
    path = folder / "store.duckdb"
    copy_store(lists_store, path)
    lat, lon = NAMPO
    rows = track(CALLER, 0, 13, lat, lon, dlat=0.0, sog="0.0", name="CALLER")
    rows += track(CALLER, 10, 25, 37.0, 124.0, dlat=0.0001, sog="0.5", name="CALLER")
    rows += track(CALLER, 15, 40, 37.01, 124.0, dlat=0.02, sog="9.0", name="CALLER")
    rows += track(MET, 10, 25, 37.0005, 124.0, dlat=0.0001, sog="0.5", name="MET", imo="IMO9176187")
    positions = folder / "p.csv"
    positions.write_text(HEADER + "\n" + "\n".join(rows) + "\n", "utf-8")
    hermit(path, "ais", "load", str(positions))
    svc = launch(ServiceSettings(store_path=path))
    yield svc
    svc.stop()


@pytest.fixture(scope="module")
def ais_shots() -> Path:
    folder = SHOTS / "ais"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return folder


def test_the_map_page_and_its_vendored_assets_come_from_the_service(
    ais_service: Service,
) -> None:
    with ais_service.client() as c:
        r = c.get("/ui/ais", params={"vessel": CALLER})
        assert r.status_code == 200, r.text
        assert 'aria-current="page"' in r.text and 'value="445000031"' in r.text
        assert r.headers["content-security-policy"] == PAGE_POLICY  # no inline script/style
        assert "<script>" not in r.text and "style=" not in r.text
        assets = re.findall(r'(?:src|href|data-land)="(/ui/static/[^"]+)"', r.text)
        names = {a.split("?")[0].removeprefix("/ui/static/") for a in assets}
        assert names >= {"vendor/leaflet.js", "vendor/leaflet.css", "vendor/land-50m.json",
                         "vendor/topojson-client.min.js", "ais.js", "ais.css"}  # fmt: skip
        for asset in assets:
            got = c.get(asset)
            assert got.status_code == 200, asset
            assert "immutable" in got.headers["cache-control"]
            name = asset.split("?")[0].removeprefix("/ui/static/")
            assert got.content == (WEB / "static" / name).read_bytes()
        for bad in ("/ui/static/vendor/nosuch.js", "/ui/static/vendor/README.md",
                    "/ui/static/vendor/..%2F..%2Frouter.py"):  # fmt: skip
            assert c.get(bad).status_code == 404, bad
        land = c.get("/ui/static/vendor/land-50m.json").json()
        assert land["type"] == "Topology" and "land" in land["objects"]


def test_the_track_endpoint_thins_and_windows(ais_service: Service) -> None:
    with ais_service.client() as c:
        whole = c.get(f"/ais/tracks/{CALLER}").json()
        assert whole["total"] == 13 + 25 + 40 and whole["step"] == 1
        assert whole["fields"] == ["ts", "lat", "lon", "sog", "cog", "jump"]
        times = [p[0] for p in whole["positions"]]
        assert times == sorted(times) and times[0] == "2020-01-01T00:00:00"
        thin = c.get(f"/ais/tracks/{CALLER}", params={"max_points": 10}).json()
        assert thin["step"] == 8 and len(thin["positions"]) <= 11
        assert thin["positions"][-1] == whole["positions"][-1]  # the last one kept
        part = c.get(
            f"/ais/tracks/{MET}", params={"from": "2020-01-01T11:00:00Z", "to": "2020-01-01T12:00"}
        ).json()
        assert [p[0][11:16] for p in part["positions"]] == [
            "11:00", "11:10", "11:20", "11:30", "11:40", "11:50", "12:00",
        ]  # fmt: skip
        assert c.get("/ais/tracks/445999999").status_code == 404
        bad = c.get(f"/ais/tracks/{MET}", params={"from": "2020-01-02", "to": "2020-01-01"})
        assert bad.status_code == 400


def api_vessel(svc: Service, key: int) -> Any:
    r = httpx.get(f"{svc.base_url}/ais/vessels/{key}")
    assert r.status_code == 200, r.text
    return r.json()


def test_the_map_shows_the_track_port_call_gap_and_encounter(
    ais_service: Service, tab: Tab, ais_shots: Path
) -> None:
    page = tab.page
    page.goto(f"{ais_service.base_url}/ui/ais?vessel={CALLER}")
    page.wait_for_selector("#ais-map[data-coast='drawn'][data-vessel='445000031']")
    page.wait_for_selector("#ais-events tbody tr[data-kind]")
    expected = api_vessel(ais_service, CALLER)["events"]
    kinds = page.locator("#ais-events tbody tr").evaluate_all("rs => rs.map(r => r.dataset.kind)")
    by_start = sorted(expected, key=lambda e: e["start"])  # the page lists them in time order
    assert kinds == [e["kind"] for e in by_start]
    assert {"port_visit", "gap", "encounter"} <= set(kinds)
    assert "Nampo" in page.locator("#ais-events tbody tr[data-kind='port_visit']").inner_text()
    # drawn: the coastline, the track in two pieces (cut at the gap), the gap's dashed line,
    # a marker per event
    assert page.locator("path.ais-land").count() >= 1
    assert page.locator("path.ais-track").count() == 2
    assert page.locator("path.ais-gap-line").count() == kinds.count("gap")
    assert page.locator("path.ais-gap").count() == kinds.count("gap")
    assert page.locator("path.ais-port").count() == kinds.count("port_visit")
    assert page.locator("path.ais-enc").count() == kinds.count("encounter")
    assert "CALLER" in page.locator("#ais-title").inner_text()
    page.screenshot(path=ais_shots / "ais-vessel.png")
    tab.no_script_errors()


def test_an_encounter_shows_both_tracks_side_by_side_in_time(
    ais_service: Service, tab: Tab, ais_shots: Path
) -> None:
    page = tab.page
    page.goto(f"{ais_service.base_url}/ui/ais?vessel={MET}")
    page.wait_for_selector("#ais-events tbody tr[data-kind='encounter']")
    page.click("#ais-events tbody tr[data-kind='encounter']")
    page.wait_for_selector("#ais-encounter:not([hidden])")
    box = page.locator("#ais-encounter")
    assert {box.get_attribute("data-a"), box.get_attribute("data-b")} == {str(CALLER), str(MET)}
    assert page.locator("path.ais-enc-a").count() == 1
    assert page.locator("path.ais-enc-b").count() == 1
    (met,) = [e for e in api_vessel(ais_service, MET)["events"] if e["kind"] == "encounter"]
    during = page.locator("#enc-pair tbody tr.during")
    # a row every 10 minutes from the encounter's start to its end, both vessels ~56 m apart
    assert during.count() == round(met["duration_h"] * 6) + 1
    first = during.first.locator("td").first.inner_text()
    assert first.startswith(met["start"][:16].replace("T", " "))
    cells = during.locator("td:nth-child(6)").all_inner_texts()
    apart = [int(x.replace(",", "")) for x in cells if x]  # blank: one has no position yet
    assert len(apart) >= 24 and all(40 <= m <= 70 for m in apart), cells
    page.screenshot(path=ais_shots / "ais-encounter.png", full_page=True)
    # the slider moves both vessels' markers to one instant
    page.locator("#enc-time").evaluate(
        "s => { s.value = String(Date.parse('2020-01-01T12:00:00Z'));"
        " s.dispatchEvent(new Event('input')); }"
    )
    assert page.locator("#enc-time-label").inner_text() == "2020-01-01 12:00"
    assert page.locator("#enc-distance").inner_text().endswith("m apart")
    assert (
        page.locator("#enc-pair tbody tr.now td:first-child")
        .inner_text()
        .startswith("2020-01-01 12:00")
    )
    tab.no_script_errors()


def test_an_unknown_vessel_says_so(ais_service: Service, tab: Tab) -> None:
    page = tab.page
    page.goto(f"{ais_service.base_url}/ui/ais?vessel=445999999")
    page.wait_for_selector("#ais-error:not([hidden])")
    assert "no vessel 445999999" in page.locator("#ais-error").inner_text()
    tab.no_script_errors()
