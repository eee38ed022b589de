"""Korean names compared across scripts and romanizations: ``hermit-korean@2``.

A name becomes one or more readings: surname and given-name syllables as Keys (classes
of consonants and vowels, see hermit.names.hangul). Two readings agree when the
surnames agree and the given names agree syllable by syllable. A different syllable in
the given name makes a different person (Kim Jong Un is not Kim Jong Il), while the
spelling noise of romanizations (ŏ/o/eo, k/g/kh, Chul/Chol, Eun/Un) does not count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from hermit.names import hangul
from hermit.names.hangul import Key
from hermit.names.hanja import read_hanja
from hermit.names.script import CYRILLIC, HAN, HANGUL, LATIN, detect_script
from hermit.names.syllables import classes_match, parse_token, simplify
from hermit.names.tables import load

ALGORITHM = "hermit-korean@2"
SOFT_VOWELS = frozenset({frozenset({"O", "U"}), frozenset({"YO", "YU"}), frozenset({"E", "YE"})})
SOFT_PENALTY = 0.06
DIFFERENT_PERSON = 0.45
MISSING_SURNAME_CAP = 0.70


@dataclass(frozen=True, slots=True)
class Reading:
    """One way to read a name as a Korean name."""

    surname: tuple[Key, ...] | None
    given: tuple[Key, ...]
    how: str

    def __str__(self) -> str:
        sur = "".join(map(str, self.surname)) if self.surname else "?"
        return f"{sur} {'-'.join(map(str, self.given))}"


@dataclass(frozen=True, slots=True)
class Comparison:
    score: float
    reasons: tuple[str, ...]
    query: Reading
    listed: Reading


@cache
def _surname_keys() -> dict[str, tuple[Key, ...]]:
    """Every known spelling of a surname (Latin, Cyrillic, Hangul) -> its Keys."""
    data = load("surnames")
    out: dict[str, tuple[Key, ...]] = {}
    for group in ("surnames", "compound"):
        for hangul_name, spellings in data[group].items():
            keys = tuple(hangul.syllable_key(c) for c in str(hangul_name))
            out[str(hangul_name)] = keys
            for spelling in spellings.get("latin", []) + spellings.get("cyrillic", []):
                out.setdefault(simplify(str(spelling)), keys)
    return out


def is_surname(token: str) -> bool:
    return simplify(token) in _surname_keys()


def looks_korean(name: str) -> bool:
    """True when the name's surname position (first token, before the comma, or last
    token) holds a known Korean surname, even if the rest cannot be read."""
    before, comma, _ = name.partition(",")
    tokens = name.replace(",", " ").split()
    if len(tokens) < 2:
        return False
    if comma:
        return is_surname(before.strip())
    return is_surname(tokens[0]) or is_surname(tokens[-1])


def _hangul_readings(text: str, how: str) -> list[Reading]:
    syllables = [c for c in text if hangul.is_syllable(c)]
    if len(syllables) < 2:
        return []
    known = _surname_keys()
    size = 2 if "".join(syllables[:2]) in known and len(syllables) > 3 else 1
    surname = tuple(hangul.syllable_key(c) for c in syllables[:size])
    given = tuple(hangul.syllable_key(c) for c in syllables[size:])
    mr = hangul.romanize_word("".join(syllables[:size]), "mr").replace("-", "")
    mr_given = hangul.romanize_word("".join(syllables[size:]), "mr")
    shown = f"{mr.capitalize()} {mr_given.capitalize()}"
    return [Reading(surname, given, f"{how}{text} read as {shown} (MR)")]


def _token_readings(token: str) -> list[tuple[Key, ...]]:
    known = _surname_keys().get(simplify(token))
    parsed = parse_token(token)
    return [known, *parsed] if known is not None and known not in parsed else parsed


def _romanized_readings(name: str) -> list[Reading]:
    """Readings of a Latin or Cyrillic name in list order (SURNAME GIVEN), OFAC order
    (LAST, First) and Western order (Given Surname)."""
    before, comma, after = name.partition(",")
    orders: list[tuple[list[str], list[str], str]] = []
    if comma:
        orders.append((before.split(), after.replace(",", " ").split(), "LAST, First"))
    else:
        tokens = name.split()
        if len(tokens) == 1:
            orders.append(([], tokens, "given name only"))
        else:
            orders.append((tokens[:1], tokens[1:], "surname first"))
            orders.append((tokens[-1:], tokens[:-1], "surname last"))
    out: list[Reading] = []
    for sur_tokens, given_tokens, order in orders:
        if len(sur_tokens) > 1 or not given_tokens:
            continue
        if sur_tokens and not is_surname(sur_tokens[0]):
            continue
        surnames: list[tuple[Key, ...] | None] = (
            list(_token_readings(sur_tokens[0])) if sur_tokens else [None]
        )
        givens: list[tuple[Key, ...]] = [()]
        for token in given_tokens:
            options = _token_readings(token)
            givens = [g + o for g in givens for o in options][:16]
        for surname in surnames[:2]:
            for given in givens:
                if 1 <= len(given) <= 3:
                    out.append(Reading(surname, given, f"{name} read {order}"))
    return out


@lru_cache(maxsize=65536)
def readings(name: str) -> tuple[Reading, ...]:
    """Every plausible reading of ``name`` as a Korean personal name (empty if none)."""
    return tuple(_readings(name))


def _readings(name: str) -> list[Reading]:
    text = re.sub(r"\s+", " ", name.strip())
    script = detect_script(text.replace(",", "").replace("-", ""))
    if script == HANGUL:
        return _hangul_readings(text, "")
    if script == HAN:
        reading, how = read_hanja(text)
        return _hangul_readings(reading, f"Hanja {text}: {how}; ")
    if script in (LATIN, CYRILLIC):
        return _romanized_readings(text)
    return []


def _keys_match(a: Key, b: Key) -> bool:
    return (
        classes_match(a.initial, b.initial)
        and classes_match(a.vowel, b.vowel)
        and classes_match(a.final, b.final)
    )


def _soft_match(a: Key, b: Key) -> bool:
    if not (classes_match(a.initial, b.initial) and classes_match(a.final, b.final)):
        return False
    return any(
        frozenset({x, y}) in SOFT_VOWELS for x in a.vowel.split("|") for y in b.vowel.split("|")
    )


def compare_readings(query: Reading, listed: Reading) -> Comparison:
    reasons: list[str] = []
    score = 1.0
    if query.surname is not None and listed.surname is not None:
        if len(query.surname) != len(listed.surname) or not all(
            _keys_match(a, b) for a, b in zip(query.surname, listed.surname, strict=True)
        ):
            return Comparison(0.25, ("different surname",), query, listed)
        reasons.append("same surname")
    else:
        score = MISSING_SURNAME_CAP
        reasons.append("surname missing on one side: given name compared alone")
    if len(query.given) != len(listed.given):
        reasons.append(f"given name has {len(query.given)} syllables against {len(listed.given)}")
        return Comparison(min(score, 0.5), tuple(reasons), query, listed)
    for index, (a, b) in enumerate(zip(query.given, listed.given, strict=True), start=1):
        if _keys_match(a, b):
            continue
        if _soft_match(a, b):
            score -= SOFT_PENALTY
            reasons.append(f"given-name syllable {index} spelled with a close vowel ({a}/{b})")
            continue
        reasons.append(f"given-name syllable {index} differs ({a} vs {b}): a different person")
        return Comparison(min(score, DIFFERENT_PERSON), tuple(reasons), query, listed)
    reasons.append("given name agrees syllable by syllable")
    return Comparison(score, tuple(reasons), query, listed)


def compare_names(query: str, listed: str) -> Comparison | None:
    """The best agreement of two names read as Korean names, or None when either
    cannot be read as one (the caller then compares them as ordinary names)."""
    left, right = readings(query), readings(listed)
    if not left or not right:
        return None
    best: Comparison | None = None
    for a in left:
        for b in right:
            found = compare_readings(a, b)
            if best is None or found.score > best.score:
                best = found
    assert best is not None
    how = f"{best.query.how}; listed {listed!r} read {best.listed}"
    return Comparison(best.score, (how, *best.reasons), best.query, best.listed)
