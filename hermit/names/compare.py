"""Two names as token lists compared: ``hermit-tokens@3``.

Query words are paired with listed words best pair first, each word used once, so word
order does not matter. A pair counts by its similarity:

- equal words 1.0;
- an initial (``j``) against a word starting with it: INITIAL;
- words of four letters or more: optimal-string-alignment similarity (a swap of two
  letters is one edit), or FOLDED times that of the words with the spelling variation
  of romanized names folded away (resources/names/latin_variants.yaml: DAWOOD/DAWUD,
  HUSSEIN/HUSAYN), if at least MIN_SIMILARITY (one typo in ``mohammed`` leaves 0.875);
- short words (two or three letters) one substitution apart: SHORT_TYPO; otherwise
  nothing (``wei`` is not ``wen``);
- numbers only when equal (``NAM SAN 8`` is not ``NAM SAN 7``).

Words weigh what they tell: a weight function (the listed names' inverse document
frequency scaled to 0..1, from the screening index) makes ``ali`` or ``trading`` count
less than ``baghdadi``. Two coverages are computed: how much of the query's weight the
pairs explain (by similarity), and how much of the listed name's words it has (a word at
least HAD alike counts as had, one typo; a less alike one by its similarity). The score
is the query coverage times
``LISTED_BASE + (1 - LISTED_BASE) * listed coverage``: words the query lacks (a missing
middle name or patronymic) cost in proportion to what they tell, so "Ali Hussein" is not
"HARB, Ali Hussein", while "Abu Al-Baghdadi" stays close to "Abu Bakr Al-Baghdadi".
And when the query lacks listed words, one of the words it shares must be rare (weigh
at least RARE_WORD): two common words like "Hassan Mahmoud" against "AHMAD MAHMOUD
HASSAN" leave the score at THIN_CAP, a name to review rather than a match.
A query that pairs only one word with a longer listed name stays at or below
ONE_TOKEN_CAP (initials count as words when there are two of them besides the word,
or one beside a rare word: "Kim K." is any Kim K., "M. K. Hadi" and "G. Katanga" are
one person); different numbers cap at
NUMBER_CAP. The listed name's edge words (surname and first given name: first and last
word, or around the comma of "SURNAME, Given Middle") weigh EDGE times more in the
listed coverage, so a query that is the listed name without its given name (a father's
name inside his son's, "SADDAM HUSSEIN AL-TIKRITI" in "ALI SADDAM HUSSEIN AL-TIKRITI")
stays at THIN_CAP, while one without a middle name does not. When the two sides have a different
number of words, the names written together (``Jong Un`` / ``Jongun``) are also
compared and the better reading is kept if they agree to at least JOINED_MIN.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, Levenshtein

from hermit.names.tables import load

ALGORITHM = "hermit-tokens@3"
_DOUBLED = re.compile(r"(.)\1+")
INITIAL = 0.8
INITIAL_WEIGHT = 0.3
MIN_SIMILARITY = 0.6
SHORT_TYPO = 0.5
LISTED_BASE = 0.5
ONE_TOKEN_CAP = 0.65
NUMBER_CAP = 0.70
JOINED_FACTOR = 0.98
DEFAULT_WEIGHT = 1.0

JOINED_MIN = 0.95
RARE_WORD = 0.7
THIN_CAP = 0.75
EDGE = 2.0
HAD = 0.8
FOLDED = 0.95
#: A word's weight, or None for a word the weights do not know (a query word that is
#: not listed anywhere: it then weighs what the listed word it pairs with weighs).
Weight = Callable[[str], float | None]


def default_weight(token: str) -> float | None:
    """Without an index: every word of two or more letters weighs the same."""
    return INITIAL_WEIGHT if len(token) == 1 else RARE_WORD + 0.05


@cache
def _fold_rules() -> tuple[tuple[str, str], ...]:
    return tuple((str(a), str(b)) for a, b in load("latin_variants")["rules"])


@lru_cache(maxsize=1 << 16)
def fold(token: str) -> str:
    """A word with the spelling variation of romanized names folded away
    (resources/names/latin_variants.yaml): ``dawood`` and ``dawud`` -> ``davud``."""
    out = token
    for old, new in _fold_rules():
        if old in out:
            out = out.replace(old, new)
    return _DOUBLED.sub(r"\1", out)


def _weights(
    query: Sequence[str], listed: Sequence[str], rows: list[list[float]], weight: Weight
) -> tuple[list[float], list[float]]:
    l_weights = [weight(t) or DEFAULT_WEIGHT for t in listed]
    q_weights = []
    for token, row in zip(query, rows, strict=True):
        known = INITIAL_WEIGHT if len(token) == 1 else weight(token)
        if known is None:
            best = max(range(len(row)), key=row.__getitem__)
            known = l_weights[best] if row[best] > 0.0 else DEFAULT_WEIGHT
        q_weights.append(known)
    return q_weights, l_weights


@dataclass(frozen=True, slots=True)
class TokenComparison:
    score: float
    reason: str


@lru_cache(maxsize=1 << 18)
def token_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if a.isdigit() or b.isdigit():
        return 0.0
    if len(a) == 1 or len(b) == 1:
        return INITIAL if a[0] == b[0] else 0.0
    if min(len(a), len(b)) <= 3:
        if fold(a) == fold(b):
            return FOLDED
        if len(a) == len(b) and Levenshtein.distance(a, b, score_cutoff=1) <= 1:
            return SHORT_TYPO
        return 0.0
    sim = OSA.normalized_similarity(a, b)
    if sim < 1.0:
        sim = max(sim, OSA.normalized_similarity(fold(a), fold(b)) * FOLDED)
    return sim if sim >= MIN_SIMILARITY else 0.0


def _pairs(rows: list[list[float]]) -> dict[int, tuple[int, float]]:
    """Best pair first (ties: the closer position), each word used once."""
    paired: dict[int, tuple[int, float]] = {}
    used: set[int] = set()
    while True:
        best = (0.0, 0, -1, -1)
        for i, row in enumerate(rows):
            if i in paired:
                continue
            for j, sim in enumerate(row):
                if sim > 0.0 and j not in used and (sim, -abs(i - j)) > best[:2]:
                    best = (sim, -abs(i - j), i, j)
        if best[2] < 0:
            return paired
        paired[best[2]] = (best[3], best[0])
        used.add(best[3])


def query_bound(rows: list[list[float]], weights: Sequence[float]) -> float:
    """The most the query coverage (and so the score) can be: every word's best."""
    total = sum(weights)
    return sum(max(row) * w for row, w in zip(rows, weights, strict=True)) / total


