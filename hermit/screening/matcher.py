"""The basic matcher ``hermit-basic@0``: name similarity plus date-of-birth evidence.

Each feature returns a contribution and a reason; the contributions add up to the
score. This is the foundation's matcher for the demo and the CLI; the full screening
engine replaces it with a richer, benchmarked one.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from hermit.screening.index import ListedEntity, ListedName, NameIndex
from hermit.screening.text import name_tokens

ALGORITHM = "hermit-basic@0"
THRESHOLD = 0.80
REPORT_FLOOR = 0.60


@dataclass(frozen=True, slots=True)
class Query:
    name: str
    birth_date: str | None = None
    schema: str | None = None


@dataclass(frozen=True, slots=True)
class Contribution:
    feature: str
    value: float
    reason: str


@dataclass(frozen=True, slots=True)
class Match:
    entity: ListedEntity
    score: float
    is_match: bool
    contributions: tuple[Contribution, ...]

    @property
    def explanation(self) -> str:
        return "; ".join(f"{c.feature} {c.value:+.2f}: {c.reason}" for c in self.contributions)


def _name_feature(tokens: list[str], entity: ListedEntity) -> tuple[float, ListedName | None]:
    query = " ".join(sorted(tokens))
    best, best_name = 0.0, None
    for listed in entity.names:
        score = fuzz.ratio(query, " ".join(sorted(listed.tokens))) / 100.0
        joined = fuzz.ratio("".join(tokens), "".join(listed.tokens)) / 100.0
        score = max(score, joined)
        if listed.kind == "weakAlias":
            score *= 0.9
        if score > best:
            best, best_name = score, listed
    return best, best_name


def _dob_feature(query_dob: str | None, listed: list[str]) -> Contribution | None:
    if not query_dob or not listed:
        return None
    if any(query_dob.startswith(d) or d.startswith(query_dob) for d in listed):
        return Contribution("birth_date", 0.05, f"{query_dob} agrees with listed {listed[0]}")
    if any(query_dob[:4] == d[:4] for d in listed):
        return Contribution("birth_date", 0.0, f"same year as listed {', '.join(listed)}")
    return Contribution("birth_date", -0.25, f"{query_dob} differs from listed {', '.join(listed)}")


def screen(index: NameIndex, query: Query, limit: int = 5) -> list[Match]:
    """Listed entities that may be ``query``, best first, down to REPORT_FLOOR."""
    tokens = name_tokens(query.name)
    results: list[Match] = []
    for eid in index.candidates(tokens):
        entity = index.entities[eid]
        if query.schema and query.schema != entity.schema:
            continue
        name_score, name = _name_feature(tokens, entity)
        if name is None:
            continue
        parts = [Contribution("name", name_score, f"{query.name!r} ~ {name.kind} {name.name!r}")]
        dob = _dob_feature(query.birth_date, entity.birth_dates)
        if dob is not None:
            parts.append(dob)
        score = max(0.0, min(1.0, sum(c.value for c in parts)))
        if score >= REPORT_FLOOR:
            results.append(Match(entity, score, score >= THRESHOLD, tuple(parts)))
    results.sort(key=lambda m: (-m.score, m.entity.entity_id))
    return results[:limit]
