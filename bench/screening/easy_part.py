"""The screening benchmark's easy part: positives that are listed strings used verbatim
or that hermit's own tables undo exactly (rules in bench/easy.py), reported apart with
recall on the rest."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from bench.easy import easy, generated_forms
from bench.screening.case import POSITIVE, Case
from bench.screening.evaluate import Outcome
from bench.screening.lookup import NAME_PROPS
from bench.screening.metrics import found
from bench.screening.positives import _seed_of, seed_forms
from hermit.model import Entity


def easy_reasons(cases: list[Case], entities: Iterable[Entity]) -> dict[str, str | None]:
    """Positive case id -> the rule that makes it easy (None: not easy)."""
    by_id = {e.id: e for e in entities}
    seeds = seed_forms()
    out: dict[str, str | None] = {}
    for case in cases:
        if case.group != POSITIVE or case.expected is None:
            continue
        entity = by_id[case.expected]
        names = [v.value for v in entity.values if v.prop in NAME_PROPS]
        forms = _seed_of(entity, seeds)
        generated = generated_forms(forms.hangul) if forms is not None else set()
        out[case.id] = easy(
            case.query.name,
            entity.schema,
            names,
            generated,
            case.query.imo,
            entity.get("imoNumber"),
        )
    return out


def _recall(cases: list[Case], outcomes: dict[str, Outcome]) -> str:
    if not cases:
        return "-"
    return f"{sum(found(c, outcomes[c.id]) for c in cases) / len(cases):.3f}"


def section(
    cases: list[Case], results: dict[str, dict[str, Outcome]], reasons: dict[str, str | None]
) -> str:
    """Markdown: easy share and recall on the easy part and on the rest, per system, and
    the easy share per kind of name damage with the rules that made them easy."""
    from bench.screening.report import table

    positives = [c for c in cases if c.group == POSITIVE]
    easy_cases = [c for c in positives if reasons.get(c.id) is not None]
    rest = [c for c in positives if reasons.get(c.id) is None]
    share = len(easy_cases) / len(positives) if positives else float("nan")
    rows = [
        [
            s,
            str(len(positives)),
            f"{share:.3f}",
            _recall(positives, o),
            _recall(easy_cases, o),
            _recall(rest, o),
        ]
        for s, o in results.items()
    ]
    head = ["system", "positives", "easy share", "recall all", "recall easy", "recall rest"]
    by_kind: dict[str, list[Case]] = defaultdict(list)
    for case in positives:
        by_kind[case.slice("name")].append(case)
    kind_rows = []
    for kind in sorted(by_kind):
        members = by_kind[kind]
        rules = Counter(reasons[c.id] for c in members if reasons.get(c.id) is not None)
        easy_n = sum(rules.values())
        why = ", ".join(f"{r} {n}" for r, n in rules.most_common()) or "-"
        hermit_rest = _recall([c for c in members if reasons.get(c.id) is None], results["hermit"])
        kind_rows.append(
            [kind, str(len(members)), str(easy_n), f"{easy_n / len(members):.3f}", why, hermit_rest]
        )
    kind_head = ["name damage", "positives", "easy", "share", "by rule", "hermit recall rest"]
    return (
        "Easy part (rules in bench/easy.py: a listed string verbatim, or undone exactly by "
        "hermit's own tables):\n\n"
        + table(head, rows)
        + "\n\nBy kind of name damage:\n\n"
        + table(kind_head, kind_rows)
    )
