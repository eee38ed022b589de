"""The resolved-entity page (/ui/resolve/{id}) in Debian's chromium against a real
keyed service (reads open, writes need a key) over a registry store holding the golden
slice of the dev registry, loaded and resolved by the real commands: the entity's
records side by side as GET /resolve/entities gives them, each link's evidence; the
"not the same" button asks for a key, then POSTs the judgement with it; after the next
``hermit resolve`` the page shows the entity split, the link kept apart with the
analyst's decision; without an entity, the page lists the review queue. Under the
pages' Content-Security-Policy, no script error, nothing fetched elsewhere. Screenshots
go to test-artifacts/screenshots/resolve-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from hermit.registry.store import RegistryStore, registry_store_path
from tests.api import test_web
from tests.api.conftest import Service
from tests.api.keyed import launch_keyed
from tests.api.test_web import SHOTS, Tab
from tests.cli.helpers import hermit
from tests.resolve.golden_output import slice_lines

browser = test_web.browser
tab = test_web.tab


@pytest.fixture(scope="module")
def served(
    lists_store: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Service, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("resolve_web")
    svc, tokens = launch_keyed(lists_store, folder)
    source = folder / "slice.ftm.jsonl"
    source.write_bytes(b"\n".join(slice_lines()) + b"\n")
    hermit(svc.store_path, "registry", "load", str(source))
    hermit(svc.store_path, "resolve")
    yield svc, tokens
    svc.stop()


@pytest.fixture(scope="module")
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("resolve-*.png"):
        old.unlink()
    return SHOTS


def _pair_entity(svc: Service) -> str:
    """An entity of two organization records (one link)."""
    with RegistryStore(registry_store_path(svc.store_path), read_only=True) as store:
        row = store.con.execute(
            "SELECT cluster_id FROM resolve_clusters WHERE run_id = 1 AND kind = 'organization' "
            "GROUP BY cluster_id HAVING count(*) = 2 ORDER BY cluster_id LIMIT 1"
        ).fetchone()
    assert row is not None
    return str(row[0])


def _open(tab: Tab, svc: Service, entity: str) -> Any:
    page = tab.page
    page.goto(f"{svc.base_url}/ui/resolve/{entity}")
    page.wait_for_selector("#resolve[data-ready='true']")
    return page


def test_the_page_shows_the_records_and_judges_a_link(
    served: tuple[Service, dict[str, str]], tab: Tab, shots: Path
) -> None:
    svc, tokens = served
    entity = _pair_entity(svc)
    body = httpx.get(f"{svc.base_url}/resolve/entities/{entity}").json()
    assert len(body["records"]) == 2 and len(body["links"]) == 1
    page = _open(tab, svc, entity)
    heads = page.locator("#res-records thead th[data-record]").all_inner_texts()
    assert heads == [r["record_id"] for r in body["records"]]
    names = page.locator("#res-records tr[data-field='names'] td").all_inner_texts()
    for shown, record in zip(names, body["records"], strict=True):
        assert all(n in shown for n in record["names"])
    sources = page.locator("#res-records tr[data-field='source'] td").all_inner_texts()
    assert all(f"row {r['row']}" in s for s, r in zip(sources, body["records"], strict=True))
    link = body["links"][0]
    shown = page.locator("#res-links .res-link")
    assert shown.count() == 1
    text = shown.inner_text()
    assert f"{link['left']} = {link['right']}" in text
    assert f"probability {link['probability']:.4f}" in text
    for reason in link["reasons"]:
        assert reason["comparison"] in text
    page.screenshot(path=shots / "resolve-entity.png", full_page=True)

    # not the same: the service wants a write key; the page asks, then sends it
    shown.locator("input.res-reason").fill("two companies, one address")
    shown.locator("button[data-decision='not same']").click()
    page.wait_for_selector("#keyprompt:not([hidden])")
    page.fill("#keyprompt-key", tokens["wes"])
    page.press("#keyprompt-key", "Enter")
    page.wait_for_selector("#res-links .res-status[data-recorded='not same']")
    assert "wes" in shown.locator(".res-status").inner_text()
    page.wait_for_selector("#res-judgements li[data-decision='not same']")
    judged = page.locator("#res-judgements li").inner_text().lower()
    assert "two companies, one address" in judged and "after this run" in judged
    listed = httpx.get(f"{svc.base_url}/resolve/judgements").json()["results"]
    assert [(j["left"], j["right"], j["who"]) for j in listed] == [
        (link["left"], link["right"], "wes")
    ]
    page.screenshot(path=shots / "resolve-judged.png", full_page=True)

    # the next run applies it: the entity split, the link kept apart with the decision
    hermit(svc.store_path, "resolve")
    page = _open(tab, svc, entity)
    assert page.locator("#res-records thead th[data-record]").count() == 1
    assert "no link joined it" in page.locator("#res-links").inner_text()
    apart = page.locator("#res-possible .res-link.judged")
    assert apart.count() == 1
    assert "two companies, one address" in apart.locator("tr.analyst").inner_text()
    assert "after this run" not in page.locator("#res-judgements").inner_text().lower()
    page.screenshot(path=shots / "resolve-after-run.png", full_page=True)
    tab.no_script_errors()


def test_the_page_without_an_entity_lists_the_review_queue(
    served: tuple[Service, dict[str, str]], tab: Tab, shots: Path
) -> None:
    svc, _ = served
    queue = httpx.get(f"{svc.base_url}/resolve/review", params={"limit": 20}).json()
    page = tab.page
    page.goto(f"{svc.base_url}/ui/resolve")
    page.wait_for_selector("#resolve[data-ready='true']")
    items = page.locator("#res-queue li")
    pairs = [(p["left"]["record_id"], p["right"]["record_id"]) for p in queue["pairs"]]
    assert items.count() == len(pairs) > 0
    shown = [(x.get_attribute("data-left"), x.get_attribute("data-right")) for x in items.all()]
    assert shown == pairs
    assert f"{queue['total']} pairs" in page.locator("#res-queue").inner_text()
    page.screenshot(path=shots / "resolve-queue.png", full_page=True)
    items.first.locator("a").first.click()
    page.wait_for_selector("#resolve[data-ready='true'] #res-records")
    assert page.url.endswith("/ui/resolve/" + queue["pairs"][0]["left_entity"])
    tab.no_script_errors()


def test_an_unknown_entity_says_so(served: tuple[Service, dict[str, str]], tab: Tab) -> None:
    svc, _ = served
    page = tab.page
    page.goto(f"{svc.base_url}/ui/resolve/nosuch")
    page.wait_for_selector("#res-error:not([hidden])")
    assert "entity_id" in page.locator("#res-error").inner_text()
    r = httpx.get(f"{svc.base_url}/ui/resolve/x")
    policy = r.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "<script>" not in r.text
    tab.no_script_errors()
