"""What the words of labour records mean (``resources/compliance/vocabulary.yaml``):
a value is read as the first term of its field whose prefixes it starts with."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from hermit.errors import SourceError


def _fold(text: str) -> str:
    return " ".join(text.split()).lower().replace("ё", "е")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    terms: dict[str, tuple[tuple[str, tuple[str, ...]], ...]]

    def term(self, field: str, value: str | None) -> str | None:
        """The term ``value`` means in ``field`` (None if blank or unknown)."""
        if value is None:
            return None
        folded = _fold(value)
        for term, prefixes in self.terms[field]:
            if folded.startswith(prefixes):
                return term
        return None


@cache
def vocabulary() -> Vocabulary:
    source = "built-in vocabulary.yaml"
    ref = resources.files("hermit") / "resources" / "compliance" / "vocabulary.yaml"
    data = yaml.safe_load(ref.read_text(encoding="utf-8"))
    terms: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {}
    for field, raw in (data.get("terms") or {}).items():
        if not isinstance(raw, dict):
            raise SourceError(source, f"terms.{field}: not a mapping")
        entries = []
        for term, prefixes in raw.items():
            if not isinstance(prefixes, list) or not prefixes:
                raise SourceError(source, f"terms.{field}.{term}: give a list of prefixes")
            entries.append((str(term), tuple(_fold(str(p)) for p in prefixes)))
        terms[str(field)] = tuple(entries)
    return Vocabulary(terms)
