"""Other readings of a name's tokens, each kept beside the name as written (the best
reading of a pair wins, so a reading can only add a way to agree):

- titles and honorifics set aside at the start of a personal name or of its given
  names ("Dr", "Haji", "Lt Col", "Präsident", "Генерал"): rigour's person-name prefixes
  (rigour.names.prefix) and resources/names/titles.yaml;
- numbers written in words or as ordinals read as numbers in the names of
  organizations and vessels ("First" / "1st" / "1", "Forty-Four" / "44", "No. 5" /
  "5", "II" / "2"): the Latin-script forms of rigour's ordinal table (English, German,
  Spanish ...; its Chinese and Russian forms would latinize to syllables of names:
  三 "san", 六 "liu");
- a leading article or vessel prefix set aside ("The World Bank", "M/V EVER GIVEN"):
  rigour's organization and object name prefixes;
- a word written twice in a row read once ("Sergey Sergey Shoigu");
- a legal form after a personal name set aside ("Nicolás Maduro LLC": a sole trader's
  business name).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from hermit.names import derived
from hermit.names.legal_forms import split_legal_forms

#: Longest title or number phrase, in words.
MAX_PHRASE = 4
#: Words a name keeps after its titles are set aside: a title is not taken from a name
#: that would be one word ("Sheik Aminullah" is not "Haji Aminullah").
MIN_LEFT = 2


@dataclass(frozen=True, slots=True)
class Variant:
    tokens: tuple[str, ...]
    how: str


def _tokens(text: str) -> tuple[str, ...]:
    from hermit.names.tokens import name_tokens

    return tuple(name_tokens(text))


def _titles() -> frozenset[tuple[str, ...]]:
    return derived.titles()


def _numbers() -> dict[tuple[str, ...], str]:
    return derived.numbers()


def _typed_twice(tokens: tuple[str, ...]) -> bool:
    """The first word typed twice ("Sergey Sergey Shoigu", "Shoigu Shoigu Sergey"), not
    an initial ("Ku S. S."), not in a chain that repeats words ("Abdul Abdul Manan"),
    and not a repeated name inside ("ABDULLAHI MOHAMED MOHAMED CADDOW")."""
    from hermit.names.structure import structure

    if len(tokens) < 3 or structure(tokens).chain:
        return False
    first, second = tokens[0], tokens[1]  # typed twice at the start ("Sergey Sergey")
    return first == second and len(first) >= 3


@cache
def _prefixes() -> frozenset[tuple[str, ...]]:
    """Articles and vessel prefixes that lead organization and vessel names (The, M/V,
    MV, MT, SS): rigour's org and object name prefixes."""
    from rigour._core import obj_name_prefixes_list, org_name_prefixes_list

    words = [*org_name_prefixes_list(), *obj_name_prefixes_list()]
    return frozenset(t for t in map(_tokens, words) if t)


def _strip_titles(tokens: tuple[str, ...], start: int) -> tuple[tuple[str, ...], list[str]]:
    """Title phrases removed from position ``start`` on (repeatedly: "Lt Col (Rtd)")."""
    return _strip(tokens, _titles(), MIN_LEFT, start)


def _strip(
    tokens: tuple[str, ...], phrases: frozenset[tuple[str, ...]], left: int, start: int = 0
) -> tuple[tuple[str, ...], list[str]]:
    """``phrases`` removed from position ``start`` on, leaving ``left`` words at least."""
    removed: list[str] = []
    out = list(tokens)
    while True:
        for size in range(min(MAX_PHRASE, len(out) - start - left), 0, -1):
            phrase = tuple(out[start : start + size])
            if phrase in phrases:
                removed.append(" ".join(phrase))
                del out[start : start + size]
                break
        else:
            return tuple(out), removed


def _read_numbers(tokens: tuple[str, ...]) -> tuple[tuple[str, ...], list[str]]:
    numbers = _numbers()
    out: list[str] = []
    read: list[str] = []
    i = 0
    while i < len(tokens):
        for size in range(min(MAX_PHRASE, len(tokens) - i), 0, -1):
            phrase = tokens[i : i + size]
            number = numbers.get(phrase)
            if number is not None:
                out.append(number)
                read.append(f"{' '.join(phrase)!r} as {number}")
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return tuple(out), read


@lru_cache(maxsize=1 << 16)
def variants(
    tokens: tuple[str, ...], person: bool | None, given_at: int = 0
) -> tuple[Variant, ...]:
    """Other readings of ``tokens``. ``person``: True for a personal name (titles),
    False for an organization or vessel (numbers), None for unknown (both).
    ``given_at``: where the given names start (after "SURNAME,"), 0 if not known."""
    out: list[Variant] = []
    if person is not False and len(tokens) > 1:
        stripped, removed = _strip_titles(tokens, 0)
        if given_at > 0 and len(stripped) == len(tokens):
            stripped, removed = _strip_titles(tokens, given_at)
        if removed:
            out.append(Variant(stripped, f"title {', '.join(map(repr, removed))} set aside"))
    if person is True and len(tokens) > 2:
        rest, forms = split_legal_forms(" ".join(tokens))
        kept = tuple(rest.split())
        if forms and len(kept) >= 2 and tokens[: len(kept)] == kept:
            out.append(Variant(kept, f"legal form {tokens[len(kept)]!r} set aside"))
    if person is not True:
        read, how = _read_numbers(tokens)
        if how:
            out.append(Variant(read, f"read {', '.join(how)}"))
        stripped, removed = _strip(tokens, _prefixes(), 1)
        if removed:
            out.append(Variant(stripped, f"{removed[0]!r} set aside"))
    once = tuple(t for i, t in enumerate(tokens) if i == 0 or t != tokens[i - 1])
    if once != tokens and _typed_twice(tokens):
        out.append(Variant(once, "a word written twice read once"))
    return tuple(out)
