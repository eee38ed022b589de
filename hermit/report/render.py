"""Rendering report data: HTML from the Jinja2 templates in resources/report/templates
(report.html.j2 the document, blocks/<type>.html.j2 one block type, print.css the page),
PDF from the same HTML with WeasyPrint, which may fetch nothing: every URL but an
inline ``data:`` one or an installed font is refused (no network, no other files)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from hermit.report import charts, maps
from hermit.report.cite import describe
from hermit.report.document import ReportError
from hermit.report.schema import dumps, validate

#: Block types drawn in Python (type -> block -> SVG markup), called from their
#: template as ``draw(block)``: any report's JSON renders without its builder imported.
DRAWINGS: dict[str, Callable[[dict[str, Any]], str]] = {"chart": charts.svg, "map": maps.svg}
SUFFIXES = (".json", ".html", ".pdf")


def fmt(value: Any) -> str:
    """A figure's value for reading: thousands separated, at most 4 significant
    decimals, '-' for none."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value.is_integer() and abs(value) >= 1:
            return f"{value:,.0f}"
        if abs(value) < 1:
            return f"{value:.4f}".rstrip("0").rstrip(".")
        return f"{value:,.2f}"
    return str(value)


@cache
def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("hermit", "resources/report/templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["fmt"] = fmt
    env.filters["describe"] = describe
    return env


def draw(block: dict[str, Any]) -> Markup:
    drawing = DRAWINGS.get(block["type"])
    if drawing is None:
        raise ReportError(f"no drawing for block type {block['type']!r}")
    return Markup(drawing(block))  # the drawings escape every text they place


def html(data: dict[str, Any], stylesheet: str | None = None) -> str:
    """The report as one self-contained HTML page (styles and charts inline); with
    ``stylesheet`` (an address) the page links that stylesheet instead of holding the
    styles, for a browser whose Content-Security-Policy refuses inline styles (the
    charts and maps are SVG with presentation attributes only: no style attribute)."""
    validate(data)
    figures = {f["id"]: f for f in data["figures"]}
    template = _environment().get_template("report.html.j2")
    return str(template.render(report=data, figures=figures, draw=draw, stylesheet=stylesheet))


def stylesheet_path() -> Path:
    """The report's stylesheet (print.css), the file the HTML holds inline."""
    from importlib import resources

    return Path(str(resources.files("hermit") / "resources" / "report" / "templates" / "print.css"))


#: System font folders: the print CSS names installed fonts (``local()``), which
#: WeasyPrint reads through the fetcher as file: URLs. Nothing else local is read.
FONT_DIRS = ("file:///usr/share/fonts/", "file:///usr/local/share/fonts/")


def _allowed(url: str) -> bool:
    return url.startswith("data:") or (url.startswith(FONT_DIRS) and ".." not in url)


def refusing_fetcher() -> Any:
    """A WeasyPrint URL fetcher that fetches only inline ``data:`` URLs and installed
    fonts; any other URL (http, https, other files, ...) is refused and kept in its
    ``refused`` list, so rendering never reaches the network."""
    from weasyprint.urls import URLFetcher, URLFetchingError

    class Refusing(URLFetcher):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(allowed_protocols={"data", "file"})
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            if not _allowed(url):
                self.refused.append(url)
                raise URLFetchingError(f"report rendering fetches nothing: refused {url[:80]}")
            return super().fetch(url, headers)

    return Refusing()


def pdf_of_html(page: str, fetcher: Any = None) -> bytes:
    """PDF of an HTML page by WeasyPrint with the refusing fetcher (or ``fetcher``)."""
    from weasyprint import HTML

    out: bytes = HTML(
        string=page, url_fetcher=fetcher or refusing_fetcher(), base_url=None
    ).write_pdf()
    return out


def pdf(data: dict[str, Any]) -> bytes:
    """The report's HTML rendered to PDF."""
    return pdf_of_html(html(data))


def render(data: dict[str, Any], suffix: str) -> bytes:
    """The bytes of the report as ``.json``, ``.html`` or ``.pdf``."""
    if suffix == ".json":
        validate(data)
        return dumps(data)
    if suffix == ".html":
        return html(data).encode("utf-8")
    if suffix == ".pdf":
        return pdf(data)
    raise ReportError(f"a report is written as {', '.join(SUFFIXES)}, not {suffix or '(none)'}")


def write(data: dict[str, Any], path: Path) -> None:
    """Write the report to ``path`` in the format its suffix names."""
    body = render(data, path.suffix.lower())
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(body)
    tmp.replace(path)
