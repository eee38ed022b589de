"""Which benchmark cases are trivially easy for hermit, by rules stated once for every
benchmark (bench/screening, bench/korean_names). A positive case is easy when:

- verbatim: its query is a listed name or alias of the labelled entity, up to case,
  spacing and punctuation;
- generated: its query is a form hermit's own hangul tables generate from a Hangul name
  (MR, RR, RR with South Korean spelling, Western order, DPRK style, Kontsevich
  Cyrillic), so the tables read back what they wrote;
- legal-form table: it is an organization whose query and listed name have the same
  words once hermit's organizations.yaml sets legal forms aside and folds the words it
  knows to one token (Co., Ltd = LLC = OOO; CHOSON = Korea);
- spelling table: query and listed name are Latin and have the same words once
  hermit's latin_variants.yaml folds their spelling variation (ou/u, kh/h ...);
- syllable table: query and listed name are Latin personal names with the same words in
  the same order, each word that differs read by hermit-korean's syllable and surname
  tables to the same syllable keys (Chol = Chul, Pak = Park);
- identifier: the query carries the IMO number the labelled vessel lists, which hermit
  lets decide the pair whatever the name.

Hand-written Hangul, Hanja and Russian forms are never easy by these rules (unless a
list carries them verbatim): reading them is what those cases test.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from hermit.ids.imo import normalize_imo
from hermit.names import hangul, korean
from hermit.names.compare import fold
from hermit.names.hangul import Key
from hermit.names.organizations import parse_org_name
from hermit.names.script import LATIN, detect_script
from hermit.names.syllables import classes_match
from hermit.screening.text import name_tokens

VERBATIM = "verbatim"
GENERATED = "generated"
LEGAL_FORM_TABLE = "legal-form table"
SPELLING_TABLE = "spelling table"
SYLLABLE_TABLE = "syllable table"
IDENTIFIER = "identifier"


def normal(text: str) -> str:
    """Case folded, punctuation as space, spaces collapsed."""
    chars = (" " if unicodedata.category(c).startswith("P") else c for c in text)
    return " ".join("".join(chars).casefold().split())


def romanized(word: str, system: str, western: bool = False) -> str:
    """A one-word Hangul personal name in ``system``, surname apart, as the benches
    write it (bench/korean_names/cases.py ``_romanized``)."""
    surname = hangul.romanize_word(word[0], system).capitalize()
    given = hangul.romanize_word(word[1:], system).capitalize()
    return f"{given} {surname}" if western else f"{surname} {given}"


def generated_forms(word: str) -> set[str]:
    """Every form the benches generate from a Hangul name with hermit's tables."""
    south = "".join(hangul.to_south(c) for c in word)
    kontsevich = f"{hangul.romanize_word(word[0], 'cyrillic')} " + "".join(
        hangul.romanize_syllable(c, "cyrillic") for c in word[1:]
    )
    return {
        romanized(word, "mr"),
        romanized(word, "dprk").upper(),
        romanized(word, "rr"),
        romanized(south, "rr"),
        romanized(word, "rr", western=True),
        kontsevich.title(),
    }


def _latin(text: str) -> bool:
    return detect_script(text.replace(" ", "").replace(",", "").replace("-", "")) == LATIN


def same_org_words(query: str, listed: str) -> bool:
    words = parse_org_name(query).tokens
    return bool(words) and words == parse_org_name(listed).tokens


def same_folded(query: str, listed: str) -> bool:
    left = [fold(t) for t in name_tokens(query)]
    return bool(left) and left == [fold(t) for t in name_tokens(listed)]


def _word_keys(word: str) -> list[tuple[Key, ...]]:
    """The syllable keys hermit-korean reads a single word as (surname table too)."""
    return [r.given for r in korean.readings(word)]


def _keys_equal(left: tuple[Key, ...], right: tuple[Key, ...]) -> bool:
    return len(left) == len(right) and all(
        classes_match(a.initial, b.initial)
        and classes_match(a.vowel, b.vowel)
        and classes_match(a.final, b.final)
        for a, b in zip(left, right, strict=True)
    )


def same_syllables(query: str, listed: str) -> bool:
    """Word for word in the same order (spaces and hyphens), each differing word read
    to the same syllable keys: a syllable respelled (Chol/Chul, Pak/Park), not a name
    reordered or cut differently."""
    left, right = _words(query), _words(listed)
    if not left or len(left) != len(right):
        return False
    if not (korean.readings(query) and korean.readings(listed)):
        return False  # not read as Korean personal names
    return all(
        a == b or any(_keys_equal(x, y) for x in _word_keys(a) for y in _word_keys(b))
        for a, b in zip(left, right, strict=True)
    )


def _words(text: str) -> list[str]:
    return normal(text.replace("-", " ")).split()


def easy(
    query: str,
    schema: str,
    listed: Iterable[str],
    generated: Iterable[str] = (),
    imo: str | None = None,
    listed_imos: Iterable[str] = (),
) -> str | None:
    """The rule that makes a positive case easy (module docstring), or None."""
    names = list(listed)
    if any(normal(query) == normal(n) for n in names):
        return VERBATIM
    if query in set(generated):
        return GENERATED
    if imo is not None and imo in {normalize_imo(i) for i in listed_imos}:
        return IDENTIFIER
    if schema != "Person" and any(same_org_words(query, n) for n in names):
        return LEGAL_FORM_TABLE
    if not _latin(query):
        return None
    latin = [n for n in names if _latin(n)]
    if any(same_folded(query, n) for n in latin):
        return SPELLING_TABLE
    if schema == "Person" and any(same_syllables(query, n) for n in latin):
        return SYLLABLE_TABLE
    return None
