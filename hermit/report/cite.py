"""Citations: what a figure rests on, one constructor per kind of source. Each returns a
plain dict (its ``kind`` first) that ``Report.cite`` numbers; the footnote text is made
from it when the report is rendered (``describe``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

Citation = dict[str, Any]


def input_rows(file: str, sha256: str, rows: Iterable[tuple[int, str]], note: str = "") -> Citation:
    """Rows of an input file: (physical line, header = 1; record id) pairs, in line order."""
    pairs = sorted(set(rows))
    return {
        "kind": "input_rows",
        "file": file,
        "sha256": sha256,
        "lines": [line for line, _ in pairs],
        "ids": [rid for _, rid in pairs],
        "note": note,
    }


def input_file(file: str, sha256: str, note: str = "") -> Citation:
    """A whole input file (a figure computed over all of its rows)."""
    return {"kind": "input_file", "file": file, "sha256": sha256, "note": note}


def list_record(dataset: str, version: int, entity_id: str, caption: str = "") -> Citation:
    """An entity of a list version held in the store."""
    return {
        "kind": "list_record",
        "dataset": dataset,
        "version": version,
        "entity_id": entity_id,
        "caption": caption,
    }


def registry_record(registry: str, file: str, line: int, record_id: str) -> Citation:
    return {
        "kind": "registry_record",
        "registry": registry,
        "file": file,
        "line": line,
        "record_id": record_id,
    }


def suppression(entity_id: str, query: str, decided_at: str, decided_by: str) -> Citation:
    """An analyst's decision, recorded in the list store, that a hit on ``entity_id`` for
    ``query`` (its id or name) is not a match."""
    return {
        "kind": "suppression",
        "entity_id": entity_id,
        "query": query,
        "decided_at": decided_at,
        "decided_by": decided_by,
    }


def ais_positions(file: str, sha256: str, mmsi: str, first: str, last: str, count: int) -> Citation:
    """AIS positions of one MMSI from ``first`` to ``last`` (ISO times), ``count`` of them."""
    return {
        "kind": "ais_positions",
        "file": file,
        "sha256": sha256,
        "mmsi": mmsi,
        "first": first,
        "last": last,
        "count": count,
    }


def provision(rule_id: str, citation: str, verified: bool, source: str) -> Citation:
    """A rule of the provisions file (``verified``: its wording checked against the text)."""
    return {
        "kind": "provision",
        "rule_id": rule_id,
        "citation": citation,
        "verified": verified,
        "source": source,
    }


def parameter(file: str, key: str, value: Any, unit: str, source: str) -> Citation:
    """A value of a reviewed YAML file under hermit/resources, and where it comes from."""
    return {
        "kind": "parameter",
        "file": file,
        "key": key,
        "value": value,
        "unit": unit,
        "source": source,
    }


def publication(title: str, source: str, where: str, value: Any, unit: str) -> Citation:
    """A published figure: what it says, who published it, where it was read."""
    return {
        "kind": "publication",
        "title": title,
        "source": source,
        "where": where,
        "value": value,
        "unit": unit,
    }


def _lines(lines: list[int]) -> str:
    """1, 2, 3, 7, 9, 10 -> '1-3, 7, 9-10' (runs of consecutive lines)."""
    parts: list[str] = []
    start = prev = None
    for line in [*lines, None]:
        if start is not None and (line is None or prev is None or line != prev + 1):
            parts.append(str(start) if start == prev else f"{start}-{prev}")
            start = None
        if line is not None and start is None:
            start = line
        prev = line
    return ", ".join(parts)


def describe(c: Citation, max_lines: int = 40) -> str:
    """The footnote text of a citation."""
    kind = c["kind"]
    note = f" ({c['note']})" if c.get("note") else ""
    if kind == "input_rows":
        lines: list[int] = c["lines"]
        shown = _lines(lines[:max_lines])
        more = f" and {len(lines) - max_lines:,} more" if len(lines) > max_lines else ""
        return (
            f"{c['file']}, {len(lines):,} row(s), line(s) {shown}{more}{note}; "
            f"sha256 {c['sha256'][:12]}"
        )
    if kind == "input_file":
        return f"{c['file']}, all rows{note}; sha256 {c['sha256'][:12]}"
    if kind == "list_record":
        cap = f" ({c['caption']})" if c.get("caption") else ""
        return f"{c['dataset']} version {c['version']}, record {c['entity_id']}{cap}"
    if kind == "registry_record":
        return f"{c['registry']} registry, {c['file']} line {c['line']}, record {c['record_id']}"
    if kind == "suppression":
        return (
            f"suppression of {c['entity_id']} for {c['query']!r}, decided by "
            f"{c['decided_by']} at {c['decided_at']} (list store)"
        )
    if kind == "ais_positions":
        return (
            f"AIS positions of MMSI {c['mmsi']}, {c['first']} to {c['last']} "
            f"({c['count']:,} positions), {c['file']}; sha256 {c['sha256'][:12]}"
        )
    if kind == "provision":
        state = "wording verified" if c["verified"] else "UNVERIFIED"
        return f"{c['citation']} (rule {c['rule_id']}, {state}; {c['source']})"
    if kind == "parameter":
        return f"{c['file']}: {c['key']} = {c['value']} {c['unit']}; source: {c['source']}"
    if kind == "publication":
        return f"{c['title']}: {c['value']} {c['unit']}; {c['source']}; read at {c['where']}"
    return str(c)
