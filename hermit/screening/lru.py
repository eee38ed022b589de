"""A bounded map that forgets its least recently used entries first: the one cache the
screening engine keeps across queries (the candidate index's key groups, a bulk run's
memo). Sized by entries, or by a ``size`` of each value (the key groups count the
entities they hold); it counts hits and misses, and is safe to share between threads
(the service screens in several)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar, overload

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
D = TypeVar("D")

_MISSING = object()


def _one(_: object) -> int:
    return 1


class Lru(Generic[K, V]):
    """At most ``capacity`` in sizes (``size`` of each value, 1 by default), but always
    the newest entry."""

    def __init__(self, capacity: int, size: Callable[[V], int] = _one) -> None:
        if capacity < 1:
            raise ValueError("an Lru keeps at least one entry")
        self.capacity = capacity
        self.size = size
        self.entries = 0  # the sizes of what is held, summed
        self.hits = 0
        self.misses = 0
        self._held: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    @overload
    def get(self, key: K) -> V | None: ...

    @overload
    def get(self, key: K, default: D) -> V | D: ...

    def get(self, key: K, default: object = None) -> object:
        """The value held for ``key`` (now the most recently used), else ``default``."""
        with self._lock:
            found = self._held.get(key, _MISSING)
            if found is _MISSING:
                self.misses += 1
                return default
            self.hits += 1
            self._held.move_to_end(key)
            return found

    def put(self, key: K, value: V) -> None:
        with self._lock:
            old = self._held.pop(key, _MISSING)
            if old is not _MISSING:
                self.entries -= self.size(old)  # type: ignore[arg-type]
            self._held[key] = value
            self.entries += self.size(value)
            while self.entries > self.capacity and len(self._held) > 1:
                _, gone = self._held.popitem(last=False)
                self.entries -= self.size(gone)

    def __len__(self) -> int:
        return len(self._held)
