"""/reports and the reports page on the real service (reads closed: a read key is
needed) over the real-lists store with a small planted AIS load beside it: a vessel
that stopped at Nampo and then at Dandong. A report asked for over HTTP is a job that
ends ``done`` with the JSON ``hermit report`` writes for the same arguments (byte for
byte, with the same --generated-at), its HTML and a PDF; a report is its asker's; and
in the browser the page asks for one, follows it and shows it in its frame under the
pages' Content-Security-Policy (screenshots in test-artifacts/screenshots/)."""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from hermit.report.schema import validate
from tests.api.conftest import Service
from tests.api.keyed import auth, launch_keyed
from tests.api.test_web import Tab, browser, tab  # noqa: F401 (fixtures)
from tests.cli.helpers import hermit
from tests.conftest import REPO, shared_data_dir
from tests.engine.labour_slice import write_slice
from tests.maritime.fixtures import HEADER, track

NAMPO = (38.716667, 125.4)
DANDONG = (39.816667, 124.15)  # the NGA World Port Index point of Dandong (CN DDZ)
WHEN = "2026-12-03T00:00:00Z"
SHOTS = REPO / "test-artifacts" / "screenshots"
Served = tuple[Service, dict[str, str]]


@pytest.fixture(scope="module")
def served(lists_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("reports_api")
    svc, tokens = launch_keyed(lists_store, folder, open_reads=False)
    rows = track(445000031, 0, 13, *NAMPO, dlat=0.0, sog="0.0", name="CALLER")
    rows += track(445000031, 12, 13, *DANDONG, dlat=0.0, sog="0.0", name="CALLER")
    path = folder / "p.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", "utf-8")
    hermit(svc.store_path, "ais", "load", str(path))
    yield svc, tokens
    svc.stop()


def done(c: httpx.Client, job: dict[str, Any], wait_s: float = 600) -> dict[str, Any]:
    """The job's state once it has ended."""
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        body: dict[str, Any] = c.get(f"/reports/{job['id']}").json()
        if body["status"] in ("done", "failed"):
            return body
        time.sleep(0.5)
    raise AssertionError(f"report {job['id']} did not end in {wait_s} s")


def test_reports_need_a_key_of_their_own(served: Served) -> None:
    svc, tokens = served
    with svc.client() as c:
        day = {"from": "2020-01-01", "to": "2020-01-01"}
        assert c.post("/reports/kims", params=day).status_code == 401
        assert c.get("/reports").status_code == 401
    with svc.client(headers=auth(tokens["rita"])) as c:
        # a read key may not upload labour records
        files = {"file": ("r.zip", b"PK", "application/zip")}
        assert c.post("/reports/compliance", files=files).status_code == 403
        bad = c.post("/reports/kims", params={"from": "2020-01-02", "to": "2020-01-01"})
        assert bad.status_code == 400 and "before" in bad.json()["detail"]
        assert c.post("/reports/dossier", params={"entity": "--help"}).status_code == 400
        assert c.get("/reports/20990101-000000-abcdef").status_code == 404


def test_the_job_state_is_a_model_in_the_schema(served: Served) -> None:
    svc, _ = served
    with svc.client() as c:
        schema = c.get("/openapi.json").json()
    model = schema["components"]["schemas"]["ReportJobModel"]
    assert {"id", "kind", "status", "files", "cpu_s", "error"} <= set(model["properties"])
    ref = {"$ref": "#/components/schemas/ReportJobModel"}
    paths = schema["paths"]
    for path, method, code in [
        ("/reports/kims", "post", "202"),
        ("/reports/dossier", "post", "202"),
        ("/reports/compliance", "post", "202"),
        ("/reports/{job_id}", "get", "200"),
    ]:
        body = paths[path][method]["responses"][code]["content"]["application/json"]
        assert body["schema"] == ref, (path, body)
    listed = paths["/reports"]["get"]["responses"]["200"]["content"]["application/json"]
    assert listed["schema"] == {"$ref": "#/components/schemas/ReportJobList"}


