"""The candidate index ``hermit-candidates@3``: which listed entities a query may be.

Scoring every listed entity for every query is what makes screening slow, so the
scorer only sees the entities this index retrieves. Every listed name gives keys:

- its Latin tokens (of every reading: as written, transliterated, romanized), and for
  organizations and vessels their canonical words with legal forms set aside;
- for a typo, every token of four letters or more is also reached through its
  one-letter deletions (a query token one edit away finds it);
- for a Korean personal name in any script and romanization, its surname and the first
  consonant of the given name, as hermit-korean@3 reads them (Choe/Chwe/Choi/최/Цой
  meet on one key);
- for every name, runs of two to four adjacent short words written together (``j:``;
  a query word "Aburusdan" finds "ABU RUSDAN", "Rungrado" finds "RUNG RA DO"); a query
  looks its own runs up among the listed words, so "Rung Ra Do" finds "RUNGRADO";
- for a name written with initials, each full word with the first letters of the
  others;
- the consonant skeleton of every word (``v:``), for queries in scripts that write no
  short vowels (محمد finds MUHAMMAD and MOHAMED on ``v:mhmd``);
- its identifiers (IMO, MMSI, passport, registration numbers) by kind;
- the whole name, normalised and written together (``n:``; "CHONG CHON GANG" and
  "Chongchongang" share ``n:chongchongang``), and for a person its words in sorted
  order (``s:``; "AUNG, Aung" and "Aung Aung").

A query collects the same keys. Each listed entity accumulates, per query token, the
best weight of the keys it shares (inverse document frequency; a fuzzy hit counts
less), and the ``limit`` best are the candidates. Query words are taken rarest first;
a common one (on more than COMMON_SHARE of the entities) only adds to entities already
found once there are enough of them. An entity sharing an identifier with
the query, or whose whole name is the query's (``n:``, ``s:``), is always a candidate,
however common its words ("AUNG, Aung", the vessel MARIA): such pins come first. The
share of true matches that reach scoring (candidate recall) is measured by
bench/screening and held in tests.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter

from hermit.limits import screening_limits
from hermit.names import korean
from hermit.names.segments import joined_runs
from hermit.screening.identifiers import IdentifierKind
from hermit.screening.key_groups import KeyGroup, group_cache, lookup
from hermit.screening.listed import ListedEntity, ListedName

ALGORITHM = "hermit-candidates@3"
DEFAULT_LIMIT = 10
FUZZY_WEIGHT = 0.7
MIN_FUZZY_LENGTH = 4
KOREAN_WEIGHT_FLOOR = 2.0
#: A query key on more than this share of the entities (and at least COMMON_MIN) only
#: re-ranks the entities rarer keys found.
COMMON_SHARE = 0.02
COMMON_MIN = 50
#: Skeletons shorter than this are not keys (the article al leaves l).
SKELETON_MIN = 2
#: Candidates sharing less than this share of the best candidate's weight are dropped.
RELATIVE_FLOOR = 0.3


def name_keys(name: ListedName, is_person: bool) -> set[str]:
    """The retrieval keys of one listed name (the whole-name keys apart: exact_keys)."""
    keys = {f"t:{t}" for form in name.forms for t in form}
    keys.update(f"t:{t}" for t in name.org_tokens)
    for form in (*name.forms, name.org_tokens, *name.org_alt):
        keys.update(f"t:{t}" for t in form)
        keys.update(f"j:{j}" for j in joined_runs(form))
    keys.update(f"v:{w}" for form in name.skeletons for w in form if len(w) >= SKELETON_MIN)
    if is_person:
        keys.update(korean_keys(name.readings))
        for form in name.forms:
            keys.update(initials_keys(form))
    return keys


def exact_keys(forms: Iterable[tuple[str, ...]], is_person: bool) -> set[str]:
    """Whole-name keys: the words written together (``n:``) and, for a person, the
    words in sorted order (``s:``; the order of LAST, First is not the query's)."""
    keys: set[str] = set()
    for form in forms:
        if form:
            keys.add("n:" + "".join(form))
            if is_person and len(form) > 1:
                keys.add("s:" + " ".join(sorted(form)))
    return keys


def initials_keys(tokens: tuple[str, ...]) -> set[str]:
    """For a name written with initials: each full word with the first letters of all
    the other words ("A. S. H. Al-Tikriti" and "ALI SADDAM HUSSEIN AL-TIKRITI" share
    ``x:tikriti:a.a.h.s``)."""
    if len(tokens) < 2 or len(tokens) > 8:
        return set()
    keys = set()
    for i, token in enumerate(tokens):
        if len(token) >= 2:
            others = sorted(t[0] for j, t in enumerate(tokens) if j != i)
            keys.add(f"x:{token}:{'.'.join(others)}")
    return keys


def korean_keys(readings: Iterable[korean.Reading]) -> set[str]:
    """Surname plus each alternative of the given name's first consonant class, and
    (finer, so the right person ranks first) surname plus every given syllable's."""
    keys: set[str] = set()
    for reading in readings:
        if reading.surname is None or not reading.given:
            continue
        surname = "".join(map(str, reading.surname))
        for initial in reading.given[0].initial.split("|"):
            keys.add(f"k:{surname}:{initial}")
        initials: list[str] = [""]
        for syllable in reading.given:
            initials = [f"{p}.{i}" for p in initials for i in syllable.initial.split("|")][:8]
        keys.update(f"k:{surname}:{i}" for i in initials)
    return keys


def deletions(token: str) -> set[str]:
    """The token and every string one deletion away from it."""
    return {token} | {token[:i] + token[i + 1 :] for i in range(len(token))}


@dataclass(frozen=True, slots=True)
class QueryKeys:
    """A query's retrieval keys, grouped: one group per query token (its own key and
    its fuzzy neighbours) plus one for its Korean readings."""

    groups: tuple[KeyGroup, ...]
    identifiers: tuple[tuple[IdentifierKind, str], ...]
    whole: tuple[str, ...] = ()  # whole-name keys (exact_keys)


class CandidateIndex:
    """Inverted index from name keys and identifiers to listed entities."""

    #: Resolved key groups kept (the same words recur from query to query), counted in
    #: the entities they reach: a few tens of bytes each.
    CACHED_ENTRIES = 1 << 20

    def __init__(self, entities: dict[str, ListedEntity]) -> None:
        self.entities = entities
        self.ids: list[str] = list(entities)
        postings: dict[str, list[int]] = defaultdict(list)
        by_identifier: dict[tuple[IdentifierKind, str], list[int]] = defaultdict(list)
        whole: dict[str, list[int]] = defaultdict(list)
        for ordinal, entity in enumerate(entities.values()):
            entity.seal()
            person = entity.schema == "Person"
            keys: set[str] = set()
            exact: set[str] = set()
            for name in entity.names:
                keys |= name_keys(name, person)
                exact |= exact_keys((*name.forms, name.org_tokens, *name.org_alt), person)
            for key in keys:
                postings[key].append(ordinal)
            for key in exact:
                whole[key].append(ordinal)
            for kind, values in entity.identifiers.items():
                for value in values:
                    by_identifier[(kind, value)].append(ordinal)
        total = max(len(self.ids), 1)
        self.postings: dict[str, tuple[int, ...]] = {k: tuple(v) for k, v in postings.items()}
        self.weights: dict[str, float] = {
            k: math.log(1 + total / len(v)) for k, v in self.postings.items()
        }
        for key in self.weights:
            if key.startswith("k:"):
                self.weights[key] = max(self.weights[key], KOREAN_WEIGHT_FLOOR)
        scale = math.log(1 + total)
        #: Word weights for scoring: inverse document frequency scaled to 0..1.
        self.word_weights = {
            k[2:]: w / scale for k, w in self.weights.items() if k.startswith("t:")
        }
        #: Skeleton words keep their prefix (``v:mhmd``): the name feature asks so.
        self.word_weights.update(
            (k, w / scale) for k, w in self.weights.items() if k.startswith("v:")
        )
        #: Common keys (see COMMON_SHARE), as sets for membership tests.
        common = max(COMMON_MIN, int(total * COMMON_SHARE))
        self.common = {k: frozenset(v) for k, v in self.postings.items() if len(v) > common}
        self.by_identifier = {k: tuple(v) for k, v in by_identifier.items()}
        #: Whole-name keys (exact_keys) -> the entities that have that name.
        self.whole = {k: tuple(v) for k, v in whole.items()}
        neighbours: dict[str, set[str]] = defaultdict(set)
        for key in self.postings:
            if key.startswith("t:") and len(key) - 2 >= MIN_FUZZY_LENGTH:
                for variant in deletions(key[2:]):
                    neighbours[variant].add(key[2:])
        self.neighbours = {k: tuple(sorted(v)) for k, v in neighbours.items()}
        self._fresh_caches()

    #: Attributes made again in every process, never persisted (see state).
    TRANSIENT = ("_groups",)

    def _fresh_caches(self) -> None:
        self._groups = group_cache(self.CACHED_ENTRIES)

    def state(self) -> dict[str, object]:
        """The attributes that make the index (what is persisted: no caches)."""
        return {k: v for k, v in vars(self).items() if k not in self.TRANSIENT}

    @classmethod
    def from_state(cls, state: dict[str, object]) -> CandidateIndex:
        """The index of a persisted ``state``."""
        index = cls.__new__(cls)
        index.__setstate__(state)
        return index

    def __getstate__(self) -> dict[str, object]:
        return self.state()

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._fresh_caches()

    def token_weight(self, token: str) -> float | None:
        """A word's inverse document frequency among the listed entities' names (None
        for a word no listed name has)."""
        return self.word_weights.get(token)

    def _resolve(self, keys: dict[str, float]) -> KeyGroup:
        """``keys`` (with their weights) resolved for the lookup."""
        common = None
        if all(k in self.common for k in keys):
            ascending = sorted(keys.items(), key=itemgetter(1))
            common = tuple((self.common[k], w) for k, w in ascending)
        return KeyGroup.of([(self.postings.get(k, ()), w) for k, w in keys.items()], common)

    def _group(self, keys: dict[str, float]) -> KeyGroup:
        """The same, cached (group_cache)."""
        cache_key = tuple(keys)
        found = self._groups.get(cache_key, False)
        if isinstance(found, KeyGroup):
            return found
        group = self._resolve(keys)
        self._groups.put(cache_key, group)
        return group

    def _word_group(self, token: str) -> KeyGroup | None:
        """The key group of a query word: its own key, the key of the listed words it
        writes apart, and its fuzzy neighbours'."""
        found = self._groups.get(token, False)
        if found is None or isinstance(found, KeyGroup):  # None: a word with no keys
            return found
        group: dict[str, float] = {}
        exact = f"t:{token}"
        if exact in self.weights:
            group[exact] = self.weights[exact]
        together = f"j:{token}"  # a word the listed name writes apart
        if together in self.weights:
            group[together] = self.weights[together]
        if MIN_FUZZY_LENGTH <= len(token) <= screening_limits().max_fuzzy_word_chars:
            near: set[str] = set()
            for variant in deletions(token):
                near.update(self.neighbours.get(variant, ()))
            for other in sorted(near - {token}):
                key = f"t:{other}"
                group[key] = max(group.get(key, 0.0), self.weights[key] * FUZZY_WEIGHT)
        resolved = self._resolve(group) if group else None
        self._groups.put(token, resolved)
        return resolved

    def query_keys(
        self,
        tokens: Iterable[str],
        readings: Iterable[korean.Reading],
        identifiers: Iterable[tuple[IdentifierKind, str]] = (),
        written: Iterable[tuple[str, ...]] = (),
        skeleton_words: Iterable[str] = (),
    ) -> QueryKeys:
        """The query's keys from its words, Korean readings, identifiers and its
        ``written`` token lists (every form of the name: whole-name keys, words written
        together, initials) and, for a query in a script without short vowels, the
        words of its consonant skeletons."""
        written = [tuple(w) for w in written]
        groups: list[KeyGroup] = []
        joined = {j for form in written for j in joined_runs(form)}
        words = set(tokens)
        for token in sorted(words | joined):  # sorted: the same order in every process
            if token in words:
                found = self._word_group(token)
                if found is not None:
                    groups.append(found)
            elif (exact := f"t:{token}") in self.weights:  # a run of words written together
                groups.append(self._group({exact: self.weights[exact]}))
        for word in sorted(set(skeleton_words)):
            key = f"v:{word}"
            if key in self.weights:
                groups.append(self._group({key: self.weights[key]}))
        korean_group = {
            k: self.weights[k] for k in sorted(korean_keys(readings)) if k in self.weights
        }
        if korean_group:
            groups.append(self._group(korean_group))
        initials = {
            k
            for tokens in written
            if any(len(t) == 1 for t in tokens)
            for k in initials_keys(tokens)
            if k in self.weights
        }
        if initials:
            groups.append(self._group({k: self.weights[k] for k in sorted(initials)}))
        whole = tuple(sorted(k for k in exact_keys(written, True) if k in self.whole))
        return QueryKeys(tuple(groups), tuple(identifiers), whole)

    def candidates(self, keys: QueryKeys, limit: int = DEFAULT_LIMIT) -> list[str]:
        """The ids of the ``limit`` entities sharing the most weight with the query,
        after every entity sharing an identifier or its whole name with it.

        Each group gives an entity the best weight of its keys the entity has (the keys
        applied in ascending weight, each overwriting: the last, best one stays), added
        to the entity's total group after group in the order of the groups, rarest
        first; a group of common keys only, once ``limit`` entities are found, counts
        for those alone. Ties in total are broken by index order, so that every process
        keeps the same candidates."""
        pinned: dict[int, None] = {}
        for kind, value in keys.identifiers:
            for ordinal in self.by_identifier.get((kind, value), ()):
                pinned[ordinal] = None
        for key in keys.whole:
            for ordinal in self.whole[key]:
                pinned[ordinal] = None
        top = lookup(keys.groups, limit)
        floor = top[0][1] * RELATIVE_FLOOR if top else 0.0
        ranked = [o for o, total in top if total >= floor]
        chosen = list(pinned) + [o for o in ranked if o not in pinned]
        return [self.ids[o] for o in chosen]
