"""A folder of labour record files read through the column mapping: the records of
each kind found, every problem, and the counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from hermit.compliance.columns import ColumnMapping
from hermit.compliance.listed import ListMatch
from hermit.compliance.read import read_kind
from hermit.compliance.records import LabourRecord, Problem, ReadSummary
from hermit.errors import SourceError


@dataclass(slots=True)
class LabourData:
    """The records by kind (kinds whose file is absent are empty), and the problems."""

    records: dict[str, list[LabourRecord]] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    summary: ReadSummary = field(default_factory=ReadSummary)
    listed: dict[str, ListMatch] = field(default_factory=dict)  # founder id -> listed entity

    def of(self, kind: str) -> list[LabourRecord]:
        return self.records.get(kind, [])


def find_file(folder: Path, names: tuple[str, ...]) -> Path | None:
    for name in names:
        path = folder / name
        if path.is_file():
            return path
    return None


def read_folder(folder: Path, mapping: ColumnMapping, kinds: set[str] | None = None) -> LabourData:
    """Every kind of ``mapping`` (or only ``kinds``) whose file is in ``folder``."""
    if not folder.is_dir():
        raise SourceError(folder, "not a folder of labour record files")
    data = LabourData()
    for kind, spec in mapping.kinds.items():
        if kinds is not None and kind not in kinds:
            continue
        path = find_file(folder, spec.files)
        if path is None:
            continue
        data.files[kind] = path.name
        found: list[LabourRecord] = []
        for item in read_kind(path, spec, mapping.dates, data.summary):
            if isinstance(item, LabourRecord):
                found.append(item)
            else:
                data.problems.append(item)
        data.records[kind] = found
    if not data.files:
        raise SourceError(
            folder,
            "no labour record file found (looked for: "
            + ", ".join(s.files[0] for s in mapping.kinds.values())
            + ")",
        )
    return data
