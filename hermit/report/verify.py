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


@dataclass(frozen=True, slots=True)
class Stores:
    """The stores a report's records are cited from (None: not given)."""

    lists: Path | None = None
    registry: Path | None = None
    ais: Path | None = None


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


def _ais_load(data: dict[str, Any]) -> int | None:
    for a in data["generated"]["algorithms"]:
        if "ais_load" in a["parameters"]:
            return int(a["parameters"]["ais_load"])
    return None


def _one(con: Any, sql: str, params: list[Any]) -> dict[str, str] | None:
    cur = con.execute(sql, params)
    row = cur.fetchone()
    if row is None:
        return None
    return {d[0]: "" if v is None else str(v) for d, v in zip(cur.description, row, strict=True)}


def _resolve_stored(
    data: dict[str, Any], c: dict[str, Any], stores: Stores, out: Checked, opened: dict[str, Any]
) -> bool:
    """A record cited from a store, found there (its row kept for the figures); False
    when the kind is not a stored one."""
    import duckdb

    kind = c["kind"]
    where = {
        "list_record": stores.lists,
        "suppression": stores.lists,
        "registry_record": stores.registry,
        "ais_positions": stores.ais,
    }.get(kind)
    if kind not in ("list_record", "suppression", "registry_record", "ais_positions"):
        return False
    if where is None or not where.exists():
        out.problems.append(f"[{c['n']}] {kind}: no store given to resolve it in")
        return True
    if kind == "suppression":
        from hermit.report.dossier_data import _state_rows

        found = _state_rows(
            where,
            "SELECT entity_id, reason FROM suppressions WHERE "
            "entity_id = ? AND coalesce(query_id, query_name) = ? AND "
            "decided_by = ? AND decided_at = ?",
            [c["entity_id"], c["query"], c["decided_by"], c["decided_at"]],
        )
        if not found:
            out.problems.append(
                f"[{c['n']}] no suppression of {c['entity_id']} for {c['query']!r} at "
                f"{c['decided_at']}"
            )
            return True
        out.rows[c["n"]] = [{"entity_id": str(found[0][0]), "reason": str(found[0][1])}]
        out.resolved += 1
        return True
    con = opened.get(str(where))
    if con is None:
        con = opened[str(where)] = duckdb.connect(str(where), read_only=True)
    n = c["n"]
    if kind == "list_record":
        row = _one(
            con,
            "SELECT entity_id, record_id, caption FROM entities WHERE dataset = ? "
            "AND entity_id = ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) AND "
            "? IN (SELECT seq FROM versions WHERE dataset = ?)",
            [c["dataset"], c["entity_id"], c["version"], c["version"], c["version"], c["dataset"]],
        )
        what = f"{c['dataset']} v{c['version']} has no entry {c['entity_id']}"
    elif kind == "registry_record":
        row = _one(
            con,
            "SELECT record_id, schema, registry FROM registry_records WHERE "
            "record_id = ? AND file = ? AND row = ? AND registry = ? LIMIT 1",
            [c["record_id"], c["file"], c["line"], c["registry"]],
        )
        what = f"no registry record {c['record_id']} at {c['file']} row {c['line']}"
    else:
        load = _ais_load(data)
        got = _one(
            con,
            "SELECT count(*) AS n FROM ais_positions WHERE load_id = ? AND mmsi = ? "
            "AND NOT (jump OR conflict) AND ts BETWEEN CAST(? AS TIMESTAMP) AND "
            "CAST(? AS TIMESTAMP)",
            [load, int(c["mmsi"]), c["first"], c["last"]],
        )
        held = int(got["n"]) if got else 0
        row = {"mmsi": c["mmsi"], "count": str(held)} if held == c["count"] else None
        what = f"{c['count']} positions of MMSI {c['mmsi']} cited, {held} in load {load}"
    if row is None:
        out.problems.append(f"[{n}] {what}")
        return True
    out.rows[n] = [row]
    out.resolved += 1
    return True


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


def verify(data: dict[str, Any], folder: Path, stores: Stores | None = None) -> Checked:
    """Resolve every citation of ``data`` (inputs under ``folder``, records in ``stores``)
    and recompute every figure; the problems found, the rows read per citation."""
    out = Checked()
    cites = {c["n"]: c for c in data["citations"]}
    opened: dict[str, Any] = {}
    try:
        for c in data["citations"]:
            if not _resolve_stored(data, c, stores or Stores(), out, opened):
                _resolve(data, folder, c, out)
    finally:
        for con in opened.values():
            con.close()
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
