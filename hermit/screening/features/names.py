"""The name feature: the best fit of the query's name among the entity's names.

Personal names that read as Korean on both sides (any script, any romanization) are
compared by hermit-korean@2, syllable by syllable. Other names are compared as token
lists by hermit-tokens@1 over every Latin reading of the query (as written,
transliterated from Cyrillic, read from Hangul or Chinese characters); organizations
on their canonical words with legal forms set aside, bounded by their distinctive
words, so "Acme Shipping Co" is not "TC Shipping LLC".
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from hermit.names import korean
from hermit.names.compare import (
    DEFAULT_WEIGHT,
    FOLDED,
    JOINED_FACTOR,
    JOINED_MIN,
    MIN_SIMILARITY,
    SHORT_TYPO,
    TokenComparison,
    Weight,
    compare_tokens,
    default_weight,
    fold,
)
from hermit.names.forms import latin_forms
from hermit.names.organizations import distinctive, parse_org_name
from hermit.screening.listed import ListedEntity, ListedName
from hermit.screening.result import Contribution
from hermit.screening.text import name_tokens

#: A Korean-looking pair that could not be read syllable by syllable stays below the
#: threshold on spelling similarity alone.
KOREAN_FUZZY_CAP = 0.75
#: A Korean name whose syllables do not line up with the listed one's (a typo cut it
#: differently) but that is spelled alike, word for word, reaches at most this.
KOREAN_TYPO_CAP = 0.85


@dataclass(frozen=True, slots=True)
class QueryForm:
    tokens: tuple[str, ...]
    org_tokens: tuple[str, ...]
    org_distinctive: tuple[str, ...]
    how: str


@dataclass(frozen=True, slots=True)
class PreparedName:
    """The query's name with everything the comparisons need, computed once."""

    text: str
    tokens: tuple[str, ...]
    forms: tuple[QueryForm, ...]
    readings: tuple[korean.Reading, ...]

    @classmethod
    def of(cls, text: str, person: bool = False) -> PreparedName:
        """``person``: the query is a person, so organization words are not needed."""
        forms: list[QueryForm] = []
        for form in latin_forms(text):
            org = () if person else parse_org_name(form.text).tokens
            how = "" if form.how == "as written" else f"{form.how}: {form.text!r}"
            forms.append(QueryForm(tuple(name_tokens(form.text)), org, distinctive(org), how))
        return cls(text, tuple(name_tokens(text)), tuple(forms), korean.readings(text))

    def all_tokens(self) -> set[str]:
        out: set[str] = set()
        for form in self.forms:
            out.update(form.tokens)
            out.update(form.org_tokens)
        return out


def compare_name(
    query: PreparedName,
    listed: ListedName,
    schema: str,
    weight: Weight = default_weight,
    cutoff: float = 0.0,
) -> Contribution:
    """The query against one listed name. Below ``cutoff`` the value may be an upper
    bound (reason "at most"): the caller only needs to know it does not reach it."""
    if query.tokens and query.tokens == listed.tokens:
        label = f"{listed.kind} {listed.text!r}"
        return Contribution("name", listed.weight, f"{query.text!r} is the {label} as listed")
    person = schema == "Person"
    if person and query.readings and listed.readings:
        best = _korean(query, listed)
        score = best.score * listed.weight
        if _misread(best) and len(query.tokens) == len(listed.tokens):
            spelled, how = _tokens(query, listed, person, weight, 0.0)
            spelled = min(spelled * listed.weight, KOREAN_TYPO_CAP)
            if spelled > score:
                return Contribution(
                    "name",
                    spelled,
                    f"{listed.kind} {listed.text!r}: syllables do not line up ({best.query} "
                    f"against {best.listed}: a typo?); compared as spelled, {how}, "
                    f"at most {KOREAN_TYPO_CAP}",
                )
        if score < cutoff:  # not the best name: no need to word the reasons
            return Contribution("name", score, f"{listed.kind} {listed.text!r}: {best.score}")
        reason = f"{best.query.how} = {best.query}; listed read {best.listed}; " + "; ".join(
            best.reasons
        )
        label = f"{listed.kind} {listed.text!r}"
        return Contribution("name", score, f"{label}: {korean.ALGORITHM} {reason}")
    label = f"{listed.kind} {listed.text!r}"
    score, reason = _tokens(query, listed, person, weight, cutoff / listed.weight)
    score *= listed.weight
    if person and query.readings and listed.looks_korean and score > KOREAN_FUZZY_CAP:
        return Contribution(
            "name",
            KOREAN_FUZZY_CAP,
            f"{label}: Korean names not readable syllable by syllable; spelling "
            f"similarity {score:.2f} capped at {KOREAN_FUZZY_CAP}",
        )
    return Contribution("name", score, f"{label}: {reason}")


