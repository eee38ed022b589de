"""The report document: figures, sections of blocks, numbered citations and what could
not be established. ``Report.to_dict`` gives the JSON-ready data the schema describes
(hermit/resources/report/report.schema.json)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import orjson

from hermit.report.cite import Citation
from hermit.report.stamp import Stamp

SCHEMA_ID = "hermit-report/1"
#: How a figure is recomputed from what it cites (see the package docstring).
METHODS = frozenset(
    {"count", "sum", "value", "product", "ratio", "difference", "sum_of", "given", "derived"}
)
Number = int | float
Cell = str | Number | None | dict[str, str]


class ReportError(ValueError):
    """A report built wrong (an unknown figure, citation or method): names which."""


class Section:
    """One section: a title and its blocks, in order."""

    def __init__(self, report: Report, section_id: str, title: str) -> None:
        self.report, self.id, self.title = report, section_id, title
        self.blocks: list[dict[str, Any]] = []

    def block(self, block_type: str, **fields: Any) -> dict[str, Any]:
        """A block of any type (its schema in report.schema.json, its template in
        templates/blocks/<type>.html.j2)."""
        for n in fields.get("cite", []):
            self.report.check_citation(n)
        body = {"type": block_type, **fields}
        self.blocks.append(body)
        return body

    def text(self, text: str, cite: Sequence[int] = ()) -> None:
        self.block("text", text=text, cite=list(cite))

    def figures(self, ids: Iterable[str]) -> None:
        """Figures shown as a list of label: value (unit) [footnotes]."""
        ids = list(ids)
        for fid in ids:
            self.report.check_figure(fid)
        self.block("figures", figures=ids)

    def table(
        self,
        table_id: str,
        caption: str,
        columns: Sequence[tuple[str, str, str | None]],
        rows: Sequence[dict[str, Cell]],
        cite: Sequence[int] = (),
        how: str = "",
    ) -> None:
        """``columns``: (key, heading, unit or None); each row maps keys to a text, a
        number or ``{"figure": id}`` (the figure's value, with its footnotes)."""
        keys = [c[0] for c in columns]
        for row in rows:
            for key, cell in row.items():
                if key not in keys:
                    raise ReportError(f"table {table_id}: column {key!r} not declared")
                if isinstance(cell, dict):
                    self.report.check_figure(cell["figure"])
        self.block(
            "table",
            id=table_id,
            caption=caption,
            columns=[{"key": k, "label": label, "unit": unit} for k, label, unit in columns],
            rows=[{k: row.get(k) for k in keys} for row in rows],
            cite=list(cite),
            how=how,
        )

    def chart(
        self,
        chart_id: str,
        kind: str,
        title: str,
        x: tuple[str, str | None],
        y: tuple[str, str | None],
        series: Sequence[tuple[str, Sequence[tuple[str, Number]]]],
        cite: Sequence[int] = (),
        how: str = "",
        markers: Sequence[tuple[str, str]] = (),
        lines: Sequence[tuple[str, Number]] = (),
    ) -> None:
        """A bar or line chart drawn as SVG when rendered. ``series``: (name, points as
        (x label, y value)); ``markers``: (x label, note) drawn as vertical marks;
        ``lines``: (label, y value) drawn as horizontal reference lines."""
        if kind not in ("bar", "line"):
            raise ReportError(f"chart {chart_id}: kind {kind!r} is not bar or line")
        self.block(
            "chart",
            id=chart_id,
            kind=kind,
            title=title,
            x={"label": x[0], "unit": x[1]},
            y={"label": y[0], "unit": y[1]},
            series=[{"name": name, "points": [[px, py] for px, py in pts]} for name, pts in series],
            markers=[{"x": mx, "label": ml} for mx, ml in markers],
            lines=[{"label": ll, "y": ly} for ll, ly in lines],
            cite=list(cite),
            how=how,
        )


class Report:
    def __init__(
        self,
        kind: str,
        title: str,
        stamp: Stamp,
        period: tuple[str | None, str | None] = (None, None),
        subtitle: str = "",
    ) -> None:
        self.kind, self.title, self.subtitle, self.stamp, self.period = (
            kind,
            title,
            subtitle,
            stamp,
            period,
        )
        self.citations: list[Citation] = []
        self._numbers: dict[bytes, int] = {}
        self.figures: dict[str, dict[str, Any]] = {}
        self.sections: list[Section] = []
        self.unknowns: list[dict[str, Any]] = []

    def cite(self, citation: Citation) -> int:
        """The footnote number of ``citation`` (a new one, or the one it already has)."""
        key = orjson.dumps(citation, option=orjson.OPT_SORT_KEYS)
        found = self._numbers.get(key)
        if found is None:
            self.citations.append(citation)
            found = self._numbers[key] = len(self.citations)
        return found

    def check_citation(self, n: int) -> None:
        if not 1 <= n <= len(self.citations):
            raise ReportError(f"no citation [{n}] (the report has {len(self.citations)})")

    def check_figure(self, fid: str) -> None:
        if fid not in self.figures:
            raise ReportError(f"no figure {fid!r}")

    def figure(
        self,
        fid: str,
        label: str,
        value: Number | None,
        unit: str,
        *,
        cite: Sequence[int],
        method: str,
        how: str,
        of: Sequence[str] = (),
        field: str | None = None,
    ) -> str:
        """A number the report states (None: could not be computed; say why in ``how``)."""
        if fid in self.figures:
            raise ReportError(f"figure {fid!r} twice")
        if method not in METHODS:
            raise ReportError(f"figure {fid!r}: method {method!r} not one of {sorted(METHODS)}")
        for n in cite:
            self.check_citation(n)
        for other in of:
            self.check_figure(other)
        if isinstance(value, float):
            value = round(value, 6)
        self.figures[fid] = {
            "id": fid,
            "label": label,
            "value": value,
            "unit": unit,
            "cite": sorted(set(cite)),
            "method": method,
            "of": list(of),
            "field": field,
            "how": how,
        }
        return fid

    def section(self, section_id: str, title: str) -> Section:
        sec = Section(self, section_id, title)
        self.sections.append(sec)
        return sec

    def unknown(self, what: str, why: str, cite: Sequence[int] = ()) -> None:
        """Something the report could not establish (missing data, an unverified rule)."""
        for n in cite:
            self.check_citation(n)
        self.unknowns.append({"what": what, "why": why, "cite": list(cite)})

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_ID,
            "kind": self.kind,
            "title": self.title,
            "subtitle": self.subtitle,
            "period": {"from": self.period[0], "to": self.period[1]},
            "generated": self.stamp.to_dict(),
            "figures": list(self.figures.values()),
            "sections": [{"id": s.id, "title": s.title, "blocks": s.blocks} for s in self.sections],
            "could_not_establish": self.unknowns,
            "citations": [{"n": i, **c} for i, c in enumerate(self.citations, start=1)],
        }
