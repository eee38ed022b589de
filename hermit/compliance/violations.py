"""Findings: the rule broken, the records it rests on, and why, in one line; written
as CSV or JSON."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from hermit.compliance.records import LabourRecord

if TYPE_CHECKING:
    from collections.abc import Iterable

    from hermit.compliance.interpreter import RuleRun
    from hermit.compliance.records import Problem

COLUMNS = (
    "rule_id",
    "kind",
    "pattern",
    "subject_file",
    "subject_id",
    "date",
    "record_refs",
    "rows",
    "reason",
)


@dataclass(frozen=True, slots=True)
class RecordRef:
    """A record a finding rests on: its kind, file, line and id."""

    kind: str
    file: str
    line: int
    record_id: str

    @classmethod
    def of(cls, record: LabourRecord) -> RecordRef:
        return cls(record.kind, record.file, record.line, record.record_id)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "file": self.file, "line": self.line, "id": self.record_id}


@dataclass(frozen=True, slots=True)
class Violation:
    """One finding. ``subject`` is the record (or person, company, day) it is about and
    ``refs`` every record it rests on, the subject's first."""

    rule_id: str
    kind: str
    pattern: str
    subject_file: str
    subject_id: str
    date: dt.date | None
    refs: tuple[RecordRef, ...]
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "kind": self.kind,
            "pattern": self.pattern,
            "subject_file": self.subject_file,
            "subject_id": self.subject_id,
            "date": None if self.date is None else self.date.isoformat(),
            "records": [r.to_dict() for r in self.refs],
            "reason": self.reason,
        }

    def row(self) -> list[str]:
        return [
            self.rule_id,
            self.kind,
            self.pattern,
            self.subject_file,
            self.subject_id,
            "" if self.date is None else self.date.isoformat(),
            ";".join(f"{r.kind}:{r.record_id}" for r in self.refs),
            ";".join(f"{r.file}:{r.line}" for r in self.refs),
            self.reason,
        ]


def by_rule(found: list[Violation]) -> Counter[tuple[str, str]]:
    return Counter((v.rule_id, v.pattern) for v in found)


def write_csv(path: Path, found: list[Violation]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(COLUMNS)
        for v in found:
            out.writerow(v.row())


def check_parts(problems: Iterable[Problem], runs: Iterable[RuleRun]) -> dict[str, Any]:
    """The ``problems`` and ``rules`` parts of a check's JSON answer, as ``hermit
    compliance check --json`` writes them and POST /compliance/check answers them."""
    return {
        "problems": [
            {
                "file": p.file,
                "line": p.line,
                "severity": p.severity,
                "id": p.record_id,
                "field": p.field,
                "value": p.value,
                "reason": p.reason,
            }
            for p in problems
        ],
        "rules": {
            run.rule.id: {"violations": len(run.violations), "skipped": run.skipped} for run in runs
        },
    }


def write_json(path: Path, found: list[Violation], extra: dict[str, Any]) -> None:
    body = {**extra, "violations": [v.to_dict() for v in found]}
    path.write_bytes(orjson.dumps(body, option=orjson.OPT_INDENT_2))
