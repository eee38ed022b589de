"""Brackets in listed names: an acronym of the name, or the name in another script.

The UN writes many organizations' acronyms after the name ("OCEAN MARITIME MANAGEMENT
COMPANY, LIMITED (OMM)", "ISLAMIC STATE IN IRAQ AND THE LEVANT - KHORASAN (ISIL-K)",
"NAFTIRAN INTERTRADE CO. (NICO) LIMITED") and some names in their original script
("Jin Tiesan (金铁三)", "Abubakar (original script: Абубакар)"). The name is compared
without such a bracket; the acronym alone is a weak form of it, the other script a form
of its own. Any other bracket ("(TANZANIA)", "(PVT) LTD", "(third)") stays part of the
name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hermit.names.script import MIXED, detect_script

_BRACKET = re.compile(r"\s*\(([^()]*)\)")
_WORD = re.compile(r"[^\W\d_]+")
_ORIGINAL = re.compile(r"^\s*original\s+script\s*:?\s*", re.IGNORECASE)
#: An acronym has at most this many letters.
MAX_ACRONYM = 10


@dataclass(frozen=True, slots=True)
class BracketForms:
    name: str  # the name without acronyms and other-script brackets
    acronyms: tuple[str, ...]
    scripts: tuple[str, ...]  # the name in another script


def is_acronym_of(acronym: str, words: list[str]) -> bool:
    """Letters of ``acronym`` (one token: OMM, ISIL-K, JuA, M.S.P., NICO) are, in
    order, initials of ``words``, each followed by none or more of the next letters of
    its word (NICO from NAFTIRAN INTERTRADE CO.; NFRPC from ESFAHAN NUCLEAR FUEL
    RESEARCH AND PRODUCTION CENTRE), drawing on at least two words, and not a word of
    the name itself (PASDARAN-E ENGHELAB-E ISLAMI (PASDARAN))."""
    letters = [c.lower() for c in acronym if c.isalpha()]
    if not 2 <= len(letters) <= MAX_ACRONYM or " " in acronym.strip():
        return False
    lowered = [w.lower() for w in words if w]
    if len(lowered) < 2 or "".join(letters) in lowered:
        return False
    return any(_follows(letters, lowered, 0, w, 0, 0) for w in range(len(lowered)))


def _follows(
    letters: list[str], words: list[str], index: int, word: int, pos: int, used: int
) -> bool:
    """Can letters[index:] be read from ``words[word]`` at ``pos`` on (``used``: words
    drawn on so far)?"""
    if index == len(letters):
        return used >= 2
    if pos == 0:
        if words[word][0] != letters[index]:
            return False
        return _after(letters, words, index + 1, word, 1, used + 1)
    return _after(letters, words, index, word, pos, used)


def _after(
    letters: list[str], words: list[str], index: int, word: int, pos: int, used: int
) -> bool:
    if index == len(letters):
        return used >= 2
    here = pos < len(words[word]) and words[word][pos] == letters[index]
    if here and _after(letters, words, index + 1, word, pos + 1, used):
        return True
    return any(_follows(letters, words, index, w, 0, used) for w in range(word + 1, len(words)))


def split_brackets(text: str, acronyms_too: bool = True) -> BracketForms:
    """The name without its acronym and other-script brackets, and those forms
    (``acronyms_too``: False for a person's name, where a bracket is not an acronym)."""
    if "(" not in text:
        return BracketForms(text, (), ())
    acronyms: list[str] = []
    scripts: list[str] = []
    kept: list[str] = []
    last = 0
    base_script = detect_script("".join(_WORD.findall(_BRACKET.sub(" ", text))))
    start = 0
    for match in _BRACKET.finditer(text):
        inner = match.group(1).strip()
        before = _WORD.findall(text[start : match.start()].rpartition(";")[2])
        start = match.end()
        other = _ORIGINAL.sub("", inner)
        if acronyms_too and is_acronym_of(inner, before):
            acronyms.append(inner)
        elif other and detect_script(other.replace(" ", "")) not in (base_script, MIXED):
            scripts.append(other)
        else:
            continue
        kept.append(text[last : match.start()])
        last = match.end()
    if not acronyms and not scripts:
        return BracketForms(text, (), ())
    kept.append(text[last:])
    name = re.sub(r"\s+", " ", "".join(kept)).strip(" ,;")
    return BracketForms(name or text, tuple(acronyms), tuple(scripts))
