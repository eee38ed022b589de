"""A quick upper bound of the name feature, on the entity's vocabulary instead of name by
name: used to skip entities that cannot be reported. It must never be below what the
full comparison can give (tests/screening/test_name_bound.py holds that, and
bench/name_bound_gaps.py measures it name by name on every list).

What the full comparison (hermit.names.compare) may do that the bound must allow for:

- pair a query word with any listed word (its best similarity, as spelled or with the
  spelling variation of romanized names folded);
- merge words written together on one side and apart on the other (resegment): a query
  word that is a run of listed words, as spelled or folded, then pairs at 1.0; query
  words whose run is a listed word, as spelled or folded ('Abdur Rahmman' ->
  ABDURRAHMAN, 'Al Haramain' -> ALHARAMEIN), become that listed word, at 1.0 and its
  weight: every choice of such merges is tried;
- weigh a query word the index does not know as its listed partner; a middle word by
  its role, or half as a middle name the listed name lacks;
- compare the names written together;
- find the query's words as written to be a listed name's (the listed name's weight,
  before any organization words are read);
- for a query read from a script without short vowels, all of this on consonant
  skeletons (their own weights, ``v:`` words), at ABJAD_FACTOR.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from hermit.names.compare import (
    DEFAULT_WEIGHT,
    FOLDED,
    JOINED_FACTOR,
    JOINED_MIN,
    MIDDLE_LOW,
    MIN_SIMILARITY,
    Weight,
    default_weight,
    fold,
    max_weighted_mean,
    token_similarity,
)
from hermit.names.segments import MAX_RUN, MIN_JOINED, run_keys
from hermit.names.similarity import INITIAL, INITIAL_WEIGHT
from hermit.screening.features.name_query import PreparedName
from hermit.screening.listed import ListedEntity

#: The most two short words that are not equal (or folded alike) can be: two letters
#: of three swapped (ADB / ABD).
SHORT_BOUND = 2.0 / 3.0
#: The bound's cutoffs sit this much below the comparison's: a similarity exactly at
#: MIN_SIMILARITY (two letters of five: 'kawng' / 'kyong', 0.6) may come out of
#: rapidfuzz's cutoff a rounding below it, and a bound must never be below the score.
EPSILON = 1e-6
#: More possible merges of query words than this in one form: every choice would be
#: too many to try, and the bound gives up (1.0: the pair is compared in full).
MAX_MERGES = 6
#: The cut-off given to rapidfuzz for the names written together (percent), a little
#: below JOINED_MIN - EPSILON: the test after it decides, rapidfuzz only skips early.
JOINED_CUTOFF = (JOINED_MIN - EPSILON) * 100.0 - 1e-3
#: Entities whose weight span (``_entity_span``) one process keeps.
SPANS_KEPT = 1 << 15

#: A query word's (best similarity, least weight, most weight).
Item = tuple[float, float, float]
#: A run of query words that may be merged: (start, size, its item, the listed word).
Merge = tuple[int, int, Item, str]

_SPANS: dict[str, tuple[ListedEntity, Weight, tuple[float, float]]] = {}


def _in_runs(token: str, runs: frozenset[str]) -> bool:
    """``token`` is a run of listed words written together (as spelled or folded):
    resegment merges the run into it, and it pairs at 1.0."""
    if len(token) < MIN_JOINED or token.isdigit() or not runs:
        return False
    return token in runs or "~" + fold(token) in runs


def _weight_span(words: Sequence[str], weight: Weight) -> tuple[float, float]:
    """The least and the most a query word the index does not know can weigh: the full
    comparison gives it the weight of the listed word it pairs with best (any of
    ``words``: DEFAULT_WEIGHT for one the index does not know), or DEFAULT_WEIGHT when
    it pairs with none."""
    weights = [weight(t) or DEFAULT_WEIGHT for t in words]
    weights.append(DEFAULT_WEIGHT)
    return min(weights), max(weights)


def _entity_span(entity: ListedEntity, weight: Weight) -> tuple[float, float]:
    """``_weight_span`` of the entity's words (and runs), kept per entity and weight
    function (the same entity object and an equal function: the index's weights)."""
    kept = _SPANS.get(entity.entity_id)
    if kept is not None and kept[0] is entity and kept[1] == weight:
        return kept[2]
    span = _weight_span(entity.bound_words, weight)
    if len(_SPANS) >= SPANS_KEPT:
        _SPANS.clear()
    _SPANS[entity.entity_id] = (entity, weight, span)
    return span


def _word(token: str, entity: ListedEntity, runs: frozenset[str]) -> float:
    """The best similarity of ``token`` to any listed word."""
    if token in entity.vocabulary:
        return 1.0
    if len(token) <= 3:
        if len(token) == 1:
            return 1.0
        sim = FOLDED if fold(token) in entity.folded_set else SHORT_BOUND
        if token[0] in entity.vocabulary:  # a listed one-letter word: an initial of it
            sim = max(sim, INITIAL)
        return sim
    if _in_runs(token, runs):
        return 1.0
    found = process.extractOne(
        token,
        entity.bound_words,  # listed words written together too
        scorer=OSA.normalized_similarity,
        score_cutoff=MIN_SIMILARITY - EPSILON,
    )
    sim = 0.0 if found is None else float(found[1])
    if token[0] in entity.vocabulary:  # a listed one-letter word: an initial of it
        sim = max(sim, INITIAL)
    if sim < FOLDED:
        folded = process.extractOne(
            fold(token),
            entity.bound_folded,
            scorer=OSA.normalized_similarity,
            score_cutoff=MIN_SIMILARITY / FOLDED - EPSILON,
        )
        if folded is not None:
            sim = max(sim, float(folded[1]) * FOLDED)
    return sim


@lru_cache(maxsize=1 << 14)
def _query_runs(tokens: tuple[str, ...]) -> tuple[tuple[int, int, str, str], ...]:
    """The runs of 2..MAX_RUN query words that may be merged (at least MIN_JOINED
    letters together, no number): (start, size, written together, folded), in the
    order ``_merges`` tries them. The same for every candidate of a query."""
    out: list[tuple[int, int, str, str]] = []
    for size in range(2, min(MAX_RUN, len(tokens)) + 1):
        for start in range(len(tokens) - size + 1):
            run = tokens[start : start + size]
            joined = "".join(run)
            if len(joined) < MIN_JOINED or any(t.isdigit() for t in run):
                continue
            out.append((start, size, joined, fold(joined)))
    return tuple(out)


def _merges(
    tokens: tuple[str, ...], targets: Callable[[str, str], tuple[str, ...]], weight: Weight
) -> list[Merge]:
    """The runs of 2..MAX_RUN query words that, written together, are a listed word (as
    spelled or folded: ``targets`` of the run and its folded form): resegment may merge
    each into that word."""
    out: list[Merge] = []
    for start, size, joined, folded in _query_runs(tokens):
        found = targets(joined, folded)
        if found:
            weights = [_known(weight, t) for t in found]
            out.append((start, size, (1.0, min(weights), max(weights)), found[0]))
    return out


def _known(weight: Weight, token: str) -> float:
    """What a listed word weighs on the query side once a query run became it."""
    own = weight(token)
    return DEFAULT_WEIGHT if own is None else own


def _alternatives(
    tokens: tuple[str, ...], items: list[Item], merges: list[Merge]
) -> Iterator[tuple[list[Item], list[str]]]:
    """The query's items as they are, and after every choice of ``merges`` (merged
    from the left, a run inside an earlier merged one left as it is, as resegment
    does)."""
    yield items, list(tokens)
    for mask in range(1, 1 << len(merges)):
        chosen: dict[int, Merge] = {}
        for k, merge in enumerate(merges):
            if mask >> k & 1:
                chosen.setdefault(merge[0], merge)
        out_items: list[Item] = []
        out_tokens: list[str] = []
        i = 0
        while i < len(tokens):
            here = chosen.get(i)
            if here is None:
                out_items.append(items[i])
                out_tokens.append(tokens[i])
                i += 1
            else:
                out_items.append(here[2])
                out_tokens.append(here[3])
                i += here[1]
        yield out_items, out_tokens


def _mean(items: list[Item], person: bool) -> float:
    values = [v for v, _, _ in items]
    floor = [lo for _, lo, _ in items]
    high = [hi for _, _, hi in items]
    if person:  # a word between the first and the last: its role, or lacking (INSERTED)
        last = len(items) - 1
        floor = [w if i in (0, last) else w * MIDDLE_LOW for i, w in enumerate(floor)]
    return max_weighted_mean(values, floor, high)


def _bound(
    tokens: tuple[str, ...],
    items: list[Item],
    merges: list[Merge],
    joined: Sequence[str],
    person: bool,
) -> float:
    """The most the comparison of ``tokens`` (their ``items``) can give, over every
    choice of ``merges``, and written together against any of ``joined``."""
    if len(merges) > MAX_MERGES:
        return 1.0
    best = 0.0
    strings: set[str] = set()
    for alt_items, alt_tokens in _alternatives(tokens, items, merges):
        best = max(best, _mean(alt_items, person))
        strings.add("".join(alt_tokens))
    for text in strings:
        # only a ratio of JOINED_MIN or more counts: rapidfuzz skips the others early
        found = process.extractOne(text, joined, scorer=fuzz.ratio, score_cutoff=JOINED_CUTOFF)
        if found is not None and float(found[1]) / 100.0 >= JOINED_MIN - EPSILON:
            best = max(best, float(found[1]) / 100.0 * JOINED_FACTOR)
    return best


def _weights(
    token: str, own: float | None, span: Callable[[], tuple[float, float]]
) -> tuple[float, float]:
    if len(token) == 1:
        return INITIAL_WEIGHT, INITIAL_WEIGHT
    if own is not None:
        return own, own
    return span()  # an unknown word weighs what the listed word it pairs with weighs


def _form_bound(
    tokens: tuple[str, ...], entity: ListedEntity, weight: Weight, person: bool
) -> float:
    runs = entity.run_keys
    items = []
    for token in tokens:
        own = weight(token)
        if len(token) == 1:
            low = high = INITIAL_WEIGHT
        elif own is not None:
            low = high = own
        else:  # an unknown word weighs what the listed word it pairs with weighs
            low, high = _entity_span(entity, weight)
        items.append((_word(token, entity, runs), low, high))

    def targets(joined: str, folded: str) -> tuple[str, ...]:
        """The listed words the run may become: itself, and every word folded alike
        (resegment may pick any of them: 'hosse in' / HOSAIN beside HOSSEIN)."""
        found = (joined,) if joined in entity.vocabulary else ()
        alike = entity.by_fold.get(folded)
        if alike is None:
            return found
        return found + tuple(w for w in alike if w != joined)

    merges = _merges(tokens, targets, weight)
    return _bound(tokens, items, merges, entity.joined, person)


def _skeleton_bound(
    query: PreparedName, entity: ListedEntity, weight: Weight, person: bool
) -> float:
    """The same bound on consonant skeletons (names._skeletons): the query's skeletons
    against the entity's, the words weighed as ``v:`` words, times ABJAD_FACTOR."""
    from hermit.screening.features.names import ABJAD_FACTOR

    def skeleton_weight(token: str) -> float | None:
        return weight(f"v:{token}")

    forms = [s for name in entity.names for s in name.skeletons]
    words = entity.skeleton_words
    word_set = frozenset(words)
    by_fold: dict[str, list[str]] = {}
    for w in words:
        by_fold.setdefault(fold(w), []).append(w)
    runs: set[str] = set()
    for form in forms:
        if len(form) > 1:
            runs |= run_keys(form, fold)
    frozen_runs = frozenset(runs)
    joined = sorted({"".join(form) for form in forms if form})
    span = (lambda: _weight_span(words, skeleton_weight)) if words else (lambda: (1.0, 1.0))

    def targets(text: str, folded: str) -> tuple[str, ...]:
        found = (text,) if text in word_set else ()
        return found + tuple(w for w in by_fold.get(folded, ()) if w != text)

    def similarity(token: str) -> float:
        if token in word_set or _in_runs(token, frozen_runs):
            return 1.0
        return max((token_similarity(token, w) for w in words), default=0.0)

    best = 0.0
    for form in query.skeletons if person else query.org_skeletons:
        if not form:
            continue
        items = []
        for token in form:
            low, high = _weights(token, skeleton_weight(token), span)
            items.append((similarity(token), low, high))
        merges = _merges(form, targets, skeleton_weight)
        best = max(best, _bound(form, items, merges, joined, person))
    return best * ABJAD_FACTOR


def name_bound(query: PreparedName, entity: ListedEntity, weight: Weight = default_weight) -> float:
    """An upper bound of ``name_feature`` (see the module's docstring). 1.0 where no
    cheap bound holds: Korean readings on both sides, names in Chinese characters on
    both sides (compared as written), an organization query whose words as written are
    all listed words (they may be a listed name's)."""
    person = entity.schema == "Person"
    if person and query.readings and entity.readable_korean:
        return 1.0
    if query.characters and any(name.characters for name in entity.names):
        return 1.0
    if not person and query.tokens and all(t in entity.vocabulary for t in query.tokens):
        return 1.0  # it may be a listed name's words as written, whatever its organization words

    best = _skeleton_bound(query, entity, weight, person) if query.abjad else 0.0
    for form in query.forms:
        tokens = form.tokens if person else form.org_tokens
        if not tokens:
            continue
        best = max(best, _form_bound(tokens, entity, weight, person))
        if best >= 1.0:
            break
    return best
