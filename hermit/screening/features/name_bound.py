"""A quick upper bound of the name feature, on the entity's vocabulary instead of name by
name: used to skip entities that cannot be reported. It must never be below what the
full comparison can give (tests/screening/test_name_bound.py holds that)."""

from __future__ import annotations

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
)
from hermit.names.segments import MAX_RUN
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


def _merged(tokens: tuple[str, ...], vocabulary: frozenset[str]) -> tuple[str, ...]:
    """Adjacent words written together where the listed names write them as one."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for size in range(min(MAX_RUN, len(tokens) - i), 1, -1):
            joined = "".join(tokens[i : i + size])
            if joined in vocabulary:
                out.append(joined)
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return tuple(out)


def _weight_span(entity: ListedEntity, weight: Weight) -> tuple[float, float]:
    """The least and the most a query word the index does not know can weigh against
    ``entity``: the full comparison gives it the weight of the listed word it pairs with
    best (any of the entity's words, or words it writes together: DEFAULT_WEIGHT), or
    DEFAULT_WEIGHT when it pairs with none."""
    weights = [weight(t) or DEFAULT_WEIGHT for t in entity.vocabulary_list + entity.runs_list]
    weights.append(DEFAULT_WEIGHT)
    return min(weights), max(weights)


def _word(token: str, entity: ListedEntity, weight: Weight) -> tuple[float, float | None]:
    """(best similarity to any listed word, the weight it brings: None when the index
    does not know the word)."""
    own = weight(token)
    if token in entity.vocabulary:
        return 1.0, own
    if len(token) <= 3:
        if len(token) == 1:
            return 1.0, own
        sim = FOLDED if fold(token) in entity.folded_set else SHORT_BOUND
        if token[0] in entity.vocabulary:  # a listed one-letter word: an initial of it
            sim = max(sim, INITIAL)
        return sim, own
    found = process.extractOne(
        token,
        entity.vocabulary_list + entity.runs_list,  # listed words written together too
        scorer=OSA.normalized_similarity,
        score_cutoff=MIN_SIMILARITY - EPSILON,
    )
    sim = 0.0 if found is None else float(found[1])
    if token[0] in entity.vocabulary:  # a listed one-letter word: an initial of it
        sim = max(sim, INITIAL)
    if sim < FOLDED:
        folded = process.extractOne(
            fold(token),
            entity.folded_list + entity.folded_runs,
            scorer=OSA.normalized_similarity,
            score_cutoff=MIN_SIMILARITY / FOLDED - EPSILON,
        )
        if folded is not None:
            sim = max(sim, float(folded[1]) * FOLDED)
    return sim, own


def _form_bound(
    tokens: tuple[str, ...], entity: ListedEntity, weight: Weight, person: bool
) -> float:
    values: list[float] = []
    high: list[float] = []
    floor: list[float] = []
    span: tuple[float, float] | None = None
    for token in tokens:
        sim, own = _word(token, entity, weight)
        values.append(sim)
        if len(token) == 1:
            high.append(INITIAL_WEIGHT)
            floor.append(INITIAL_WEIGHT)
        elif own is not None:
            high.append(own)
            floor.append(own)
        else:  # an unknown word weighs what the listed word it pairs with weighs
            span = span or _weight_span(entity, weight)
            floor.append(span[0])
            high.append(span[1])
    if person:  # a word between the first and the last: its role, or lacking (INSERTED)
        last = len(tokens) - 1
        low = [w if i in (0, last) else w * MIDDLE_LOW for i, w in enumerate(floor)]
    else:
        low = floor
    best = max_weighted_mean(values, low, high)
    joined = process.extractOne("".join(tokens), entity.joined, scorer=fuzz.ratio)
    if joined is not None and float(joined[1]) / 100.0 >= JOINED_MIN - EPSILON:
        best = max(best, float(joined[1]) / 100.0 * JOINED_FACTOR)
    return best


def _skeleton_bound(query: PreparedName, entity: ListedEntity, person: bool) -> float:
    """The most a comparison on consonant skeletons can give: each skeleton word's
    best similarity to any of the entity's skeleton words, times ABJAD_FACTOR."""
    from hermit.screening.features.names import ABJAD_FACTOR

    best = 0.0
    for form in query.skeletons if person else query.org_skeletons:
        total = 0.0
        for word in form:
            if len(word) <= 3:
                total += 1.0 if word in entity.skeleton_words else SHORT_BOUND
                continue
            found = process.extractOne(
                word,
                entity.skeleton_words,
                scorer=OSA.normalized_similarity,
                score_cutoff=MIN_SIMILARITY - EPSILON,
            )
            total += 0.0 if found is None else float(found[1])
        if form:
            best = max(best, total / len(form))
        joined = process.extractOne("".join(form), entity.skeleton_words, scorer=fuzz.ratio)
        if joined is not None and float(joined[1]) / 100.0 >= JOINED_MIN - EPSILON:
            best = max(best, float(joined[1]) / 100.0)
    return best * ABJAD_FACTOR


def name_bound(query: PreparedName, entity: ListedEntity, weight: Weight = default_weight) -> float:
    """An upper bound of ``name_feature``: each query word's best similarity to any
    listed word (also with words written together merged), and the best
    written-together similarity; for a query compared on consonant skeletons, the same
    on the entity's skeleton words. 1.0 where no cheap bound holds (Korean readings on
    both sides)."""
    person = entity.schema == "Person"
    if person and query.readings and entity.readable_korean:
        return 1.0
    best = _skeleton_bound(query, entity, person) if query.abjad else 0.0
    for form in query.forms:
        tokens = form.tokens if person else form.org_tokens
        if not tokens:
            continue
        best = max(best, _form_bound(tokens, entity, weight, person))
        merged = _merged(tokens, entity.vocabulary)
        if merged != tokens:
            best = max(best, _form_bound(merged, entity, weight, person))
        if best >= 1.0:
            break
    return best
