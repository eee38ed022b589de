"""The plain-Python worklist that computed ``ofac50@1`` before the fixpoint moved to
columns (hermit.network.ofac50_columns), kept as it was to compare with: the same
findings, entity by entity (tests/network/test_ofac50_columns.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from hermit.network.holdings import OWNERSHIP, Holding
from hermit.network.ofac50 import (
    ALGORITHM,
    BLOCKED,
    NOT_BLOCKED,
    POSSIBLY_BLOCKED,
    Finding,
    Result,
    Rule,
    Stake,
    default_rule,
)

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
