"""A different given-name syllable is a different person, in every spelling the lists
carry. For every listed Korean person (UN and OFAC, DPRK programs or Korean
nationality) and each of their names that reads as a Korean name, each given-name
syllable is replaced by another real syllable (one that other listed Korean names use,
spelled the way they spell it), in that name's own spelling and order; the pair scorer
must not call the result a match. Variants that another name of the same person
spells are left out (the list itself says they are that person)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hermit.model import Entity
from hermit.names.hangul import Key
from hermit.names.korean import Reading, readings
from hermit.names.syllables import classes_match
from hermit.screening import scorer
from hermit.screening.candidates import CandidateIndex
from hermit.screening.engine import listed_from_entities
from hermit.screening.listed import ListedEntity
from hermit.screening.query import Query
from hermit.screening.scorer import PreparedQuery
from hermit.sources.detect import read_list_files
from tests.cli.helpers import hermit

#: Replacements tried per syllable (picked by a hash of the name, so always the same).
PER_SYLLABLE = 2


@dataclass(frozen=True)
class Variant:
    entity_id: str
    listed: str
    query: str


def _korean(entity: Entity) -> bool:
    nationality = entity.get("nationality") + entity.get("citizenship")
    programs = entity.get("program")
    return entity.schema == "Person" and (
        any(p.startswith("DPRK") for p in programs) or bool({"kp", "kr"} & set(nationality))
    )


def _same(a: Key, b: Key) -> bool:
    """One syllable for the lists' Latin spellings, close vowels included (Chol/Chul)."""
    vowels = {frozenset({"O", "U"}), frozenset({"YO", "YU"}), frozenset({"E", "YE"})}
    if not (classes_match(a.initial, b.initial) and classes_match(a.final, b.final)):
        return False
    return classes_match(a.vowel, b.vowel) or any(
        frozenset({x, y}) in vowels for x in a.vowel.split("|") for y in b.vowel.split("|")
    )


def _reading(name: str) -> Reading | None:
    """The name's reading in its own order: LAST, First with a comma, else surname first."""
    for reading in readings(name):
        one_surname = reading.surname is not None and len(reading.surname) == 1
        own_order = ("," in name) == reading.how.startswith(f"{name!r} read LAST")
        if one_surname and reading.given and own_order:
            return reading
    return None


def _spell(name: str, reading: Reading, given: list[str]) -> str:
    surname_token, comma, rest = name.partition(",")
    if not comma:
        surname_token, _, rest = name.partition(" ")
    tokens = rest.replace("-", " ").split()
    sep = "-" if "-" in rest else " " if len(tokens) == len(reading.given) else ""
    text = sep.join(given)
    text = (
        text.upper()
        if rest.strip().isupper()
        else text.title()
        if sep != "-"
        else text.capitalize()
    )
    return f"{surname_token.strip()}{', ' if comma else ' '}{text}"


def _variants(people: list[Entity]) -> list[Variant]:
    named: list[tuple[Entity, str, Reading]] = []
    pool: dict[str, Key] = {}
    for entity in people:
        for name in entity.get("name") + entity.get("alias") + entity.get("weakAlias"):
            reading = _reading(name)
            if reading is None or not name.isascii():
                continue
            named.append((entity, name, reading))
            for i, key in enumerate(reading.given):
                spelled = reading.syllable(i)
                if spelled:
                    pool.setdefault(spelled, key)
    spellings = sorted(pool)
    out: list[Variant] = []
    for entity, name, reading in named:
        others = [r for n in entity.get("name") + entity.get("alias") for r in readings(n)]
        for i, key in enumerate(reading.given):
            if not reading.syllable(i):
                continue
            digest = int(hashlib.sha256(f"{name}/{i}".encode()).hexdigest(), 16)
            choices = [s for s in spellings if not _same(pool[s], key)]
            for k in range(PER_SYLLABLE):
                new = choices[(digest + k * 7919) % len(choices)]
                keys = list(reading.given)
                keys[i] = pool[new]
                if any(
                    len(o.given) == len(keys) and all(map(_same, o.given, keys)) for o in others
                ):
                    continue  # another name of this person spells it so
                given = [reading.syllable(j) for j in range(len(reading.given))]
                given[i] = new
                out.append(Variant(entity.id, name, _spell(name, reading, given)))
    return out


@pytest.fixture(scope="module")
def listed(
    shared_lists: Path,
) -> Iterator[tuple[list[Variant], dict[str, ListedEntity], CandidateIndex]]:
    entities: list[Entity] = []
    for snap in read_list_files(
        [shared_lists / "un_consolidated.xml", shared_lists / "ofac_sdn.csv"]
    ):
        entities += snap.entities
    people = [e for e in entities if _korean(e)]
    prepared = listed_from_entities(entities)
    yield _variants(people), prepared, CandidateIndex(prepared)


def test_every_listed_korean_person_is_varied(
    listed: tuple[list[Variant], dict[str, ListedEntity], CandidateIndex],
) -> None:
    variants, _, _ = listed
    assert len({v.entity_id for v in variants}) >= 200
    assert len(variants) >= 1000
    assert any(
        v.listed == "KIM, Young-Chul" and v.query.startswith("KIM, Young-") for v in variants
    )


def test_one_different_given_syllable_is_never_a_match(
    listed: tuple[list[Variant], dict[str, ListedEntity], CandidateIndex],
) -> None:
    variants, entities, index = listed
    wrong = []
    for variant in variants:
        prepared = PreparedQuery.of(Query(name=variant.query, schema="Person"), index.token_weight)
        match = scorer.score(prepared, entities[variant.entity_id])
        if match.is_match:
            wrong.append((variant, match.score, match.contributions[0].reason))
    assert not wrong, f"{len(wrong)} of {len(variants)}: {wrong[:10]}"


def test_kim_yong_chun_is_not_kim_yong_chol(lists_store: Path) -> None:
    """The demo's case, through the real command: the OFAC alias "KIM, Young-Chul" of
    ofac-12211 is read Young-chul and its second syllable differs from chun."""
    proc = hermit(lists_store, "screen", "Kim Yong Chun", "--json")
    import orjson

    data = orjson.loads(proc.stdout)
    for match in data["matches"]:
        assert not (match["entity_id"] == "ofac-12211" and match["is_match"]), match
