"""Names written together on one side and apart on the other: "Chongchongang" and
"CHONG CHON GANG", "Rungrado" and "RUNG RA DO", "Abdulrahman" and "ABDUL RAHMAN".

Before two token lists are paired, a run of two to four adjacent words on one side
that, written together, is a word of the other side (as spelled, or with the spelling
variation of romanized names folded) is merged into that word.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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


def _merge(
    tokens: tuple[str, ...], targets: set[str], same: Callable[[str, str], bool]
) -> tuple[tuple[str, ...], tuple[int, ...], list[str]]:
    """Runs of ``tokens`` written together that are one of ``targets``, merged."""
    out: list[str] = []
    at: list[int] = []
    notes: list[str] = []
    i = 0
    while i < len(tokens):
        merged = False
        for size in range(min(MAX_RUN, len(tokens) - i), 1, -1):
            run = tokens[i : i + size]
            joined = "".join(run)
            if len(joined) < MIN_JOINED or any(t.isdigit() for t in run):
                continue
            match = next((t for t in targets if same(joined, t)), None)
            if match is not None:
                notes.append(f"{' '.join(run)!r} written together as {match!r}")
                at.extend([len(out)] * size)
                out.append(match)
                i += size
                merged = True
                break
        if not merged:
            at.append(len(out))
            out.append(tokens[i])
            i += 1
    return tuple(out), tuple(at), notes


def resegment(
    query: Sequence[str], listed: Sequence[str], same: Callable[[str, str], bool]
) -> Resegmented | None:
    """The two token lists with runs merged where the other side writes them as one
    word, or None when nothing merges. ``same(joined, word)``: do they agree."""
    q, lst = tuple(query), tuple(listed)
    only_q = {t for t in q if len(t) >= MIN_JOINED and not t.isdigit()} - set(lst)
    only_l = {t for t in lst if len(t) >= MIN_JOINED and not t.isdigit()} - set(q)
    if not only_q and not only_l:
        return None
    notes: list[str] = []
    listed_at = tuple(range(len(lst)))
    if only_q and len(lst) > 1:
        lst, listed_at, found = _merge(lst, only_q, same)
        notes += found
    if only_l and len(q) > 1:
        q, _, found = _merge(q, only_l, same)
        notes += found
    if not notes:
        return None
    return Resegmented(q, lst, listed_at, tuple(notes))
