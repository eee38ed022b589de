"""The basic matcher ``hermit-basic@1``: name similarity plus date-of-birth evidence.

Names that read as Korean on both sides (any script) are compared by
``hermit-korean@1`` (hermit.names.korean); other names by rapidfuzz similarity of
their normalised tokens.

Each feature returns a contribution and a reason; the contributions add up to the
score. This is the foundation's matcher for the demo and the CLI; the full screening
engine replaces it with a richer, benchmarked one.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from hermit.names import korean
from hermit.names.forms import latin_forms
from hermit.names.organizations import distinctive, parse_org_name
from hermit.screening.dates import ListedDate, compare_birth_dates
from hermit.screening.index import ListedEntity, ListedName, NameIndex
from hermit.screening.query import Query
from hermit.screening.result import Contribution, Match
from hermit.screening.text import name_tokens

ALGORITHM = "hermit-basic@1"
THRESHOLD = 0.80
REPORT_FLOOR = 0.60


def name_contribution(query: str, entity: ListedEntity) -> Contribution | None:
    """The name feature alone: how well ``query`` fits the best of the entity's names."""
    return _name_feature(query, name_tokens(query), entity)


def _name_feature(query: str, tokens: list[str], entity: ListedEntity) -> Contribution | None:
    best: Contribution | None = None
    for listed in entity.names:
        found = _compare_name(query, tokens, listed)
        if best is None or found.value > best.value:
            best = found
    return best


#: A fuzzy score for two Korean-looking names that could not be read syllable by
#: syllable stays below the threshold: spelling similarity is no evidence there.
KOREAN_FUZZY_CAP = 0.75


def _compare_name(query: str, tokens: list[str], listed: ListedName) -> Contribution:
    weak = 0.9 if listed.kind == "weakAlias" else 1.0
    label = f"{listed.kind} {listed.name!r}"
    if tokens and list(listed.tokens) == tokens:
        return Contribution("name", 1.0 * weak, f"{query!r} is the {label} as listed")
    korean_query = entity_is_person(listed) and bool(korean.readings(query))
    if korean_query:
        found = korean.compare_names(query, listed.name)
        if found is not None:
            reasons = "; ".join(found.reasons)
            return Contribution("name", found.score * weak, f"{label}: {reasons}")
    score, how = _fuzzy(query, listed)
    score *= weak
    if korean_query and korean.looks_korean(listed.name) and score > KOREAN_FUZZY_CAP:
        return Contribution(
            "name",
            KOREAN_FUZZY_CAP,
            f"{query!r} ~ {label}: Korean names not readable syllable by syllable, "
            f"spelling similarity {score:.2f} capped at {KOREAN_FUZZY_CAP}",
        )
    return Contribution("name", score, f"{how} ~ {label}")


def _fuzzy(query: str, listed: ListedName) -> tuple[float, str]:
    """Best token similarity over the query's Latin forms (organizations compared on
    canonical words, legal forms set aside); returns the score and how it was read."""
    best, best_how = 0.0, repr(query)
    for form in latin_forms(query):
        if listed.schema == "Person":
            score = _similarity(name_tokens(form.text), list(listed.tokens))
        else:
            left = parse_org_name(form.text).tokens
            score = _similarity(list(left), list(listed.org_tokens))
            own, theirs = distinctive(left), distinctive(listed.org_tokens)
            if own and theirs:  # "Acme Shipping" is not "TC Shipping"
                score = min(score, _similarity(list(own), list(theirs)))
        if score > best:
            how = repr(query) if form.how == "as written" else f"{form.how}: {form.text!r}"
            best, best_how = score, how
    return best, best_how


def _similarity(left: list[str], right: list[str]) -> float:
    """Token-order-free and joined-token similarity (0..1), the better of the two."""
    return (
        max(
            fuzz.ratio(" ".join(sorted(left)), " ".join(sorted(right))),
            fuzz.ratio("".join(left), "".join(right)),
        )
        / 100.0
    )


def entity_is_person(listed: ListedName) -> bool:
    return listed.schema == "Person"


def _dob_feature(query_dob: str | None, listed: list[ListedDate]) -> Contribution | None:
    found = compare_birth_dates(query_dob, listed)
    return None if found is None else Contribution("birth_date", found.value, found.reason)


def candidate_ids(index: NameIndex, query: Query) -> list[str]:
    tokens = name_tokens(query.name)
    lookup = set(tokens)
    for form in latin_forms(query.name):
        lookup.update(name_tokens(form.text))
        lookup.update(parse_org_name(form.text).tokens)
    return sorted(index.candidates(query.name, sorted(lookup)))


def score_pair(index: NameIndex, query: Query, entity_id: str) -> Match:
    entity = index.entities[entity_id]
    parts: list[Contribution] = []
    name = _name_feature(query.name, name_tokens(query.name), entity)
    parts.append(name or Contribution("name", 0.0, "no name to compare"))
    dob = _dob_feature(query.birth_date, entity.birth_dates)
    if dob is not None:
        parts.append(dob)
    score = max(0.0, min(1.0, sum(c.value for c in parts)))
    return Match(
        entity.entity_id,
        entity.schema,
        entity.caption,
        (entity.dataset,),
        score,
        score >= THRESHOLD,
        tuple(parts),
    )


def screen(index: NameIndex, query: Query, limit: int = 5) -> list[Match]:
    """Listed entities that may be ``query``, best first, down to REPORT_FLOOR."""
    tokens = name_tokens(query.name)
    results: list[Match] = []
    lookup = set(tokens)
    for form in latin_forms(query.name):
        lookup.update(name_tokens(form.text))
        lookup.update(parse_org_name(form.text).tokens)
    for eid in index.candidates(query.name, sorted(lookup)):
        entity = index.entities[eid]
        if query.schema and query.schema != entity.schema:
            continue
        name = _name_feature(query.name, tokens, entity)
        if name is None:
            continue
        parts = [name]
        dob = _dob_feature(query.birth_date, entity.birth_dates)
        if dob is not None:
            parts.append(dob)
        score = max(0.0, min(1.0, sum(c.value for c in parts)))
        if score >= REPORT_FLOOR:
            results.append(
                Match(
                    entity.entity_id,
                    entity.schema,
                    entity.caption,
                    (entity.dataset,),
                    score,
                    score >= THRESHOLD,
                    tuple(parts),
                )
            )
    results.sort(key=lambda m: (-m.score, m.entity_id))
    return results[:limit]
