"""Organization names: legal forms split off, words that mean the same across languages
and transliterations folded to one token (HOESA = company, U'NHAENG = bank, CHOSON =
Korea, OOO = LLC): tables in resources/names/organizations.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from rapidfuzz.distance import OSA

from hermit.names.compare import fold
from hermit.names.tables import load

_SPLIT = re.compile(r"[\s,.;:()\"/&-]+")
_APOSTROPHES = re.compile(r"['\u2019\u2018\u02bc`]")


@dataclass(frozen=True, slots=True)
class OrgName:
    tokens: tuple[str, ...]  # canonical tokens, legal forms removed
    legal_forms: tuple[str, ...]


@cache
def _words() -> dict[str, str]:
    out: dict[str, str] = {}
    for canonical, words in load("organizations")["words"].items():
        for word in words:
            out[_APOSTROPHES.sub("", str(word).lower())] = str(canonical)
    return out


@cache
def _legal_forms() -> list[tuple[tuple[str, ...], str]]:
    forms = [
        (tuple(str(t).lower() for t in seq), str(canonical))
        for canonical, seqs in load("organizations")["legal_forms"].items()
        for seq in seqs
    ]
    return sorted(forms, key=lambda f: -len(f[0]))


@lru_cache(maxsize=65536)
def canonical_word(token: str) -> str:
    """The table's canonical token for a word, also for a typo of a word of four or
    more letters one edit away, a swap of two letters counting as one (GENRAL,
    CORPORATINO, GORUP), or spelled with the variation of romanized names (GRUP);
    else the word itself."""
    known = _words().get(token)
    if known is not None:
        return known
    if len(token) >= 4:
        folded = fold(token)
        for word, canonical in _words().items():
            if len(word) < 4 or not word.isascii():
                continue
            if OSA.distance(token, word, score_cutoff=1) <= 1 or fold(word) == folded:
                return canonical
    return token


@cache
def common_words() -> frozenset[str]:
    """The canonical tokens of the word table: they say what kind of organization, not
    which one."""
    return frozenset(str(k) for k in load("organizations")["words"])


def distinctive(tokens: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(t for t in tokens if t not in common_words())


def tokenize(name: str) -> list[str]:
    return [t for t in _SPLIT.split(_APOSTROPHES.sub("", name.lower())) if t]


@cache
def _trailing_forms() -> frozenset[str]:
    return frozenset(str(w) for w in load("organizations")["trailing_forms"])


@cache
def _long_forms() -> dict[str, str]:
    """One-word legal forms of five letters or more (a typo of them is still one)."""
    return {seq[0]: c for seq, c in _legal_forms() if len(seq) == 1 and len(seq[0]) >= 5}


def _legal_typo(token: str) -> str | None:
    if len(token) < 5 or not token.isascii():
        return None
    for form, canonical in _long_forms().items():
        if OSA.distance(token, form, score_cutoff=1) <= 1:
            return canonical
    return None


def parse_org_name(name: str) -> OrgName:
    """Canonical tokens and legal forms of an organization name (any script's words that
    the table knows; other words stay as they are). A legal form with a typo (LIMIED)
    is still one, and a trailing kind word of the table's ``trailing_forms`` (HARA
    COMPANY, KOTI CORP) is read as the legal form it stands for there."""
    tokens = tokenize(name)
    legal: list[str] = []
    kept: list[str] = []
    index = 0
    while index < len(tokens):
        for seq, canonical in _legal_forms():
            if tuple(tokens[index : index + len(seq)]) == seq:
                legal.append(canonical)
                index += len(seq)
                break
        else:
            typo = _legal_typo(tokens[index])
            if typo is not None:
                legal.append(typo)
            else:
                kept.append(canonical_word(tokens[index]))
            index += 1
    while len(kept) > 1 and kept[-1] in _trailing_forms():
        legal.append(kept.pop())
    return OrgName(tuple(kept), tuple(legal))
