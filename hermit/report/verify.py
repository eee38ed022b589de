"""Checking a report against its sources: every citation resolves (an input file with
the cited sha256, a cited row at its line holding its record id, a parameter with its
value in its YAML file, a provision in the provisions file) and every figure is
recomputed from what it cites (its ``method``). A figure ``derived`` is left to the
report's own test; a citation kind this module cannot open is reported as such.

``verify(data, folder)`` returns the problems (none: the report stands on its sources)."""

from __future__ import annotations

import csv
import gzip
import io
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from hermit.report.stamp import sha256_of


def csv_rows(path: Path) -> Iterator[tuple[int, list[str], list[str]]]:
    """(physical line where the row starts, header = 1; header; cells) of a CSV file,
    gzipped or not, comma or semicolon separated (the header decides)."""
    with path.open("rb") as fh:
        gz = fh.read(2) == b"\x1f\x8b"
    opener = gzip.open if gz else open
    with opener(path, "rb") as raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as fh:
        first = fh.readline()
        delimiter = ";" if first.count(";") > first.count(",") else ","
        header = next(csv.reader([first], delimiter=delimiter))
        reader = csv.reader(fh, delimiter=delimiter)
        start = 2
        for cells in reader:
            yield start, header, cells
            start = reader.line_num + 2


@dataclass(slots=True)
class Checked:
    problems: list[str] = field(default_factory=list)
    rows: dict[int, list[dict[str, str]]] = field(default_factory=dict)  # citation -> rows
    resolved: int = 0


def _input_path(data: dict[str, Any], folder: Path, name: str) -> Path | None:
    for item in data["generated"]["inputs"]:
        if item["name"] == name:
            path = folder / item["path"]
            return path if path.is_file() else None
    return None


def _resource(file: str) -> Any:
    ref = resources.files("hermit") / "resources" / file
    return yaml.safe_load(ref.read_text(encoding="utf-8"))


def _lookup(tree: Any, key: str) -> Any:
    for part in key.split("."):
        tree = tree[int(part)] if isinstance(tree, list) else tree[part]
    return tree


def _resolve_rows(c: dict[str, Any], path: Path, out: Checked) -> None:
    wanted = dict(zip(c["lines"], c["ids"], strict=True))
    found: list[dict[str, str]] = []
    for line, header, cells in csv_rows(path):
        rid = wanted.get(line)
        if rid is None:
            continue
        if rid not in cells:
            out.problems.append(f"[{c['n']}] {c['file']} line {line}: no record {rid} there")
        found.append(dict(zip(header, cells, strict=False)))
        del wanted[line]
    for line, rid in wanted.items():
        out.problems.append(f"[{c['n']}] {c['file']}: no line {line} (record {rid})")
    out.rows[c["n"]] = found


def _resolve(data: dict[str, Any], folder: Path, c: dict[str, Any], out: Checked) -> None:
    kind = c["kind"]
    if kind in ("input_rows", "input_file"):
        path = _input_path(data, folder, c["file"])
        if path is None:
            out.problems.append(f"[{c['n']}] {c['file']}: not found under {folder}")
            return
        if sha256_of(path) != c["sha256"]:
            out.problems.append(f"[{c['n']}] {c['file']}: sha256 differs from the cited one")
            return
        if kind == "input_rows":
            _resolve_rows(c, path, out)
    elif kind == "parameter":
        try:
            value = _lookup(_resource(c["file"]), c["key"])
        except (KeyError, IndexError, ValueError, TypeError, FileNotFoundError):
            out.problems.append(f"[{c['n']}] {c['file']}: no {c['key']}")
            return
        if value != c["value"]:
            out.problems.append(
                f"[{c['n']}] {c['file']} {c['key']} = {value!r}, cited {c['value']!r}"
            )
    elif kind == "provision":
        rules = {r["id"]: r for r in _resource("compliance/provisions.yaml")["provisions"]}
        rule = rules.get(c["rule_id"])
        if rule is None:
            out.problems.append(f"[{c['n']}] no provision {c['rule_id']}")
        elif rule["wording"]["verified"] != c["verified"]:
            out.problems.append(f"[{c['n']}] {c['rule_id']}: verified is not as cited")
    elif kind == "publication":
        pass  # a published figure: its title, source and page are the citation
    else:
        out.problems.append(f"[{c['n']}] citation kind {kind} not opened by hermit.report.verify")
        return
    out.resolved += 1


def _number(text: str) -> float:
    return float(text.replace(" ", "").replace(",", "."))


def _recompute(
    fig: dict[str, Any], values: dict[str, Any], out: Checked, cites: dict[int, Any]
) -> Any:
    method = fig["method"]
    rows = [r for n in fig["cite"] for r in out.rows.get(n, [])]
    of = [values[f] for f in fig["of"]]
    if method == "count":
        return len(rows)
    if method == "sum":
        return sum(_number(r[fig["field"]]) for r in rows)
    if method == "value":
        found = {r[fig["field"]] for r in rows}
        return _number(found.pop()) if len(found) == 1 else None
    if method == "product":
        return math.prod(of)
    if method == "ratio":
        return of[0] / of[1] if of[1] else None
    if method == "difference":
        return of[0] - of[1]
    if method == "sum_of":
        return sum(of)
    if method == "given":
        given = [
            cites[n]["value"]
            for n in fig["cite"]
            if cites[n]["kind"] in ("parameter", "publication")
        ]
        return given[0] if given else None
    return fig["value"]  # derived: the report's own test recomputes it


def verify(data: dict[str, Any], folder: Path) -> Checked:
    """Resolve every citation of ``data`` (inputs under ``folder``) and recompute every
    figure; the problems found, the rows read per citation."""
    out = Checked()
    cites = {c["n"]: c for c in data["citations"]}
    for c in data["citations"]:
        _resolve(data, folder, c, out)
    values = {f["id"]: f["value"] for f in data["figures"]}
    for fig in data["figures"]:
        got = _recompute(fig, values, out, cites)
        want = fig["value"]
        same = got == want or (
            isinstance(got, int | float)
            and isinstance(want, int | float)
            and math.isclose(got, want, rel_tol=1e-6, abs_tol=1e-6)
        )
        if not same:
            out.problems.append(
                f"figure {fig['id']}: {fig['method']} gives {got!r}, states {want!r}"
            )
    return out
