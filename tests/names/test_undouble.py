"""fold's undoubling (hermit.names.similarity._undouble) gives what the regular
expression it replaced gives, ``re.sub(r"(.)\\1+", r"\\1", text)``, to the character:
a fold that moved would move every comparison and bound that reads it."""

from __future__ import annotations

import random
import re

from hermit.names.similarity import _undouble, fold

_DOUBLED = re.compile(r"(.)\1+")


def test_the_regular_expression_s_result() -> None:
    rng = random.Random(20261204)
    letters = "aabbkhoouu-'\n 1ŏ김"
    for _ in range(20000):
        text = "".join(rng.choice(letters) for _ in range(rng.randint(0, 12)))
        assert _undouble(text) == _DOUBLED.sub(r"\1", text)


def test_fold_still_folds() -> None:
    assert fold("dawood") == fold("dawud") == "davud"
    assert fold("mohammed") == fold("mohamed")
