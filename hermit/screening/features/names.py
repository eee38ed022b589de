"""The name feature: the best fit of the query's name among the entity's names.

Personal names that read as Korean on both sides (any script, any romanization) are
compared by hermit-korean@3, syllable by syllable. Other names are compared as token
lists by hermit-tokens@4 over every Latin reading of the query and of the listed name
(as written, look-alike letters undone, transliterated from Cyrillic and the other
scripts of resources/names/scripts.yaml, read from Hangul or Chinese characters,
titles set aside, numbers read); organizations on their canonical words with legal
forms set aside, bounded by their distinctive words, so "Acme Shipping Co" is not "TC
Shipping LLC". A name in a script that writes no short vowels (Arabic, Persian,
Hebrew) is compared on consonant skeletons, at ABJAD_FACTOR (the listed names' own
skeletons, so a listed name in Arabic script meets a query in Arabic script too).
"""

from __future__ import annotations

from hermit.names import korean
from hermit.names.characters import compare_characters
from hermit.names.compare import TokenComparison, Weight, compare_tokens, default_weight
from hermit.names.organizations import distinctive
from hermit.screening.features.name_bound import name_bound
from hermit.screening.features.name_query import PreparedName, QueryForm
from hermit.screening.listed import ListedEntity, ListedName
from hermit.screening.result import Contribution

__all__ = ["PreparedName", "QueryForm", "compare_name", "name_bound", "name_feature"]

#: A Korean-looking pair that could not be read syllable by syllable stays below the
#: threshold on spelling similarity alone.
KOREAN_FUZZY_CAP = 0.75
#: A Korean name whose syllables do not line up with the listed one's (a typo cut it
#: differently) but that is spelled alike, word for word, or whose differing syllable
#: is no syllable the romanization tables know (a typo inside it), reaches at most this.
KOREAN_TYPO_CAP = 0.85
#: A query read from a script without short vowels (or whose vowels Latin spellings do
#: not follow), compared on consonants only, counts this much of its agreement: at most
#: a name to review, never a match on the name alone (Muhammad and Mahmoud, Parnia and
#: Abrini look alike without vowels); a date of birth or an identifier decides.
ABJAD_FACTOR = 0.75
#: An organization whose legal form differs from the listed one's (AG, GmbH).
LEGAL_FORM_FACTOR = 0.9


def compare_name(
    query: PreparedName,
    listed: ListedName,
    schema: str,
    weight: Weight = default_weight,
    cutoff: float = 0.0,
) -> Contribution:
    """The query against one listed name. Below ``cutoff`` the value may be an upper
    bound (reason "at most"): the caller only needs to know it does not reach it."""
    written = compare_characters(query.characters, listed.characters)
    if written is not None:
        label = f"{listed.kind} {listed.text!r}"
        score = written.score * listed.weight
        return Contribution("name", score, f"{label}: both in Chinese characters, {written.reason}")
    if query.tokens and query.tokens == listed.tokens:
        label = f"{listed.kind} {listed.text!r}"
        aside = f" ({listed.aside} set aside)" if listed.aside else ""
        return Contribution(
            "name", listed.weight, f"{query.text!r} is the {label} as listed{aside}"
        )
    person = schema == "Person"
    if person and query.readings and listed.readings and (query.korean or listed.looks_korean):
        best = korean.best_comparison(query.readings, listed.readings)
        assert best is not None
        score = best.score * listed.weight
        label = f"{listed.kind} {listed.text!r}"
        if best.typos or (best.misread and len(query.tokens) == len(listed.tokens)):
            spelled, how = _tokens(query, listed, person, weight, 0.0)
            spelled = min(spelled * listed.weight, KOREAN_TYPO_CAP)
            if spelled > score:
                why = (
                    best.reasons[-1]
                    if best.typos
                    else f"no reading lines up syllable by syllable ({best.query} "
                    f"against {best.listed}: a typo?)"
                )
                return Contribution(
                    "name",
                    spelled,
                    f"{label}: {why}; compared as spelled, {how}, at most {KOREAN_TYPO_CAP}",
                )
        if query.pinyin and score < listed.weight:
            found = _pinyin(query, listed, weight, max(cutoff, score) / listed.weight)
            if found.score * listed.weight > score:
                return Contribution("name", found.score * listed.weight, f"{label}: {found.reason}")
        if score < cutoff:  # not the best name: no need to word the reasons
            return Contribution("name", score, f"{label}: {best.score}")
        reason = f"{best.query.how}; listed read as {best.listed}; " + "; ".join(best.reasons)
        return Contribution("name", score, f"{label}: {reason} ({korean.ALGORITHM})")
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


