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
    mention_terms: dict[str, tuple[tuple[str, tuple[str, ...]], ...]]

    def mentions(self, field: str, value: str | None) -> str | None:
        """The first term of ``field`` one of whose words appears anywhere in ``value``."""
        if value is None:
            return None
        folded = _fold(value)
        for term, words in self.mention_terms[field]:
            if any(w in folded for w in words):
                return term
        return None

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
    return Vocabulary(_section(data, "terms", source), _section(data, "mentions", source))


def _section(
    data: dict[str, object], name: str, source: str
) -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    found: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {}
    section = data.get(name) or {}
    if not isinstance(section, dict):
        raise SourceError(source, f"{name}: not a mapping")
    for field, raw in section.items():
        if not isinstance(raw, dict):
            raise SourceError(source, f"{name}.{field}: not a mapping")
        entries = []
        for term, words in raw.items():
            if not isinstance(words, list) or not words:
                raise SourceError(source, f"{name}.{field}.{term}: give a list of words")
            entries.append((str(term), tuple(_fold(str(w)) for w in words)))
        found[str(field)] = tuple(entries)
    return found
