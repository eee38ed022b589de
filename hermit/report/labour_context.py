"""What the sections of the compliance report share: the report being built, the
labour data read, the checks' runs, and ways to cite records and files."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from hermit.compliance.folder import LabourData
from hermit.compliance.interpreter import RuleRun
from hermit.compliance.provisions import Provisions
from hermit.compliance.records import LabourRecord
from hermit.compliance.violations import RecordRef
from hermit.report import cite
from hermit.report.document import Report


@dataclass(slots=True)
class Context:
    """What the sections share: the report, the data read, the checks' runs."""

    doc: Report
    folder: Path
    data: LabourData
    runs: list[RuleRun]
    provisions: Provisions
    by_line: dict[tuple[str, int], LabourRecord]
    regions: dict[str, str]  # region code (permit series) -> region name

    def sha(self, file: str) -> str:
        return self.doc.stamp.digest(file)

    def rows(self, refs: Iterable[RecordRef], note: str = "") -> list[int]:
        """Footnotes citing ``refs``: one input_rows citation per file."""
        by_file: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for r in refs:
            by_file[r.file].append((r.line, r.record_id))
        return [
            self.doc.cite(cite.input_rows(f, self.sha(f), pairs, note))
            for f, pairs in sorted(by_file.items())
        ]

    def provision(self, rule_id: str) -> int:
        rule = self.provisions.get(rule_id)
        return self.doc.cite(
            cite.provision(rule.id, rule.citation, rule.wording.verified, self.provisions.source)
        )

    def record_rows(self, records: Iterable[LabourRecord], note: str = "") -> list[int]:
        return self.rows((RecordRef.of(r) for r in records), note)

    def file_cite(self, kind: str, note: str = "") -> int:
        """A whole input file (of a record kind) as a citation."""
        file = self.data.files[kind]
        return self.doc.cite(cite.input_file(file, self.sha(file), note))