def _join(*hows: str) -> str:
    return "; ".join(h for h in hows if h)


def _org(form: QueryForm, listed: ListedName, weight: Weight, floor: float) -> TokenComparison:
    best = TokenComparison(0.0, "no comparable words")
    for k, org in enumerate((listed.org_tokens, *listed.org_alt)):
        found = compare_tokens(form.org_tokens, org, weight, max(floor, best.score), ())
        own_floor = max(floor, best.score)
        theirs = listed.org_distinctive if k == 0 else distinctive(org)
        if form.org_distinctive and theirs and found.score >= own_floor:
            own = compare_tokens(form.org_distinctive, theirs, weight, own_floor, ())
            if own.score < found.score:
                found = TokenComparison(
                    own.score, f"{found.reason}; distinctive words: {own.reason}"
                )
        if found.score > best.score:
            best = found
    return _legal_forms(form, listed, best)


def _legal_forms(form: QueryForm, listed: ListedName, found: TokenComparison) -> TokenComparison:
    """Two legal forms that differ ("Deutsche Bank AG", "Deutsche Bank GmbH") count a
    little against (LEGAL_FORM_FACTOR): the same words under another legal form may be
    another company, or the same one registered anew."""
    if not form.legal or not listed.org_legal or form.legal & listed.org_legal:
        return found
    theirs = ", ".join(sorted(listed.org_legal))
    ours = ", ".join(sorted(form.legal))
    return TokenComparison(
        found.score * LEGAL_FORM_FACTOR,
        f"{found.reason}; legal forms differ ({ours} against {theirs}), x{LEGAL_FORM_FACTOR}",
    )


def _pinyin(
    query: PreparedName, listed: ListedName, weight: Weight, floor: float
) -> TokenComparison:
    """Chinese characters are also a Chinese name: its pinyin against the listed
    spelling, syllables agreeing only when equal (pinyin has no spelling variation)."""
    best = TokenComparison(0.0, "no comparable words")
    for listed_form in listed.forms:
        edges = listed.edges if listed_form == listed.tokens else None
        found = compare_tokens(
            query.pinyin, listed_form, weight, max(floor, best.score), edges, exact=True
        )
        if found.score > best.score:
            best = found
    pinyin = " ".join(query.pinyin)
    return TokenComparison(best.score, f"{query.text} read in pinyin {pinyin!r}: {best.reason}")


def _skeletons(
    query: PreparedName, listed: ListedName, person: bool, weight: Weight, floor: float
) -> TokenComparison:
    """The names compared on consonants (one side read from Arabic, Persian, Hebrew)."""

    def skeleton_weight(token: str) -> float | None:
        return weight(f"v:{token}")

    best = TokenComparison(0.0, "no comparable words")
    for left in query.skeletons if person else query.org_skeletons:
        for right in listed.skeletons:
            cutoff = max(floor, best.score) / ABJAD_FACTOR
            found = compare_tokens(left, right, skeleton_weight, cutoff, None if person else ())
            score = found.score * ABJAD_FACTOR
            if score > best.score:
                best = TokenComparison(
                    score,
                    f"compared on consonants only ({' '.join(left)!r} against "
                    f"{' '.join(right)!r}: the script writes no short vowels, or vowels "
                    f"Latin spellings do not follow), {found.reason}, x{ABJAD_FACTOR}",
                )
    return best


def _tokens(
    query: PreparedName, listed: ListedName, person: bool, weight: Weight, cutoff: float
) -> tuple[float, str]:
    best = TokenComparison(0.0, "no comparable words")
    best_how = ""
    for form in query.forms:
        if person:
            for listed_form, note in zip(listed.forms, listed.notes, strict=True):
                edges = listed.edges if listed_form == listed.tokens else None
                floor = max(cutoff, best.score)
                found = compare_tokens(form.tokens, listed_form, weight, floor, edges)
                if found.score > best.score:
                    best, best_how = found, _join(form.how, f"listed {note}" if note else "")
        else:
            found = _org(form, listed, weight, max(cutoff, best.score))
            if found.score > best.score:
                best, best_how = found, form.how
        if best.score >= 1.0:
            break
    if query.abjad and best.score < ABJAD_FACTOR:
        found = _skeletons(query, listed, person, weight, max(cutoff, best.score))
        if found.score > best.score:
            best, best_how = found, ""
    if listed.aside:
        best_how = _join(best_how, f"{listed.aside} set aside")
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
