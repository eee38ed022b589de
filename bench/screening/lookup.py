"""Every listed name, to keep negatives off the lists and to find a query's namesakes.

Two tests of "the same name as a listed one": identical after normalisation (case,
accents, punctuation, script latinized, word order), and for Korean personal names the
same name under hermit's Korean reading (surname and given syllables agree, spelling
noise aside: ``KIM YONG CHOL`` = ``김영철`` = ``Kim Young-chul``). The second uses
hermit.names.korean, as bench/korean_names does: a name hermit cannot read as Korean is
only kept off the lists by the first test.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from normality import normalize

from hermit.model import Entity
from hermit.names import korean
from hermit.names.script import OTHER, detect_script

#: Name properties that name the entity (weak aliases included: a negative that is a
#: listed weak alias is not a clean negative).
NAME_PROPS = ("name", "alias", "weakAlias", "previousName")
SAME_KOREAN_NAME = 0.85  # hermit-korean@1: same syllables, at most two close vowels
_APOSTROPHES = re.compile(r"['\u2019\u2018\u02bc`´]")


def normalise(name: str) -> str:
    """Lower-case Latin words in sorted order (``KIM, Yong-Chol`` = ``chol kim yong``)."""
    text = normalize(_APOSTROPHES.sub("", name), lowercase=True, latinize=True) or ""
    return " ".join(sorted(text.replace("-", " ").split()))


def script_label(name: str) -> str:
    """latin, hangul, han, cyrillic or mixed (hermit's detection); other scripts by the
    Unicode name of their first letter (arabic, devanagari, hiragana ...)."""
    script = detect_script(name.replace(" ", ""))
    if script != OTHER:
        return script
    for char in name:
        if char.isalpha():
            return unicodedata.name(char, "OTHER").split()[0].lower()
    return "other"


def korean_surname_keys(name: str) -> set[str]:
    return {"".join(map(str, r.surname)) for r in korean.readings(name) if r.surname is not None}


class ListedNames:
    """Listed names of screened entities: normalised name -> ids, Korean surname ->
    person names."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.by_normal: dict[str, set[str]] = defaultdict(set)
        self.korean: dict[str, set[str]] = defaultdict(set)
        self.dataset: dict[str, str] = {}
        for entity in entities:
            if entity.schema not in ("Person", "Organization", "Vessel", "Airplane"):
                continue
            self.dataset[entity.id] = entity.dataset
            for prop in NAME_PROPS:
                for name in entity.get(prop):
                    self.by_normal[normalise(name)].add(entity.id)
                    if entity.schema == "Person":
                        for key in korean_surname_keys(name):
                            self.korean[key].add(name)

    def ids_named(self, name: str, dataset: str | None = None) -> set[str]:
        """Ids carrying ``name`` (normalised), optionally in one dataset only."""
        found = self.by_normal.get(normalise(name), set())
        return {i for i in found if dataset is None or self.dataset[i] == dataset}

    def is_listed(self, name: str) -> bool:
        return bool(self.by_normal.get(normalise(name)))

    def same_korean_name(self, name: str) -> str | None:
        """A listed person name that is ``name`` under hermit's Korean reading."""
        for key in sorted(korean_surname_keys(name)):
            for listed in sorted(self.korean.get(key, ())):
                found = korean.compare_names(name, listed)
                if found is not None and found.score >= SAME_KOREAN_NAME:
                    return listed
        return None
