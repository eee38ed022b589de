"""What must not move back while name matching changes: hermit's false alerts on the
DPRK hard negatives of the screening benchmark, and every slice of the DPRK name
benchmark (bench/korean_names), hermit only, computed as those benchmarks compute them.

The screening store (UN + OFAC, real lists) is built once here; its index also gives
the name-pair benchmark its word weights.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.screening.case import Case
from bench.screening.cases import read_lists
from bench.screening.evaluate import LIMIT
from bench.screening.lookup import ListedNames
from bench.screening.negatives import NegativeNotes, recombined_negatives, relative_negatives
from hermit.screening.engine import Screener
from hermit.sources.snapshot import ListSnapshot
from hermit.store import Store


@dataclass(frozen=True, slots=True)
class Figure:
    """One guarded figure: hermit's value, the number of queries, and the direction
    that is worse (a found rate must not fall, a false-alert rate must not rise)."""

    name: str
    queries: int
    value: float
    higher_is_better: bool


def screener(un: ListSnapshot, ofac: ListSnapshot, directory: Path) -> Screener:
    """hermit's screener over a store holding both real lists, as screening builds it."""
    path = directory / "both.duckdb"
    with Store(path) as store:
        store.load(un)
        store.load(ofac)
    with Store(path, read_only=True) as store:
        return Screener.from_store(store.con)


def hard_negatives(un: ListSnapshot, ofac: ListSnapshot) -> list[Case]:
    """The screening benchmark's hard negatives (recombined DPRK names, relatives)."""
    names = ListedNames([*un.entities, *ofac.entities])
    return recombined_negatives(names) + relative_negatives(names, NegativeNotes())


def hard_negative_figures(screen: Screener, cases: list[Case]) -> list[Figure]:
    """False-alert rate: share of queries with any alert in the first LIMIT results."""
    by_source: dict[str, list[bool]] = {}
    for case in cases:
        alerted = any(m.is_match for m in screen.screen(case.query, LIMIT))
        by_source.setdefault(case.slice("source"), []).append(alerted)
    every = [a for flags in by_source.values() for a in flags]
    out = [Figure("screening hard negatives, false-alert rate", len(every), _share(every), False)]
    for source, flags in sorted(by_source.items()):
        out.append(Figure(f"  of which {source}", len(flags), _share(flags), False))
    return out


def korean_figures(lists: Path) -> list[Figure]:
    """bench/korean_names, hermit's side: found per slice, false alerts on negatives."""
    from bench.korean_names import run as korean_run

    entities = korean_run.dprk_entities(lists)
    cases = korean_run.build_cases(entities)
    per_slice, _, _ = korean_run.evaluate(
        cases, korean_run.hermit_scorer(entities), korean_run.HERMIT_THRESHOLD
    )
    out = []
    for name in sorted(per_slice, key=lambda s: ("negative" in s, s)):
        n, found, _top1 = per_slice[name]
        negative = "negative" in name
        label = f"korean {name}" + (" (false-alert rate)" if negative else " (found)")
        out.append(Figure(label, int(n), found / n, not negative))
    return out


def _share(flags: list[bool]) -> float:
    return sum(flags) / len(flags) if flags else float("nan")


def guard_figures(lists: Path, korean: bool = True) -> tuple[list[Figure], Screener]:
    """Every guarded figure, and the screener whose index weights the pair scores."""
    un, ofac = read_lists(lists)
    with tempfile.TemporaryDirectory(prefix="hermit-name-bench-") as tmp:
        screen = screener(un, ofac, Path(tmp))
    figures = hard_negative_figures(screen, hard_negatives(un, ofac))
    if korean:
        figures += korean_figures(lists)
    return figures, screen
