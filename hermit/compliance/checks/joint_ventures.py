"""UNSCR 2371 para 12 (no new joint ventures with DPRK parties from its adoption, no
expansion of existing ones) and UNSCR 2375 para 18 (none opened from its adoption,
existing ones closed by the deadline; closing on the deadline is in time). Exempt: a
1718 Committee approval of the joint venture, the Rajin-Khasan project and the
China-DPRK hydroelectric projects (by the register's note)."""

from __future__ import annotations

from collections.abc import Iterator

from hermit.compliance.folder import LabourData
from hermit.compliance.predicate import Predicate
from hermit.compliance.provisions import Provision
from hermit.compliance.records import LabourRecord
from hermit.compliance.ventures import Venture, founder_label, ventures
from hermit.compliance.violations import RecordRef, Violation

KINDS = ("employers", "employer_founders", "committee_exemptions")


def _finding(
    rule: Provision, v: Venture, pattern: str, reason: str, rows: list[LabourRecord]
) -> Violation:
    days = [d for r in rows if (d := r.day("date_from")) is not None]
    return Violation(
        rule.id,
        rule.kind,
        pattern,
        "employers",
        v.employer.record_id,
        max(days) if days else v.employer.day("reg_date"),
        tuple(RecordRef.of(r) for r in [v.employer, *rows]),
        reason,
    )


def _same_founder(a: LabourRecord, b: LabourRecord) -> bool:
    keys = ("founder_reg_no", "founder_name_lat", "founder_name")
    return any(a.text(k) is not None and a.text(k) == b.text(k) for k in keys)


def _new_or_expanded(rule: Provision, data: LabourData) -> Iterator[Violation]:
    start = rule.date("from")
    for v in ventures(data):
        if v.exemption is not None:
            continue
        registered = v.employer.day("reg_date")
        if registered is not None and registered >= start:
            names = "; ".join(founder_label(f, data) for f in v.dprk)
            yield _finding(
                rule,
                v,
                "jv_opened_after_2371",
                f"company registered {registered} with DPRK founder(s) {names} "
                f"(on or after {start})",
                list(v.dprk),
            )
            continue
        for f in v.dprk:
            joined = f.day("date_from")
            if joined is None or joined < start:
                continue
            before = [
                g
                for g in v.founders
                if g is not f and _same_founder(f, g) and (g.day("date_from") or joined) < joined
            ]
            if not before:
                yield _finding(
                    rule,
                    v,
                    "jv_new_dprk_participant",
                    f"DPRK founder {founder_label(f, data)} joined on {joined} "
                    f"(on or after {start})",
                    [f],
                )
                continue
            was, now = before[-1].amount("contribution_rub"), f.amount("contribution_rub")
            if was is not None and now is not None and now > was:
                yield _finding(
                    rule,
                    v,
                    "jv_expansion",
                    f"DPRK founder {founder_label(f, data)} raised its contribution "
                    f"from {was:,.0f} to {now:,.0f} roubles on {joined} "
                    f"(on or after {start})",
                    [before[-1], f],
                )


def _not_closed(rule: Provision, data: LabourData) -> Iterator[Violation]:
    opened_from, close_by = rule.date("no_new_from"), rule.date("close_by")
    for v in ventures(data):
        if v.exemption is not None:
            continue
        end, begun = v.end(), v.start
        if end is not None and end <= close_by:
            continue  # DPRK participation ended in time
        names = "; ".join(founder_label(f, data) for f in v.dprk)
        running = [
            f
            for f in v.dprk
            if f.day("date_to") is None or (f.day("date_to") or close_by) > close_by
        ]
        if begun is not None and begun >= opened_from:
            yield _finding(
                rule,
                v,
                "jv_opened_after_2375",
                f"opened {begun} and operating with DPRK founder(s): {names}",
                running or list(v.dprk),
            )
        else:
            until = "still operating" if end is None else f"operating until {end}"
            yield _finding(
                rule,
                v,
                "jv_not_closed",
                f"not closed by {close_by} with DPRK founder(s): {names}; {until}",
                running or list(v.dprk),
            )


NEW_OR_EXPANDED = Predicate(
    name="joint_venture_new_or_expanded",
    dates=("from",),
    thresholds=(),
    exceptions=("committee_approval",),
    kinds=KINDS,
    run=_new_or_expanded,
)
NOT_CLOSED = Predicate(
    name="joint_venture_not_closed",
    dates=("no_new_from", "close_by"),
    thresholds=(),
    exceptions=("committee_approval", "china_dprk_hydro", "rajin_khasan"),
    kinds=KINDS,
    run=_not_closed,
)
