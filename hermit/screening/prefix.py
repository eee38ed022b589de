"""Names as they are typed: the listed entities with a word that begins with a partial
last word ("Chongch" -> CHONGCHONGANG SHIPPING COMPANY, "Ocean Mari" -> OCEAN MARITIME
MANAGEMENT COMPANY).

The screening index compares whole words (with one-typo neighbours), so a word cut off
while typing finds little. ``PrefixIndex`` keeps every word of every listed name (each
reading, and each name written together) in sorted order, so the words beginning with a
prefix are one range. ``complete`` gives, for a query whose last word is partial, the
entities with a word beginning with it that also hold every whole word before it, each
with the name the query evidently means (the partial word completed), for the engine to
score.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass

from hermit.screening.listed import ListedEntity
from hermit.screening.text import name_tokens

#: A partial word shorter than this says too little to look words up by.
MIN_PREFIX = 3
#: At most this many entities are completed for one query (the shortest words first).
MAX_COMPLETIONS = 500


@dataclass(frozen=True, slots=True)
class Completion:
    """An entity a partial query may mean, with the query's words completed."""

    entity_id: str
    word: str  # the listed word the partial last word begins
    name: str  # the query with its last word completed to ``word``


class PrefixIndex:
    """Every word of the listed names, sorted, with the entities that hold it."""

    def __init__(self, entities: Mapping[str, ListedEntity]) -> None:
        pairs: set[tuple[str, str]] = set()
        for eid, entity in entities.items():
            for word in entity.vocabulary_list:
                pairs.add((word, eid))
            for joined in entity.joined:
                pairs.add((joined, eid))
        self._pairs = sorted(pairs)
        self._words = [word for word, _ in self._pairs]
        self._entities = entities

    def __len__(self) -> int:
        return len(self._pairs)

    def complete(self, text: str, limit: int = MAX_COMPLETIONS) -> list[Completion]:
        """The entities ``text`` may mean when its last word is cut off: one of their
        words begins with it (and is longer), and they hold each whole word before it.
        Shortest completions first, then alphabetical, then by entity id."""
        words = name_tokens(text)
        if not words or len(words[-1]) < MIN_PREFIX:
            return []
        *whole, partial = words
        start = bisect_left(self._words, partial)
        best: dict[str, str] = {}
        for word, eid in self._pairs[start:]:
            if not word.startswith(partial):
                break
            if word == partial or (eid in best and len(best[eid]) <= len(word)):
                continue
            if all(w in self._entities[eid].vocabulary for w in whole):
                best[eid] = word
        ranked = sorted(best.items(), key=lambda item: (len(item[1]), item[1], item[0]))
        head = " ".join(whole)
        return [
            Completion(eid, word, f"{head} {word}" if head else word)
            for eid, word in ranked[:limit]
        ]
