"""The report framework on a small report: the data validates against its schema, a
report built wrong is refused naming what, the same inputs give the same bytes, and the
PDF renderer fetches nothing (a local server sees no request)."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path
from typing import ClassVar

import pytest

from hermit.report import cite, document, render, schema, stamp
from hermit.report.document import ReportError
from hermit.report.verify import verify


def small_report(folder: Path, when: str = "2026-01-01T00:00:00Z") -> dict[str, object]:
    """A report over one CSV file of three rows, with a count, a sum and a product."""
    path = folder / "cash.csv"
    if not path.exists():
        path.write_text("id,amount,name\nC-1,10,김정은\nC-2,20,Ким Чен Ын\nC-3,5,金正恩\n", "utf-8")
    st = stamp.Stamp(generated_at=when)
    sha = st.add_input(path)
    st.add_algorithm("demo@1", {"threshold": 10})
    doc = document.Report("demo", "Demo report", st, period=("2020-01-01", "2020-12-31"))
    rows = doc.cite(cite.input_rows("cash.csv", sha, [(2, "C-1"), (3, "C-2"), (4, "C-3")]))
    doc.figure("n", "Incidents", 3, "incidents", cite=[rows], method="count", how="rows")
    doc.figure("sum", "Amount", 35, "USD", cite=[rows], method="sum", field="amount", how="sum")
    doc.figure("mean", "Mean", 35 / 3, "USD", cite=[], method="ratio", of=["sum", "n"], how="/")
    sec = doc.section("s", "Summary")
    sec.text("Names: 김정은, Ким Чен Ын, 金正恩.", cite=[rows])
    sec.figures(["n", "sum", "mean"])
    sec.table(
        "t",
        "Table",
        [("k", "Key", None), ("v", "Value", "USD")],
        [{"k": "a", "v": {"figure": "sum"}}],
    )
    sec.chart("c", "bar", "Chart", ("year", None), ("USD", "USD"), [("all", [("2020", 35)])])
    doc.unknown("something", "no data", [rows])
    return doc.to_dict()


def test_small_report_validates_and_its_figures_recompute(tmp_path: Path) -> None:
    data = small_report(tmp_path)
    assert schema.problems(data) == []
    checked = verify(data, tmp_path)
    assert checked.problems == []
    assert checked.resolved == 1


def test_verify_finds_a_wrong_figure_a_moved_row_and_a_changed_file(tmp_path: Path) -> None:
    data = small_report(tmp_path)
    figures = data["figures"]
    assert isinstance(figures, list)
    figures[0]["value"] = 4
    citations = data["citations"]
    assert isinstance(citations, list)
    citations[0]["lines"][1] = 9
    problems = verify(data, tmp_path).problems
    assert "figure n: count gives 2, states 4" in problems
    assert "[1] cash.csv: no line 9 (record C-2)" in problems
    (tmp_path / "cash.csv").write_text("id,amount\nC-1,11\n", "utf-8")
    assert verify(data, tmp_path).problems[0] == "[1] cash.csv: sha256 differs from the cited one"


def test_schema_refuses_a_block_citing_a_footnote_the_report_lacks(tmp_path: Path) -> None:
    data = small_report(tmp_path)
    sections = data["sections"]
    assert isinstance(sections, list)
    sections[0]["blocks"][0]["cite"] = [7]
    assert schema.problems(data) == ["sections/0/blocks/0: cites [7], the report has 1 citations"]
    del data["title"]
    assert any("'title' is a required property" in p for p in schema.problems(data))
    with pytest.raises(ReportError, match="report data invalid"):
        render.render(data, ".json")


def test_builder_refuses_unknown_figures_citations_and_methods(tmp_path: Path) -> None:
    doc = document.Report("demo", "Demo", stamp.Stamp(generated_at="2026-01-01T00:00:00Z"))
    with pytest.raises(ReportError, match=r"no citation \[1\]"):
        doc.figure("a", "A", 1, "x", cite=[1], method="count", how="-")
    with pytest.raises(ReportError, match="method 'guess'"):
        doc.figure("a", "A", 1, "x", cite=[], method="guess", how="-")
    with pytest.raises(ReportError, match="no figure 'b'"):
        doc.section("s", "S").figures(["b"])
    n = doc.cite(cite.publication("t", "s", "w", 1, "u"))
    assert doc.cite(cite.publication("t", "s", "w", 1, "u")) == n  # the same footnote


def test_same_inputs_same_bytes_and_the_stamp_is_the_only_clock(tmp_path: Path) -> None:
    first = render.render(small_report(tmp_path), ".json")
    again = render.render(small_report(tmp_path), ".json")
    assert first == again
    assert render.render(small_report(tmp_path), ".html") == render.render(
        small_report(tmp_path), ".html"
    )
    later = render.render(small_report(tmp_path, "2026-02-02T00:00:00Z"), ".json")
    assert later != first
    assert later.replace(b"2026-02-02T00:00:00Z", b"2026-01-01T00:00:00Z") == first


def test_generated_at_is_normalised_to_utc() -> None:
    assert stamp.parse_generated_at("2026-01-01T09:00:00+09:00") == "2026-01-01T00:00:00Z"
    assert stamp.parse_generated_at("2026-01-01") == "2026-01-01T00:00:00Z"


class _Counting(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Counting.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args: object) -> None:
        pass


def test_pdf_rendering_fetches_nothing_from_the_network() -> None:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        page = (
            f'<html><head><link rel="stylesheet" href="{url}/a.css"></head>'
            f'<body><img src="{url}/b.png"><img src="https://example.org/c.png">'
            '<img src="file:///etc/hostname"><p>text</p></body></html>'
        )
        fetcher = render.refusing_fetcher()
        body = render.pdf_of_html(page, fetcher)
    finally:
        server.shutdown()
    assert body.startswith(b"%PDF")
    assert _Counting.hits == []
    assert sorted(fetcher.refused) == sorted(
        [f"{url}/a.css", f"{url}/b.png", "https://example.org/c.png", "file:///etc/hostname"]
    )
