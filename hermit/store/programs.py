"""Sanctions programs as an analyst names them, and as each list writes them.

``matches_program`` keeps a party when one of its programs is one asked for, ignoring
case: the same name, or that name followed by a number or a qualifier (``DPRK`` matches
OFAC's DPRK3 and DPRK-NKSPEA, ``IRAN`` matches IRAN-HR; ``SDNT`` does not match SDNTK).
A regime the reviewed table ``resources/programs.yaml`` knows stands for every list's
name of it: ``DPRK`` (or ``North Korea``) is also the EU's PRK and EU-PRK and OFSI's
"Democratic People's Republic of Korea".
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources

import yaml


@cache
def _families() -> dict[str, tuple[str, ...]]:
    """Each name an analyst may ask for (case folded) -> the programs it stands for."""
    text = (resources.files("hermit") / "resources" / "programs.yaml").read_text("utf-8")
    out: dict[str, tuple[str, ...]] = {}
    for family in yaml.safe_load(text).values():
        programs = tuple(str(p).casefold() for p in family["programs"])
        for name in family["names"]:
            out[str(name).casefold()] = programs
    return out


def program_names(wanted: Iterable[str]) -> list[str]:
    """The program names ``wanted`` stands for (case folded), each regime the table
    knows expanded to every list's name of it."""
    out: list[str] = []
    for w in wanted:
        name = " ".join(w.split()).casefold()
        if not name:
            continue
        for found in (name, *_families().get(name, ())):
            if found not in out:
                out.append(found)
    return out


def matches_program(programs: Iterable[str], wanted: Iterable[str]) -> bool:
    """Whether any of ``programs`` is one of ``wanted`` (see the module's note)."""
    asked = program_names(wanted)
    for program in programs:
        p = " ".join(program.split()).casefold()
        for w in asked:
            if p == w or (p.startswith(w) and not p[len(w)].isalpha()):
                return True
    return False
