"""Chinese characters to pinyin (surname first, one token per syllable, as the lists
write Chinese names: 李成赫 -> Li Cheng He, the OFAC alias of RI Song Hyok)."""

from __future__ import annotations


def to_pinyin(text: str) -> str:
    """Toneless pinyin, each syllable capitalized; other characters kept as they are.
    (pypinyin is imported here, on first use: loading its phrase tables takes a third
    of a second that a screen of a name without Chinese characters need not pay.)"""
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin("".join(text.split()), style=Style.NORMAL, errors="default")
    return " ".join(s.capitalize() for s in syllables if s.strip())
