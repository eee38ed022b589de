"""Names in Hangul, Cyrillic and Chinese are drawn in the PDF (a font that has their
glyphs is embedded, and the text comes back out), not as tofu: a script no font covers
would leave only the first font (DejaVu) embedded, drawing .notdef boxes."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from hermit.report import render
from tests.report.test_document import small_report

NAMES = {"hangul": "김정은", "cyrillic": "Ким Чен Ын", "chinese": "金正恩", "simplified": "张成泽"}
# hermit-han is print.css's face of WenQuanYi Zen Hei for Han characters
FONTS = {
    "hangul": "NanumGothic",
    "cyrillic": "DejaVu",
    "chinese": "hermit-han",
    "simplified": "hermit-han",
}


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} not installed (apt-get install poppler-utils; .ci/run does)")
    return found


def _fonts(pdf: Path) -> str:
    return subprocess.run(
        [_tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout


def _text(pdf: Path) -> str:
    return subprocess.run(
        [_tool("pdftotext"), "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.mark.parametrize("script", sorted(NAMES))
def test_each_script_is_drawn_by_a_font_that_has_it(tmp_path: Path, script: str) -> None:
    # the report's own head (its styles and fonts) over a body of the name alone
    head = render.html(small_report(tmp_path)).split("<body>")[0]
    alone = head + f"<body><p>{NAMES[script]}</p></body></html>"
    pdf = tmp_path / "probe.pdf"
    pdf.write_bytes(render.pdf_of_html(alone))
    fonts = _fonts(pdf)
    assert FONTS[script] in fonts, fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:]), fonts  # embedded
    assert NAMES[script] in _text(pdf)


def test_report_pdf_has_its_pages_fonts_and_names(tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    render.write(small_report(tmp_path), pdf)
    info = subprocess.run([_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True)
    pages = int(next(x for x in info.stdout.splitlines() if x.startswith("Pages:")).split()[1])
    assert pages >= 1
    text = _text(pdf)
    for name in ("김정은", "Ким Чен Ын", "金正恩"):
        assert name in text
    assert f"page 1 of {pages}" in text  # the running footer
    fonts = _fonts(pdf)
    for family in ("DejaVu", "NanumGothic", "hermit-han"):
        assert family in fonts, fonts
