"""A small real labour folder for the engine tests: every record of a few dozen people
of the dev set (../shared/data/labour, by its labels: people with a planted 2375 para
17 or 2397 para 8 violation, people of the hard negatives, people with a malformed
row, and others), and the small files whole; written as plain CSV in file order."""

from __future__ import annotations

import csv
import gzip
from collections import defaultdict
from pathlib import Path

#: The files the engine's checks read (the small ones copied whole).
FILES = (
    "work_permits",
    "permit_extensions",
    "employment_notifications",
    "visas",
    "border_crossings",
    "status_decisions",
)
WHOLE = ("employers", "committee_exemptions", "status_decisions", "diplomatic_staff")


def _rows(path: Path) -> list[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _lines(folder: Path, name: str) -> list[str]:
    for suffix in (".csv.gz", ".csv"):
        path = folder / f"{name}{suffix}"
        if path.exists():
            opener = gzip.open if suffix == ".csv.gz" else open
            with opener(path, "rt", encoding="utf-8", newline="") as fh:
                return fh.read().splitlines()
    raise FileNotFoundError(folder / name)


def chosen_people(labour: Path, each: int = 8) -> set[str]:
    """``each`` people of every sort, the first by person id (fixed, no randomness)."""
    violations = _rows(labour / "labels" / "violations.csv.gz")
    negatives = _rows(labour / "labels" / "hard_negatives.csv.gz")
    records = _rows(labour / "labels" / "records.csv.gz")
    sorts: dict[str, set[str]] = defaultdict(set)
    for v in violations:
        if v["person_id"] and v["rule_id"] in ("UNSCR-2375-17", "UNSCR-2397-8"):
            sorts[f"{v['rule_id']}:{v['pattern']}"].add(v["person_id"])
    for n in negatives:
        if n["person_id"]:
            sorts[f"negative:{n['kind']}"].add(n["person_id"])
    for r in records:
        if r["malformed"] and r["person_id"]:
            sorts["malformed"].add(r["person_id"])
        elif r["person_id"]:
            sorts["other"].add(r["person_id"])
    return {p for found in sorts.values() for p in sorted(found)[:each]}


def write_slice(labour: Path, out: Path, each: int = 8) -> dict[str, int]:
    """The slice in ``out``; the number of data lines per file."""
    people = chosen_people(labour, each)
    keep: dict[str, set[int]] = defaultdict(set)
    for r in _rows(labour / "labels" / "records.csv.gz"):
        if r["person_id"] in people:
            keep[r["file"].split(".")[0]].add(int(r["line"]))
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    for name in (*FILES, *WHOLE):
        lines = _lines(labour, name)
        body = [
            line
            for number, line in enumerate(lines[1:], start=2)
            if name in WHOLE or number in keep[name]
        ]
        (out / f"{name}.csv").write_text("\n".join([lines[0], *body]) + "\n", encoding="utf-8")
        written[name] = len(body)
    return written
