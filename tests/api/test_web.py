"""The web pages in a real browser: Debian's chromium (/usr/bin/chromium) driven by
Playwright against the real service over the real lists.

The pages' own HTTP (shells and assets) is checked without a browser too. Every page the
browser tests open is saved as a screenshot to ``test-artifacts/screenshots/``
under the repository (git-ignored), 1366x768 like a laptop screen. What a page shows is
checked against the JSON endpoint it calls, so a rendering bug and an engine change are
told apart. A missing /usr/bin/chromium skips the browser tests on a developer's machine
and fails them where ``HERMIT_REQUIRE_BROWSER=1`` (.ci/run sets it, after installing
chromium), so CI never passes green while testing less.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from hermit.api import ServiceSettings
from hermit.api import keys as api_keys
from hermit.store import Store
from tests.api.conftest import Service, launch
from tests.conftest import REPO
from tests.stores import copy_store

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = REPO / "test-artifacts" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
KIM_YONG_CHOL = {"ofac-12211", "ofac-17614", "unsc-kpi-024"}  # UN KPi.024, OFAC 12211, 17614
WAIT_MS = 30_000


@pytest.fixture(scope="module")
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):  # this run's screenshots only
        old.unlink()
    print(f"\nscreenshots: {SHOTS}")
    return SHOTS


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One chromium (a fresh profile of its own) per module."""
    if not CHROMIUM.exists():
        why = "Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)"
        if os.environ.get("HERMIT_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{why}; HERMIT_REQUIRE_BROWSER=1 requires it")
        pytest.skip(why)
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=ARGS,
            viewport={"width": 1366, "height": 768},
            accept_downloads=True,
            locale="en-GB",
        )
        yield context
        context.close()


@dataclass
class Tab:
    """A browser page with the errors its scripts raised, every address it asked for and
    what its Content-Security-Policy refused (as the browser's console says it)."""

    page: Any
    errors: list[str]
    requests: list[str]
    refused: list[str]

    def no_script_errors(self) -> None:
        """No script failed, the page's policy refused nothing of the page's own, and the
        page asked nothing of any other server (no CDN)."""
        assert self.errors == [], self.errors
        assert self.refused == [], self.refused
        elsewhere = [
            url
            for url in self.requests
            if not url.startswith(("http://127.0.0.1:", "data:", "blob:"))
        ]
        assert elsewhere == [], elsewhere


@pytest.fixture()
def tab(browser: Any) -> Iterator[Tab]:
    yield from open_tab(browser, WAIT_MS)


