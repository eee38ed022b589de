"""The golden output of each named screening algorithm, computed the same way by the
test (tests/screening/test_golden.py) and by the script that records it
(scripts/make_golden.py).

Inputs are fixed: the queries in golden/queries.jsonl (hand-written: listed DPRK people,
organizations and vessels in several spellings and scripts, names of other regimes,
ordinary names on no list, dates of birth and IMO numbers), screened against the real
UN and OFAC lists of ../shared/data (the ``lists_store`` fixture). Per family:

- ``screen``: every reported match (entity, score, is_match, each contribution's feature
  and value; reasons are wording, not output, and are left out);
- ``candidates``: the ids the candidate index retrieves;
- ``tokens`` / ``korean``: the name comparisons of each query with the captions of its
  results (and a few fixed pairs);
- ``dob``: date-of-birth evidence on fixed pairs.

Numbers are rounded to 6 decimals, so a change in the last bits of a float sum is not
taken for a change of output.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hermit.names.compare import compare_tokens
from hermit.names.korean import compare_names
from hermit.screening import algorithms
from hermit.screening.dates import BirthDate, ListedDate, compare_birth_dates
from hermit.screening.engine import Screener
from hermit.screening.query import Query, make_query
from hermit.screening.text import name_tokens

GOLDEN = Path(__file__).resolve().parent / "golden"
QUERIES = GOLDEN / "queries.jsonl"
FAMILIES = ("screen", "candidates", "tokens", "korean", "dob")

#: Fixed date-of-birth cases: (query date, listed date, listed qualifier).
DOB_CASES: tuple[tuple[str, str, str | None], ...] = (
    ("1962-02-18", "1962-02-18", None),
    ("1962-02-19", "1962-02-18", None),
    ("1962", "1962-02-18", None),
    ("1962-02", "1962-02-18", None),
    ("1963-02-18", "1962-02-18", None),
    ("1946", "1947", "circa"),
    ("1949", "1947", "circa"),
    ("1955", "1947", "circa"),
    ("1952", "1950", "between 1950 and 1955"),
    ("1980-03-04", "1962-02-18", None),
)
#: Fixed name pairs besides the queries' own results.
NAME_PAIRS: tuple[tuple[str, str], ...] = (
    ("Kim Jong Un", "Kim Jong Il"),
    ("Kim Yong Chol", "KIM, Young-Chul"),
    ("Kim Yong Chun", "KIM, Young-Chul"),
    ("Choi Ryong Hae", "CHOE RYONG HAE"),
    ("Jo Yongwon", "CHO Yong Won"),
    ("Ali Hussein", "HARB, Ali Hussein"),
    ("Hassan Mahmoud", "AHMAD MAHMOUD HASSAN"),
    ("Aburusdan", "ABU RUSDAN"),
)


def queries() -> list[Query]:
    out = []
    for line in QUERIES.read_text(encoding="utf-8").splitlines():
        if line.strip():
            out.append(make_query(json.loads(line)).query)
    return out


def _r(value: float) -> float:
    return round(value, 6)


def _label(query: Query) -> str:
    facts = {k: v for k, v in _facts(query).items() if v is not None}
    return json.dumps(facts, ensure_ascii=False, sort_keys=True)


def _facts(query: Query) -> dict[str, Any]:
    """Every field, the date of birth in its canonical text (as the golden files hold)."""
    facts = {k: getattr(query, k) for k in query.__slots__}  # type: ignore[attr-defined]
    if facts["birth_date"] is not None:
        facts["birth_date"] = str(facts["birth_date"])
    return facts


def screen_output(screener: Screener, qs: list[Query]) -> list[Any]:
    out = []
    for query in qs:
        found = screener.screen(query)
        out.append(
            {
                "query": _label(query),
                "matches": [
                    {
                        "entity": m.entity_id,
                        "score": _r(m.score),
                        "match": m.is_match,
                        "contributions": [[c.feature, _r(c.value)] for c in m.contributions],
                    }
                    for m in found
                ],
            }
        )
    return out


def candidates_output(screener: Screener, qs: list[Query]) -> list[Any]:
    return [{"query": _label(q), "candidates": screener.candidates(q)} for q in qs]


def _name_pairs(screener: Screener, qs: list[Query]) -> list[tuple[str, str]]:
    pairs = list(NAME_PAIRS)
    for query in qs:
        for m in screener.screen(query)[:3]:
            pairs.append((query.name, m.caption))
    return sorted(set(pairs))


def tokens_output(screener: Screener, qs: list[Query]) -> list[Any]:
    out = []
    for a, b in _name_pairs(screener, qs):
        found = compare_tokens(name_tokens(a), name_tokens(b))
        out.append({"pair": [a, b], "score": _r(found.score)})
    return out


def korean_output(screener: Screener, qs: list[Query]) -> list[Any]:
    out = []
    for a, b in _name_pairs(screener, qs):
        found = compare_names(a, b)
        out.append({"pair": [a, b], "score": None if found is None else _r(found.score)})
    return out


def dob_output(screener: Screener, qs: list[Query]) -> list[Any]:
    out = []
    for query, listed, qualifier in DOB_CASES:
        found = compare_birth_dates(BirthDate.of(query), [ListedDate(listed, qualifier)])
        value = None if found is None else _r(found.value)
        out.append({"case": [query, listed, qualifier], "value": value})
    return out


COMPUTE: dict[str, Callable[[Screener, list[Query]], list[Any]]] = {
    "screen": screen_output,
    "candidates": candidates_output,
    "tokens": tokens_output,
    "korean": korean_output,
    "dob": dob_output,
}


def golden_path(family: str) -> Path:
    return GOLDEN / f"{family}.json"


def compute(family: str, screener: Screener) -> dict[str, Any]:
    """The family's output now, under its current algorithm name."""
    return {
        "algorithm": algorithms.algorithms()[family],
        "cases": COMPUTE[family](screener, queries()),
    }


def load(family: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(golden_path(family).read_text(encoding="utf-8"))
    return data


def write(family: str, data: dict[str, Any]) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
    golden_path(family).write_text(text + "\n", encoding="utf-8")
