"""A predicate: the code one provision's ``check`` names, with what it needs from the
provision (dates, thresholds, exceptions), checked when the provisions are loaded."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from hermit.compliance.folder import LabourData
from hermit.compliance.provisions import Provision
from hermit.compliance.violations import Violation


@dataclass(frozen=True, slots=True)
class Predicate:
    name: str
    dates: tuple[str, ...]
    thresholds: tuple[str, ...]
    exceptions: tuple[str, ...]
    kinds: tuple[str, ...]  # the record kinds it reads
    run: Callable[[Provision, LabourData], Iterable[Violation]]
