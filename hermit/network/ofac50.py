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

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources

import yaml

from hermit.network.holdings import OWNERSHIP, Holding

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


Edge = tuple[str, str, float, str]  # owner, asset, pct under one reading, source


def current_holdings(holdings: Iterable[Holding], as_of: date) -> list[Holding]:
    """Ownership holdings valid on ``as_of``, exact duplicates (owner, asset, share) once."""
    seen: set[tuple[str, str, float, float]] = set()
    kept: list[Holding] = []
    for holding in holdings:
        if holding.kind != OWNERSHIP or not holding.current(as_of):
            continue
        key = (holding.owner, holding.asset, holding.low, holding.high)
        if key in seen:
            continue
        seen.add(key)
        kept.append(holding)
    return kept


def readings(
    holdings: list[Holding], rule: Rule
) -> tuple[list[Edge], list[Edge], dict[str, float]]:
    """The definite (scaled lower bounds) and possible (upper bounds) edge lists, and
    the assets whose lower bounds add up to more than ``full_pct`` (with their total)."""
    totals: dict[str, float] = defaultdict(float)
    for holding in holdings:
        totals[holding.asset] += holding.low
    over = {a: t for a, t in totals.items() if t > rule.full_pct + rule.tolerance_pct}
    definite: list[Edge] = []
    possible: list[Edge] = []
    for h in holdings:
        low = h.low * rule.full_pct / over[h.asset] if h.asset in over else h.low
        definite.append((h.owner, h.asset, low, h.source))
        possible.append((h.owner, h.asset, h.high, h.source))
    return definite, possible, over


def fixpoint(listed: frozenset[str], edges: list[Edge], rule: Rule) -> set[str]:
    """The least set of blocked parties containing ``listed`` and every asset in which
    members of the set hold ``threshold_pct`` or more (worklist, each edge seen once)."""
    out: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for owner, asset, pct, _source in edges:
        out[owner].append((asset, pct))
    blocked = set(listed)
    held: dict[str, float] = defaultdict(float)
    bar = rule.threshold_pct - rule.tolerance_pct
    pending = list(listed)
    while pending:
        owner = pending.pop()
        for asset, pct in out.get(owner, ()):
            if asset in blocked:
                continue
            held[asset] += pct
            if held[asset] >= bar:
                blocked.add(asset)
                pending.append(asset)
    return blocked


def _stakes(edges: list[Edge], blocked: set[str]) -> dict[str, list[Stake]]:
    stakes: dict[str, list[Stake]] = defaultdict(list)
    for owner, asset, pct, source in edges:
        if owner in blocked:
            stakes[asset].append(Stake(owner, pct, source))
    return stakes


def blocked_status(
    listed: Iterable[str],
    holdings: Iterable[Holding],
    as_of: date,
    rule: Rule | None = None,
) -> Result:
    """Apply the rule as of ``as_of`` to the holdings, with ``listed`` as the roots."""
    rule = rule or default_rule()
    roots = frozenset(listed)
    kept = current_holdings(holdings, as_of)
    definite_edges, possible_edges, over = readings(kept, rule)
    definite = fixpoint(roots, definite_edges, rule)
    possible = fixpoint(roots, possible_edges, rule)
    definite_stakes = _stakes(definite_edges, definite)
    possible_stakes = _stakes(possible_edges, possible)
    entities: set[str] = set()
    for h in holdings:
        entities.update((h.owner, h.asset))
    findings: dict[str, Finding] = {}
    for entity in sorted(entities - roots):
        d_stakes = sorted(definite_stakes.get(entity, []), key=lambda s: (-s.pct, s.owner))
        p_stakes = sorted(possible_stakes.get(entity, []), key=lambda s: (-s.pct, s.owner))
        if entity in definite:
            status, reasons = BLOCKED, d_stakes
        elif entity in possible:
            status, reasons = POSSIBLY_BLOCKED, p_stakes
        else:
            status, reasons = NOT_BLOCKED, []
        findings[entity] = Finding(
            entity,
            status,
            definite_pct=sum(s.pct for s in d_stakes),
            possible_pct=sum(s.pct for s in p_stakes),
            reasons=reasons,
            over_full_pct=over.get(entity),
        )
    return Result(ALGORITHM, as_of, roots, findings)
