"""``hermit report compliance`` on the dev labour set (../shared/data/labour), through
the real command: the data validates against its schema, every citation resolves into
the input files and every figure is recomputed from the rows it cites, two runs with
the same --generated-at give the same bytes, and the PDF has its pages and fonts."""

from __future__ import annotations

import csv
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


def _labels_summary() -> dict[str, Any]:
    found: dict[str, Any] = json.loads((LABOUR / "labels" / "summary.json").read_bytes())
    return found


def test_work_authorizations_against_the_labels(data: dict[str, Any]) -> None:
    """The 2371 figures against the set's ground truth (labels/cap_2371.csv: baseline
    6191 on 2017-08-05, peak 7166, 282 days above) and its own statistics file."""
    fig = {f["id"]: f["value"] for f in data["figures"]}
    assert fig["cap.baseline"] == fig["cap.baseline_published"] == 6191
    assert fig["cap.peak"] == 7166
    assert fig["cap.days_above"] == 282
    assert fig["cap.excess"] == 975


def test_repatriation_against_the_labels(data: dict[str, Any]) -> None:
    """The labels' cohort also asks the person to be in Russia that day and counts
    active contracts: hermit's permit holders agree within 1 %."""
    truth = _labels_summary()["facts"]["repatriation"]
    fig = {f["id"]: f["value"] for f in data["figures"]}
    assert fig["repatriation.cohort"] == pytest.approx(truth["cohort_2017_12_22"], rel=0.01)
    assert fig["repatriation.share.midterm"] == pytest.approx(
        truth["share_repatriated_by_2018_12_22"], abs=0.01
    )
    assert fig["repatriation.share.final"] == pytest.approx(
        truth["share_gone_by_2019_12_22"], abs=0.005
    )


def test_joint_ventures_and_revenue(data: dict[str, Any]) -> None:
    fig = {f["id"]: f for f in data["figures"]}
    jv = [row for row in _rows(data, "jv-table")]
    assert fig["jv.companies"]["value"] == len(jv) == 23
    assert (
        fig["jv.closed_in_time"]["value"]
        + fig["jv.exempt"]["value"]
        + fig["jv.operating_after_the_deadline"]["value"]
        == 23
    )
    # worker-months: permits valid on the 15th; the labels' reference also counts
    # workers on a notified contract alone, so it is a little higher in 2017-2020
    with (LABOUR / "labels" / "revenue_reference_yearly.csv").open(encoding="utf-8") as fh:
        ref = {r["year"]: int(r["worker_months"]) for r in csv.DictReader(fh)}
    for year in ("2013", "2014", "2015", "2016"):
        got = fig[f"revenue.worker_months.{year}"]["value"]
        assert got == pytest.approx(ref[year], rel=0.01), year
    low, high = fig["revenue.usd.total.low"]["value"], fig["revenue.usd.total.high"]["value"]
    assert 0 < low < fig["revenue.usd.total.central"]["value"] < high
    assert fig["revenue.usd.2016.central"]["of"] == [
        "revenue.worker_months.2016",
        "revenue.wage.central",
        "revenue.take.central",
    ]


def _rows(data: dict[str, Any], table: str) -> list[dict[str, Any]]:
    for sec in data["sections"]:
        for block in sec["blocks"]:
            if block.get("id") == table:
                rows: list[dict[str, Any]] = block["rows"]
                return rows
    raise AssertionError(f"no table {table}")
