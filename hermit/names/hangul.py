"""Hangul: syllables to jamo, to McCune-Reischauer, DPRK official, Revised Romanization
and Kontsevich Cyrillic (syllable by syllable, as the lists write names), and to the
comparison classes shared by every script."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from hermit.names.tables import load

_BASE = 0xAC00
_LAST = 0xD7A3
SYSTEMS = ("mr", "dprk", "rr", "cyrillic")


@dataclass(frozen=True, slots=True)
class Key:
    """A syllable as comparison classes: initial, vowel, final (``""`` for none).

    Initial ㄹ and ㄴ are folded the way North and South spellings differ (리/이,
    량/양, 로/노): dropped before i/y, ㄹ read as ㄴ elsewhere. So 리, 이, Ri, Li, Lee,
    Yi and I share a key, as do 룡, 용, Ryong and Yong.
    """

    initial: str
    vowel: str
    final: str

    def __str__(self) -> str:
        return f"{self.initial or '-'}{self.vowel}{self.final}"


def fold_initial(initial: str, vowel: str) -> str:
    """North/South initial ㄹ/ㄴ folding on classes (see Key)."""
    if initial in ("R", "N") and vowel.startswith(("I", "Y")):
        return ""
    if initial == "R":
        return "N"
    return initial


def is_syllable(char: str) -> bool:
    return _BASE <= ord(char) <= _LAST


def jamo_indices(char: str) -> tuple[int, int, int]:
    """(initial, medial, final) indices of a precomposed Hangul syllable."""
    code = ord(char) - _BASE
    if not 0 <= code <= _LAST - _BASE:
        raise ValueError(f"{char!r} is not a Hangul syllable")
    return code // 588, (code % 588) // 28, code % 28


@cache
def _table(part: str, system: str) -> tuple[str, ...]:
    return tuple(load("hangul")[part][system])


def romanize_syllable(char: str, system: str) -> str:
    """One syllable in ``system`` (mr, dprk, rr, cyrillic), word-initial form."""
    i, m, f = jamo_indices(char)
    return (
        _table("initials", system)[i] + _table("medials", system)[m] + _table("finals", system)[f]
    )


def syllable_key(char: str) -> Key:
    i, m, f = jamo_indices(char)
    initial = _table("initials", "class")[i]
    vowel = _table("medials", "class")[m]
    return Key(fold_initial(initial, vowel), vowel, _table("finals", "class")[f])


def romanize_word(word: str, system: str) -> str:
    """Syllable by syllable, hyphen between syllables of a given name (``Yo'ng-ch'o'l``);
    characters that are not Hangul syllables pass through."""
    parts = [romanize_syllable(c, system) if is_syllable(c) else c for c in word]
    return "-".join(parts) if all(is_syllable(c) for c in word) else "".join(parts)


def to_south(char: str) -> str:
    """The South Korean spelling of a syllable (리 -> 이, 량 -> 양, 로 -> 노)."""
    i, m, f = jamo_indices(char)
    vowel = _table("medials", "class")[m]
    if i == 5:  # ㄹ
        i = 11 if vowel.startswith(("I", "Y")) else 2
    elif i == 2 and vowel.startswith(("I", "Y")):  # ㄴ before i/y
        i = 11
    return chr(_BASE + i * 588 + m * 28 + f)
