"""Consonant skeletons of Latin words, for names read from scripts that write no
short vowels (Arabic, Persian, Hebrew): tables in resources/names/skeleton.yaml.

``mhmd`` (from محمد) and ``muhammad``, ``mohamed`` share the skeleton ``mhmd``;
``ywsf`` (يوسف) and ``youssef``, ``yusuf`` share ``ysf``.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from hermit.names.tables import load

_DOUBLED = re.compile(r"(.)\1+")


@cache
def _rules() -> tuple[tuple[tuple[str, str], ...], dict[str, str], frozenset[str], frozenset[str]]:
    data = load("skeleton")
    digraphs = tuple((str(a), str(b)) for a, b in data["digraphs"])
    letters = {str(k): str(v) for k, v in data["letters"].items()}
    return digraphs, letters, frozenset(data["vowels"]), frozenset(data["glides"])


@lru_cache(maxsize=1 << 16)
def skeleton(token: str) -> str:
    """The consonant skeleton of a lower-case ASCII word (``""`` for a word of vowels:
    the article ``al`` keeps ``l``)."""
    digraphs, letters, vowels, glides = _rules()
    text = "".join(c for c in token.lower() if c.isalpha())
    for old, new in digraphs:
        text = text.replace(old, new)
    text = "".join(letters.get(c, c) for c in text)
    out = [c for i, c in enumerate(text) if c not in vowels and (i == 0 or c not in glides)]
    if len(out) > 1 and out[-1] == "h":
        out.pop()
    return _DOUBLED.sub(r"\1", "".join(out))


@lru_cache(maxsize=1 << 16)
def skeletons(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Each word's skeleton, words of vowels alone left out."""
    return tuple(s for s in map(skeleton, tokens) if s)
