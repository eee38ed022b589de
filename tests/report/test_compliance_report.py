"""``hermit report compliance`` on the dev labour set (../shared/data/labour), through
the real command: the data validates against its schema, every citation resolves into
the input files and every figure is recomputed from the rows it cites, two runs with
the same --generated-at give the same bytes, and the PDF has its pages and fonts."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from hermit.report import schema
from hermit.report.verify import verify
from tests.cli.helpers import hermit
from tests.conftest import shared_data_dir

LABOUR = shared_data_dir() / "labour"
WHEN = "2026-01-01T00:00:00Z"


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (LABOUR / "work_permits.csv.gz").exists():
        pytest.fail(f"dev labour set not found at {LABOUR} (set HERMIT_SHARED_DATA)")
    out = tmp_path_factory.mktemp("report")
    hermit(
        out / "no-store.duckdb",
        "report", "compliance", "--labour", str(LABOUR),
        "--out", str(out / "r.json"), "--out", str(out / "r.html"), "--out", str(out / "r.pdf"),
        "--generated-at", WHEN,
    )  # fmt: skip
    return out


@pytest.fixture(scope="module")
def data(made: Path) -> dict[str, Any]:
    found: dict[str, Any] = json.loads((made / "r.json").read_bytes())
    return found


def test_report_data_validates(data: dict[str, Any]) -> None:
    assert schema.problems(data) == []
    assert data["generated"]["generated_at"] == WHEN
    assert {i["path"] for i in data["generated"]["inputs"]} >= {
        "work_permits.csv.gz",
        "reference/fx_rub_month.csv",
    }


def test_every_citation_resolves_and_every_figure_recomputes(data: dict[str, Any]) -> None:
    checked = verify(data, LABOUR)
    assert checked.problems == []
    assert checked.resolved == len(data["citations"])
    counted = [f for f in data["figures"] if f["method"] == "count"]
    assert len(counted) > 50


def test_findings_by_rule_add_up_to_the_checks(data: dict[str, Any]) -> None:
    """The by-rule figures against the checks' own count (`hermit compliance check`
    reports 1,139 findings on this set; the labels' counts are in the data's README)."""
    by_rule = {
        f["id"].removeprefix("findings."): f["value"]
        for f in data["figures"]
        if f["id"].startswith("findings.")
    }
    assert sum(by_rule.values()) == 1139
    assert by_rule["UNSCR-2375-17.student_visa_work"] == 342
    assert by_rule["UNSCR-2397-8.present_after_deadline_permit"] == 110
    year_cells = sum(f["value"] for f in data["figures"] if f["id"].startswith("findings-year."))
    analytic = by_rule["UNSCR-2371-11.regional_cap_exceeded"]
    assert year_cells == 1139 - analytic


def test_unverified_provisions_are_listed_as_not_established(data: dict[str, Any]) -> None:
    what = [u["what"] for u in data["could_not_establish"]]
    assert any(w.startswith("UNSCR-2371-11 ") for w in what)
    assert any(w.startswith("UNSCR-2321-16 ") for w in what)
    assert not any(w.startswith("UNSCR-2375-17 (") for w in what)


def test_same_inputs_give_the_same_bytes(made: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.json"
    hermit(
        tmp_path / "no-store.duckdb",
        "report", "compliance", "--labour", str(LABOUR), "--out", str(again),
        "--generated-at", "2026-01-01T09:00:00+09:00",
    )  # fmt: skip
    assert again.read_bytes() == (made / "r.json").read_bytes()


def test_pdf_has_pages_fonts_and_the_footer(made: Path) -> None:
    pdf = made / "r.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(next(x for x in info.stdout.splitlines() if x.startswith("Pages:")).split()[1])
    assert 5 <= pages <= 60
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Findings by rule and pattern" in text
    assert f"page {pages} of {pages}" in text
    assert "Приморский край" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    assert "DejaVu" in fonts.stdout


def test_an_unknown_output_suffix_is_refused_before_any_work(tmp_path: Path) -> None:
    proc = hermit(
        tmp_path / "s.duckdb",
        "report", "compliance", "--labour", str(LABOUR), "--out", str(tmp_path / "r.docx"),
        check=False,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "r.docx: a report is written as .json, .html, .pdf" in proc.stderr
