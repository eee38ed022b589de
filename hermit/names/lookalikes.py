"""Letters written with look-alikes: digits inside words ("Ig0r Sech1n") and letters
of another script inside a Latin word (a Cyrillic о or р in "Igоr", "Рutin").

Digits follow resources/names/lookalikes.yaml; letters of other scripts, ICU's
skeleton of the Unicode confusables (icu.SpoofChecker), kept when it is a Latin letter.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from itertools import product

from hermit.names.tables import load

_WORD = re.compile(r"[^\s,;()\-./]+")
#: At most this many readings of a name (each ambiguous digit doubles them).
MAX_READINGS = 2


@cache
def _digits() -> dict[str, tuple[str, ...]]:
    return {str(k): tuple(str(v) for v in vs) for k, vs in load("lookalikes")["digits"].items()}


@cache
def _checker() -> object:
    import icu

    return icu.SpoofChecker()


@lru_cache(maxsize=4096)
def latin_lookalike(char: str) -> str | None:
    """The Latin letter a letter of another script looks like (Cyrillic р -> p), or
    None."""
    skeleton = str(_checker().getSkeleton(0, char.upper())).lower()  # type: ignore[attr-defined]
    if len(skeleton) == 1 and "a" <= skeleton <= "z":
        return skeleton
    skeleton = str(_checker().getSkeleton(0, char))  # type: ignore[attr-defined]
    if len(skeleton) == 1 and skeleton.isascii() and skeleton.isalpha():
        return skeleton.lower()
    return None


def _is_latin(char: str) -> bool:
    return char.isascii() or "\u00c0" <= char <= "\u024f"


def _word_options(word: str) -> list[str] | None:
    """The word's readings with look-alikes replaced, or None if it has none."""
    letters = [c for c in word if c.isalpha()]
    latin = [c for c in letters if _is_latin(c)]
    digits = _digits()
    symbols = [c for c in word if not c.isalpha()]
    mixed_digits = bool(latin) and bool(symbols) and all(c in digits for c in symbols)
    other = [c for c in letters if not _is_latin(c)]
    mixed_script = bool(latin) and bool(other)
    if not mixed_digits and not mixed_script:
        return None
    choices: list[tuple[str, ...]] = []
    for char in word:
        if mixed_digits and char in digits:
            choices.append(digits[char])
        elif mixed_script and char.isalpha() and not _is_latin(char):
            found = latin_lookalike(char)
            choices.append((char,) if found is None else (found,))
        else:
            choices.append((char,))
    return ["".join(p) for p in product(*choices)][:MAX_READINGS]


@lru_cache(maxsize=1 << 14)
def unmask(text: str) -> tuple[str, ...]:
    """Readings of ``text`` with look-alike letters undone (empty if there are none)."""
    if text.isascii() and not any(c.isdigit() or c in "@$" for c in text):
        return ()
    pieces: list[list[str]] = []
    last = 0
    found = False
    for match in _WORD.finditer(text):
        pieces.append([text[last : match.start()]])
        options = _word_options(match.group())
        found = found or options is not None
        pieces.append(options or [match.group()])
        last = match.end()
    pieces.append([text[last:]])
    if not found:
        return ()
    return tuple("".join(p) for p in product(*pieces))[:MAX_READINGS]
