"""The bounds on what one input may cost, from ``resources/limits.yaml`` (each value
is explained there)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True, slots=True)
class ScreeningLimits:
    max_fuzzy_word_chars: int  # longest word whose one-letter deletions are looked up


@cache
def screening_limits() -> ScreeningLimits:
    """The screening bounds of ``resources/limits.yaml`` (read once)."""
    path = resources.files("hermit") / "resources" / "limits.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    section = data["screening"]
    return ScreeningLimits(max_fuzzy_word_chars=int(section["max_fuzzy_word_chars"]))
