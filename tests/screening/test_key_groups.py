"""The fast lookup of hermit-candidates@3 (hermit.screening.key_groups) against the
plain definition it must give exactly: a running total per entity, added group after
group (rarest first), each group counting an entity's best key weight, a group of common
keys counting only for entities already found once ``limit`` are, and the ``limit``
best totals taken with ties broken by index order.

Both ways to it (group by group, a running total), on random groups on a small set of
entities, with few distinct weights so that totals tie often, and groups that share
entities: the same candidates, in the same order, with the same totals (the same float
additions).
"""

from __future__ import annotations

import heapq
import random

import pytest

from hermit.screening.key_groups import KeyGroup, _by_group, _running, group_cache, lookup

Keys = list[tuple[tuple[int, ...], float]]


def _reference(groups: list[tuple[Keys, bool]], limit: int) -> list[tuple[int, float]]:
    """hermit-candidates@3's lookup as first written (main before the fast lookup)."""
    totals: dict[int, float] = {}
    for keys, common in sorted(groups, key=lambda g: -max(w for _, w in g[0])):
        best: dict[int, float] = {}
        if len(totals) >= limit and common:
            for postings, weight in keys:
                members = frozenset(postings)
                for ordinal in totals:
                    if ordinal in members and best.get(ordinal, 0.0) < weight:
                        best[ordinal] = weight
        else:
            for postings, weight in keys:
                for ordinal in postings:
                    if best.get(ordinal, 0.0) < weight:
                        best[ordinal] = weight
        for ordinal, weight in best.items():
            totals[ordinal] = totals.get(ordinal, 0.0) + weight
    top = heapq.nlargest(limit, totals.items(), key=lambda item: (item[1], -item[0]))
    return list(top)


def _random_groups(rng: random.Random) -> list[tuple[Keys, bool]]:
    weights = [0.7 * w for w in (1.1, 2.3, 3.7)] + [1.1, 2.3, 3.7, 5.0]
    entities = rng.choice([5, 30, 200])
    groups = []
    for _ in range(rng.randint(1, 8)):
        keys: Keys = []
        for _ in range(rng.randint(1, 4)):
            size = rng.randint(1, entities)
            keys.append((tuple(sorted(rng.sample(range(entities), size))), rng.choice(weights)))
        groups.append((keys, rng.random() < 0.3))
    return groups


def _resolved(keys: Keys, common: bool) -> KeyGroup:
    members = tuple((frozenset(p), w) for p, w in sorted(keys, key=lambda k: k[1]))
    return KeyGroup.of(keys, members if common else None)


@pytest.mark.parametrize("seed", range(40))
def test_the_fast_lookup_is_the_running_total(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(50):
        groups = _random_groups(rng)
        resolved = [_resolved(keys, common) for keys, common in groups]
        for limit in (1, 3, 10, 30):
            want = _reference(groups, limit)
            assert lookup(resolved, limit) == want, (groups, limit)
            # both ways, whatever the number of groups
            assert _by_group(resolved, limit) == want, (groups, limit)
            assert _running(resolved, limit) == want, (groups, limit)


def test_a_group_ranks_its_entities_by_their_best_key() -> None:
    group = KeyGroup.of([((1, 2, 3), 1.0), ((2, 5), 3.0), ((3,), 2.0)])
    assert group.best == {1: 1.0, 2: 3.0, 3: 2.0, 5: 3.0}
    assert group.ranked == (2, 5, 3, 1)
    assert group.rank == -3.0


def test_the_cache_forgets_the_least_recently_used_within_its_bound() -> None:
    cache = group_cache(max_entries=10)
    small = KeyGroup.of([((1, 2, 3), 1.0)])  # 4 entries
    cache.put("a", small)
    cache.put("b", None)  # 1 entry
    cache.put("c", small)
    assert cache.get("a") is small  # used: "b" is now the oldest
    cache.put("d", small)  # 13 entries: "b", then "c", forgotten
    assert cache.get("b", False) is False
    assert cache.get("c", False) is False
    assert cache.get("a") is small
    assert cache.get("d") is small
    assert cache.entries == 8
