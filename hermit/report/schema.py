"""Report data as bytes (deterministic: sorted keys, two-space indent, a final newline)
and its check against the versioned JSON Schema (resources/report/report.schema.json)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import orjson

from hermit.report.document import SCHEMA_ID, ReportError


def dumps(data: dict[str, Any]) -> bytes:
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2) + b"\n"


@cache
def schema() -> dict[str, Any]:
    ref = resources.files("hermit") / "resources" / "report" / "report.schema.json"
    found: dict[str, Any] = json.loads(ref.read_text(encoding="utf-8"))
    if found.get("$id") != SCHEMA_ID:
        raise ReportError(f"report.schema.json is {found.get('$id')}, the code writes {SCHEMA_ID}")
    return found


def problems(data: dict[str, Any]) -> list[str]:
    """Every way ``data`` breaks the schema, or cites a figure or footnote it lacks
    (each naming where: ``sections[2].blocks[0].cite[1]: ...``)."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema())
    found = [
        "/".join(str(p) for p in err.absolute_path) + f": {err.message}"
        for err in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    ]
    if found:
        return found
    figures = {f["id"] for f in data["figures"]}
    count = len(data["citations"])
    for i, c in enumerate(data["citations"], start=1):
        if c["n"] != i:
            found.append(f"citations/{i - 1}: numbered {c['n']}, expected {i}")

    def refs(where: str, item: dict[str, Any]) -> None:
        for n in item.get("cite", []):
            if not 1 <= n <= count:
                found.append(f"{where}: cites [{n}], the report has {count} citations")
        for fid in item.get("of", []) + item.get("figures", []):
            if fid not in figures:
                found.append(f"{where}: no figure {fid!r}")

    for i, f in enumerate(data["figures"]):
        refs(f"figures/{i}", f)
    for s, sec in enumerate(data["sections"]):
        for b, block in enumerate(sec["blocks"]):
            refs(f"sections/{s}/blocks/{b}", block)
            for r, row in enumerate(block.get("rows", [])):
                if block["type"] == "cited_table":  # each row cites its own records
                    refs(f"sections/{s}/blocks/{b}/rows/{r}", row)
                    if not row.get("cite"):
                        found.append(f"sections/{s}/blocks/{b}/rows/{r}: cites nothing")
                    continue
                for key, cell in row.items():
                    if isinstance(cell, dict) and cell.get("figure") not in figures:
                        found.append(f"sections/{s}/blocks/{b}/rows/{r}/{key}: no figure")
    for i, u in enumerate(data["could_not_establish"]):
        refs(f"could_not_establish/{i}", u)
    return found


def validate(data: dict[str, Any]) -> None:
    """ReportError listing the first problems when the data is not a valid report."""
    found = problems(data)
    if found:
        more = f" (and {len(found) - 10} more)" if len(found) > 10 else ""
        raise ReportError("report data invalid: " + "; ".join(found[:10]) + more)
