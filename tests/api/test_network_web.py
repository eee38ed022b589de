"""The network page (/ui/network/{id}) in Debian's chromium against a real service whose
registry store was loaded, built and given its listed party by the real code (as
tests/api/test_network_api.py): the neighbourhood drawn by the vendored cytoscape, the
path to the listed party highlighted as GET /network/exposure gives it, an edge clicked
on the canvas opening its source record, a party clicked re-centring the page; under
the pages' Content-Security-Policy with no script error and nothing fetched elsewhere.
Screenshots go to test-artifacts/screenshots/network-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from hermit.api import ServiceSettings
from hermit.network import roots
from hermit.registry.store import RegistryStore, registry_store_path
from tests.api import test_web
from tests.api.conftest import Service, launch
from tests.api.test_web import SHOTS, Tab
from tests.cli.helpers import hermit
from tests.stores import copy_store


def _e(eid: str, schema: str, **props: str) -> dict[str, object]:
    return {"id": eid, "schema": schema, "properties": {k: [v] for k, v in props.items()}}


ADDRESS = "ул. Пограничная, д. 47, Владивосток, 690091"
ENTITIES = [
    _e("L", "Organization", name="KOREA TEST TRADING CORPORATION", jurisdiction="kp"),
    _e("A", "Company", name="ООО «Мансудэ Строй»", jurisdiction="ru"),
    _e("B", "Company", name="ООО «Вектор»", jurisdiction="ru", address=ADDRESS),
    _e("C", "Company", name="ООО «Восток Лес»", jurisdiction="ru", address=ADDRESS),
    _e("R", "Company", name="ООО «Партнёр»", jurisdiction="ru"),
    _e("P", "Person", name="Иван Петров", nationality="ru"),
    _e("own-1", "Ownership", owner="L", asset="A", percentage="51", startDate="2015-03-01"),
    _e("own-2", "Ownership", owner="A", asset="B", percentage="60"),
    _e("own-3", "Ownership", owner="R", asset="A", percentage="49"),
    _e("dir-1", "Directorship", director="P", organization="B", role="генеральный директор",
       endDate="2019-01-01"),
]  # fmt: skip
# A hub too large to draw (the page's limit, 400, hermit/resources/network/page.yaml):
# M (listed) owns G owns H; H has 380 directors (one step), G 50 (two steps, like M).
# Their ids sort before M's, so a cut taking the nearest by id alone would drop M.
HUB = [
    _e("M", "Organization", name="KOREA HUB TEST CORPORATION", jurisdiction="kp"),
    _e("G", "Company", name="ООО «Хаб Групп»", jurisdiction="ru"),
    _e("H", "Company", name="ООО «Хаб»", jurisdiction="ru"),
    _e("own-m", "Ownership", owner="M", asset="G", percentage="60"),
    _e("own-g", "Ownership", owner="G", asset="H", percentage="70"),
    *(_e(f"Q{i:03d}", "Person", name=f"Директор Х {i:03d}") for i in range(380)),
    *(_e(f"dir-q{i:03d}", "Directorship", director=f"Q{i:03d}", organization="H")
      for i in range(380)),
    *(_e(f"F{i:03d}", "Person", name=f"Директор Г {i:03d}") for i in range(50)),
    *(_e(f"dir-f{i:03d}", "Directorship", director=f"F{i:03d}", organization="G")
      for i in range(50)),
]  # fmt: skip
AS_OF = "2024-06-01"
browser = test_web.browser  # test_web.py's chromium and tab, as fixtures of this module
tab = test_web.tab


@pytest.fixture(scope="module")
def served(lists_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    folder = tmp_path_factory.mktemp("network_web")
    store = copy_store(lists_store, folder / "store.duckdb")
    lines = folder / "registry.jsonl"
    lines.write_bytes(b"\n".join(orjson.dumps(e) for e in ENTITIES + HUB) + b"\n")
    hermit(store, "registry", "load", str(lines))
    hermit(store, "network", "build")
    with RegistryStore(registry_store_path(store)) as reg:
        roots.save(
            reg,
            [
                roots.Root("L", "ofac-0", "KOREA TEST", ("test",), 1.0, "by hand"),
                roots.Root("M", "ofac-1", "KOREA HUB TEST", ("test",), 1.0, "by hand"),
            ],
        )
    svc = launch(ServiceSettings(store_path=store))
    yield svc
    svc.stop()


@pytest.fixture(scope="module")
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("network-*.png"):
        old.unlink()
    return SHOTS


def _open(tab: Tab, svc: Service, entity: str, hops: int = 2) -> Any:
    page = tab.page
    page.goto(f"{svc.base_url}/ui/network/{entity}?hops={hops}&as_of={AS_OF}")
    page.wait_for_selector("#network[data-ready='true']")
    return page


def _cy(page: Any, script: str) -> Any:
    return page.evaluate(f"() => {{ const cy = window.hermitNetwork.cy; {script} }}")


def test_the_neighbourhood_answer(served: Service) -> None:
    with served.client() as c:
        body = c.get("/network/neighbourhood/B", params={"as_of": AS_OF, "hops": 2}).json()
        assert body["entity"] == "B"
        assert {n["id"] for n in body["nodes"]} >= {"A", "B", "C", "L", "P", "R"}
        assert [n["id"] for n in body["nodes"] if n["listed"]] == ["L"]
        kinds = {e["record"]["id"]: (e["kind"], e["current"]) for e in body["edges"]}
        assert kinds["own-2"] == ("ownership", True)
        assert kinds["dir-1"] == ("officer", False)  # ended 2019
        assert {k for k, _ in kinds.values()} >= {"shared_address"}
        exposure = c.get("/network/exposure/B", params={"as_of": AS_OF}).json()
        assert body["exposure"] == exposure
        assert c.get("/network/neighbourhood/nobody").status_code == 404
        assert c.get("/network/neighbourhood/B", params={"hops": 9}).status_code == 422
        record = c.get("/network/records/own-2").json()
        assert record["schema"] == "Ownership" and record["properties"]["percentage"] == ["60"]
        assert record["file"].endswith("registry.jsonl") and record["row"] == 8
        assert c.get("/network/records/nosuch").status_code == 404
        assert body["cut"] is None


def test_a_neighbourhood_beyond_the_limit_is_cut_keeping_the_paths(served: Service) -> None:
    with served.client() as c:
        whole = c.get("/network/neighbourhood/H", params={"as_of": AS_OF, "hops": 1}).json()
        assert len(whole["nodes"]) == 382 and whole["cut"] is None  # H, G, 380 directors
        body = c.get("/network/neighbourhood/H", params={"as_of": AS_OF, "hops": 2}).json()
    # 433 nodes within two steps (H; G and the 380 at one; M and the 50 at two), 432 edges
    cut = body["cut"]
    assert (cut["limit"], cut["nodes_total"], cut["edges_total"]) == (400, 433, 432)
    assert (cut["nodes_left_out"], cut["edges_left_out"], cut["kept_for_paths"]) == (33, 33, 2)
    ids = [n["id"] for n in body["nodes"]]
    assert len(ids) == 400 and len(body["edges"]) == 399
    assert ids[0] == "H" and {"G", "M"} <= set(ids)
    assert [n["id"] for n in body["nodes"] if n["listed"]] == ["M"]
    assert {f"Q{i:03d}" for i in range(380)} <= set(ids)  # the whole first ring
    assert sorted(i for i in ids if i.startswith("F")) == [f"F{i:03d}" for i in range(17)]
    # the path to M survives the cut, every step an edge of the answer
    steps = {(s["record"]["id"], s["from"], s["to"]) for p in body["exposure"]["paths"]
             for s in p["steps"]}  # fmt: skip
    assert steps == {("own-g", "H", "G"), ("own-m", "G", "M")}
    drawn = {(e["record"]["id"], e["source"], e["target"]) for e in body["edges"]}
    assert {("own-g", "G", "H"), ("own-m", "M", "G")} <= drawn
    kept = set(ids)
    assert all(e["source"] in kept and e["target"] in kept for e in body["edges"])


def test_the_page_draws_the_paths_and_opens_records(
    served: Service,
    tab: Tab,
    shots: Path,
) -> None:
    page = _open(tab, served, "B")
    exposure = httpx.get(f"{served.base_url}/network/exposure/B", params={"as_of": AS_OF}).json()
    on_path = sorted(s["record"]["id"] for p in exposure["paths"] for s in p["steps"])
    assert on_path == ["own-1", "own-2"]
    # the drawing: every party and edge of the answer, the path's edges highlighted
    drawn = _cy(page, "return cy.nodes().map((n) => n.id()).sort();")
    assert set(drawn) >= {"A", "B", "C", "L", "P", "R"}
    highlighted = _cy(page, "return cy.edges('.path').map((e) => e.data('label'));")
    assert sorted(highlighted) == ["ownership 51%", "ownership 60%"]
    assert _cy(page, "return cy.$('node.listed').map((n) => n.id());") == ["L"]
    assert _cy(page, "return cy.edges('.old').length;") == 1  # the directorship, ended
    assert page.locator("#net-paths .net-path").count() == 1
    assert page.locator("#net-paths .net-path strong").inner_text() == "1. L"
    page.screenshot(path=shots / "network-B.png")

    # an edge clicked on the canvas opens its source record
    point = _cy(
        page,
        "const e = cy.edges().filter((x) => x.data('label') === 'ownership 60%')[0];"
        "const box = cy.container().getBoundingClientRect(); const m = e.renderedMidpoint();"
        "return [box.left + m.x, box.top + m.y];",
    )
    page.mouse.click(point[0], point[1])
    page.wait_for_selector("#net-record-props")
    assert page.locator("#net-record-id").inner_text() == "own-2"
    record = page.locator("#net-record").inner_text()
    assert "Ownership record own-2" in record and "registry.jsonl, row 8" in record
    assert "percentage" in record and "60" in record
    page.screenshot(path=shots / "network-B-record.png")

    # a step of the path opens its record too
    page.locator("#net-paths .net-step").last.click()
    page.wait_for_function(
        "() => document.getElementById('net-record-id')?.textContent === 'own-1'"
    )
    assert "2015-03-01" in page.locator("#net-record").inner_text()
    tab.no_script_errors()


def test_the_page_says_what_the_cut_left_out(served: Service, tab: Tab, shots: Path) -> None:
    page = _open(tab, served, "H")
    note = page.locator("#net-cut")
    assert note.is_visible()
    text = note.inner_text()
    assert text.startswith("Cut to 400 of 433 parties and values: 33 parties and values")
    assert "33 of 432 edges are left out" in text
    assert _cy(page, "return cy.nodes().length;") == 400
    assert _cy(page, "return cy.edges().length;") == 399
    assert _cy(page, "return cy.$('node.listed').map((n) => n.id());") == ["M"]
    highlighted = _cy(page, "return cy.edges('.path').map((e) => e.data('label'));")
    assert sorted(highlighted) == ["ownership 60%", "ownership 70%"]
    assert page.locator("#net-paths .net-path strong").first.inner_text() == "1. M"
    # drawn as rings around H, one a step: the first ring inside the second
    radius = _cy(
        page,
        "const c = cy.getElementById('H').position(); const r = (n) => Math.round("
        "Math.hypot(n.position('x') - c.x, n.position('y') - c.y));"
        "return ['G', 'Q000', 'Q379', 'M', 'F000'].map((i) => r(cy.getElementById(i)));",
    )
    assert radius[0] == radius[1] == radius[2] < radius[3] == radius[4], radius
    page.screenshot(path=shots / "network-H-cut.png")
    page.goto(f"{served.base_url}/ui/network/H?hops=1&as_of={AS_OF}")
    page.wait_for_selector("#network[data-ready='true']")
    assert page.locator("#net-cut").is_hidden()  # 382 parties: nothing cut
    tab.no_script_errors()


def test_a_party_clicked_is_centred_on(served: Service, tab: Tab, shots: Path) -> None:
    page = _open(tab, served, "B", hops=1)
    point = _cy(
        page,
        "const n = cy.getElementById('A'); const box = cy.container().getBoundingClientRect();"
        "const p = n.renderedPosition(); return [box.left + p.x, box.top + p.y];",
    )
    page.mouse.click(point[0], point[1])
    page.wait_for_url("**/ui/network/A?hops=1&as_of=2024-06-01")
    page.wait_for_selector("#network[data-ready='true']")
    assert "of A (" in page.locator("#net-caption").text_content()
    assert _cy(page, "return cy.edges('.path').map((e) => e.data('label'));") == ["ownership 51%"]
    page.screenshot(path=shots / "network-A-1-step.png")
    tab.no_script_errors()


def test_an_entity_out_of_the_build_says_so(served: Service, tab: Tab) -> None:
    page = tab.page
    page.goto(f"{served.base_url}/ui/network/nobody")
    page.wait_for_selector("#net-error:not([hidden])")
    assert "no such record or entity" in page.locator("#net-error").inner_text()
    page.goto(f"{served.base_url}/ui/network")
    page.fill("#net-id", "R")
    page.press("#net-id", "Enter")
    page.wait_for_selector("#network[data-ready='true']")
    assert page.url.endswith("/ui/network/R?hops=2")
    tab.no_script_errors()


def test_the_page_fits_a_360_px_screen(served: Service, tab: Tab, shots: Path) -> None:
    """As tests/api/test_web.py checks the other pages: nothing past the right edge."""
    tab.page.set_viewport_size({"width": 360, "height": 740})
    page = _open(tab, served, "B")
    page.wait_for_load_state("networkidle")
    scroll_width, width, over = page.evaluate(test_web.OVERFLOW)
    assert width == 360
    assert over == [] and scroll_width <= 360, over
    page.screenshot(path=shots / "network-B-360.png", full_page=True)
    tab.no_script_errors()