def open_tab(browser: Any, timeout_ms: int) -> Iterator[Tab]:
    """A new page of ``browser`` that records its script errors, requests and policy
    refusals (a tab fixture's body; closed when the fixture ends)."""
    page = browser.new_page()
    page.set_default_timeout(timeout_ms)
    errors: list[str] = []
    requests: list[str] = []
    refused: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda request: requests.append(request.url))
    page.on(
        "console",
        lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    yield Tab(page, errors, requests, refused)
    page.close()


def api_match(svc: Service, name: str, headers: dict[str, str] | None = None, **props: str) -> Any:
    """What POST /match says for the query the search page sends."""
    properties: dict[str, list[str]] = {"name": [name]}
    for key, value in props.items():
        properties[key] = [value]
    schema = "Person" if "birthDate" in props or "nationality" in props else "Thing"
    body = {"queries": {"q": {"schema": schema, "properties": properties}}}
    r = httpx.post(
        f"{svc.base_url}/match/default", params={"limit": 10}, json=body, headers=headers
    )
    assert r.status_code == 200, r.text
    return r.json()["responses"]["q"]["results"]


def result_ids(page: Any) -> list[str]:
    return [
        str(x)
        for x in page.locator("#results tbody tr[data-id]").evaluate_all(
            "rows => rows.map(r => r.dataset.id)"
        )
    ]


def search(page: Any, name: str) -> None:
    page.fill("#q-name", name)
    page.press("#q-name", "Enter")
    page.wait_for_selector("#results tbody tr[data-id]")


# -- the pages' HTTP ------------------------------------------------------------------------

PAGES = ("/", "/ui/search", "/ui/batch", "/ui/lists", "/ui/entities/unsc-kpi-024")
WEB = REPO / "hermit" / "api" / "web"


def test_pages_and_their_assets_come_from_the_service(service: Service) -> None:
    assets: set[str] = set()
    with service.client() as c:
        for path in PAGES:
            r = c.get(path)
            assert r.status_code == 200, (path, r.text)
            assert r.headers["content-type"].startswith("text/html")
            assets.update(re.findall(r'(?:src|href)="(/ui/static/[^"]+)"', r.text))
        assert {a.split("?")[0] for a in assets} >= {
            "/ui/static/hermit.css",
            "/ui/static/common.js",
            "/ui/static/search.js",
            "/ui/static/entity.js",
            "/ui/static/batch.js",
            "/ui/static/lists.js",
        }
        for asset in assets:
            r = c.get(asset)
            assert r.status_code == 200, asset
            assert "immutable" in r.headers["cache-control"]  # versioned: kept by browsers
            name = asset.split("?")[0].rsplit("/", 1)[1]
            assert r.content == (WEB / "static" / name).read_bytes()
        for bad in ("/ui/static/nosuch.js", "/ui/static/..%2Frouter.py", "/ui/static/x.py"):
            assert c.get(bad).status_code == 404, bad


def test_vendored_libraries_are_served_with_their_licences(service: Service) -> None:
    """Each library in static/vendor has its licence beside it and is served as it is."""
    vendored = sorted((WEB / "static" / "vendor").glob("*.js"))
    assert vendored
    with service.client() as c:
        for path in vendored:
            assert path.with_name(path.name.split(".")[0] + ".LICENSE").is_file(), path
            r = c.get(f"/ui/static/vendor/{path.name}")
            assert r.status_code == 200 and r.content == path.read_bytes(), path
            assert r.headers["content-type"].startswith("text/javascript")
        assert c.get("/ui/static/vendor/nosuch.js").status_code == 404
        assert c.get("/ui/static/vendor/cytoscape.LICENSE").status_code == 404


SVG_NAMESPACE = "http://www.w3.org/2000/svg"


def test_no_asset_or_template_points_at_another_server() -> None:
    """hermit's own files (vendored libraries name their authors' sites in licence
    comments; that they fetch nothing is what the browser tests check). The SVG
    namespace (``document.createElementNS``) is a name, never fetched, so it is allowed."""
    files = [p for p in (*WEB.glob("static/*"), *WEB.glob("templates/*")) if p.is_file()]
    assert len(files) >= 10
    for path in files:
        text = path.read_text(encoding="utf-8").replace(SVG_NAMESPACE, "")
        assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", text), path


# -- search -----------------------------------------------------------------------------


def test_a_listed_dprk_name_comes_first_with_match_and_its_explanation(
    service: Service, tab: Tab, shots: Path
) -> None:
    page = tab.page
    page.goto(service.base_url + "/")
    page.fill("#q-dob", "1962-02-18")
    page.fill("#q-nat", "kp")
    search(page, "Kim Yong Chol")
    expected = api_match(service, "Kim Yong Chol", birthDate="1962-02-18", nationality="kp")
    ids = result_ids(page)
    assert ids == [r["id"] for r in expected]
    assert ids[0] in {"unsc-kpi-024", "ofac-17614"}  # the two listed with this birth date
    first = page.locator("#results tbody tr").first
    assert first.locator(".badge").inner_text() == "MATCH"
    name = first.locator('li[data-feature="name"]')
    assert name.locator(".contrib").inner_text() == "+1.00"
    assert "Kim Yong" in name.locator(".reason").inner_text()
    born = first.locator('li[data-feature="birth_date"]')
    assert "+0.10" in born.inner_text() and "1962-02-18" in born.inner_text()
    # the one born in 1946/47 is listed too, below the threshold: review, with a negative
    # contribution for the birth date
    older = page.locator('#results tbody tr[data-id="ofac-12211"]')
    assert older.locator(".badge").inner_text() == "REVIEW"
    assert older.locator('li[data-feature="birth_date"] .contrib').inner_text().startswith("−")
    # the address holds the query: reloading it gives the same results
    assert re.search(r"[?&]name=Kim\+Yong\+Chol", page.url) and "dob=1962-02-18" in page.url
    page.screenshot(path=shots / "search-kim-yong-chol.png")
    page.reload()
    page.wait_for_selector("#results tbody tr[data-id]")
    assert result_ids(page) == ids
    assert page.input_value("#q-dob") == "1962-02-18"
    tab.no_script_errors()


def test_a_hangul_name_reaches_the_listed_person(service: Service, tab: Tab, shots: Path) -> None:
    page = tab.page
    page.goto(service.base_url + "/")
    search(page, "김영철")
    expected = api_match(service, "김영철")
    ids = result_ids(page)
    assert ids == [r["id"] for r in expected]
    assert set(ids[:3]) == KIM_YONG_CHOL
    rows = page.locator("#results tbody tr")
    for i in range(3):
        assert rows.nth(i).locator(".badge").inner_text() == "MATCH"
        reason = rows.nth(i).locator('li[data-feature="name"] .reason').inner_text()
        assert "hermit-korean@3" in reason and "김영철" in reason
    assert "%EA%B9%80%EC%98%81%EC%B2%A0" in page.url  # 김영철 in the address
    page.screenshot(path=shots / "search-hangul.png")
    tab.no_script_errors()


def test_the_keyboard_moves_through_results_and_opens_one(
    service: Service, tab: Tab, shots: Path
) -> None:
    page = tab.page
    page.goto(service.base_url + "/?name=Kim+Yong+Chol")  # a bookmarked search runs
    page.wait_for_selector("#results tbody tr[data-id]")
    ids = result_ids(page)
    assert len(ids) >= 3
    page.evaluate("document.activeElement.blur()")  # focus off the search box
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q-name"
    page.keyboard.press("ArrowDown")
    selected = page.locator('#results tbody tr[aria-selected="true"]')
    assert selected.get_attribute("data-id") == ids[0]
    page.keyboard.press("j")
    assert selected.get_attribute("data-id") == ids[1]
    page.keyboard.press("ArrowDown")
    assert selected.get_attribute("data-id") == ids[2]
    page.keyboard.press("k")
    assert selected.get_attribute("data-id") == ids[1]
    assert page.evaluate("document.activeElement.dataset.id") == ids[1]
    page.screenshot(path=shots / "search-keyboard.png")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/ui/entities/{ids[1]}")
    page.wait_for_selector("#e-sections:not([hidden])")
    assert page.locator("#e-sub code").inner_text() == ids[1]
    tab.no_script_errors()


def test_a_date_that_cannot_be_read_is_set_aside_and_said_so(
    service: Service, tab: Tab, shots: Path
) -> None:
    page = tab.page
    page.goto(service.base_url + "/?name=Kim+Yong+Chol&dob=1962-13-45")
    page.wait_for_selector("#results tbody tr[data-id]")
    warning = page.locator('#query-warnings li[data-property="birthDate"]')
    assert warning.inner_text() == "birthDate 1962-13-45 set aside: there is no month 13"
    assert {"unsc-kpi-024", "ofac-17614"} <= set(result_ids(page))  # screened on the name
    page.screenshot(path=shots / "search-warning.png")
    page.goto(service.base_url + "/?name=Kim+Yong+Chol&dob=18%2F02%2F1962")
    page.wait_for_selector("#results tbody tr[data-id]")
    assert page.locator("#query-warnings").is_hidden()  # read, nothing to say
    born = page.locator("#results tbody tr").first.locator('li[data-feature="birth_date"]')
    assert "+0.10" in born.inner_text()
    tab.no_script_errors()


def test_a_query_the_engine_refuses_shows_its_message(service: Service, tab: Tab) -> None:
    page = tab.page
    page.goto(service.base_url + "/?name=%2A%2A%2A")
    error = page.locator("#search-error")
    error.wait_for(state="visible")
    assert "has no letter or digit" in error.inner_text()
    assert page.locator("#results-panel").is_hidden()
    tab.no_script_errors()


def vessel_match(svc: Service, name: str, **props: str) -> Any:
    """What POST /match says for a vessel query as the search page sends it."""
    properties = {"name": [name], **{k: [v] for k, v in props.items()}}
    body = {"queries": {"q": {"schema": "Vessel", "properties": properties}}}
    r = httpx.post(f"{svc.base_url}/match/default", params={"limit": 10}, json=body)
    assert r.status_code == 200, r.text
    return r.json()["responses"]["q"]["results"]


def test_an_imo_finds_the_vessel_under_another_name(
    service: Service, tab: Tab, shots: Path
) -> None:
    page = tab.page
    page.goto(service.base_url + "/")
    page.fill("#q-imo", "7944695")
    search(page, "Chong Chon Gang")
    expected = vessel_match(service, "Chong Chon Gang", imoNumber="7944695")
    assert result_ids(page) == [r["id"] for r in expected]
    first = page.locator("#results tbody tr").first
    assert first.get_attribute("data-id") == "ofac-17086"  # DAI HONG DAN, IMO 7944695
    assert first.locator(".badge").inner_text() == "MATCH"
    imo = first.locator('li[data-feature="imo"] .reason').inner_text()
    assert "IMO 7944695 is the listed vessel's" in imo
    assert "it is now called 'Chong Chon Gang', listed as 'DAI HONG DAN'" in imo
    assert "imo=7944695" in page.url
    page.screenshot(path=shots / "search-imo.png")
    page.reload()  # the address holds the IMO
    page.wait_for_selector("#results tbody tr[data-id]")
    assert page.input_value("#q-imo") == "7944695"
    tab.no_script_errors()


def test_an_mmsi_is_sent_as_the_vessel_s_mmsi(service: Service, tab: Tab) -> None:
    page = tab.page
    page.goto(service.base_url + "/")
    page.fill("#q-mmsi", "572469210")  # ARTAVIL (OFAC 15036)
    with page.expect_request("**/match/default**") as sent:
        search(page, "ARTAVIL")
    query = json.loads(sent.value.post_data or "{}")["queries"]["q"]
    assert query == {"schema": "Vessel", "properties": {"name": ["ARTAVIL"], "mmsi": ["572469210"]}}
    row = page.locator('#results tbody tr[data-id="ofac-15036"]')
    assert "MMSI 572469210 is listed" in row.locator('li[data-feature="mmsi"]').inner_text()
    tab.no_script_errors()


def test_the_score_cap_reads_as_a_cap(service: Service, tab: Tab) -> None:
    page = tab.page
    page.goto(service.base_url + "/?name=Kim+Yong+Chol&dob=1962-02-18&nationality=kp")
    page.wait_for_selector("#results tbody tr[data-id]")
    expected = api_match(service, "Kim Yong Chol", birthDate="1962-02-18", nationality="kp")
    top = expected[0]
    assert top["explanations"]["bounds"]["score"] < 0  # the API keeps the numbers adding up
    assert abs(sum(top["features"].values()) - top["score"]) < 1e-3
    first = page.locator("#results tbody tr").first
    items = first.locator(".explain li")
    last = items.nth(items.count() - 1)
    assert last.get_attribute("data-feature") == "bounds"
    assert last.locator(".contrib").inner_text() == ""  # a cap, not a contribution
    assert last.locator(".reason").inner_text().startswith("capped at 1.00 (the evidence adds up")
    assert "bounds" not in first.inner_text()
    tab.no_script_errors()


def test_no_candidate_names_the_report_floor(service: Service, tab: Tab) -> None:
    page = tab.page
    page.goto(service.base_url + "/?name=Margaret+Thornbury")
    empty = page.locator("#results td.empty")
    empty.wait_for()
    assert api_match(service, "Margaret Thornbury") == []
    assert empty.inner_text() == (
        "No candidate: nothing on the loaded lists scored 0.60 or more for this query."
    )
    assert page.locator("#results-summary").inner_text().startswith("No hits")
    tab.no_script_errors()


def test_slash_in_the_search_box_selects_the_last_name_else_types_a_slash(
    service: Service, tab: Tab
) -> None:
    page = tab.page
    page.goto(service.base_url + "/")
    search(page, "Kim Yong Chol")
    box = "#q-name"
    page.focus(box)
    page.evaluate("document.getElementById('q-name').setSelectionRange(3, 3)")
    page.keyboard.press("/")  # the box holds the name just screened: select it
    assert page.input_value(box) == "Kim Yong Chol"
    span = page.evaluate(
        "[document.activeElement.selectionStart, document.activeElement.selectionEnd]"
    )
    assert span == [0, len("Kim Yong Chol")]
    page.keyboard.type("Maersk A/S")  # typed over it; once typing, "/" is a slash
    assert page.input_value(box) == "Maersk A/S"
    page.fill("#q-dob", "")
    page.focus("#q-dob")
    page.keyboard.type("16/07/1969")  # and in the other fields, always
    assert page.input_value("#q-dob") == "16/07/1969"
    tab.no_script_errors()


# -- entity -----------------------------------------------------------------------------


def test_the_entity_page_shows_names_programs_and_provenance(
    service: Service, tab: Tab, shots: Path
) -> None:
    entity = httpx.get(f"{service.base_url}/entities/unsc-kpi-024").json()
    page = tab.page
    page.goto(service.base_url + "/ui/entities/unsc-kpi-024")
    page.wait_for_selector("#e-sections:not([hidden])")
    assert page.locator("#e-caption").inner_text() == "KIM YONG CHOL"
    names = page.locator("#s-names tbody tr")
    listed = entity["properties"]["name"] + entity["properties"]["alias"]
    assert names.count() == len(listed)
    assert names.locator("td:first-child").all_inner_texts() == listed
    young = page.locator("#s-names tr", has_text="Kim Young-Cheol")
    assert young.locator("td").nth(2).inner_text() == "Good"  # the UN's alias quality
    identity = page.locator("#s-identity").inner_text()
    assert "1962-02-18" in identity and "472310168" in identity and "North Korea" in identity
    sanctions = page.locator("#s-sanctions").inner_text()
    assert "DPRK" in sanctions and "KPi.024" in sanctions
    assert "United Nations Security Council" in sanctions and "2016-03-02" in sanctions
    versions = page.locator("#s-versions").inner_text()
    prov = entity["provenance"]
    assert prov["record_id"] == "KPi.024"
    assert prov["record_id"] in versions and prov["file"] in versions
    assert str(prov["line"]) in versions
    assert entity["first_seen_version"]["label"] in versions  # un_sc_sanctions v1 (2026-02-27)
    page.screenshot(path=shots / "entity-unsc-kpi-024.png", full_page=True)
    tab.no_script_errors()


def test_linked_entities_are_named_links_to_their_pages(
    service: Service, tab: Tab, shots: Path
) -> None:
    entity = httpx.get(f"{service.base_url}/entities/ofac-9345").json()  # KOMID
    linked = {link["id"]: link for link in entity["links"]}
    assert len(linked) >= 5
    page = tab.page
    page.goto(service.base_url + "/ui/entities/ofac-9345")
    page.wait_for_selector("#e-sections:not([hidden])")
    links = page.locator("#s-links a[data-link]")
    assert {links.nth(i).get_attribute("data-link") for i in range(links.count())} == set(linked)
    for entity_id, link in linked.items():  # named at once: caption, kind, id, relation
        row = page.locator("#s-links tr", has=page.locator(f'a[data-link="{entity_id}"]'))
        assert row.locator("a").inner_text() == link["caption"]
        sub = row.locator(".sub").inner_text()
        assert link["schema"] in sub and entity_id in sub
        assert row.locator("td").nth(1).inner_text() == link["phrase"]  # "linked to this"
    assert "-link-" not in page.locator("#s-links").inner_text()  # no link entity's id
    assert "KOMID" in page.locator("#s-names").inner_text()  # OFAC's weak alias
    page.screenshot(path=shots / "entity-ofac-9345-komid.png", full_page=True)
    first = sorted(linked)[0]
    page.locator(f'#s-links a[data-link="{first}"]').click()
    page.wait_for_url(f"**/ui/entities/{first}")
    page.wait_for_selector("#e-sections:not([hidden])")
    assert page.locator("#e-caption").inner_text() == linked[first]["caption"]
    back = page.locator('#s-links a[data-link="ofac-9345"]')  # and the way back
    assert back.inner_text() == entity["caption"]
    row = page.locator("#s-links tr", has=page.locator('a[data-link="ofac-9345"]'))
    assert row.locator("td").nth(1).inner_text() == "linked to"
    tab.no_script_errors()


def test_an_unknown_entity_says_so(service: Service, tab: Tab) -> None:
    page = tab.page
    page.goto(service.base_url + "/ui/entities/no-such-entity")
    error = page.locator("#entity-error")
    error.wait_for(state="visible")
    assert "no entity 'no-such-entity'" in error.inner_text()
    tab.no_script_errors()


# -- lists ------------------------------------------------------------------------------


def test_the_lists_page_opens_on_the_newest_change_by_party(
    service: Service, tab: Tab, shots: Path
) -> None:
    versions = httpx.get(f"{service.base_url}/lists").json()["versions"]
    newest = max(versions, key=lambda v: (v["loaded_at"], v["published"] or "", v["seq"]))
    page = tab.page
    page.goto(service.base_url + "/ui/lists")
    page.wait_for_selector("#versions tbody tr[data-version]")
    rows = page.locator("#versions tbody tr[data-version]")
    assert rows.count() == len(versions) == 2
    for v in versions:
        row = page.locator(f'#versions tr[data-version="{v["dataset"]}:{v["seq"]}"]')
        text = row.inner_text()
        assert v["title"] in text and f"{v['entity_count']:,}" in text
    # the newest load comes first and its changes are open without a click
    assert rows.first.get_attribute("data-version") == f"{newest['dataset']}:{newest['seq']}"
    assert "NEWEST" in rows.first.inner_text().upper()
    # the first diff of a whole list (every record added) takes seconds, more on a
    # loaded machine: wait for it longer than playwright's default 30 s
    page.wait_for_function(
        "t => document.querySelector('#changes-title').textContent.includes(t)",
        arg=newest["title"],
        timeout=120_000,
    )
    assert "selected" in (rows.first.get_attribute("class") or "")
    parties = httpx.get(
        f"{service.base_url}/lists/{newest['dataset']}/changes",
        params={"parties": "true", "limit": 100},
    ).json()
    summary = page.locator("#changes-summary").inner_text()
    assert f"{parties['counts']['added']:,} added" in summary and "listed parties" in summary
    changes = page.locator("#changes tbody tr[data-entity]")
    page.wait_for_function(
        "() => document.querySelectorAll('#changes tbody tr[data-entity]').length"
    )
    got = [changes.nth(i).get_attribute("data-entity") for i in range(changes.count())]
    assert got == [r["entity_id"] for r in parties["results"]]
    # each party shows its own records (addresses, documents, sanctions) under it
    first = parties["results"][0]
    row = page.locator(f'#changes tr[data-entity="{first["entity_id"]}"]')
    shown = row.locator("[data-part]")
    assert shown.count() == min(6, len(first["parts"])) > 0
    assert "-addr-" not in page.locator("#changes").inner_text()
    page.screenshot(path=shots / "lists.png")
    entity_id = changes.first.get_attribute("data-entity")
    changes.first.locator("a").first.click()
    page.wait_for_url(f"**/ui/entities/{entity_id}")
    page.wait_for_selector("#e-sections:not([hidden])")
    tab.no_script_errors()


def test_the_lists_page_filters_by_program(service: Service, tab: Tab, shots: Path) -> None:
    page = tab.page
    page.goto(service.base_url + "/ui/lists?dataset=us_ofac_sdn&seq=1")
    page.wait_for_selector("#changes tbody tr[data-entity]")
    page.fill("#program", "DPRK")
    page.click("#filter-apply")
    page.wait_for_url("**program=DPRK**")
    page.wait_for_function(
        "() => document.querySelector('#changes-summary').textContent.includes('under DPRK')"
    )
    dprk = httpx.get(
        f"{service.base_url}/lists/us_ofac_sdn/changes",
        params={"parties": "true", "program": "DPRK", "limit": 100},
    ).json()
    assert 300 < dprk["total"]["value"] < 1000  # OFAC's DPRK parties, not its 8,000 others
    summary = page.locator("#changes-summary").inner_text()
    assert f"{dprk['counts']['added']:,} added" in summary
    rows = page.locator("#changes tbody tr[data-entity]")
    assert [rows.nth(i).get_attribute("data-entity") for i in range(rows.count())] == [
        r["entity_id"] for r in dprk["results"]
    ]
    assert all("DPRK" in rows.nth(i).locator(".sub").inner_text() for i in range(5))
    page.screenshot(path=shots / "lists-dprk.png")
    # every entity on its own: addresses and sanctions appear as rows of their own
    page.select_option("#view", "entities")
    page.wait_for_url("**view=entities**")
    page.wait_for_function(
        "() => document.querySelector('#changes-summary').textContent.includes('entities')"
    )
    kinds = page.locator("#changes tbody tr[data-entity] td:nth-child(3)").all_inner_texts()
    assert "Sanction" in kinds
    page.reload()  # the address keeps the view and the program
    page.wait_for_selector("#changes tbody tr[data-entity]")
    assert page.input_value("#program") == "DPRK" and page.input_value("#view") == "entities"
    tab.no_script_errors()


# -- a service keyed for reads, and batch jobs ---------------------------------------------


@dataclass
class Keyed:
    service: Service
    read: str
    write: str

    def auth(self, token: str) -> dict[str, str]:
        return {"Authorization": f"ApiKey {token}"}


@pytest.fixture(scope="class")
def keyed(lists_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Keyed]:
    """A service keyed for reads, with a read key and a write key (made as
    ``hermit keys add`` makes them), for the tests of
    TestKeyedService: class-scoped, so that it stops when they are done, not beside the
    module's later services."""
    folder = tmp_path_factory.mktemp("web-keyed")
    path = folder / "store.duckdb"
    copy_store(lists_store, path)
    with Store(path) as store:
        read = api_keys.add(store.state, "rita", "read", by="test")[1]
        write = api_keys.add(store.state, "wes", "write", by="test")[1]
    svc = launch(replace(ServiceSettings(store_path=path), open_reads=False))
    yield Keyed(svc, read, write)
    svc.stop()


BATCH = [
    {"id": "c1", "name": "Kim Yong Chol", "birth_date": "1962-02-18", "nationality": "kp"},
    {"id": "c2", "name": "김영철"},
    {"id": "c3", "name": "Margaret Thornbury", "birth_date": "1980-05-01", "nationality": "gb"},
    {"id": "c4", "name": ""},  # no name: rejected
    {"id": "c5", "name": "Korea Mining Development Trading Corporation"},
    {"id": "c6", "name": "Kim Yong Chol", "birth_date": "1962-13-45"},  # screened, warned
]


def write_batch(path: Path) -> None:
    """The queries of BATCH as CSV or JSON lines (by the file's extension)."""
    if path.suffix == ".jsonl":
        path.write_text("".join(json.dumps(row) + "\n" for row in BATCH), encoding="utf-8")
        return
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=["id", "name", "birth_date", "nationality"])
        writer.writeheader()
        writer.writerows(BATCH)


