"""Latin and Cyrillic spellings of Korean names parsed into syllable keys.

A token (``Yongchol``, ``Yo'ng-ch'o'l``, ``Чхоль``) is cut into syllables every way
the tables in ``resources/names/syllables.yaml`` allow; each syllable becomes a Key of
comparison classes. Keys from Hangul (hermit.names.hangul) are of the same kind, so a
Hangul, a Cyrillic and a Latin spelling of one name meet on the same keys.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from hermit.limits import name_limits
from hermit.names.hangul import Key, fold_initial
from hermit.names.tables import load

PARSER = "korean-syllables@1"
_APOSTROPHES = re.compile(r"['\u2019\u2018\u02bc\u02bb`´]")
MAX_PARSES = 8
#: Vowel spellings that are also two syllables' vowels (Suil: su-il, not sul), so the
#: shorter vowel is read too.
SPLIT_VOWELS = frozenset({"ui", "eui", "wi"})


def classes_match(left: str, right: str) -> bool:
    """Class strings agree when any alternative (``N|NG``) of one is one of the other."""
    if left == right:
        return True
    return bool(set(left.split("|")) & set(right.split("|")))


def _fold(initial: str, vowel: str) -> str:
    options = vowel.split("|")
    if initial in ("R", "N") and all(v.startswith(("I", "Y")) for v in options):
        return ""
    return fold_initial(initial, options[0]) if initial == "R" else initial


@cache
def _grammar(script: str) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    table = load("syllables")[script]
    return (
        {str(k): str(v) for k, v in table["initials"].items()},
        {str(k): str(v) for k, v in table["vowels"].items()},
        {str(k): str(v) for k, v in table["finals"].items()},
    )


@cache
def _tokens(script: str) -> dict[str, tuple[Key, ...]]:
    table = load("syllables")[f"{script}_tokens"]
    return {
        str(token): tuple(Key(_fold(i, v), v, f) for i, v, f in keys)
        for token, keys in table.items()
    }


def simplify(token: str) -> str:
    """Lower case, apostrophes removed; Latin also loses diacritics (``Yŏng``,
    ``Yo'ng`` -> ``yong``), Cyrillic keeps ё and й as letters."""
    lowered = token.lower()
    if script_of(token) == "latin":
        decomposed = unicodedata.normalize("NFKD", lowered)
        lowered = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _APOSTROPHES.sub("", lowered)


def script_of(token: str) -> str:
    return "cyrillic" if any("\u0400" <= c <= "\u04ff" for c in token) else "latin"


def parse_token(token: str) -> list[tuple[Key, ...]]:
    """Every reading of a token as Korean syllables (at most MAX_PARSES, fewest
    syllables first); empty if it cannot be read as Korean at all. Hyphens and spaces
    inside the token are syllable boundaries."""
    return [tuple(key for key, _ in parse) for parse in parse_spelled(token)]


#: A syllable as read: its comparison key and how the token spelled it (``chol``).
Spelled = tuple[Key, str]


@lru_cache(maxsize=1 << 16)
def parse_spelled(token: str) -> tuple[tuple[Spelled, ...], ...]:
    """``parse_token`` with each syllable's spelling kept (``Youngchul`` ->
    ((YONG, "young"), (CUL, "chul"))), so a reading can be shown as written."""
    script = script_of(token)
    pieces = [p for p in re.split(r"[-\s]+", simplify(token)) if p]
    if not pieces:
        return ()
    readings: list[tuple[Spelled, ...]] = [()]
    for piece in pieces:
        options = _parse_piece(piece, script)
        if not options:
            return ()
        readings = [r + o for r in readings for o in options][:MAX_PARSES]
    readings.sort(key=len)
    return tuple(readings)


@cache
def _parse_piece(piece: str, script: str) -> tuple[tuple[Spelled, ...], ...]:
    special = _tokens(script).get(piece)
    if special is not None:
        if len(special) == 1:
            return (((special[0], piece),),)
        return (tuple((key, piece if i == 0 else "") for i, key in enumerate(special)),)
    if len(piece) > name_limits().max_korean_word_chars:
        return ()  # no Korean name word is this long; parsing recurses once a syllable
    found = _parse_from(piece, 0, script)
    return tuple(sorted(found, key=len)[:MAX_PARSES])


@cache
def _parse_from(text: str, start: int, script: str) -> tuple[tuple[Spelled, ...], ...]:
    if start == len(text):
        return ((),)
    out: list[tuple[Spelled, ...]] = []
    for length, key in _syllables_at(text, start, script):
        for rest in _parse_from(text, start + length, script):
            out.append(((key, text[start : start + length]), *rest))
            if len(out) >= MAX_PARSES * 4:
                return tuple(out)
    return tuple(out)


def _syllables_at(text: str, start: int, script: str) -> list[tuple[int, Key]]:
    """(length, key) of every syllable that can start at ``start``. The vowel is the
    longest vowel spelling there: letters that spell one vowel together (``you`` in
    Young, ``eo`` in Cheol, ``eu`` in Eun, ``ae`` in Taek) are never cut into two
    syllables (YO-UNG, CHE-OL, E-UN, TA-EK are not readings), except SPLIT_VOWELS."""
    initials, vowels, finals = _grammar(script)
    found: list[tuple[int, Key]] = []
    for ini, ini_class in initials.items():
        if not text.startswith(ini, start):
            continue
        at_vowel = start + len(ini)
        spelled = [v for v in vowels if text.startswith(v, at_vowel)]
        if not spelled:
            continue
        longest = max(spelled, key=len)
        for vow in spelled:
            if len(vow) < len(longest) and longest not in SPLIT_VOWELS:
                continue
            vow_class = vowels[vow]
            at_final = at_vowel + len(vow)
            for fin, fin_class in finals.items():
                if text.startswith(fin, at_final):
                    key = Key(_fold(ini_class, vow_class), vow_class, fin_class)
                    found.append((len(ini) + len(vow) + len(fin), key))
    return found


#: The romanization systems of resources/names/hangul.yaml whose syllable spellings
#: are standard for each script of the grammar.
_SYSTEMS = {"latin": ("mr", "dprk", "rr"), "cyrillic": ("cyrillic",)}


@cache
def _standard(script: str) -> frozenset[str]:
    """Every syllable of Hangul as the systems of ``script`` spell it, word-initial
    (resources/names/hangul.yaml), simplified: Ch'o'l -> chol."""
    table = load("hangul")
    out: set[str] = set()
    for system in _SYSTEMS[script]:
        initials, medials, finals = (
            [simplify(str(x)) for x in table[part][system]]
            for part in ("initials", "medials", "finals")
        )
        out.update(i + m + f for i in initials for m in medials for f in finals)
    return frozenset(out)


def _pieces(text: str, script: str) -> list[tuple[str, str, str]]:
    """Every cut of ``text`` into the grammar's initial, vowel and final spellings."""
    initials, vowels, finals = _grammar(script)
    out = []
    for ini in initials:
        if not text.startswith(ini):
            continue
        for vow in vowels:
            if text.startswith(vow, len(ini)) and text[len(ini) + len(vow) :] in finals:
                out.append((ini, vow, text[len(ini) + len(vow) :]))
    return out


@lru_cache(maxsize=1 << 14)
def is_known_spelling(spelled: str) -> bool:
    """True when ``spelled`` (one syllable as a reading keeps it: simplified Latin or
    Cyrillic, or a Hangul syllable) is a syllable the romanization tables know: a
    Hangul syllable, a whole token of the tables (Lee, Park), a syllable as
    McCune-Reischauer, the DPRK system or the Revised Romanization spell it (Kontsevich
    for Cyrillic), or such a spelling with one of its three parts in a common informal
    spelling of the grammar (Young for Yong, Hoon for Hun, Shin for Sin, Sub for Sup).
    A typo mostly makes none of these (Joog: two informal parts; Jng: no vowel)."""
    if not spelled or all("\uac00" <= c <= "\ud7a3" for c in spelled):
        return True
    script = script_of(spelled)
    if spelled in _tokens(script) or spelled in _standard(script):
        return True
    parts = _grammar(script)
    for cut in _pieces(spelled, script):
        for at, (piece, table) in enumerate(zip(cut, parts, strict=True)):
            for other, kind in table.items():
                if kind != table[piece] or other == piece:
                    continue
                respelled = list(cut)
                respelled[at] = other
                if "".join(respelled) in _standard(script):
                    return True
    return False
