"""How alike two words of names are (part of ``hermit-tokens@4``).

- equal words 1.0;
- an initial (``j``) against a word starting with it: INITIAL;
- words of four letters or more: optimal-string-alignment similarity (a swap of two
  letters is one edit: FAIZ / AFIZ), or FOLDED times that of the words with the
  spelling variation of romanized names folded away (resources/names/latin_variants.yaml:
  DAWOOD/DAWUD, HUSSEIN/HUSAYN), if at least MIN_SIMILARITY (one typo in ``mohammed``
  leaves 0.875);
- short words (two or three letters): folded alike FOLDED; one substitution apart
  SHORT_TYPO (``wei`` is not ``wen``, but it may be a typo); two letters swapped (ADB /
  ABD) their optimal-string-alignment similarity (0.67 for three letters);
- numbers (and Roman numerals: FUND III, TRUST XV) only when equal (``NAM SAN 8`` is
  not ``NAM SAN 7``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache
from itertools import groupby

from rapidfuzz.distance import OSA, Levenshtein

from hermit.names.tables import load

_DOUBLED = re.compile(r"(.)\1+")
INITIAL = 0.8
INITIAL_WEIGHT = 0.3
MIN_SIMILARITY = 0.6
SHORT_TYPO = 0.5
DEFAULT_WEIGHT = 1.0
FOLDED = 0.95
#: A word's weight, or None for a word the weights do not know (a query word that is
#: not listed anywhere: it then weighs what the listed word it pairs with weighs).
Weight = Callable[[str], float | None]
RARE_DEFAULT = 0.75


def default_weight(token: str) -> float | None:
    """Without an index: every word of two or more letters weighs the same."""
    return INITIAL_WEIGHT if len(token) == 1 else RARE_DEFAULT


@cache
def _fold_rules() -> tuple[tuple[str, str], ...]:
    return tuple((str(a), str(b)) for a, b in load("latin_variants")["rules"])


@lru_cache(maxsize=1 << 16)
def fold(token: str) -> str:
    """A word with the spelling variation of romanized names folded away
    (resources/names/latin_variants.yaml): ``dawood`` and ``dawud`` -> ``davud``."""
    out = token
    for old, new in _fold_rules():
        if old in out:
            out = out.replace(old, new)
    return _undouble(out)


def _undouble(text: str) -> str:
    """``_DOUBLED.sub(r"\\1", text)``: every run of one letter kept once (without the
    regular expression's template, expanded in Python for every run it finds)."""
    if "\n" in text:  # "." does not match a line break: the expression's own reading
        return _DOUBLED.sub(r"\1", text)
    return "".join(letter for letter, _ in groupby(text))


def same_joined(joined: str, word: str) -> bool:
    """Words written together (``rungrado``) agree with a word as spelled or folded."""
    return joined == word or fold(joined) == fold(word)


_ROMAN = re.compile(r"(?=[ivx]{2})x{0,3}(ix|iv|v?i{0,3})")


@lru_cache(maxsize=1 << 16)
def is_number(token: str) -> bool:
    """Digits, or a Roman numeral of two letters or more (II, XV: not the initial I)."""
    return token.isdigit() or _ROMAN.fullmatch(token) is not None


@lru_cache(maxsize=1 << 18)
def token_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if is_number(a) or is_number(b):
        return 0.0
    if len(a) == 1 or len(b) == 1:
        return INITIAL if a[0] == b[0] else 0.0
    if min(len(a), len(b)) <= 3:
        if fold(a) == fold(b):
            return FOLDED
        if len(a) == len(b):
            if Levenshtein.distance(a, b, score_cutoff=1) <= 1:
                return SHORT_TYPO
            if sorted(a) == sorted(b) and OSA.distance(a, b, score_cutoff=1) <= 1:
                return max(SHORT_TYPO, OSA.normalized_similarity(a, b))
        return 0.0
    sim = OSA.normalized_similarity(a, b)
    if sim < 1.0:
        sim = max(sim, OSA.normalized_similarity(fold(a), fold(b)) * FOLDED)
    return sim if sim >= MIN_SIMILARITY else 0.0