def _misread(found: korean.Comparison) -> bool:
    """Same surname, but a given name cut into another number of syllables: what a typo
    does to a romanized name (Joog -> jo-ok), not what a different name looks like."""
    q, listed = found.query, found.listed
    return (
        q.surname is not None
        and listed.surname is not None
        and "different surname" not in found.reasons
        and len(q.given) != len(listed.given)
    )


def _korean(query: PreparedName, listed: ListedName) -> korean.Comparison:
    best: korean.Comparison | None = None
    for a in query.readings:
        for b in listed.readings:
            found = korean.compare_readings(a, b)
            if best is None or found.score > best.score:
                best = found
                if found.score >= 1.0:
                    break
        if best is not None and best.score >= 1.0:
            break
    assert best is not None
    return best


def _tokens(
    query: PreparedName, listed: ListedName, person: bool, weight: Weight, cutoff: float
) -> tuple[float, str]:
    best = TokenComparison(0.0, "no comparable words")
    best_how = ""
    for form in query.forms:
        if person:
            for listed_form in listed.forms:
                edges = listed.edges if listed_form == listed.tokens else None
                floor = max(cutoff, best.score)
                found = compare_tokens(form.tokens, listed_form, weight, floor, edges)
                if found.score > best.score:
                    best, best_how = found, form.how
        else:
            found = compare_tokens(
                form.org_tokens, listed.org_tokens, weight, max(cutoff, best.score), ()
            )
            floor = max(cutoff, best.score)
            if form.org_distinctive and listed.org_distinctive and found.score >= floor:
                own = compare_tokens(
                    form.org_distinctive, listed.org_distinctive, weight, floor, ()
                )
                if own.score < found.score:
                    found = TokenComparison(
                        own.score, f"{found.reason}; distinctive words: {own.reason}"
                    )
            if found.score > best.score:
                best, best_how = found, form.how
        if best.score >= 1.0:
            break
    how = f"{best_how}; " if best_how else ""
    return best.score, f"{how}{best.reason} ({best.score:.2f})"


def name_feature(
    query: PreparedName,
    entity: ListedEntity,
    weight: Weight = default_weight,
    floor: float = 0.0,
) -> Contribution:
    """The best of the entity's names (a weak alias counts a little less). Names that
    cannot beat the best so far are skipped by their bound; with ``floor``, a result
    below it may be a bound (reason "at most")."""
    best = Contribution("name", 0.0, "no listed name to compare")
    for listed in entity.names:
        found = compare_name(query, listed, entity.schema, weight, max(floor, best.value))
        if found.value > best.value:
            best = found
            if best.value >= 1.0:
                break
    return best


def name_bound(query: PreparedName, entity: ListedEntity, weight: Weight = default_weight) -> float:
    """An upper bound of ``name_feature`` computed on the entity's vocabulary instead of
    name by name: each query word's best similarity to any listed word, and the best
    written-together similarity. Used to skip entities that cannot be reported; 1.0
    where no cheap bound holds (Korean readings on both sides)."""
    person = entity.schema == "Person"
    if person and query.readings and entity.readable_korean:
        return 1.0
    best = 0.0
    for form in query.forms:
        tokens = form.tokens if person else form.org_tokens
        if not tokens:
            continue
        total = weight_sum = 0.0
        for token in tokens:
            own = weight(token)
            if token in entity.vocabulary:
                sim = 1.0
            elif len(token) <= 3:
                sim = SHORT_TYPO if len(token) > 1 else 1.0
            else:
                found = process.extractOne(
                    token,
                    entity.vocabulary_list,
                    scorer=OSA.normalized_similarity,
                    score_cutoff=MIN_SIMILARITY,
                )
                sim = 0.0 if found is None else float(found[1])
                if own is None and found is not None:
                    own = weight(str(found[0]))
                if sim < FOLDED:
                    folded = process.extractOne(
                        fold(token),
                        entity.folded_list,
                        scorer=OSA.normalized_similarity,
                        score_cutoff=MIN_SIMILARITY / FOLDED,
                    )
                    if folded is not None:
                        sim = max(sim, float(folded[1]) * FOLDED)
            w = own or DEFAULT_WEIGHT
            total += sim * w
            weight_sum += w
        best = max(best, total / weight_sum)
        joined = process.extractOne("".join(tokens), entity.joined, scorer=fuzz.ratio)
        if joined is not None and float(joined[1]) / 100.0 >= JOINED_MIN:
            best = max(best, float(joined[1]) / 100.0 * JOINED_FACTOR)
        if best >= 1.0:
            break
    return best
