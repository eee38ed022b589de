"""The lookup of ``hermit-candidates@3``: a query's key groups to its ``limit`` best
listed entities, exactly as defined in hermit.screening.candidates, made fast.

A key group (one query word with its fuzzy neighbours, its Korean readings, its
initials...) gives each listed entity that has one of its keys the best weight of those
keys; an entity's total is the sum of its groups' weights, added group after group in
the order of the groups (rarest first); the candidates are the ``limit`` best totals,
ties broken by index order.

The same word recurs from query to query, so a group is resolved once (group_cache):
the best weight of every entity it reaches (a dict) and those entities ranked by it.
A query of a word or two then never walks the union of its groups' entities: an entity
in one group only has that group's weight as its total, so only each group's first
``limit`` entities (of those in no other group) can be among the best; the entities in
two groups or more (found by intersecting the groups' dicts) are summed one by one, in
the order of the groups, the same float additions as a running total makes. A query of
more words keeps that running total, merged group by group a dict at a time.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import filterfalse, islice
from operator import itemgetter, neg

from hermit.screening.lru import Lru

#: Up to this many groups, a query's lookup goes group by group (see the module's
#: docstring); beyond, entities in several groups are so many that a running total of
#: them all is faster.
FEW_GROUPS = 2


@dataclass(frozen=True, slots=True)
class KeyGroup:
    """A key group resolved for the lookup (read only: cached and shared by queries).

    ``best``: every entity (its ordinal) having one of the group's keys, and the best
    weight of those keys it has; ``ranked``: those entities by that weight, best first,
    then by ordinal; ``rank``: minus the group's best weight (groups are looked up by
    it, ascending). ``common``: for a group of common keys only, each key's entities
    and weight, ascending (such a group only counts for entities found before)."""

    rank: float
    best: dict[int, float]
    ranked: tuple[int, ...]
    common: tuple[tuple[frozenset[int], float], ...] | None

    @classmethod
    def of(
        cls,
        keys: Sequence[tuple[tuple[int, ...], float]],
        common: tuple[tuple[frozenset[int], float], ...] | None = None,
    ) -> KeyGroup:
        """The group of ``keys`` (each key's postings and weight, weights above 0)."""
        if len(keys) == 1:  # one weight: ranked by ordinal
            ((postings, weight),) = keys
            return cls(-weight, dict.fromkeys(postings, weight), tuple(sorted(postings)), common)
        best: dict[int, float] = {}
        for postings, weight in sorted(keys, key=itemgetter(1)):  # the last, best stays
            best.update(dict.fromkeys(postings, weight))
        ranked = tuple(o for _, o in sorted(zip(map(neg, best.values()), best, strict=True)))
        return cls(-max(w for _, w in keys), best, ranked, common)


def _rank(group: KeyGroup) -> float:
    return group.rank


def _shared(bests: list[dict[int, float]]) -> set[int]:
    """The entities in two of ``bests`` or more, found without walking the largest."""
    shared: set[int] = set()
    if len(bests) < 2:
        return shared
    *others, largest = sorted(bests, key=len)
    seen: set[int] = set()
    for best in others:
        keys = best.keys()
        shared |= keys & seen
        shared |= keys & largest.keys()
        seen.update(keys)
    return shared


def lookup(groups: Sequence[KeyGroup], limit: int) -> list[tuple[int, float]]:
    """The ``limit`` entities with the best totals (ordinal, total), best first, ties
    by ordinal. (Two ways to the same: the faster for so many groups.)"""
    if len(groups) <= FEW_GROUPS:
        return _by_group(groups, limit)
    return _running(groups, limit)


def _running(groups: Sequence[KeyGroup], limit: int) -> list[tuple[int, float]]:
    """A running total of every entity found, group after group."""
    totals: dict[int, float] = {}
    for group in sorted(groups, key=_rank):  # rarest first: a common word only re-ranks
        best: dict[int, float]
        if group.common is not None and len(totals) >= limit:
            best = {}
            for members, weight in group.common:  # ascending: the last, best stays
                if len(totals) < len(members):
                    best.update(dict.fromkeys(members.intersection(totals), weight))
                else:
                    best.update(dict.fromkeys(totals.keys() & members, weight))
        else:
            best = group.best
        if not totals:
            totals = dict(best)
            continue
        both = best.keys() & totals.keys()
        added = {ordinal: totals[ordinal] + best[ordinal] for ordinal in both}
        totals.update(best)
        totals.update(added)
    if len(totals) > limit:
        least = heapq.nlargest(limit, totals.values())[-1]
        top = [(-total, o) for o, total in totals.items() if total >= least]
    else:
        top = [(-total, o) for o, total in totals.items()]
    top.sort()
    return [(ordinal, -total) for total, ordinal in top[:limit]]


def _by_group(groups: Sequence[KeyGroup], limit: int) -> list[tuple[int, float]]:
    """Each group's first entities, and those in several groups summed one by one."""
    bests: list[dict[int, float]] = []
    orders: list[tuple[int, ...] | None] = []  # None: a group of entities found before
    found: set[int] = set()  # the entities of bests[:counted], once a common group asks
    counted = 0
    for group in sorted(groups, key=_rank):  # rarest first: a common word only re-ranks
        if group.common is not None:
            for before in bests[counted:]:
                found.update(before)
            counted = len(bests)
            if len(found) >= limit:
                best: dict[int, float] = {}
                for members, weight in group.common:  # ascending: the last, best stays
                    best.update(dict.fromkeys(members.intersection(found), weight))
                if best:
                    bests.append(best)
                    orders.append(None)
                    counted += 1  # nothing new
                continue
        bests.append(group.best)
        orders.append(group.ranked)
    shared = _shared(bests)
    scored: list[tuple[float, int]] = []
    if shared:
        totals = dict.fromkeys(shared, 0.0)
        for best in bests:  # in the order of the groups: the running total's additions
            for ordinal in best.keys() & shared:
                totals[ordinal] += best[ordinal]
        scored.extend(zip(map(neg, totals.values()), totals, strict=True))
    for best, order in zip(bests, orders, strict=True):
        if order is None:
            continue
        if shared:
            first = list(islice(filterfalse(shared.__contains__, order), limit))
        else:
            first = list(order[:limit])
        scored.extend(zip(map(neg, map(best.__getitem__, first)), first, strict=True))
    scored.sort()
    return [(ordinal, -total) for total, ordinal in scored[:limit]]


def group_cache(max_entries: int) -> Lru[Hashable, KeyGroup | None]:
    """Resolved key groups (None: a word with no keys), least recently used forgotten
    first once they hold ``max_entries`` entities in all (memory)."""
    return Lru(max_entries, size=_size)


def _size(group: KeyGroup | None) -> int:
    return 1 if group is None else 1 + len(group.best)
