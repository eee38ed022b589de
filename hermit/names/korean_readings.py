"""A name read as a Korean personal name: surname and given-name syllables, each as a
comparison Key and as it was spelled, in any script (Hangul, Hanja, Latin, Cyrillic).

The spelling of each syllable is kept so that an explanation can say what was read
("Kim Young-chul", "김영철 (Kim Yŏng-ch'ŏl in McCune-Reischauer)") and which syllable
differs ("chun against chul"), never the comparison classes themselves. A name written
in Hangul or in Chinese characters also keeps its characters, so two such names are
compared as written (hermit.names.korean).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from hermit.names import hangul
from hermit.names.hangul import Key
from hermit.names.hanja import read_hanja
from hermit.names.script import CYRILLIC, HAN, HANGUL, LATIN, detect_script
from hermit.names.syllables import Spelled, parse_spelled, simplify
from hermit.names.tables import load

#: Given names of more syllables than this are not read as Korean.
MAX_GIVEN = 3
_MR_VOWELS = (("o'", "ŏ"), ("u'", "ŭ"))


@dataclass(frozen=True, slots=True)
class Reading:
    """One way to read a name as a Korean name (plain data: kept in the index).

    ``surname`` is None when the name has none (a given name alone). ``spelled`` holds
    each syllable as written (surname syllables first), ``shown`` the reading as an
    analyst reads it ("Kim Yong-chol"), ``how`` where it came from. ``hangul`` holds
    the syllables in Hangul when the name was written in Hangul or read from Chinese
    characters, and ``han`` the characters of a name written in Chinese characters.
    """

    surname: tuple[Key, ...] | None
    given: tuple[Key, ...]
    how: str
    shown: str
    spelled: tuple[str, ...]
    hangul: str = ""
    han: str = ""

    def __str__(self) -> str:
        return self.shown

    def syllable(self, index: int) -> str:
        """The given name's syllable ``index`` (0-based) as written."""
        return self.spelled[len(self.surname or ()) + index]


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


def mr_display(syllables: str) -> str:
    """Hangul in McCune-Reischauer as printed (breves, not the lists' apostrophes):
    영철 -> Yŏng-ch'ŏl."""
    text = hangul.romanize_word(syllables, "mr")
    for ascii_form, breve in _MR_VOWELS:
        text = text.replace(ascii_form, breve)
    return text[:1].upper() + text[1:]


def _hangul_readings(text: str, han: str = "", detail: str = "") -> list[Reading]:
    """``han``: the Chinese characters ``text`` was read from (``detail``: how)."""
    syllables = [c for c in text if hangul.is_syllable(c)]
    if len(syllables) < 2:
        return []
    known = _surname_keys()
    size = 2 if "".join(syllables[:2]) in known and len(syllables) > 3 else 1
    if len(syllables) - size > MAX_GIVEN:
        return []
    surname = tuple(hangul.syllable_key(c) for c in syllables[:size])
    given = tuple(hangul.syllable_key(c) for c in syllables[size:])
    written = "".join(syllables)
    romanized = f"{mr_display(written[:size]).replace('-', '')} {mr_display(written[size:])}"
    shown = f"{written} ({romanized} in McCune-Reischauer)"
    how = f"{written} is {romanized} in McCune-Reischauer"
    if han:
        how = f"{han} read in Korean as {written} ({detail}), {romanized} in McCune-Reischauer"
    return [
        Reading(
            surname,
            given,
            how,
            shown,
            tuple(syllables),
            written,
            han if len(han) == len(syllables) else "",
        )
    ]


def _token_readings(token: str) -> list[tuple[Spelled, ...]]:
    known = _surname_keys().get(simplify(token))
    parsed = list(parse_spelled(token))
    if known is None or any(tuple(k for k, _ in p) == known for p in parsed):
        return parsed
    spelled = tuple((key, simplify(token) if i == 0 else "") for i, key in enumerate(known))
    return [spelled, *parsed]


def _show(sur_tokens: list[str], given: tuple[Spelled, ...]) -> str:
    given_text = "-".join(s for _, s in given if s)
    parts = [t.capitalize() for t in sur_tokens] + [given_text.capitalize()]
    return " ".join(p for p in parts if p)


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
        surnames: list[tuple[Spelled, ...] | None] = (
            list(_token_readings(sur_tokens[0])) if sur_tokens else [None]
        )
        givens: list[tuple[Spelled, ...]] = [()]
        for token in given_tokens:
            options = _token_readings(token)
            givens = [g + o for g in givens for o in options][:16]
        for surname in surnames[:2]:
            for given in givens:
                if not 1 <= len(given) <= MAX_GIVEN:
                    continue
                sur_keys = None if surname is None else tuple(k for k, _ in surname)
                spelled = tuple(s for _, s in (surname or ())) + tuple(s for _, s in given)
                shown = _show(sur_tokens, given)
                out.append(
                    Reading(
                        sur_keys,
                        tuple(k for k, _ in given),
                        f"{name!r} read {order} as {shown}",
                        shown,
                        spelled,
                    )
                )
    return out


@lru_cache(maxsize=65536)
def readings(name: str) -> tuple[Reading, ...]:
    """Every plausible reading of ``name`` as a Korean personal name (empty if none)."""
    return tuple(_readings(name))


def _readings(name: str) -> list[Reading]:
    text = re.sub(r"\s+", " ", name.strip())
    script = detect_script(text.replace(",", "").replace("-", ""))
    if script == HANGUL:
        return _hangul_readings(text)
    if script == HAN:
        reading, how = read_hanja(text)
        return _hangul_readings(reading, "".join(text.split()), how)
    if script in (LATIN, CYRILLIC):
        return _romanized_readings(text)
    return []
