"""The predicate of UNSCR 2375 para 17: work authorizations after the ban, judged on
permits (permit_after_ban), extensions (extension_after_ban) and employment notified
without a permit (employment_after_ban)."""

from __future__ import annotations

from collections.abc import Iterator

from hermit.compliance.checks.employment_after_ban import employment_findings
from hermit.compliance.checks.extension_after_ban import extension_findings
from hermit.compliance.checks.permit_after_ban import permit_findings
from hermit.compliance.contracts import build_evidence
from hermit.compliance.folder import LabourData
from hermit.compliance.predicate import Predicate
from hermit.compliance.provisions import Provision
from hermit.compliance.violations import RecordRef, Violation


def _check(rule: Provision, data: LabourData) -> Iterator[Violation]:
    ban, cutoff = rule.date("ban_from"), rule.date("contract_finalized_before")
    ev = build_evidence(
        data.of("employment_notifications"),
        data.of("employers"),
        data.of("committee_exemptions"),
    )
    permits = data.of("work_permits")
    found = [
        *(("work_permits", "issue_date", *f) for f in permit_findings(permits, ban, cutoff, ev)),
        *(
            ("permit_extensions", "decision_date", *f)
            for f in extension_findings(data.of("permit_extensions"), permits, ban, cutoff, ev)
        ),
        *(
            ("employment_notifications", "contract_date", *f)
            for f in employment_findings(data.of("employment_notifications"), data.of("visas"), ban)
        ),
    ]
    for subject_file, date_field, record, pattern, reason, evidence in found:
        yield Violation(
            rule.id,
            rule.kind,
            pattern,
            subject_file,
            record.record_id,
            record.day(date_field) or record.day("received_date"),
            tuple(RecordRef.of(r) for r in [record, *evidence]),
            reason,
        )


PREDICATE = Predicate(
    name="work_authorization_after_ban",
    dates=("ban_from", "contract_finalized_before"),
    thresholds=(),
    exceptions=("contract_before_ban", "committee_approval"),
    kinds=(
        "work_permits",
        "permit_extensions",
        "employment_notifications",
        "employers",
        "committee_exemptions",
        "visas",
    ),
    run=_check,
)
