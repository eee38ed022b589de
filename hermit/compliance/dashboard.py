"""What the compliance dashboard shows: every violation of a check with the region and
the month it falls in, the rules checked, and each record a violation rests on with
the values it was read with (so that a violation opens its records).

A violation's region is the region its records name (a permit's, an extension's, an
employer's, a status decision's ``region`` field): the one region they all name, or
``SEVERAL`` when they name more than one (a national count over many regions), or
``NO_REGION`` when none of them names one (a cash declaration, a bank account). Its
month is the month of its date (``None`` for a violation without a date).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from hermit.compliance.folder import LabourData
from hermit.compliance.interpreter import RuleRun
from hermit.compliance.records import LabourRecord, Value
from hermit.compliance.violations import RecordRef, Violation

NO_REGION = "no region on record"
SEVERAL = "several regions"
SCHEMA = "hermit-compliance-dashboard/1"


def _text(value: Value) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def ref_key(ref: RecordRef) -> str:
    """``file:line``: a record's address in the answer's ``records``."""
    return f"{ref.file}:{ref.line}"


def region_of(refs: Iterable[RecordRef], records: dict[str, LabourRecord]) -> str:
    """The region the records ``refs`` name (see the module's note)."""
    named: set[str] = set()
    for ref in refs:
        record = records.get(ref_key(ref))
        region = None if record is None else record.text("region")
        if region:
            named.add(" ".join(region.split()))
    if not named:
        return NO_REGION
    return named.pop() if len(named) == 1 else SEVERAL


def _violation(v: Violation, records: dict[str, LabourRecord]) -> dict[str, Any]:
    return {
        **v.to_dict(),
        "region": region_of(v.refs, records),
        "month": None if v.date is None else v.date.isoformat()[:7],
    }


def _record(record: LabourRecord) -> dict[str, Any]:
    return {
        "kind": record.kind,
        "file": record.file,
        "line": record.line,
        "id": record.record_id,
        "values": {name: _text(value) for name, value in record.values.items()},
    }


def build(data: LabourData, runs: list[RuleRun]) -> dict[str, Any]:
    """The dashboard's answer for one check of ``data`` (its runs ``runs``)."""
    records = {
        f"{r.file}:{r.line}": r for kind_records in data.records.values() for r in kind_records
    }
    found = [v for run in runs for v in run.violations]
    cited: dict[str, dict[str, Any]] = {}
    for v in found:
        for ref in v.refs:
            key = ref_key(ref)
            if key not in cited and key in records:
                cited[key] = _record(records[key])
    return {
        "schema": SCHEMA,
        "rules": [
            {
                "id": run.rule.id,
                "instrument": run.rule.instrument,
                "paragraph": run.rule.paragraph,
                "summary": run.rule.summary,
                "citation": run.rule.citation,
                "violations": len(run.violations),
                "skipped": run.skipped,
            }
            for run in runs
        ],
        "violations": [_violation(v, records) for v in found],
        "records": cited,
        "read": data.summary.to_dict(),
        "problems": len(data.problems),
    }
