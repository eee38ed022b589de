"""The OFAC 50% fixpoint (hermit.network.ofac50) over columns: owners and assets as
integer arrays, shares as float arrays, validity as day numbers, the fixpoint a
frontier search over the holdings sorted by owner (each holding seen at most once).

``ofac50.blocked_status`` runs on these columns and builds its findings from them; a
caller with millions of holdings (bench/network_bench.py) uses them directly and asks
for the findings of the entities it shows. The blocked sets are those of the least
fixpoint in ``ofac50``'s docstring (tests/network/test_ofac50_columns.py compares them,
finding by finding, with the plain-Python worklist this replaced).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from hermit.network.holdings import OWNERSHIP, Holding

if TYPE_CHECKING:
    from hermit.network.ofac50 import Rule

#: day numbers (date.toordinal) standing for "no start" and "no end"
NO_START = np.iinfo(np.int64).min
NO_END = np.iinfo(np.int64).max


@dataclass
class HoldingColumns:
    """Holdings as columns: holding ``j`` is ``owner[j]`` -> ``asset[j]`` (indices into
    ``names``), its share ``low[j]``..``high[j]`` percent, valid from day ``start[j]``
    to the day before ``end[j]`` (``date.toordinal``), ``ownership[j]`` False for a
    control edge."""

    names: Sequence[str]
    owner: np.ndarray
    asset: np.ndarray
    low: np.ndarray
    high: np.ndarray
    start: np.ndarray
    end: np.ndarray
    ownership: np.ndarray

    @classmethod
    def of(cls, holdings: Sequence[Holding]) -> HoldingColumns:
        index: dict[str, int] = {}
        count = len(holdings)
        owner = np.empty(count, dtype=np.int64)
        asset = np.empty(count, dtype=np.int64)
        for j, h in enumerate(holdings):  # owner before asset, holding by holding
            owner[j] = index.setdefault(h.owner, len(index))
            asset[j] = index.setdefault(h.asset, len(index))
        return cls(
            names=list(index),
            owner=owner,
            asset=asset,
            low=np.fromiter((h.low for h in holdings), dtype=np.float64, count=count),
            high=np.fromiter((h.high for h in holdings), dtype=np.float64, count=count),
            start=np.fromiter(
                (NO_START if h.start is None else h.start.toordinal() for h in holdings),
                dtype=np.int64,
                count=count,
            ),
            end=np.fromiter(
                (NO_END if h.end is None else h.end.toordinal() for h in holdings),
                dtype=np.int64,
                count=count,
            ),
            ownership=np.fromiter(
                (h.kind == OWNERSHIP for h in holdings), dtype=np.bool_, count=count
            ),
        )

    def current(self, as_of: date) -> np.ndarray:
        """The holdings that count on ``as_of`` (ownership, started on or before it, not
        ended on or before it), a holding reported again (same owner, asset and share)
        once: its first report, in holding order."""
        day = as_of.toordinal()
        live = np.flatnonzero(self.ownership & (self.start <= day) & (self.end > day))
        if len(live) == 0:
            return live
        # holdings of one owner in one asset, side by side (stable: the first report first)
        pair = self.owner[live] * len(self.names) + self.asset[live]
        order = np.argsort(pair, kind="stable")
        pair = pair[order]
        shared = np.zeros(len(order), dtype=np.bool_)
        shared[1:] = pair[1:] == pair[:-1]
        shared[:-1] |= shared[1:]
        dropped = np.zeros(len(order), dtype=np.bool_)
        if shared.any():  # among those, the same share reported again
            at = np.flatnonzero(shared)
            rows = live[order[at]]
            again = np.lexsort((rows, self.high[rows], self.low[rows], pair[at]))
            rows, sub = rows[again], at[again]
            same = np.zeros(len(rows), dtype=np.bool_)
            same[1:] = (
                (pair[sub[1:]] == pair[sub[:-1]])
                & (self.low[rows[1:]] == self.low[rows[:-1]])
                & (self.high[rows[1:]] == self.high[rows[:-1]])
            )
            dropped[sub[same]] = True
        return np.sort(live[order[~dropped]])


@dataclass
class Reading:
    """One reading of the kept holdings: the share each counts with, and the fixpoint."""

    pct: np.ndarray
    #: blocked[i]: entity i is blocked under this reading (the listed ones included)
    blocked: np.ndarray


@dataclass
class Columns:
    """What the rule gives over columns: the kept holdings (indices into the columns),
    both readings, and each asset's total of stated lower bounds where it is over
    ``full_pct`` (NaN elsewhere)."""

    kept: np.ndarray
    definite: Reading
    possible: Reading
    over: np.ndarray
    listed: np.ndarray

    def stake(self, reading: Reading, owners: np.ndarray, assets: np.ndarray) -> np.ndarray:
        """Each entity's total stake held by blocked owners under ``reading``."""
        held = reading.blocked[owners]
        return np.bincount(assets[held], weights=reading.pct[held], minlength=len(self.over))