def test_the_kims_report_is_the_command_s(served: Served, tmp_path: Path) -> None:
    svc, tokens = served
    params = {"from": "2020-01-01", "to": "2020-01-01", "generated_at": WHEN}
    with svc.client(headers=auth(tokens["rita"])) as c:
        r = c.post("/reports/kims", params=params)
        assert r.status_code == 202, r.text
        job = done(c, r.json())
        assert job["status"] == "done", job
        assert job["cpu_s"] > 0 and job["files"]["pdf"] == f"/reports/{job['id']}/report.pdf"
        data = c.get(job["files"]["json"])
        assert data.headers["content-type"] == "application/json"
        body = data.json()
        validate(body)
        figures = {f["id"]: f["value"] for f in body["figures"]}
        assert figures["dandong.vessels"] == 1, figures  # the Nampo caller, DPRK-linked
        page = c.get(job["files"]["html"]).text
        assert "<style>" in page and "Dandong" in page  # the self-contained file
        shown = c.get(job["files"]["html"], params={"browser": "true"}).text
        assert "<style>" not in shown and 'href="/ui/reports/report.css"' in shown
        pdf = c.get(job["files"]["pdf"])
        assert pdf.content.startswith(b"%PDF") and pdf.headers["content-type"] == "application/pdf"
        assert f"hermit-kims-{job['id']}.pdf" in pdf.headers["content-disposition"]
        # another reader does not see it; an administrator does
    with svc.client(headers=auth(tokens["wes"])) as c:
        assert c.get(f"/reports/{job['id']}").status_code == 404
        assert job["id"] not in [j["id"] for j in c.get("/reports").json()["reports"]]
    with svc.client(headers=auth(tokens["ada"])) as c:
        assert c.get(f"/reports/{job['id']}").json()["status"] == "done"
    out = tmp_path / "cli.json"
    hermit(svc.store_path, "report", "kims", "--from", "2020-01-01", "--to", "2020-01-01",
           "--generated-at", WHEN, "--out", str(out))  # fmt: skip
    assert data.content == out.read_bytes()


def test_a_dossier_and_a_failure_that_says_why(served: Served) -> None:
    svc, tokens = served
    with svc.client(headers=auth(tokens["rita"])) as c:
        r = c.post("/reports/dossier", params={"entity": "unsc-kpi-024", "as_of": "2026-12-03"})
        job = done(c, r.json())
        assert job["status"] == "done", job
        body = c.get(job["files"]["json"]).json()
        assert body["kind"] == "dossier" and "KIM" in c.get(job["files"]["html"]).text.upper()
        nobody = done(c, c.post("/reports/dossier", params={"entity": "no-such-party"}).json())
        assert nobody["status"] == "failed" and "no-such-party" in nobody["error"], nobody
        assert c.get(f"/reports/{nobody['id']}/report.json").status_code == 409
        assert c.delete(f"/reports/{nobody['id']}").status_code == 204
        assert c.get(f"/reports/{nobody['id']}").status_code == 404


def test_the_compliance_report_of_uploaded_records(served: Served, tmp_path: Path) -> None:
    svc, tokens = served
    write_slice(shared_data_dir() / "labour", tmp_path, each=40)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for path in sorted(tmp_path.iterdir()):
            zf.write(path, path.name)
    files = {"file": ("records.zip", buf.getvalue(), "application/zip")}
    with svc.client(headers=auth(tokens["wes"])) as c:
        r = c.post("/reports/compliance", files=files, params={"generated_at": WHEN})
        assert r.status_code == 202, r.text
        job = done(c, r.json())
        assert job["status"] == "done", job
        body = c.get(job["files"]["json"]).json()
        validate(body)
        assert body["kind"] == "compliance" and body["figures"]


def test_the_page_asks_follows_and_shows_a_report(served: Served, tab: Tab) -> None:  # noqa: F811
    svc, tokens = served
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = tab.page
    response = page.goto(f"{svc.base_url}/ui/reports")
    assert response.status == 200
    assert "style-src 'self'" in response.headers["content-security-policy"]
    page.fill("#k-from", "2020-01-01")
    page.fill("#k-to", "2020-01-01")
    page.click("#form-kims button[type=submit]")
    page.wait_for_selector("#keyprompt:not([hidden])")
    page.fill("#keyprompt-key", tokens["rita"])
    page.click("#keyprompt-form button[type=submit]")
    page.wait_for_selector("#report-status[data-status=done]", timeout=600_000)
    page.wait_for_selector("#report-view:not([hidden])")
    frame = page.frame_locator("#report-view")
    frame.locator("h1").wait_for()
    assert "KIMS" in frame.locator("h1").inner_text()
    # the report's stylesheet applied in the frame (print.css sets the table borders)
    collapse = frame.locator("table").first.evaluate("t => getComputedStyle(t).borderCollapse")
    assert collapse == "collapse"
    assert frame.locator("svg.map").count() >= 1
    page.screenshot(path=str(SHOTS / "reports-kims.png"), full_page=False)
    assert page.locator("#reports tbody tr").count() >= 1
    with page.expect_download() as dl:
        page.click("#dl-pdf")
    saved = Path(dl.value.path())
    assert saved.read_bytes().startswith(b"%PDF")
    tab.no_script_errors()
