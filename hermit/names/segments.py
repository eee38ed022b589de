"""Names written together on one side and apart on the other: "Chongchongang" and
"CHONG CHON GANG", "Rungrado" and "RUNG RA DO", "Abdulrahman" and "ABDUL RAHMAN".

Before two token lists are paired, a run of two to four adjacent words on one side
that, written together, is a word of the other side (as spelled, or with the spelling
variation of romanized names folded) is merged into that word.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache

MAX_RUN = 4
MIN_JOINED = 4
#: Runs of adjacent words are also looked up written together (Jong Un -> jongun, Abu
#: Rusdan -> aburusdan, Rung Ra Do -> rungrado) when each word is at most JOINED_WORD
#: letters, the run at most MAX_RUN words and together at most JOINED_MAX letters.
JOINED_MAX = 16
JOINED_WORD = 8


@lru_cache(maxsize=1 << 16)
def joined_runs(tokens: tuple[str, ...]) -> frozenset[str]:
    """Runs of 2..MAX_RUN adjacent short words written together (see JOINED_MAX)."""
    out: set[str] = set()
    for start in range(len(tokens)):
        text = ""
        for end in range(start, min(start + MAX_RUN, len(tokens))):
            word = tokens[end]
            if len(word) > JOINED_WORD or word.isdigit():
                break
            text += word
            if len(text) > JOINED_MAX:
                break
            if end > start:
                out.add(text)
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class Resegmented:
    query: tuple[str, ...]
    listed: tuple[str, ...]
    #: listed position before -> after the merges (edges move with their words)
    listed_at: tuple[int, ...]
    notes: tuple[str, ...]


@lru_cache(maxsize=1 << 16)
def _runs(tokens: tuple[str, ...], key: Callable[[str], str]) -> dict[str, tuple[int, int]]:
    """Every run of 2..MAX_RUN adjacent words (no numbers) written together, and its
    key, -> (start, size); the longest run first where two give the same string."""
    out: dict[str, tuple[int, int]] = {}
    for size in range(MAX_RUN, 1, -1):
        for start in range(len(tokens) - size + 1):
            run = tokens[start : start + size]
            if any(t.isdigit() for t in run):
                continue
            joined = "".join(run)
            if len(joined) >= MIN_JOINED:
                out.setdefault(joined, (start, size))
                out.setdefault("~" + key(joined), (start, size))
    return out


def run_keys(tokens: tuple[str, ...], key: Callable[[str], str]) -> frozenset[str]:
    """What ``resegment`` looks a word up in among ``tokens``' runs: each run written
    together, and ``"~" + key(run)`` (hermit.screening.features.name_bound holds a word
    to the runs it may be merged with)."""
    return frozenset(_runs(tokens, key))


@lru_cache(maxsize=1 << 16)
def _long_words(tokens: tuple[str, ...]) -> frozenset[str]:
    """The words that may be a run of the other side's words written together (at
    least MIN_JOINED letters, not a number): the same for every pair a name is in."""
    return frozenset(t for t in tokens if len(t) >= MIN_JOINED and not t.isdigit())


def _found(
    tokens: tuple[str, ...], targets: AbstractSet[str], key: Callable[[str], str]
) -> dict[int, tuple[int, str]]:
    """start -> (size, target) of the runs of ``tokens`` that are one of ``targets``."""
    runs = _runs(tokens, key)
    found: dict[int, tuple[int, str]] = {}
    if not runs:
        return found
    for target in sorted(targets):
        hit = runs.get(target) or runs.get("~" + key(target))
        if hit is not None and hit[0] not in found:
            found[hit[0]] = (hit[1], target)
    return found


def _merge(
    tokens: tuple[str, ...], found: dict[int, tuple[int, str]]
) -> tuple[tuple[str, ...], tuple[int, ...], list[str]]:
    """The runs ``found`` merged into their words."""
    out: list[str] = []
    at: list[int] = []
    notes: list[str] = []
    i = 0
    while i < len(tokens):
        if i in found:
            size, target = found[i]
            notes.append(f"{' '.join(tokens[i : i + size])!r} written together as {target!r}")
            at.extend([len(out)] * size)
            out.append(target)
            i += size
            continue
        at.append(len(out))
        out.append(tokens[i])
        i += 1
    return tuple(out), tuple(at), notes


def resegment(
    query: Sequence[str], listed: Sequence[str], key: Callable[[str], str]
) -> Resegmented | None:
    """The two token lists with runs merged where the other side writes them as one
    word, or None when nothing merges (always None for as many words on both sides).
    Words agree written as they are or when their ``key`` is the same (the spelling
    variation of romanized names folded away)."""
    q, lst = tuple(query), tuple(listed)
    if len(q) == len(lst):
        return None  # as many words on both sides: nothing to merge
    only_q = _long_words(q).difference(lst)
    only_l = _long_words(lst).difference(q)
    if not only_q and not only_l:
        return None
    in_listed = _found(lst, only_q, key) if only_q and len(lst) > 1 else {}
    in_query = _found(q, only_l, key) if only_l and len(q) > 1 else {}
    if not in_listed and not in_query:
        return None
    notes: list[str] = []
    listed_at = tuple(range(len(lst)))
    if in_listed:
        lst, listed_at, found = _merge(lst, in_listed)
        notes += found
    if in_query:
        q, _, found = _merge(q, in_query)
        notes += found
    return Resegmented(q, lst, listed_at, tuple(notes))
