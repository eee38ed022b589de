"""Which script a name is written in."""

from __future__ import annotations

from functools import lru_cache

HANGUL = "hangul"
HAN = "han"  # Hanja or Chinese characters
CYRILLIC = "cyrillic"
LATIN = "latin"
MIXED = "mixed"
OTHER = "other"


def char_script(char: str) -> str | None:
    code = ord(char)
    if 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return HANGUL
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
        return HAN
    if 0x0400 <= code <= 0x04FF:
        return CYRILLIC
    if char.isalpha() and (code < 0x0250 or 0x1E00 <= code <= 0x1EFF):
        return LATIN
    return OTHER if char.isalpha() else None


@lru_cache(maxsize=1 << 16)
def detect_script(text: str) -> str:
    """The one script of the letters in ``text``, MIXED for several, OTHER for none known."""
    if text.isascii():
        return LATIN if any(c.isalpha() for c in text) else OTHER
    found = {s for s in map(char_script, text) if s is not None}
    if len(found) == 1:
        return found.pop()
    return MIXED if found else OTHER


#: Scripts written without spaces between words of a name (Chinese, Japanese).
DENSE = frozenset({"Han", "Hiragana", "Katakana"})


def unicode_scripts(text: str) -> set[str]:
    """The Unicode scripts of the letters in ``text`` (Latin, Cyrillic, Arabic, Han,
    Hiragana, Greek, Khmer ...; rigour's reading of the Unicode Script property)."""
    if text.isascii():
        return {"Latin"} if any(c.isalpha() for c in text) else set()
    from rigour._core import text_scripts  # rigour.text.scripts.text_scripts

    return set(text_scripts(text))


def dense_script(text: str) -> bool:
    """Some letters of ``text`` are in a script without spaces between words."""
    return bool(unicode_scripts(text) & DENSE)