def compare_tokens(
    query: Sequence[str],
    listed: Sequence[str],
    weight: Weight = default_weight,
    cutoff: float = 0.0,
    edges: Sequence[int] | None = None,
) -> TokenComparison:
    """How well ``query`` fits ``listed`` (0..1) and why. With ``cutoff``, a pair whose
    upper bound is below it is answered with that bound and the reason "at most",
    without pairing the words. ``edges``: the listed name's (given name, surname)
    positions; None for the first and the last word, () for none (organizations)."""
    if not query or not listed:
        return TokenComparison(0.0, "no comparable words")
    if tuple(query) == tuple(listed):
        return TokenComparison(1.0, "same words")
    rows = [[token_similarity(a, b) for b in listed] for a in query]
    q_weights, l_weights = _weights(query, listed, rows, weight)
    base = list(l_weights)
    for j in (0, len(listed) - 1) if edges is None else edges:
        l_weights[j] *= EDGE
    joined = 0.0
    if len(query) != len(listed):
        raw = fuzz.ratio("".join(query), "".join(listed)) / 100.0
        joined = raw * JOINED_FACTOR if raw >= JOINED_MIN else 0.0
    if cutoff > 0.0:
        bound = max(query_bound(rows, q_weights), joined)
        if bound < cutoff:
            return TokenComparison(bound, f"at most {bound:.2f}")
    paired = _pairs(rows)
    q_cover = l_cover = 0.0
    notes: list[str] = []
    for i, token in enumerate(query):
        j, sim = paired.get(i, (-1, 0.0))
        q_cover += sim * q_weights[i]
        if j < 0:
            notes.append(f"{token!r} not listed")
            continue
        l_cover += l_weights[j] * (1.0 if sim >= HAD else sim)
        if sim < 1.0:
            kind = "initial" if sim == INITIAL and len(token) == 1 else "close"
            notes.append(f"{token!r}~{listed[j]!r} {kind} {sim:.2f}")
    q_cover /= sum(q_weights)
    l_cover /= sum(l_weights)
    score = q_cover * (LISTED_BASE + (1.0 - LISTED_BASE) * l_cover)
    used = {j for j, _ in paired.values()}
    missing = [t for j, t in enumerate(listed) if j not in used]
    given = (0 if edges is None else edges[0]) if edges != () else -1
    if len(listed) >= 3 and given >= 0 and given not in used and score > THIN_CAP:
        score = THIN_CAP
        notes.append(f"listed given name {listed[given]!r} missing: capped at {THIN_CAP}")
    if missing:
        notes.append(f"listed {' '.join(missing)!r} not in query (covers {l_cover:.0%})")
        rarest = max((sim * base[j] for j, sim in paired.values()), default=0.0)
        if rarest < RARE_WORD and score > THIN_CAP:
            score = THIN_CAP
            notes.append(f"only common words in common: capped at {THIN_CAP}")
    words = [base[j] * sim for i, (j, sim) in paired.items() if len(query[i]) > 1]
    rare_with_initial = len(words) == 1 and len(paired) >= 2 and words[0] >= RARE_WORD
    if len(words) < 2 and len(paired) < 3 and not rare_with_initial and len(listed) >= 2:
        if score > ONE_TOKEN_CAP:
            notes.append(f"one word in common: capped at {ONE_TOKEN_CAP}")
        score = min(score, ONE_TOKEN_CAP)
    numbers = {t for t in query if t.isdigit()} ^ {t for t in listed if t.isdigit()}
    if numbers and score > NUMBER_CAP:
        score = NUMBER_CAP
        notes.append(f"numbers differ: capped at {NUMBER_CAP}")
    found = TokenComparison(max(score, 0.0), "; ".join(notes) or "same words")
    if joined > found.score and not numbers:
        return TokenComparison(joined, f"written together {joined:.2f}")
    return found
