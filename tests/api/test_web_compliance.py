"""The compliance dashboard (/ui/compliance) in a real browser (Debian's chromium, by
Playwright) against a real ``hermit serve`` with keys: a ZIP of a real slice of the dev
labour records is checked through the page; what the page shows (the counts, the chart's
parts, the rule-by-region table, a cell's violations and a violation's records) is
checked against POST /compliance/dashboard's answer, and that answer against the check
in process. A screenshot of the page goes to test-artifacts/screenshots/."""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from hermit.api import keys as api_keys
from hermit.compliance import dashboard
from hermit.compliance.columns import load_columns
from hermit.compliance.folder import read_folder
from hermit.compliance.interpreter import run_checks
from hermit.compliance.provisions import load_provisions
from hermit.store import Store
from tests.api import test_web
from tests.api.keyed import auth
from tests.api.served import Served
from tests.api.test_web import SHOTS, WAIT_MS, Tab
from tests.conftest import shared_data_dir
from tests.engine.labour_slice import write_slice


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("labour")
    write_slice(shared_data_dir() / "labour", folder, each=3)
    return folder


@pytest.fixture(scope="module")
def archive(records: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("upload") / "records.zip"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for file in sorted(records.iterdir()):
            zf.write(file, file.name)
    path.write_bytes(buf.getvalue())
    return path


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Served, dict[str, str]]]:
    store = tmp_path_factory.mktemp("store") / "store.duckdb"
    tokens: dict[str, str] = {}
    with Store(store) as s:
        for name, role in (("wes", "write"), ("rita", "read")):
            _, tokens[name] = api_keys.add(s.state, name, role, by="setup")
    svc = Served(store)
    yield svc, tokens
    svc.stop()


@pytest.fixture(scope="module")
def answer(served: tuple[Served, dict[str, str]], archive: Path) -> Any:
    svc, tokens = served
    files = {"file": ("records.zip", archive.read_bytes(), "application/zip")}
    r = httpx.post(
        f"{svc.base}/compliance/dashboard", files=files, headers=auth(tokens["wes"]), timeout=600
    )
    assert r.status_code == 200, r.text
    return r.json()


def test_answer_is_the_check_in_process(answer: Any, records: Path) -> None:
    data = read_folder(records, load_columns())
    runs = run_checks(load_provisions(), data)
    want = dashboard.build(data, runs)
    assert answer["algorithm"] == "hermit-compliance@1"
    assert {k: v for k, v in answer.items() if k != "algorithm"} == want
    regions = {v["region"] for v in answer["violations"]}
    assert len(regions - {dashboard.SEVERAL, dashboard.NO_REGION}) >= 2, regions
    for v in answer["violations"]:  # every violation opens every record it rests on
        assert all(f"{r['file']}:{r['line']}" in answer["records"] for r in v["records"])


def test_a_read_key_may_not_check(served: tuple[Served, dict[str, str]], archive: Path) -> None:
    svc, tokens = served
    files = {"file": ("records.zip", archive.read_bytes(), "application/zip")}
    r = httpx.post(f"{svc.base}/compliance/dashboard", files=files, headers=auth(tokens["rita"]))
    assert r.status_code == 403, r.text
    r = httpx.post(f"{svc.base}/compliance/dashboard", files=files)
    assert r.status_code == 401, r.text


browser = test_web.browser  # test_web.py's chromium, a fixture of this module too


@pytest.fixture()
def tab(browser: Any) -> Iterator[Tab]:
    """test_web.py's tab with a longer wait: the page checks a ZIP of records first."""
    yield from test_web.open_tab(browser, WAIT_MS * 4)


def _count(text: str) -> int:
    return int(text.replace(",", "").strip())


def test_dashboard_in_a_browser(
    served: tuple[Served, dict[str, str]], archive: Path, answer: Any, tab: Tab
) -> None:
    svc, tokens = served
    page = tab.page
    page.goto(f"{svc.base}/ui/compliance")
    assert page.locator("nav a[aria-current=page]").inner_text() == "Compliance"
    page.set_input_files("#c-file", str(archive))
    page.click("#c-submit")
    # the check needs a write key: the page asks for one and checks again with it
    page.wait_for_selector("#keyprompt:not([hidden])")
    page.fill("#keyprompt-key", tokens["wes"])
    page.click("#keyprompt-form button[type=submit]")
    page.wait_for_selector("#c-dashboard:not([hidden])")
    violations = answer["violations"]
    assert _count(page.inner_text("#s-violations")) == len(violations)

    # the chart: one part per month and rule, its count the answer's
    parts = page.eval_on_selector_all(
        "#c-svg rect.part",
        "els => els.map(e => [e.dataset.month, e.dataset.rule, Number(e.dataset.count)])",
    )
    by_month = Counter((v["month"], v["rule_id"]) for v in violations if v["month"])
    assert {(m, r): n for m, r, n in parts} == dict(by_month)

    # the table: each region's count per rule
    cells = page.eval_on_selector_all(
        "#c-matrix td[data-rule]",
        "els => els.map(e => [e.dataset.region, e.dataset.rule, e.innerText])",
    )
    by_cell = Counter((v["region"], v["rule_id"]) for v in violations)
    assert {(g, r): _count(t) for g, r, t in cells} == dict(by_cell)

    # a cell lists its violations; a violation opens its records
    (region, rule), n = max(
        ((k, c) for k, c in by_cell.items() if k[0] != dashboard.SEVERAL), key=lambda kc: kc[1]
    )
    page.click(f'#c-matrix td[data-rule="{rule}"][data-region="{region}"] button')
    rows = page.locator("#c-list tr.violation")
    assert rows.count() == min(n, 100)
    assert page.inner_text("#c-list-title").startswith(f"{n:,} violation")
    first = sorted(
        (v for v in violations if v["rule_id"] == rule and v["region"] == region),
        key=lambda v: (v["date"] or "", v["rule_id"]),
    )[0]
    rows.first.locator("button").click()
    refs = page.eval_on_selector_all(
        "#c-list tr.records .record", "els => els.map(e => e.dataset.ref)"
    )
    assert refs == [f"{r['file']}:{r['line']}" for r in first["records"]]
    record = answer["records"][refs[0]]
    shown = page.locator("#c-list tr.records .record").first.inner_text()
    assert record["id"] in shown
    assert all(value in shown for value in list(record["values"].values())[:5])
    page.screenshot(path=str(_shot("compliance_dashboard.png")), full_page=True)

    # a chart part lists the violations of its month and rule
    page.click("#c-clear")
    assert rows.count() == min(len(violations), 100)
    month, rule_of_month = max(by_month, key=lambda k: by_month[k])
    page.click(f'#c-svg rect.part[data-month="{month}"][data-rule="{rule_of_month}"]')
    assert rows.count() == min(by_month[(month, rule_of_month)], 100)
    tab.no_script_errors()


def _shot(name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS / name
