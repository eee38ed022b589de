"""What each word of a personal name is, beyond a name: a particle (de, van, dos), a
patronymic (Viktorovich, oglu), a chain connector (bin, ibn, ould), and whether the
name is a patrilineal chain (al-, abu, abd): tables in resources/names/name_parts.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from hermit.names.tables import load

PARTICLE = "particle"
PATRONYMIC = "patronymic"
CONNECTOR = "connector"
WORD = "word"


@cache
def _parts() -> dict[str, frozenset[str]]:
    data = load("name_parts")
    return {key: frozenset(str(w) for w in data[key]) for key in data}


@dataclass(frozen=True, slots=True)
class Structure:
    roles: tuple[str, ...]  # one per token: WORD, PARTICLE, PATRONYMIC, CONNECTOR
    chain: bool  # a patrilineal chain (Arabic-style name)

    def connector_pairs(self) -> tuple[tuple[int, int], ...]:
        """(before, after) token positions around each connector: X bin Y."""
        out = []
        for i, role in enumerate(self.roles):
            if role == CONNECTOR and 0 < i < len(self.roles) - 1:
                out.append((i - 1, i + 1))
        return tuple(out)


def _role(token: str, index: int, size: int) -> str:
    parts = _parts()
    if token in parts["connectors"] and 0 < index < size - 1:
        return CONNECTOR
    if token in parts["particles"] and 0 < index < size - 1:
        return PARTICLE
    if token in parts["patronymic_words"] and index > 0:
        return PATRONYMIC
    if index > 0 and len(token) >= 6 and token.endswith(tuple(parts["patronymic_endings"])):
        return PATRONYMIC
    return WORD


@lru_cache(maxsize=1 << 16)
def structure(tokens: tuple[str, ...]) -> Structure:
    """The roles of a name's words (lower-case Latin tokens)."""
    size = len(tokens)
    roles = tuple(_role(t, i, size) for i, t in enumerate(tokens))
    chain = CONNECTOR in roles or bool(set(tokens) & _parts()["chain_markers"])
    return Structure(roles, chain)
