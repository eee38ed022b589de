"""What a registry reader yields: records, rejected rows and refused values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hermit.ids.check import IdCheck


@dataclass(frozen=True, slots=True)
class RegistryProvenance:
    """Where one record came from: the registry, the file, its row (1 = header of a
    table; the line of a JSON lines file) and the record's id in that registry."""

    registry: str
    file: str
    row: int
    record_id: str


@dataclass(frozen=True, slots=True)
class RegistryRecord:
    """One FtM entity read from a registry. ``valid_from`` / ``valid_to``: registered
    and dissolved (companies) or start and end (relations), ISO dates as written."""

    entity: dict[str, Any]
    provenance: RegistryProvenance
    valid_from: str | None = None
    valid_to: str | None = None
    identifiers: tuple[IdCheck, ...] = field(default_factory=tuple)

    @property
    def schema(self) -> str:
        return str(self.entity["schema"])


@dataclass(frozen=True, slots=True)
class Rejected:
    """A row that gave no record, and why."""

    file: str
    row: int
    reason: str
    record_id: str | None = None


@dataclass(frozen=True, slots=True)
class Refused:
    """A value of a loaded row that the model refused (not a date, not a country ...):
    the row is kept, the value is reported here rather than lost."""

    file: str
    row: int
    record_id: str
    prop: str
    value: str
    reason: str


Item = RegistryRecord | Rejected | Refused