def read_results(path: Path, output: str) -> list[dict[str, Any]]:
    if output == "parquet":
        import pyarrow.parquet as pq

        return [{k: str(v) for k, v in row.items()} for row in pq.read_table(path).to_pylist()]
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


class TestKeyedService:
    """The pages on a service keyed for reads (``keyed``), and batch jobs."""

    def test_a_keyed_service_serves_its_pages_without_a_key(self, keyed: Keyed) -> None:
        with keyed.service.client() as c:
            for path in PAGES:
                r = c.get(path)
                assert r.status_code == 200, (path, r.text)
                assert "keyed for reads" in r.text
            assert c.get("/lists").status_code == 401  # what the pages call does need one

    def test_a_keyed_service_loads_its_pages_and_asks_for_a_key(
        self, keyed: Keyed, tab: Tab, shots: Path
    ) -> None:
        page = tab.page
        response = page.goto(keyed.service.base_url + "/?name=Kim+Yong+Chol")
        assert response is not None and response.status == 200
        prompt = page.locator("#keyprompt")
        prompt.wait_for(state="visible")
        assert "API key" in page.locator("#keyprompt-detail").inner_text()
        assert page.evaluate("document.activeElement.id") == "keyprompt-key"
        page.screenshot(path=shots / "keyed-asks-for-key.png")
        page.fill("#keyprompt-key", keyed.read)
        page.press("#keyprompt-key", "Enter")
        page.wait_for_selector("#results tbody tr[data-id]")
        assert prompt.is_hidden()
        assert set(result_ids(page)[:3]) == KIM_YONG_CHOL
        assert page.locator("#keystate-text").inner_text().startswith("API key: hermit_")
        # the key is kept for the tab: the next page uses it without asking
        page.goto(keyed.service.base_url + "/ui/entities/unsc-kpi-024")
        page.wait_for_selector("#e-sections:not([hidden])")
        assert prompt.is_hidden()
        tab.no_script_errors()

    @pytest.mark.parametrize(
        ("file_name", "output"), [("customers.csv", "csv"), ("customers.jsonl", "parquet")]
    )
    def test_a_batch_file_runs_to_done_and_offers_its_results(
        self, keyed: Keyed, tab: Tab, shots: Path, tmp_path: Path, file_name: str, output: str
    ) -> None:
        upload = tmp_path / file_name
        write_batch(upload)
        page = tab.page
        page.goto(keyed.service.base_url + "/ui/batch")
        page.fill("#b-key", keyed.write)
        page.set_input_files("#b-file", str(upload))
        page.select_option("#b-output", output)
        page.click("#b-submit")
        page.wait_for_selector('#job-status[data-status="done"]', timeout=120_000)
        job_id = page.get_attribute("#job-panel", "data-job")
        answer = httpx.get(
            f"{keyed.service.base_url}/jobs/{job_id}", headers=keyed.auth(keyed.write)
        )
        assert answer.status_code == 200, (job_id, answer.text)
        job = answer.json()
        assert job["status"] == "done" and job["file_name"] == file_name
        assert job["output_format"] == output
        assert (job["rows_read"], job["screened"], job["rejected"]) == (6, 5, 1)
        assert (job["with_warnings"], job["clear"]) == (1, 1)  # c6; c3 is on no list
        assert job["alerts"] >= 4  # c1, c2, c5 and c6 are listed
        counts = (("rows", 6), ("screened", 5), ("warned", 1), ("clear", 1), ("rejected", 1))
        for field, count in counts:
            assert page.locator(f"#c-{field}").inner_text() == str(count)
        rejected = page.locator("#rejected-rows tbody tr")
        assert rejected.count() == 1
        assert rejected.first.inner_text().split("\t") == [
            "4",
            "name",
            "missing (every query needs a name)",
        ]
        warned = page.locator("#warned-rows tbody tr")
        assert warned.count() == 1
        assert [cell.strip() for cell in warned.first.inner_text().split("\t")] == [
            "6",
            "c6",
            "Kim Yong Chol",
            'birth_date "1962-13-45" set aside: there is no month 13',
        ]
        assert page.locator("#c-alerts").inner_text() == str(job["alerts"])
        assert page.get_attribute("#job-progress", "aria-valuenow") == "100"
        page.wait_for_selector(f'#jobs tbody tr[data-job="{job_id}"]')
        page.screenshot(
            path=shots / f"batch-done-{output}.png", full_page=True, animations="disabled"
        )
        with page.expect_download() as info:
            page.click("#dl-result")
        saved = tmp_path / f"results.{output}"
        info.value.save_as(saved)
        results = read_results(saved, output)
        assert {"query_id", "entity_id", "score", "is_match", "explanation"} <= set(results[0])
        by_query = {r["query_id"] for r in results if r["is_match"].lower() in ("true", "1")}
        assert {"c1", "c2", "c5"} <= by_query
        assert {r["entity_id"] for r in results if r["query_id"] == "c2"} >= KIM_YONG_CHOL
        with page.expect_download() as info:
            page.click("#dl-rejects")
        rejects = tmp_path / "rejects.csv"
        info.value.save_as(rejects)
        assert "name" in rejects.read_text(encoding="utf-8")
        tab.no_script_errors()

    def test_an_upload_without_a_write_key_is_refused_on_the_page(
        self, keyed: Keyed, tab: Tab, tmp_path: Path
    ) -> None:
        upload = tmp_path / "customers.csv"
        write_batch(upload)
        page = tab.page
        page.goto(keyed.service.base_url + "/ui/batch")
        page.evaluate("sessionStorage.clear()")
        page.fill("#b-key", keyed.read)
        page.set_input_files("#b-file", str(upload))
        page.click("#b-submit")
        error = page.locator("#batch-error")
        error.wait_for(state="visible")
        assert "write" in error.inner_text()  # a read key is not enough
        assert page.locator("#job-panel").is_hidden()
        tab.no_script_errors()

    def test_a_reviewed_pair_shows_as_suppressed_with_the_decision(
        self, keyed: Keyed, tab: Tab, shots: Path
    ) -> None:
        r = httpx.post(
            f"{keyed.service.base_url}/suppressions",
            json={
                "entity_id": "ofac-12211",
                "query_name": "Kim Yong Chol",
                "reason": "ours was born in 1962, not 1946",
            },
            headers=keyed.auth(keyed.write),
        )
        assert r.status_code in (200, 201), r.text
        page = tab.page
        page.goto(keyed.service.base_url + "/")
        page.evaluate(f"sessionStorage.setItem('hermit.apiKey', {json.dumps(keyed.read)})")
        search(page, "Kim Yong Chol")
        row = page.locator('#results tbody tr[data-id="ofac-12211"]')
        assert row.locator(".badge").inner_text() == "SUPPRESSED"
        note = row.locator(".suppressed").inner_text()
        assert "wes" in note and "ours was born in 1962" in note
        other = page.locator('#results tbody tr[data-id="unsc-kpi-024"]')
        assert other.locator(".badge").inner_text() == "MATCH"  # only the reviewed pair
        assert "1 reviewed as not a match" in page.locator("#results-summary").inner_text()
        page.screenshot(path=shots / "search-suppressed.png")
        # the decision was for the name alone: a search with a date of birth alerts, and
        # the note beside the hit says which decision no longer applies and why
        page.goto(keyed.service.base_url + "/?name=Kim+Yong+Chol&dob=1946")
        page.wait_for_selector("#results tbody tr[data-id]")
        row = page.locator('#results tbody tr[data-id="ofac-12211"]')
        assert row.locator(".badge").inner_text() == "MATCH"
        lapsed = row.locator(".lapsed").inner_text()
        assert lapsed.startswith("Decision lapsed: reviewed not a match by wes")
        assert "this query's birth date 1946 was not part of the review" in lapsed
        assert "alerting again" in page.locator("#results-summary").inner_text()
        page.screenshot(path=shots / "search-lapsed.png")
        tab.no_script_errors()


