"""The OFAC 50 Percent Rule as a least fixpoint of blocked status (OFAC FAQs 398-401).

An entity is blocked when the stakes held in it by blocked parties (the listed roots to
start with) add up to the threshold (50%) or more. Status propagates holding by holding;
percentages are never multiplied along a chain, and a stake held through an entity that
is not blocked does not pass through. The iteration starts from the listed parties only,
so an ownership cycle with no listed support blocks nothing (least fixpoint).

Two readings are computed, each its own fixpoint:

- ``definite`` ("blocked"): each holding at its lower bound; where the lower bounds of the
  stakes in one company add up to more than 100%, they are scaled to 100% (and flagged);
- ``possible`` ("possibly blocked"): each holding at its upper bound, as stated.

Only ownership holdings current on the as-of date count; the same holding reported twice
(same owner, asset and share) counts once; control (a directorship) never blocks.
For every asset the stake held by blocked parties is reported in both readings, and for
every blocked entity the owners and stakes that reach the threshold.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources

import numpy as np
import yaml

from hermit.network.holdings import Holding
from hermit.network.ofac50_columns import HoldingColumns, Reading, apply

ALGORITHM = "ofac50@1"

BLOCKED = "blocked"
POSSIBLY_BLOCKED = "possibly_blocked"
NOT_BLOCKED = "not_blocked"
LISTED = "listed"


@dataclass(frozen=True)
class Rule:
    """The reviewed reference values (hermit/resources/network/ofac50.yaml)."""

    threshold_pct: float
    tolerance_pct: float
    full_pct: float


@cache
def default_rule() -> Rule:
    ref = resources.files("hermit") / "resources" / "network" / "ofac50.yaml"
    data = yaml.safe_load(ref.read_text(encoding="utf-8"))
    return Rule(float(data["threshold_pct"]), float(data["tolerance_pct"]), float(data["full_pct"]))


@dataclass(frozen=True)
class Stake:
    """One blocked owner's stake in an asset, as it counts in one reading."""

    owner: str
    pct: float
    source: str


@dataclass
class Finding:
    """What the rule says about one entity that is not itself listed."""

    entity: str
    status: str
    definite_pct: float = 0.0
    possible_pct: float = 0.0
    #: stakes of blocked owners under the reading that gives the status
    #: (definite for blocked, possible for possibly blocked); they add up to the stake
    reasons: list[Stake] = field(default_factory=list)
    #: stated lower bounds adding up to more than 100% (their total), else None
    over_full_pct: float | None = None

    def explain(self) -> str:
        if self.status == NOT_BLOCKED:
            return (
                f"{self.entity}: not blocked (blocked parties hold {self.definite_pct:.4g}%, "
                f"at most {self.possible_pct:.4g}%)"
            )
        reading = "blocked" if self.status == BLOCKED else "possibly blocked"
        parts = " + ".join(f"{s.owner} {s.pct:.4g}%" for s in self.reasons)
        total = self.definite_pct if self.status == BLOCKED else self.possible_pct
        return f"{self.entity}: {reading}: {parts} = {total:.4g}%"


@dataclass
class Result:
    algorithm: str
    as_of: date
    listed: frozenset[str]
    findings: dict[str, Finding]

    def with_status(self, status: str) -> list[str]:
        return sorted(e for e, f in self.findings.items() if f.status == status)


def _stakes(
    cols: HoldingColumns, rows: list[Holding], kept: np.ndarray, reading: Reading
) -> dict[str, list[Stake]]:
    """The stakes of the blocked owners under one reading, by asset."""
    stakes: dict[str, list[Stake]] = defaultdict(list)
    for j in np.flatnonzero(reading.blocked[cols.owner[kept]]):
        holding = rows[int(kept[j])]
        stakes[holding.asset].append(Stake(holding.owner, float(reading.pct[j]), holding.source))
    return stakes


def blocked_status(
    listed: Iterable[str],
    holdings: Iterable[Holding],
    as_of: date,
    rule: Rule | None = None,
) -> Result:
    """Apply the rule as of ``as_of`` to the holdings, with ``listed`` as the roots (the
    fixpoints over columns: hermit.network.ofac50_columns)."""
    rule = rule or default_rule()
    roots = frozenset(listed)
    rows = list(holdings)
    cols = HoldingColumns.of(rows)
    ruled = apply(cols, roots, as_of, rule)
    definite_stakes = _stakes(cols, rows, ruled.kept, ruled.definite)
    possible_stakes = _stakes(cols, rows, ruled.kept, ruled.possible)
    position = {name: i for i, name in enumerate(cols.names)}
    findings: dict[str, Finding] = {}
    for entity in sorted(position.keys() - roots):
        i = position[entity]
        d_stakes = sorted(definite_stakes.get(entity, []), key=lambda s: (-s.pct, s.owner))
        p_stakes = sorted(possible_stakes.get(entity, []), key=lambda s: (-s.pct, s.owner))
        if ruled.definite.blocked[i]:
            status, reasons = BLOCKED, d_stakes
        elif ruled.possible.blocked[i]:
            status, reasons = POSSIBLY_BLOCKED, p_stakes
        else:
            status, reasons = NOT_BLOCKED, []
        over = ruled.over[i]
        findings[entity] = Finding(
            entity,
            status,
            definite_pct=sum(s.pct for s in d_stakes),
            possible_pct=sum(s.pct for s in p_stakes),
            reasons=reasons,
            over_full_pct=None if math.isnan(over) else float(over),
        )
    return Result(ALGORITHM, as_of, roots, findings)
