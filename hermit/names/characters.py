"""Two names written in Chinese characters (Chinese, Japanese kanji, Korean Hanja)
compared as written, character by character: 习近朋 is not 习近平, 高石早苗 is not
高市早苗, though their readings sound alike. Simplified and traditional forms of a
character are one (ICU's Simplified-Traditional transform: 习/習)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from hermit.names.script import HAN, detect_script

#: A different first character: another family.
DIFFERENT_SURNAME = 0.25
#: A different given-name character: another person.
DIFFERENT_PERSON = 0.45


@dataclass(frozen=True, slots=True)
class CharacterComparison:
    score: float
    reason: str


@cache
def _traditional() -> object:
    import icu

    return icu.Transliterator.createInstance("Simplified-Traditional")


@lru_cache(maxsize=1 << 14)
def han_characters(text: str) -> str:
    """The name's characters in their traditional form when it is written in Chinese
    characters only (separators and spaces dropped), else ""."""
    chars = "".join(c for c in text if not c.isspace() and c not in "·・,、")
    if not chars or detect_script(chars) != HAN:
        return ""
    return str(_traditional().transliterate(chars))  # type: ignore[attr-defined]


def compare_characters(query: str, listed: str) -> CharacterComparison | None:
    """The verdict on two names of as many Chinese characters, or None (another
    length, or not both written so: other comparisons decide)."""
    if not query or not listed or len(query) != len(listed):
        return None
    if query == listed:
        return CharacterComparison(1.0, "the same characters")
    if query[0] != listed[0]:
        return CharacterComparison(
            DIFFERENT_SURNAME, f"the first character differs ({query[0]} against {listed[0]})"
        )
    for index, (a, b) in enumerate(zip(query[1:], listed[1:], strict=True), start=1):
        if a != b:
            return CharacterComparison(
                DIFFERENT_PERSON,
                f"character {index + 1} differs ({a} against {b}), though it may sound "
                "alike: a different person",
            )
    return None  # unreachable: equal strings returned above