# -- narrow screens ---------------------------------------------------------------------

NARROW = {
    "search": ("/?name=Kim+Yong+Chol&dob=1962", "#results tbody tr[data-id]"),
    "search-imo": ("/?name=Chong+Chon+Gang&imo=7944695", "#results tbody tr[data-id]"),
    "search-hangul": ("/?name=%EA%B9%80%EC%98%81%EC%B2%A0", "#results tbody tr[data-id]"),
    "entity-links": ("/ui/entities/ofac-17068", "#s-links a[data-link]"),
    "entity-person": ("/ui/entities/unsc-kpi-024", "#e-sections:not([hidden])"),
    "lists": ("/ui/lists", "#changes tbody tr[data-entity]"),
    "batch": ("/ui/batch", "#b-file"),
}
#: Elements that reach past the viewport's right edge, or that scroll sideways (a table
#: cut off inside its panel is cut off all the same).
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const e of document.querySelectorAll("body *")) {
    const r = e.getBoundingClientRect();
    if (!r.width || getComputedStyle(e).visibility === "hidden") continue;
    if (r.right > width + 1 || r.left < -1) out.push(e.tagName + "#" + e.id + "." + e.className);
    else if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== "visible")
      out.push("scrolls: " + e.tagName + "#" + e.id + "." + e.className);
  }
  return [document.documentElement.scrollWidth, width, out.slice(0, 10)];
}"""


@pytest.mark.parametrize("name", list(NARROW))
def test_pages_fit_a_360_px_screen(service: Service, tab: Tab, shots: Path, name: str) -> None:
    path, ready = NARROW[name]
    page = tab.page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(service.base_url + path)
    page.wait_for_selector(ready)
    page.wait_for_load_state("networkidle")
    scroll_width, width, over = page.evaluate(OVERFLOW)
    assert width == 360
    assert over == [] and scroll_width <= 360, over
    page.screenshot(path=shots / f"narrow-{name}-360.png", full_page=name != "lists")
    if name.startswith("search"):  # a result reads as a card: its cells labelled
        first = page.locator("#results tbody tr").first
        assert first.locator('td[data-label="Score"]').is_visible()
        assert first.locator('td[data-label="Decision"] .badge').is_visible()
        assert first.locator(".explain li").first.is_visible()
    tab.no_script_errors()


# -- script injection and the pages' security headers ------------------------------------

#: Names no page may run: listed entities (from a list file) and a query (from the address).
HOSTILE_IMG = '<img src=x onerror="window.__pwned=1">'
HOSTILE_SCRIPT = "<script>window.__pwned=1</script>"
HOSTILE = [
    {
        "id": "hostile-img",
        "schema": "Person",
        "datasets": ["hostile_list"],
        "properties": {
            "name": [HOSTILE_IMG],
            "alias": [HOSTILE_SCRIPT],
            "notes": ['<a href="javascript:window.__pwned=1">click</a>'],
            "birthDate": ["1970-01-01"],
        },
    },
    {
        "id": "hostile-script",
        "schema": "Organization",
        "datasets": ["hostile_list"],
        "properties": {"name": [HOSTILE_SCRIPT], "alias": [HOSTILE_IMG]},
    },
]
#: What a script that got into a page would do: an inline script, an inline handler.
INJECT = """() => {
  const s = document.createElement("script");
  s.textContent = "window.__pwned = 'inline script'";
  document.body.append(s);
  const d = document.createElement("div");
  d.innerHTML = '<img src="/no-such-image.png" onerror="window.__pwned = \\'handler\\'">';
  document.body.append(d);
}"""
#: Counts the policy violations of the page (a listener the page's policy cannot stop).
WATCH = """window.__violations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__violations.push(e.violatedDirective + " " + e.blockedURI));"""


@pytest.fixture(scope="module")
def hostile(lists_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """A service whose store holds, beside the real lists, a list with hostile names
    (loaded as ``hermit lists load`` loads a file)."""
    from hermit.sources.detect import read_list_files

    folder = tmp_path_factory.mktemp("web-hostile")
    path = folder / "store.duckdb"
    copy_store(lists_store, path)
    source = folder / "hostile.ftm.json"
    source.write_text("".join(json.dumps(e) + "\n" for e in HOSTILE), encoding="utf-8")
    with Store(path) as store:
        for snap in read_list_files([source]):
            store.load(snap)
    svc = launch(ServiceSettings(store_path=path))
    yield svc
    svc.stop()


def test_every_page_sends_a_content_security_policy(hostile: Service) -> None:
    with hostile.client() as c:
        for path in (*PAGES, "/docs", "/redoc"):
            r = c.get(path)
            assert r.status_code == 200, path
            policy = {
                d.split()[0]: d.split()[1:]
                for d in r.headers["content-security-policy"].split(";")
                if d.strip()
            }
            assert policy["script-src"] == ["'self'"], path  # no inline script, no eval
            assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
            assert policy["frame-ancestors"] == ["'none'"]
            assert policy["img-src"] == ["'self'", "data:"]  # the data: favicon
            if path != "/redoc":  # ReDoc writes <style> elements
                assert policy["style-src"] == ["'self'"], path
            assert r.headers["x-content-type-options"] == "nosniff"
            assert r.headers["x-frame-options"] == "DENY"
            assert r.headers["referrer-policy"] == "no-referrer"
            # no inline script on any page
            scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", r.text, re.S)
            assert scripts and all("src=" in attrs and not body.strip() for attrs, body in scripts)
            assert not re.search(r"\son[a-z]+=", r.text), path
        for path in ("/openapi.json", "/catalog", "/ui/static/common.js"):
            r = c.get(path)
            assert r.headers["x-content-type-options"] == "nosniff", path
            assert "default-src 'none'" in r.headers["content-security-policy"], path
        assert c.get("/docs/oauth2-redirect").status_code == 404  # hermit has no OAuth2
        # OpenRefine shows the preview card in a frame: it may be framed, runs nothing
        r = c.get("/reconcile/default/preview", params={"id": "hostile-img"})
        assert r.status_code == 200
        assert "x-frame-options" not in r.headers
        assert "frame-ancestors" not in r.headers["content-security-policy"]
        assert "default-src 'none'" in r.headers["content-security-policy"]
        assert HOSTILE_IMG not in r.text and "&lt;img src=x" in r.text


def _not_run(page: Any) -> None:
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img[src=x], script:not([src])").count() == 0


def test_hostile_names_in_the_data_are_shown_as_text(
    hostile: Service, tab: Tab, shots: Path
) -> None:
    page = tab.page
    page.goto(hostile.base_url + "/?name=" + quote(HOSTILE_IMG))
    page.wait_for_selector('#results tbody tr[data-id="hostile-img"]')
    row = page.locator('#results tbody tr[data-id="hostile-img"]')
    assert HOSTILE_IMG in row.inner_text()
    assert page.input_value("#q-name") == HOSTILE_IMG  # the query from the address, as text
    page.screenshot(path=shots / "hostile-search.png")
    _not_run(page)
    page.goto(hostile.base_url + "/?name=" + quote(HOSTILE_SCRIPT))
    page.wait_for_selector('#results tbody tr[data-id="hostile-script"]')
    assert HOSTILE_SCRIPT in page.locator("#results").inner_text()
    _not_run(page)
    for entity_id in ("hostile-img", "hostile-script"):
        page.goto(f"{hostile.base_url}/ui/entities/{entity_id}")
        page.wait_for_selector("#e-sections:not([hidden])")
        shown = page.locator("main").inner_text()
        assert HOSTILE_IMG in shown and HOSTILE_SCRIPT in shown
        _not_run(page)
    page.screenshot(path=shots / "hostile-entity.png")
    assert page.locator("a[href^='javascript:']").count() == 0
    page.goto(hostile.base_url + "/ui/lists")
    page.wait_for_selector("#versions tbody tr")
    _not_run(page)
    tab.no_script_errors()


@pytest.mark.parametrize("path", ["/", "/ui/entities/hostile-img", "/ui/batch", "/ui/lists"])
def test_the_policy_stops_a_script_that_got_into_a_page(
    hostile: Service, tab: Tab, path: str
) -> None:
    """Were a value ever put into a page as HTML, what it holds would not run: an inline
    script and an inline event handler are refused, and the refusals are reported."""
    page = tab.page
    page.add_init_script(WATCH)
    page.goto(hostile.base_url + path)
    page.wait_for_load_state("networkidle")
    page.evaluate(INJECT)
    page.wait_for_function("() => window.__violations.length >= 2")  # (eval is refused)
    assert page.evaluate("window.__pwned") is None
    directives = page.evaluate("window.__violations")
    assert all(d.startswith("script-src") for d in directives), directives
    assert len(tab.refused) >= 2  # the console says so too
    assert tab.errors == []


def test_the_api_documentation_renders_under_its_policy(hostile: Service, tab: Tab) -> None:
    page = tab.page
    page.add_init_script(WATCH)
    page.goto(hostile.base_url + "/docs")
    page.wait_for_selector(".swagger-ui .opblock")
    assert "hermit" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".swagger-ui .opblock").count() >= 10
    page.locator(".opblock-summary-path", has_text="/healthz").first.click()
    page.wait_for_selector(".swagger-ui .opblock.is-open")
    assert page.evaluate("window.__violations") == []
    page.goto(hostile.base_url + "/redoc")
    page.wait_for_selector("redoc h1")
    assert "hermit" in page.locator("redoc h1").first.inner_text()
    page.wait_for_load_state("networkidle")
    # ReDoc always asks for its "API docs by Redocly" logo on redoc.ly's server: the
    # policy refuses it (the browser sends nothing), and nothing else is refused
    logo = "https://cdn.redoc.ly/redoc/logo-mini.svg"
    assert page.evaluate("window.__violations") == [f"img-src {logo}"]
    tab.refused[:] = [m for m in tab.refused if logo not in m]
    tab.requests[:] = [url for url in tab.requests if url != logo]
    tab.no_script_errors()
