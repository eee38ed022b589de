"""The name bound asks rapidfuzz for the names written together with a cut-off
(name_bound.JOINED_CUTOFF, a little below JOINED_MIN): the ratio it then finds must be
the one found without it wherever the bound counts it (JOINED_MIN or more), or the
bound could fall below the comparison."""

from __future__ import annotations

import random

from rapidfuzz import fuzz, process

from hermit.names.compare import JOINED_MIN
from hermit.screening.features.name_bound import EPSILON, JOINED_CUTOFF

LETTERS = "abcdehiklmnosuy"


def _damaged(rng: random.Random, text: str) -> str:
    out = list(text)
    for _ in range(rng.randint(0, 2)):
        at = rng.randrange(len(out)) if out else 0
        step = rng.random()
        if step < 0.33 and out:
            out.pop(at)
        elif step < 0.66:
            out.insert(at, rng.choice(LETTERS))
        elif out:
            out[at] = rng.choice(LETTERS)
    return "".join(out)


def _counted(found: tuple[str, float, int] | None) -> float | None:
    if found is None or found[1] / 100.0 < JOINED_MIN - EPSILON:
        return None
    return found[1]


def test_the_cut_off_changes_no_ratio_the_bound_counts() -> None:
    rng = random.Random(20261204)
    counted = 0
    for _ in range(20000):
        name = "".join(rng.choice(LETTERS) for _ in range(rng.randint(4, 30)))
        joined = [_damaged(rng, name) for _ in range(rng.randint(1, 4))]
        joined.append("".join(rng.choice(LETTERS) for _ in range(rng.randint(3, 30))))
        text = _damaged(rng, name)
        plain = _counted(process.extractOne(text, joined, scorer=fuzz.ratio))
        cut = _counted(
            process.extractOne(text, joined, scorer=fuzz.ratio, score_cutoff=JOINED_CUTOFF)
        )
        assert cut == plain, (text, joined)
        counted += plain is not None
    assert counted > 5000  # both sides of JOINED_MIN met
