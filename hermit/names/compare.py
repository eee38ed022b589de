"""Two names as token lists compared: ``hermit-tokens@4``.

Query words are paired with listed words best pair first, each word used once, so word
order does not matter (but see name chains below). A pair counts by its similarity
(hermit.names.similarity: equal words, initials, typos and swapped letters, the
spelling variation of romanized names, numbers only when equal). Before pairing, words
written together on one side and apart on the other ("Rungrado" / "RUNG RA DO") are
merged (hermit.names.segments).

Words weigh what they tell: a weight function (the listed names' inverse document
frequency scaled to 0..1, from the screening index) makes ``ali`` or ``trading`` count
less than ``baghdadi``; a particle (de, van, dos) or a patronymic (Viktorovich, oglu)
inside a name weighs little (hermit.names.structure): "Sergey Lavrov" lacks only a
patronymic of "Sergey Viktorovich LAVROV". Two coverages are computed: how much of the
query's weight the pairs explain (by similarity), and how much of the listed name's
words it has (a word at least HAD alike counts as had, one typo; a less alike one by
its similarity). The score is the query coverage times
``LISTED_BASE + (1 - LISTED_BASE) * listed coverage``: words the query lacks (a missing
middle name or patronymic) cost in proportion to what they tell, so "Ali Hussein" is not
"HARB, Ali Hussein", while "Abu Al-Baghdadi" stays close to "Abu Bakr Al-Baghdadi".
And when the query lacks listed words, one of the words it shares must be rare (weigh
at least RARE_WORD): two common words like "Hassan Mahmoud" against "AHMAD MAHMOUD
HASSAN" leave the score at THIN_CAP, a name to review rather than a match.
A query that pairs only one word with a longer listed name stays at or below
ONE_TOKEN_CAP (initials count as words when there are two of them besides the word,
or one beside a rare word: "Kim K." is any Kim K., "M. K. Hadi" and "G. Katanga" are
one person); different numbers cap at NUMBER_CAP.

The listed name's edge words (surname and first given name: first and last word, or
around the comma of "SURNAME, Given Middle") weigh EDGE times more in the listed
coverage. A query without the first given name of a long name (SHORT_FORM_WORDS words
or more) is a short form when it has another of the given names ("Boris Johnson" for
"Alexandre Boris de Pfeffel Johnson": that given name then weighs as the edge); not in
a shorter name ("Hassan Mahmoud" for "AHMAD MAHMOOD HASSAN"), nor in a patrilineal
chain (al-, abu, abd, bin),
where the second word is the father's name: "SADDAM HUSSEIN AL-TIKRITI" inside "ALI
SADDAM HUSSEIN AL-TIKRITI" stays at THIN_CAP, and so does the reverse, a query with one
more given name before the listed chain (a son: "OMAR SABAWI IBRAHIM HASAN AL-TIKRITI"
against "SAB'AWI IBRAHIM HASSAN AL-TIKRITI"). A part both names have that differs is
another person (OTHER_PART_CAP): a different patronymic ("Sergey Ivanevich Lavrov",
"Halla Jónsdóttir"), a different middle or father's name between two words that agree.
In a chain the order around bin, ibn, ould matters: "SALMAN BIN MUHAMMAD" is not
"MUHAMMAD BIN SALMAN" (CHAIN_CAP). When the
two sides have a different number of words, the names written together
(``Jong Un`` / ``Jongun``) are also compared and the better reading is kept if they
agree to at least JOINED_MIN.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat

from rapidfuzz import fuzz

from hermit.names.segments import resegment
from hermit.names.similarity import (
    DEFAULT_WEIGHT,
    FOLDED,
    INITIAL,
    INITIAL_WEIGHT,
    MIN_SIMILARITY,
    SHORT_TYPO,
    Weight,
    default_weight,
    fold,
    is_number,
    token_similarity,
)
from hermit.names.structure import CONNECTOR, PARTICLE, PATRONYMIC, WORD, structure

__all__ = [
    "ALGORITHM",
    "DEFAULT_WEIGHT",
    "FOLDED",
    "JOINED_FACTOR",
    "JOINED_MIN",
    "MIN_SIMILARITY",
    "SHORT_TYPO",
    "TokenComparison",
    "Weight",
    "compare_tokens",
    "default_weight",
    "fold",
    "token_similarity",
]

ALGORITHM = "hermit-tokens@4"
LISTED_BASE = 0.5
ONE_TOKEN_CAP = 0.65
NUMBER_CAP = 0.70
JOINED_FACTOR = 0.98
JOINED_MIN = 0.95
RARE_WORD = 0.7
THIN_CAP = 0.75
CHAIN_CAP = 0.55
#: A part both names have that differs (patronymic, middle name, father's name).
OTHER_PART_CAP = 0.75
#: How much a query word weighs that the listed name lacks between two words it has
#: (a middle name: "MOHAMMAD JAWAD HAMID WAZIRI" for "MOHAMMAD JAWAD WAZIRI"), as a
#: listed middle name the query lacks costs little.
INSERTED = 0.5
#: A name of this many words (particles apart) or more has short forms: one of its
#: given names and the surname ("Boris Johnson").
SHORT_FORM_WORDS = 4
EDGE = 2.0
HAD = 0.8
#: How much a particle or a patronymic weighs, against a name of the same rarity.
ROLE_WEIGHT = {PARTICLE: 0.1, PATRONYMIC: 0.3, CONNECTOR: 0.3, WORD: 1.0}


@dataclass(frozen=True, slots=True)
class TokenComparison:
    score: float
    reason: str


def _equal(a: str, b: str) -> float:
    return 1.0 if a == b else 0.0


def _weights(
    query: Sequence[str], listed: Sequence[str], rows: list[list[float]], weight: Weight
) -> tuple[list[float], list[float]]:
    l_weights = [weight(t) or DEFAULT_WEIGHT for t in listed]
    q_weights = []
    for token, row in zip(query, rows, strict=True):
        known = INITIAL_WEIGHT if len(token) == 1 else weight(token)
        if known is None:
            top = max(row)
            known = l_weights[row.index(top)] if top > 0.0 else DEFAULT_WEIGHT
        q_weights.append(known)
    return q_weights, l_weights


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


def max_weighted_mean(
    values: Sequence[float], low: Sequence[float], high: Sequence[float]
) -> float:
    """The most ``sum(v * w) / sum(w)`` can be when each weight lies between its
    ``low`` and ``high``: the best values at their high weight and the others at their
    low one, split at the best place (every split that can give another mean is
    tried)."""
    if len(low) != len(high):
        raise ValueError(f"{len(low)} low weights for {len(high)} high ones")
    if list(low) == list(high):
        total = sum(high)
        return sum(v * w for v, w in zip(values, high, strict=True)) / total if total else 0.0
    order = sorted(range(len(values)), key=lambda i: -values[i])
    # The products in rank order, and the splits worth trying: a split that moves a
    # word whose low and high weights are equal gives the sums of the split before it,
    # term for term, so only a split after a word with a range can be new (the sums
    # below are added in the same order as every split's, so the result is the same).
    terms = [(values[i] * high[i], high[i], values[i] * low[i], low[i]) for i in order]
    splits = [0] + [r + 1 for r, i in enumerate(order) if low[i] != high[i]]
    # A split's sums start with the high terms of the ranks before it, added from 0.0
    # in rank order: the running sums of the high terms, kept once for every split.
    high_num = [0.0]
    high_den = [0.0]
    for h_num, h_den, _, _ in terms:
        high_num.append(high_num[-1] + h_num)
        high_den.append(high_den[-1] + h_den)
    best = 0.0
    for split in splits:
        num, den = high_num[split], high_den[split]
        for _, _, l_num, l_den in terms[split:]:
            num += l_num
            den += l_den
        if den > 0.0:
            best = max(best, num / den)
    return best


#: The least a word between the first and the last can weigh against its own weight: a
#: particle (ROLE_WEIGHT) that the listed name lacks (INSERTED). A bound lets every
#: such word weigh anything from this to its whole weight.
MIDDLE_LOW = min(ROLE_WEIGHT.values()) * INSERTED


def query_bound(rows: list[list[float]], weights: Sequence[float]) -> float:
    """The most the query coverage (and so the score) can be: every word's best, the
    words between the first and the last at whatever weight the comparison may give
    them (a role, a middle name the listed name lacks)."""
    values = list(map(max, rows))
    last = len(weights) - 1
    if last < 2:  # one or two words: both are edges, at their whole weight
        total = sum(weights)
        return sum(v * w for v, w in zip(values, weights, strict=True)) / total if total else 0.0
    low = [w if i in (0, last) else w * MIDDLE_LOW for i, w in enumerate(weights)]
    return max_weighted_mean(values, low, weights)


def _given_part(size: int, edges: tuple[int, int]) -> range:
    """The positions of the given names: after the surname of "SURNAME, Given", else
    all but the last word."""
    given, surname = edges
    return range(given, size) if given > surname else range(0, surname)


def _names_a_son(
    query: Sequence[str], paired: dict[int, tuple[int, float]], given: int, roles: tuple[str, ...]
) -> bool:
    """The query has one more given name before the listed chain: the word before the
    one that is the listed first given name is not listed ("MOHAMMAD BARZAN IBRAHIM
    HASAN AL-TIKRITI" against "BARZAN IBRAHIM HASSAN AL-TIKRITI", also with the
    surname put first: "AL-TIKRITI MOHAMMAD BARZAN ...")."""
    at = next((i for i, (j, _) in paired.items() if j == given), -1)
    if len(query) <= 2 or at < 1 or at - 1 in paired:
        return False
    return roles[at - 1] == WORD and len(query[at - 1]) > 1


def _other_part(
    query: Sequence[str],
    listed: Sequence[str],
    paired: dict[int, tuple[int, float]],
    q_roles: tuple[str, ...],
    l_roles: tuple[str, ...],
) -> str:
    """A part of the name that both sides have and that differs, which makes another
    person: a different patronymic ("Sergey Ivanevich Lavrov" is not "Sergey
    Viktorovich LAVROV": another father; "Halla Jónsdóttir" is not "Halla
    Tómasdóttir"), or, between two words that agree, a different middle name or
    father's name ("... MIR ABDUL KHUDAI RAHIM" against "... MIR WALI KHUDAI RAHIM")."""
    used = {j for j, _ in paired.values()}  # alike at all: a typo is not another name
    agreed = set(paired)
    same = {j for j, sim in paired.values() if sim >= HAD}
    q_patronymics = [i for i, r in enumerate(q_roles) if r == PATRONYMIC and i > 0]
    l_patronymics = [j for j, r in enumerate(l_roles) if r == PATRONYMIC and j > 0]
    if q_patronymics and l_patronymics and not any(j in same for j in l_patronymics):
        return (
            f"patronymics differ ({query[q_patronymics[0]]!r} against "
            f"{listed[l_patronymics[0]]!r}): another father"
        )
    to_listed = {i: j for i, (j, sim) in paired.items() if sim >= HAD}
    for i in range(1, len(query) - 1):  # i and j not alike at all (below MIN_SIMILARITY)
        if i in agreed or q_roles[i] != WORD:
            continue
        left, right = to_listed.get(i - 1), to_listed.get(i + 1)
        if left is None or right is None or right != left + 2:
            continue
        j = left + 1
        if j not in used and l_roles[j] == WORD:
            return f"{query[i]!r} where the listed name has {listed[j]!r}: another person"
    return ""


def _chain_reversed(
    query: Sequence[str],
    listed: Sequence[str],
    paired: dict[int, tuple[int, float]],
    edge_at: tuple[int, ...],
) -> bool:
    """A pair of words around a connector (X bin Y) on one side is, on the other, the
    pair around a connector the other way (Y bin X): who is whose son is reversed. A
    name whose words were only moved (the surname put first) is not. "BIN MARWAN,
    Bilal" is read in its own order, Bilal bin Marwan."""
    q_pairs = set(structure(tuple(query)).connector_pairs())
    order = list(range(len(listed)))
    if len(edge_at) == 2 and edge_at[0] > edge_at[1]:  # SURNAME, Given
        order = order[edge_at[0] :] + order[: edge_at[0]]
    natural = structure(tuple(listed[j] for j in order)).connector_pairs()
    l_pairs = [(order[x], order[y]) for x, y in natural]
    if not q_pairs or not l_pairs:
        return False
    to_query = {j: i for i, (j, _) in paired.items()}
    for x, y in l_pairs:
        if x in to_query and y in to_query and (to_query[y], to_query[x]) in q_pairs:
            return True
    return False


def compare_tokens(
    query: Sequence[str],
    listed: Sequence[str],
    weight: Weight = default_weight,
    cutoff: float = 0.0,
    edges: Sequence[int] | None = None,
    exact: bool = False,
) -> TokenComparison:
    """How well ``query`` fits ``listed`` (0..1) and why. With ``cutoff``, a pair whose
    upper bound is below it is answered with that bound and the reason "at most",
    without pairing the words. ``edges``: the listed name's (given name, surname)
    positions; None for the first and the last word, () for none (organizations).
    ``exact``: words agree only when equal (pinyin syllables have no spelling
    variation: lei is not li)."""
    if not query or not listed:
        return TokenComparison(0.0, "no comparable words")
    if tuple(query) == tuple(listed):
        return TokenComparison(1.0, "same words")
    notes: list[str] = []
    merged = resegment(query, listed, fold)
    if merged is not None:
        query, listed = merged.query, merged.listed
        notes += merged.notes
        if edges:
            edges = tuple(merged.listed_at[e] for e in edges)
        if query == listed:
            return TokenComparison(FOLDED, "; ".join(notes))
    person = edges != ()
    similarity = _equal if exact else token_similarity
    rows = [list(map(similarity, repeat(a), listed)) for a in query]
    joined = 0.0
    if len(query) != len(listed):
        raw = fuzz.ratio("".join(query), "".join(listed)) / 100.0
        joined = raw * JOINED_FACTOR if raw >= JOINED_MIN else 0.0
    if cutoff > 0.0 and joined < cutoff and not any(map(any, rows)):
        # No word alike at all: the query bound is 0.0 whatever the weights (every
        # product is 0.0), so the bound is the names written together, below cutoff.
        return TokenComparison(joined, f"at most {joined:.2f}")
    q_weights, l_weights = _weights(query, listed, rows, weight)
    base = list(l_weights)
    if cutoff > 0.0:
        bound = max(query_bound(rows, q_weights), joined)
        if bound < cutoff:
            return TokenComparison(bound, f"at most {bound:.2f}")
    paired = _pairs(rows)
    used = {j for j, _ in paired.values()}
    edge_at = (0, len(listed) - 1) if edges is None else tuple(edges)
    given = edge_at[0] if edge_at else -1
    shape = structure(tuple(listed))
    q_shape = structure(tuple(query))
    if person:
        for j, role in enumerate(shape.roles):
            if j not in edge_at:
                l_weights[j] *= ROLE_WEIGHT[role]
        for i, role in enumerate(q_shape.roles):
            if 0 < i < len(query) - 1:  # the first and the last word are names
                q_weights[i] *= ROLE_WEIGHT[role]
    short_form = ""
    long_name = sum(role == WORD for role in shape.roles) >= SHORT_FORM_WORDS
    if person and long_name and given >= 0 and given not in used and not shape.chain:
        for j in _given_part(len(listed), (edge_at[0], edge_at[1])):
            if j in used and shape.roles[j] == WORD and j != edge_at[1]:
                given, short_form = j, listed[j]
                break
    for j in {given, edge_at[1]} if person and edge_at else set(edge_at):
        l_weights[j] = base[j] * EDGE
    if person and paired:
        for i in range(min(paired) + 1, max(paired)):
            # a middle name the listed name lacks, between words it has (not an initial)
            if i not in paired and q_shape.roles[i] == WORD and len(query[i]) > 1:
                q_weights[i] *= INSERTED
    q_cover = l_cover = 0.0
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
    missing = [t for j, t in enumerate(listed) if j not in used]
    if short_form:
        notes.append(
            f"a short form: the listed first given name {listed[edge_at[0]]!r} left out, "
            f"the given name {short_form!r} kept"
        )
    elif person and len(listed) >= 3 and given >= 0 and given not in used and score > THIN_CAP:
        score = THIN_CAP
        notes.append(f"listed given name {listed[given]!r} missing: capped at {THIN_CAP}")
    elif (
        person
        and shape.chain
        and _names_a_son(query, paired, given, q_shape.roles)
        and score > THIN_CAP
    ):
        score = THIN_CAP
        notes.append(
            f"{query[0]!r} before the listed chain {' '.join(listed)!r}: a son of the listed "
            f"person is named so; capped at {THIN_CAP}"
        )
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
    numbers = {t for t in query if is_number(t)} ^ {t for t in listed if is_number(t)}
    if numbers and score > NUMBER_CAP:
        score = NUMBER_CAP
        notes.append(f"numbers differ: capped at {NUMBER_CAP}")
    other = _other_part(query, listed, paired, q_shape.roles, shape.roles) if person else ""
    if other and score > OTHER_PART_CAP:
        score = OTHER_PART_CAP
        notes.append(f"{other}; capped at {OTHER_PART_CAP}")
    if person and score > CHAIN_CAP and _chain_reversed(query, listed, paired, edge_at):
        score = CHAIN_CAP
        notes.append(
            f"the name chain runs the other way ({' '.join(query)!r} against "
            f"{' '.join(listed)!r}: who is whose son differs): capped at {CHAIN_CAP}"
        )
        return TokenComparison(score, "; ".join(notes))
    found = TokenComparison(max(score, 0.0), "; ".join(notes) or "same words")
    if joined > found.score and not numbers:
        return TokenComparison(joined, f"written together {joined:.2f}")
    return found
