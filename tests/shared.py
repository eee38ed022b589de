"""Big objects a test process shares between consecutive test modules, freed when the
next module does not use them.

A session-scoped fixture holding a screener or a service keeps it until the process
ends: in an xdist worker that is the whole run, so every such object the worker ever
made stays in memory at once. A ``Shared`` object is made on first use (by a
module-scoped fixture of the same name), kept while the tests that follow use that
fixture, and closed as soon as the next test belongs to another module that does not
(tests/conftest.py's ``pytest_runtest_teardown``), or when the session ends. Tests that
read only share one; tests that change it must make their own.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import pytest

T = TypeVar("T")

_LIVE: dict[str, Shared[Any]] = {}


class Shared(Generic[T]):
    """One object of fixture ``name``, made by ``make`` and closed by ``close``."""

    def __init__(self, name: str, make: Callable[[], T], close: Callable[[T], None]) -> None:
        self.name = name
        self.make = make
        self.close = close
        self.value: T | None = None

    def get(self) -> T:
        if self.value is None:
            self.value = self.make()
            _LIVE[self.name] = self
        return self.value

    def release(self) -> None:
        value, self.value = self.value, None
        _LIVE.pop(self.name, None)
        if value is not None:
            self.close(value)


_BY_NAME: dict[str, Shared[Any]] = {}


def shared(name: str, make: Callable[[], T], close: Callable[[T], None] = lambda _: None) -> T:
    """The live object of fixture ``name``, made by ``make`` if there is none."""
    holder = _BY_NAME.get(name)
    if holder is None:
        holder = _BY_NAME[name] = Shared(name, make, close)
    return holder.get()


def release_unneeded(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """After ``item``: close every shared object the next test does not use, unless it
    is in the same module (its module fixtures may still hold the object); then
    collect, so that their memory is free before the next module starts."""
    module = getattr(item, "module", None)
    if nextitem is not None and module is not None and getattr(nextitem, "module", None) is module:
        return
    needed = set(getattr(nextitem, "fixturenames", ())) if nextitem is not None else set()
    released = False
    for name in list(_LIVE):
        if name not in needed:
            _LIVE[name].release()
            released = True
    # A whole index load freezes every object of the process out of the collector
    # (hermit.screening.persisted.load_index: right for a service, which lives as long
    # as its index); in a test process that would keep the cycles of every object alive
    # at that moment, once the test drops them. Unfrozen, an object still shared is
    # only walked by the collector again.
    if gc.get_freeze_count():
        gc.unfreeze()
        released = True
    if released:
        gc.collect()


def release_all() -> None:
    for name in list(_LIVE):
        _LIVE[name].release()
