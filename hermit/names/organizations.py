"""Organization names: legal forms split off, words that mean the same across languages
and transliterations folded to one token (HOESA = company, U'NHAENG = bank, CHOSON =
Korea): tables in resources/names/organizations.yaml.

Legal forms are rigour's organization-type database (hermit.names.legal_forms), on
both sides of a pair: "Siemens AG" and "SIEMENS AKTIENGESELLSCHAFT", "ООО Ромашка" and
"Romashka LLC" have the same words once their legal forms are set aside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from rapidfuzz.distance import OSA

from hermit.names.compare import fold
from hermit.names.legal_forms import split_legal_forms
from hermit.names.tables import load

_SPLIT = re.compile(r"[\s,.;:()\"/&-]+")
_APOSTROPHES = re.compile(r"['\u2019\u2018\u02bc`]")


@dataclass(frozen=True, slots=True)
class OrgName:
    tokens: tuple[str, ...]  # canonical tokens, legal forms removed
    legal_forms: tuple[str, ...]

    @property
    def legal(self) -> frozenset[str]:
        """The legal forms proper (llc, jsc, lp ...), not the kind words read as one
        at the end of a name (company, corporation)."""
        return frozenset(self.legal_forms) - _trailing_forms()


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
        for word, canonical in _typo_words():
            if abs(len(word) - len(token)) <= 1 and OSA.distance(token, word, score_cutoff=1) <= 1:
                return canonical
            if fold(word) == folded:
                return canonical
    return token


@cache
def _typo_words() -> tuple[tuple[str, str], ...]:
    """The table's words that a typo may be of (ASCII, four letters or more)."""
    return tuple((w, c) for w, c in _words().items() if len(w) >= 4 and w.isascii())


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
def _typo_forms() -> dict[str, str]:
    return {str(k): str(v) for k, v in load("organizations")["typo_forms"].items()}


def _legal_typo(token: str) -> str | None:
    if len(token) < 5 or not token.isascii():
        return None
    for form, canonical in _typo_forms().items():
        if OSA.distance(token, form, score_cutoff=1) <= 1:
            return canonical
    return None


def _table_forms(tokens: list[str], legal: list[str]) -> list[str]:
    """hermit's own legal forms (what rigour lacks), at either end of the name."""
    changed = True
    while changed and len(tokens) > 1:
        changed = False
        for seq, canonical in _legal_forms():
            n = len(seq)
            if n >= len(tokens):
                continue
            if tuple(tokens[-n:]) == seq:
                tokens, changed = tokens[:-n], True
            elif tuple(tokens[:n]) == seq:
                tokens, changed = tokens[n:], True
            else:
                continue
            legal.append(canonical)
            break
    if len(tokens) > 1:
        typo = _legal_typo(tokens[-1])
        if typo is not None:
            legal.append(typo)
            tokens = tokens[:-1]
    return tokens


@lru_cache(maxsize=65536)
def parse_org_name(name: str) -> OrgName:
    """Canonical tokens and legal forms of an organization name (any script's words that
    the table knows; other words stay as they are). A legal form with a typo (LIMIED)
    is still one, and a trailing kind word of the table's ``trailing_forms`` (HARA
    COMPANY, KOTI CORP) is read as the legal form it stands for there."""
    rest, forms = split_legal_forms(_APOSTROPHES.sub("", name))
    legal = list(forms)
    tokens = _table_forms(tokenize(rest), legal)
    kept = [canonical_word(t) for t in tokens]
    while len(kept) > 1 and kept[-1] in _trailing_forms():
        legal.append(kept.pop())
    return OrgName(tuple(kept), tuple(legal))
