"""What reading a labour file gives: records with provenance, and problems (rows
rejected, values set aside), each naming the file, the row and the field."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

Value = str | float | dt.date | dt.datetime


@dataclass(frozen=True, slots=True)
class LabourRecord:
    """One row of a labour file: its kind, file, line (physical line of a CSV, header
    = 1; Excel's row number) and id, and its fields read to their types (a blank or
    unreadable value is absent)."""

    kind: str
    file: str
    line: int
    record_id: str
    values: dict[str, Value]

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        return None if value is None else str(value)

    def day(self, name: str) -> dt.date | None:
        value = self.values.get(name)
        if isinstance(value, dt.datetime):
            return value.date()
        return value if isinstance(value, dt.date) else None

    def moment(self, name: str) -> dt.datetime | None:
        value = self.values.get(name)
        return value if isinstance(value, dt.datetime) else None

    def amount(self, name: str) -> float | None:
        value = self.values.get(name)
        return value if isinstance(value, float) else None

    @property
    def ref(self) -> str:
        """``file:record_id`` as findings cite it (the kind is the file's name)."""
        return f"{self.kind}:{self.record_id}"


@dataclass(frozen=True, slots=True)
class Problem:
    """A row rejected (``severity`` row: the record cannot be judged and is in no
    check) or a value set aside (``field``: the row is kept without that value)."""

    file: str
    line: int
    severity: str
    reason: str
    record_id: str | None = None
    field: str | None = None
    value: str | None = None


@dataclass(slots=True)
class ReadSummary:
    """Per file: rows read, records kept, rows rejected, values set aside."""

    rows: dict[str, int] = field(default_factory=dict)
    records: dict[str, int] = field(default_factory=dict)
    rejected: dict[str, int] = field(default_factory=dict)
    set_aside: dict[str, int] = field(default_factory=dict)

    def count(self, table: dict[str, int], file: str) -> None:
        table[file] = table.get(file, 0) + 1

    def to_dict(self) -> dict[str, dict[str, int]]:
        return {
            "rows": dict(self.rows),
            "records": dict(self.records),
            "rejected": dict(self.rejected),
            "set_aside": dict(self.set_aside),
        }
