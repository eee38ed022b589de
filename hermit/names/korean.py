"""Korean names compared across scripts and romanizations: ``hermit-korean@3``.

A name becomes one or more readings (hermit.names.korean_readings): surname and
given-name syllables as Keys (classes of consonants and vowels, see
hermit.names.hangul). Two readings agree when the surnames agree and the given names
agree syllable by syllable. A different syllable in the given name makes a different
person (Kim Jong Un is not Kim Jong Il), while the spelling noise of Latin
romanizations (ŏ/o/eo, k/g/kh, Chul/Chol, Eun/Un) does not count.

Two names written in Hangul (or two in Chinese characters) are compared as written,
character by character: 김종은 is not 김정은 (the ŏ/o fold is for Latin spellings,
which cannot tell them apart). Only the North and South Korean spellings of an initial
ㄹ/ㄴ (리/이, 룡/용) are taken as one, and the reason says so.

Of all the ways to read the two names, a pair of readings whose given names have the
same number of syllables decides: if it finds a different syllable, that is a
different person, whatever another cut of the syllables would say. A reading that
cuts a given name into another number of syllables counts only when no reading lines
up (a typo: ``Jong-uun`` read jong-u-un).

The rule decides only between syllables the romanization tables know
(hermit.names.syllables.is_known_spelling). A given-name syllable that differs and that
one side spells as no known syllable (``Joog``, ``Cjol``: a typo inside a syllable) is
left undecided (``Comparison.typos``): the caller compares the names as spelled, as it
does names that are not Korean.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from hermit.names import hangul
from hermit.names.hangul import Key
from hermit.names.korean_readings import (
    Reading,
    is_surname,
    looks_korean,
    mr_display,
    readings,
)
from hermit.names.syllables import classes_match, is_known_spelling

__all__ = [
    "ALGORITHM",
    "Comparison",
    "Reading",
    "best_comparison",
    "compare_names",
    "compare_readings",
    "is_surname",
    "looks_korean",
    "readings",
]

ALGORITHM = "hermit-korean@3"
SOFT_VOWELS = frozenset({frozenset({"O", "U"}), frozenset({"YO", "YU"}), frozenset({"E", "YE"})})
SOFT_PENALTY = 0.06
DIFFERENT_PERSON = 0.45
DIFFERENT_SURNAME = 0.25
MISSING_SURNAME_CAP = 0.70
SYLLABLE_COUNT_CAP = 0.5


@dataclass(frozen=True, slots=True)
class Comparison:
    score: float
    reasons: tuple[str, ...]
    query: Reading
    listed: Reading
    #: Given-name syllables (from 1) that differ where one side spells no syllable the
    #: tables know: the syllable rule does not decide, the spelling does.
    typos: tuple[int, ...] = ()

    @property
    def aligned(self) -> bool:
        """Same surname (or one side without) and as many given syllables on both."""
        return len(self.query.given) == len(self.listed.given) and self.score > DIFFERENT_SURNAME

    @property
    def misread(self) -> bool:
        """Same surname, but the given names cut into another number of syllables."""
        return (
            self.query.surname is not None
            and self.listed.surname is not None
            and self.score > DIFFERENT_SURNAME
            and len(self.query.given) != len(self.listed.given)
        )


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


@cache
def _traditional() -> object:
    import icu

    return icu.Transliterator.createInstance("Simplified-Traditional")


def _han_fold(text: str) -> str:
    """Chinese characters in their traditional form (金正恩, 习/習 as one)."""
    return str(_traditional().transliterate(text))  # type: ignore[attr-defined]


def _written(query: Reading, listed: Reading) -> tuple[str, str, str] | None:
    """The two names' characters when both are written in one script that tells every
    syllable apart: (query, listed, what), Chinese characters before Hangul."""
    if query.han and listed.han:
        return _han_fold(query.han), _han_fold(listed.han), "Chinese characters"
    if query.hangul and listed.hangul:
        return query.hangul, listed.hangul, "Hangul"
    return None


def _same_char(a: str, b: str, notes: list[str]) -> bool:
    if a == b:
        return True
    if hangul.is_syllable(a) and hangul.is_syllable(b) and hangul.to_south(a) == hangul.to_south(b):
        notes.append(f"{a} and {b} are the North and South Korean spellings of one syllable")
        return True
    return False


def _compare_written(query: Reading, listed: Reading, what: tuple[str, str, str]) -> Comparison:
    left, right, script = what
    notes: list[str] = []
    size_q, size_l = len(query.surname or ()), len(listed.surname or ())
    if size_q != size_l or not all(
        _same_char(a, b, notes) for a, b in zip(left[:size_q], right[:size_l], strict=True)
    ):
        return Comparison(DIFFERENT_SURNAME, ("different surname",), query, listed)
    reasons = [f"both written in {script}, compared as written", "same surname"]
    given_q, given_l = left[size_q:], right[size_l:]
    if len(given_q) != len(given_l):
        reasons.append(f"given name has {len(given_q)} syllables against {len(given_l)}")
        return Comparison(SYLLABLE_COUNT_CAP, tuple(reasons), query, listed)
    for index, (a, b) in enumerate(zip(given_q, given_l, strict=True), start=1):
        if not _same_char(a, b, notes):
            reasons.append(
                f"given-name syllable {index} differs ({a} against {b}): a different person"
            )
            return Comparison(DIFFERENT_PERSON, tuple(reasons + notes), query, listed)
    reasons.append("given name agrees syllable by syllable")
    return Comparison(1.0, tuple(reasons + notes), query, listed)


def _legible(text: str, other: str) -> str:
    """A Hangul syllable set against a romanized one is shown with its McCune-Reischauer
    reading too, so that an analyst reads both in one script: 식 (sik) against chol."""
    if _one_syllable(text) and not _one_syllable(other):
        return f"{text} ({mr_display(text).lower()})"
    return text


def _one_syllable(text: str) -> bool:
    return len(text) == 1 and hangul.is_syllable(text)


def compare_readings(query: Reading, listed: Reading) -> Comparison:
    written = _written(query, listed)
    if written is not None and query.surname is not None and listed.surname is not None:
        return _compare_written(query, listed, written)
    reasons: list[str] = []
    score = 1.0
    if query.surname is not None and listed.surname is not None:
        if len(query.surname) != len(listed.surname) or not all(
            _keys_match(a, b) for a, b in zip(query.surname, listed.surname, strict=True)
        ):
            return Comparison(DIFFERENT_SURNAME, ("different surname",), query, listed)
        reasons.append("same surname")
    else:
        score = MISSING_SURNAME_CAP
        reasons.append("surname missing on one side: given name compared alone")
    if len(query.given) != len(listed.given):
        reasons.append(f"given name has {len(query.given)} syllables against {len(listed.given)}")
        return Comparison(min(score, SYLLABLE_COUNT_CAP), tuple(reasons), query, listed)
    typos: list[int] = []
    for index, (a, b) in enumerate(zip(query.given, listed.given, strict=True)):
        q_text, l_text = query.syllable(index), listed.syllable(index)
        if _keys_match(a, b):
            continue
        if not (is_known_spelling(q_text) and is_known_spelling(l_text)):
            typos.append(index + 1)
            unknown = q_text if not is_known_spelling(q_text) else l_text
            reasons.append(
                f"given-name syllable {index + 1} differs ({q_text} against {l_text}), "
                f"but {unknown} is no syllable the romanization tables know: a typo?"
            )
            continue
        if _soft_match(a, b):
            score -= SOFT_PENALTY
            reasons.append(
                f"given-name syllable {index + 1} spelled with a close vowel ({q_text}/{l_text})"
            )
            continue
        reasons.append(
            f"given-name syllable {index + 1} differs "
            f"({_legible(q_text, l_text)} against {_legible(l_text, q_text)}): a different person"
        )
        return Comparison(min(score, DIFFERENT_PERSON), tuple(reasons), query, listed)
    if typos:
        score = min(score, DIFFERENT_PERSON)
        return Comparison(score, tuple(reasons), query, listed, tuple(typos))
    reasons.append("given name agrees syllable by syllable")
    return Comparison(score, tuple(reasons), query, listed)


def _rank(found: Comparison) -> tuple[int, float, int]:
    """Readings that line up decide; a cut into other syllables only without them.
    Between readings that line up and score alike, one the rule cannot decide (a
    typo) goes first: the names are then compared as spelled."""
    return (2 if found.aligned else 1 if found.misread else 0, found.score, len(found.typos))


def best_comparison(left: tuple[Reading, ...], right: tuple[Reading, ...]) -> Comparison | None:
    """The deciding comparison of two names' readings (None if either has none)."""
    best: Comparison | None = None
    for a in left:
        for b in right:
            found = compare_readings(a, b)
            if best is None or _rank(found) > _rank(best):
                best = found
                if found.aligned and found.score >= 1.0:
                    return best
    return best


def compare_names(query: str, listed: str) -> Comparison | None:
    """The deciding agreement of two names read as Korean names, or None when either
    cannot be read as one (the caller then compares them as ordinary names)."""
    best = best_comparison(readings(query), readings(listed))
    if best is None:
        return None
    how = f"{best.query.how}; listed {listed!r} read as {best.listed}"
    return Comparison(best.score, (how, *best.reasons), best.query, best.listed, best.typos)
