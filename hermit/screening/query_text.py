"""What a query's raw text may hold, and how long it may be (``query`` in
resources/limits.yaml).

A name holding NUL or a lone surrogate (bytes that were not text: a damaged file, a
binary column, ``"\\ud800"`` in JSON) cannot be screened: ``name_problem`` says why.
Other control characters in a name are taken for spaces, and a name over the limits is
cut to its first words and characters: ``bounded_name`` gives the name to screen and
notes for the warnings. Any other field holding a control character or a surrogate, or
longer than ``max_field_chars``, is set aside: ``field_problem`` says why.
"""

from __future__ import annotations

import re

from hermit.limits import query_limits

#: Control characters that are not whitespace (``str.split`` already takes tab, line
#: breaks and the separators \\x1c-\\x1f and \\x85 for spaces).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
#: Han, Hangul (syllables and jamo) and kana characters.
_CJK = re.compile(
    "[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002ffff]"
)
#: Characters of an over-long value shown in a warning.
SHOWN_CHARS = 60


def shown(text: str) -> str:
    """``text``, or its first SHOWN_CHARS characters and an ellipsis."""
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


def _damage(text: str) -> str | None:
    if "\x00" in text:
        return "contains NUL (a zero byte): the input is damaged or not text"
    if _SURROGATE.search(text):
        return "contains a lone surrogate (bytes that are not UTF-8 text)"
    return None


def _word_count(word: str) -> int:
    """A word counts once; unspaced Han, Hangul or kana text once a character (it is
    compared character by character, at a cost that grows faster than their number)."""
    return max(1, len(_CJK.findall(word)))


def _first_words(words: list[str], budget: int) -> list[str]:
    kept: list[str] = []
    for word in words:
        cost = _word_count(word)
        if cost > budget:
            if budget and cost > 1:  # a Han or Hangul run: its first characters
                last = list(_CJK.finditer(word))[budget - 1]
                kept.append(word[: last.end()])
            break
        kept.append(word)
        budget -= cost
    return kept


def name_problem(text: str) -> str | None:
    """Why a name cannot be screened at all, or None."""
    return _damage(text)


def bounded_name(text: str) -> tuple[str, list[str]]:
    """The name to screen (control characters as spaces, whitespace collapsed, at most
    ``max_name_words`` words and ``max_name_chars`` characters) and what was done."""
    limits = query_limits()
    notes: list[str] = []
    if _CONTROL.search(text):
        text = _CONTROL.sub(" ", text)
        notes.append("control characters read as spaces")
    words = text.split()
    count = sum(_word_count(w) for w in words)
    if count > limits.max_name_words:
        how = " (a Han, Hangul or kana character counts as one)" if _CJK.search(text) else ""
        notes.append(
            f"{count:,} words{how}: screened on the first {limits.max_name_words} "
            "(query.max_name_words)"
        )
        words = _first_words(words, limits.max_name_words)
    name = " ".join(words)
    if len(name) > limits.max_name_chars:
        cut = name[: limits.max_name_chars + 1]
        space = cut.rfind(" ")
        kept = cut[:space] if space > 0 else cut[: limits.max_name_chars]
        notes.append(
            f"{len(name):,} characters: screened on the first {len(kept):,} "
            f"(query.max_name_chars is {limits.max_name_chars:,})"
        )
        name = kept
    return name, notes


def field_problem(text: str) -> str | None:
    """Why another field's value is set aside unread, or None."""
    damage = _damage(text)
    if damage is not None:
        return damage
    if _CONTROL.search(text):
        return "contains a control character"
    limit = query_limits().max_field_chars
    if len(text) > limit:
        return (
            f"{len(text):,} characters: longer than any such value "
            f"(query.max_field_chars is {limit})"
        )
    return None
