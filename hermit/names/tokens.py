"""Name text to comparable tokens: scripts folded to Latin, apostrophes dropped.

An ASCII name (most queries) is tokenized here directly, exactly as normality would do
it (lower case, each character replaced by its Unicode category as normality's
``UNICODE_CATEGORIES`` says, split on spaces: tests/screening/test_text.py checks every
ASCII character and random strings against normality); other names go through
normality, imported on first use, as its import (ICU's transliterators) costs a
single screen a fifth of a second.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = re.compile(r"[\'\u2019\u2018\u02bc`´]")
#: normality's UNICODE_CATEGORIES for the categories ASCII characters have: " " splits
#: words, None removes the character; others are kept.
ASCII_CATEGORIES: dict[str, str | None] = {
    "Cc": " ",
    "Pc": " ",
    "Pd": " ",
    "Ps": " ",
    "Pe": " ",
    "Po": " ",
    "Sm": " ",
    "Zs": " ",
    "Sc": None,
    "Sk": None,
}
_ASCII_TABLE = {
    i: ASCII_CATEGORIES[unicodedata.category(chr(i))]
    for i in range(128)
    if unicodedata.category(chr(i)) in ASCII_CATEGORIES
}


def name_tokens(name: str) -> list[str]:
    """Lower-case Latin tokens of a name (``Ch'oe Yo'ng-ch'o'l`` -> choe, yong, chol)."""
    return list(_tokens(name))


@lru_cache(maxsize=1 << 16)
def _tokens(name: str) -> tuple[str, ...]:
    text = _APOSTROPHES.sub("", name)
    if text.isascii():
        return tuple(text.lower().translate(_ASCII_TABLE).split())
    from normality import normalize

    folded = normalize(text, lowercase=True, latinize=True)
    return () if folded is None else tuple(folded.split())