def readings(cols: HoldingColumns, kept: np.ndarray, rule: Rule) -> tuple[np.ndarray, ...]:
    """The definite (lower bounds, scaled to ``full_pct`` where they add up to more) and
    possible (upper bounds) share of every kept holding, and the over-full totals."""
    n = len(cols.names)
    low, asset = cols.low[kept], cols.asset[kept]
    totals = np.bincount(asset, weights=low, minlength=n)  # summed in holding order
    over_mask = totals > rule.full_pct + rule.tolerance_pct
    definite = low.copy()
    scaled = over_mask[asset]
    definite[scaled] = low[scaled] * rule.full_pct / totals[asset[scaled]]
    over = np.where(over_mask, totals, np.nan)
    return definite, cols.high[kept], over


def fixpoint(
    n: int,
    listed: np.ndarray,
    owner: np.ndarray,
    asset: np.ndarray,
    pct: np.ndarray,
    rule: Rule,
    order: np.ndarray | None = None,
) -> np.ndarray:
    """The least blocked set (a bool per entity) containing ``listed`` and every asset in
    which its members hold ``threshold_pct`` or more: frontier by frontier, the holdings
    of the newly blocked owners (sorted by owner: ``order``, computed when not given)
    added to their assets' stakes."""
    if order is None:
        order = np.argsort(owner, kind="stable")
    by_owner, targets, shares = owner[order], asset[order], pct[order]
    starts = np.searchsorted(by_owner, np.arange(n + 1))
    blocked = np.zeros(n, dtype=np.bool_)
    blocked[listed] = True
    held = np.zeros(n, dtype=np.float64)
    bar = rule.threshold_pct - rule.tolerance_pct
    frontier = np.unique(listed)
    while len(frontier):
        edges = ranges(starts[frontier], starts[frontier + 1])
        reached, share = targets[edges], shares[edges]
        open_ = ~blocked[reached]
        reached, share = reached[open_], share[open_]
        np.add.at(held, reached, share)
        frontier = np.unique(reached[held[reached] >= bar])
        blocked[frontier] = True
    return blocked


def ranges(begin: np.ndarray, end: np.ndarray) -> np.ndarray:
    """The concatenation of ``arange(begin[i], end[i])`` for every i."""
    counts = end - begin
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(begin - np.cumsum(counts) + counts, counts)
    return offsets + np.arange(total, dtype=np.int64)


def apply(cols: HoldingColumns, listed: Iterable[str], as_of: date, rule: Rule) -> Columns:
    """The rule as of ``as_of`` over the columns, with ``listed`` (ids) as the roots."""
    index = {name: i for i, name in enumerate(cols.names)}
    roots = np.array(sorted({index[x] for x in listed if x in index}), dtype=np.int64)
    return apply_roots(cols, roots, as_of, rule)


def apply_roots(cols: HoldingColumns, roots: np.ndarray, as_of: date, rule: Rule) -> Columns:
    """``apply`` with the roots given as entity indices."""
    n = len(cols.names)
    kept = cols.current(as_of)
    definite_pct, possible_pct, over = readings(cols, kept, rule)
    owner, asset = cols.owner[kept], cols.asset[kept]
    order = np.argsort(owner, kind="stable")
    return Columns(
        kept=kept,
        definite=Reading(definite_pct, fixpoint(n, roots, owner, asset, definite_pct, rule, order)),
        possible=Reading(possible_pct, fixpoint(n, roots, owner, asset, possible_pct, rule, order)),
        over=over,
        listed=roots,
    )
