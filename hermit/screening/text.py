"""Name text to comparable tokens: scripts folded to Latin, apostrophes dropped."""

from __future__ import annotations

import re

from normality import normalize

_APOSTROPHES = re.compile(r"[\'\u2019\u2018\u02bc`´]")


def name_tokens(name: str) -> list[str]:
    """Lower-case Latin tokens of a name (``Ch'oe Yo'ng-ch'o'l`` -> choe, yong, chol)."""
    text = normalize(_APOSTROPHES.sub("", name), lowercase=True, latinize=True)
    return [] if text is None else text.split()
