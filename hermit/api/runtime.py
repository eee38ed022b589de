"""How a service process runs once its index is built, from ``resources/service.yaml``
(each value is explained there)."""

from __future__ import annotations

import gc
from functools import cache
from importlib import resources

import yaml


@cache
def gc_thresholds() -> tuple[int, int, int]:
    path = resources.files("hermit") / "resources" / "service.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    first, second, third = (int(x) for x in data["gc"]["thresholds"])
    return first, second, third


def settle() -> tuple[int, int, int]:
    """After the index is built: freeze what exists out of the collector and collect
    less often (``gc`` in resources/service.yaml). Returns the thresholds before, for
    ``unsettle``."""
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*gc_thresholds())
    return before


def unsettle(before: tuple[int, int, int]) -> None:
    """What ``settle`` did, undone (the app stops; a test process goes on)."""
    gc.unfreeze()
    gc.set_threshold(*before)
