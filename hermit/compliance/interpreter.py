"""The rule interpreter: each provision with a ``check`` is given to the predicate of
that name, after checking that the provision has every date, threshold and exception
the predicate reads (a ProvisionError naming the rule and field if not)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hermit.compliance.checks import (
    accounts,
    cash,
    joint_ventures,
    repatriation,
    work_authorization,
    work_authorization_cap,
)
from hermit.compliance.folder import LabourData
from hermit.compliance.predicate import Predicate
from hermit.compliance.provisions import Provision, ProvisionError, Provisions
from hermit.compliance.violations import Violation

#: The checks as one named algorithm (reports and runs name it): bump the version when a
#: change moves any finding.
ALGORITHM = "hermit-compliance@1"

PREDICATES: dict[str, Predicate] = {
    p.name: p
    for p in (
        work_authorization.PREDICATE,
        work_authorization_cap.PREDICATE,
        repatriation.PREDICATE,
        joint_ventures.NEW_OR_EXPANDED,
        joint_ventures.NOT_CLOSED,
        accounts.PREDICATE,
        cash.UNDECLARED,
        cash.BULK,
    )
}


@dataclass(frozen=True, slots=True)
class RuleRun:
    """What one rule's check did: its findings, or why it could not run."""

    rule: Provision
    violations: tuple[Violation, ...]
    skipped: str | None = None


def predicate_for(rule: Provision, source: str) -> Predicate | None:
    """The rule's predicate, checked against what it needs (None: the rule has no check)."""
    if rule.check is None:
        return None
    pred = PREDICATES.get(rule.check)
    if pred is None:
        raise ProvisionError(
            source,
            rule.id,
            "check",
            f"no predicate {rule.check!r} (known: {', '.join(sorted(PREDICATES))})",
        )
    for name in pred.dates:
        if name not in rule.dates:
            raise ProvisionError(source, rule.id, f"dates.{name}", f"missing: {pred.name} reads it")
    for name in pred.thresholds:
        if name not in rule.thresholds:
            raise ProvisionError(
                source, rule.id, f"thresholds.{name}", f"missing: {pred.name} reads it"
            )
    for name in pred.exceptions:
        if not rule.has_exception(name):
            raise ProvisionError(
                source, rule.id, "exceptions", f"no exception {name!r}: {pred.name} applies it"
            )
    return pred


def validate(provisions: Provisions) -> None:
    """Every check names a known predicate that finds what it reads in its rule."""
    for rule in provisions.rules:
        predicate_for(rule, provisions.source)


def run_checks(
    provisions: Provisions, data: LabourData, only: set[str] | None = None
) -> list[RuleRun]:
    """Every checked rule (or those in ``only``) over ``data``."""
    runs: list[RuleRun] = []
    for rule in provisions.rules:
        if only is not None and rule.id not in only:
            continue
        pred = predicate_for(rule, provisions.source)
        if pred is None:
            continue
        if not any(data.of(kind) for kind in pred.kinds):
            runs.append(RuleRun(rule, (), f"no {' / '.join(pred.kinds)} records"))
            continue
        found = sorted(pred.run(rule, data), key=lambda v: (v.date or dt.date.min, v.subject_id))
        runs.append(RuleRun(rule, tuple(found)))
    return runs
