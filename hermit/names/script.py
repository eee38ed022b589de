"""Which script a name is written in."""

from __future__ import annotations

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


def detect_script(text: str) -> str:
    """The one script of the letters in ``text``, MIXED for several, OTHER for none known."""
    found = {s for s in map(char_script, text) if s is not None}
    if len(found) == 1:
        return found.pop()
    return MIXED if found else OTHER
