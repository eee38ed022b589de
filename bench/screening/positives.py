"""Positive cases: every UN person and organization, and OFAC's DPRK people,
organizations and vessels, each queried as screening input carries them.

For every entity, one case per kind of name damage that applies to it (``exact`` as a
control, ``alias``, ``typo``, ``swap``, ``drop-part``, ``initials``, ``translit``,
``other-script``, ``joined`` for people; ``legal-form`` for organizations; ``renamed``
for vessels, queried by IMO under a new name). Each case draws, from a random source
seeded by the entity id, a date of birth (exact, shifted by a day / a month / a year,
or missing), and whether nationality, passport or country are given. Transliteration
and other scripts of Korean names come from bench/korean_names/seed.tsv (hand-written
Hangul, Hanja and Russian forms of 145 listed DPRK people), romanized by hermit's
tables; other names get known respellings (damage.py).
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, replace

from bench.korean_names.cases import _romanized, _seed
from bench.screening import damage
from bench.screening.case import POSITIVE, Case, build_query
from bench.screening.lookup import ListedNames, script_label
from hermit.model import Entity
from hermit.names import hangul, korean

SEED = 20261124
SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
SHIP_WORDS = ("OCEAN", "SEA", "PACIFIC", "GOLDEN", "GRAND", "BLUE", "EASTERN", "LUCKY", "HAI")
SHIP_NOUNS = ("STAR", "GLORY", "PEARL", "FORTUNE", "WAY", "DRAGON", "WIND", "BRIDGE", "HARMONY")


@dataclass(frozen=True, slots=True)
class SeedForms:
    """A listed DPRK person's name as written by hand in the korean_names seed."""

    hangul: str
    hanja: str
    russian: str


def seed_forms() -> dict[str, SeedForms]:
    """Listed name (as the list writes it) -> its hand-written forms."""
    return {r["listed"]: SeedForms(r["hangul"], r["hanja"], r["russian"]) for r in _seed()}


@dataclass(frozen=True, slots=True)
class PersonName:
    """A person's name in parts, in the order it is usually written."""

    surname: str
    given: tuple[str, ...]
    surname_first: bool

    def text(self) -> str:
        parts = [self.surname, *self.given] if self.surname_first else [*self.given, self.surname]
        return " ".join(parts)


def _cap(token: str) -> str:
    """``HO-JIN`` -> ``Ho-Jin``, ``CH'OE`` -> ``Ch'oe``."""
    return "-".join(p[:1].upper() + p[1:].lower() for p in token.split("-"))


def is_dprk(entity: Entity) -> bool:
    """Listed under a DPRK program or with DPRK nationality."""
    nationality = entity.get("nationality") + entity.get("citizenship")
    return any(p.startswith("DPRK") for p in entity.get("program")) or "kp" in nationality


def _korean_style(entity: Entity, name: str) -> bool:
    return is_dprk(entity) and bool(korean.readings(name))


def person_name(entity: Entity) -> PersonName | None:
    """Surname and given names: OFAC's LAST/First fields, else the UN order (Korean
    names surname first, others surname last). None for one-word names."""
    primary = entity.get("name")[0]
    korean_style = _korean_style(entity, primary)
    last, first = entity.first("lastName"), entity.first("firstName")
    if "," in primary and last and first:
        return PersonName(_cap(last), tuple(_cap(t) for t in first.split()), korean_style)
    tokens = [_cap(t) for t in primary.replace(",", " ").split() if t.lower() not in SUFFIXES]
    if len(tokens) < 2:
        return None
    if korean_style:
        return PersonName(tokens[0], tuple(tokens[1:]), True)
    return PersonName(tokens[-1], tuple(tokens[:-1]), False)


def _aliases(entity: Entity, latin: bool) -> list[str]:
    primary = entity.get("name")[0]
    names = entity.get("alias") + entity.get("previousName")
    return [n for n in names if n != primary and (script_label(n) == "latin") == latin]


def _seed_of(entity: Entity, seeds: dict[str, SeedForms]) -> SeedForms | None:
    for name in entity.get("name") + entity.get("alias"):
        if name in seeds:
            return seeds[name]
    return None


def _romanization(forms: SeedForms, rng: random.Random) -> str:
    word = forms.hangul
    how = rng.choice(("rr", "rr-south", "western", "dprk"))
    if how == "rr-south":
        return _romanized("".join(hangul.to_south(c) for c in word), "rr")
    if how == "western":
        return _romanized(word, "rr", western=True)
    if how == "dprk":
        return _romanized(word, "dprk").upper()
    return _romanized(word, "rr")


def _other_script(forms: SeedForms, rng: random.Random) -> str:
    word = forms.hangul
    kontsevich = f"{hangul.romanize_word(word[0], 'cyrillic')} " + "".join(
        hangul.romanize_syllable(c, "cyrillic") for c in word[1:]
    )
    return rng.choice([f for f in (word, forms.hanja, forms.russian, kontsevich.title()) if f])


def person_names(
    entity: Entity, rng: random.Random, seeds: dict[str, SeedForms]
) -> dict[str, str | None]:
    """Name damage kind -> the damaged name (None where it does not apply)."""
    primary = entity.get("name")[0]
    parts = person_name(entity)
    forms = _seed_of(entity, seeds)
    latin, other = _aliases(entity, True), _aliases(entity, False)
    out: dict[str, str | None] = {
        "exact": primary,
        "alias": rng.choice(latin) if latin else None,
    }
    if parts is None:
        out["typo"] = damage.typo(primary.title(), rng)
        out["other-script"] = rng.choice(other) if other else None
        return out
    natural = parts.text()
    tokens = natural.split()
    out["typo"] = damage.typo(natural, rng)
    out["swap"] = replace(parts, surname_first=not parts.surname_first).text()
    out["drop-part"] = None if parts.surname_first else damage.drop_middle(tokens, rng)
    out["initials"] = damage.initials(parts.surname, list(parts.given), parts.surname_first)
    if forms is not None:
        out["translit"] = _romanization(forms, rng)
        out["other-script"] = _other_script(forms, rng)
    else:
        variant = damage.korean_variant if parts.surname_first else None
        out["translit"] = variant(tokens, rng) if variant else damage.general_variant(natural, rng)
        out["other-script"] = rng.choice(other) if other else None
    if parts.surname_first:  # Korean: the given name's syllables, surname apart
        given = damage.join_or_split(list(parts.given), rng)
        out["joined"] = None if given is None else replace(parts, given=tuple(given)).text()
    else:
        joined = damage.join_or_split(tokens, rng)
        out["joined"] = None if joined is None else " ".join(joined)
    return out


def org_names(entity: Entity, rng: random.Random) -> dict[str, str | None]:
    primary = entity.get("name")[0]
    latin, other = _aliases(entity, True), _aliases(entity, False)
    title = " ".join(_cap(t) for t in primary.split())
    cyrillic = "ru" in entity.get("country") or any(script_label(n) == "cyrillic" for n in other)
    translit = damage.general_variant(title, rng)
    if translit is None and is_dprk(entity):
        translit = damage.korean_variant(title.split(), rng)
    return {
        "exact": primary,
        "alias": rng.choice(latin) if latin else None,
        "typo": damage.typo(title, rng),
        "legal-form": damage.legal_form(title, rng, cyrillic=cyrillic),
        "translit": translit,
        "other-script": rng.choice(other) if other else None,
    }


def vessel_names(entity: Entity, rng: random.Random, names: ListedNames) -> dict[str, str | None]:
    primary = entity.get("name")[0]
    former = _aliases(entity, True)
    while True:
        new = f"{rng.choice(SHIP_WORDS)} {rng.choice(SHIP_NOUNS)} {rng.randint(1, 99)}"
        if not names.is_listed(new):
            break
    return {
        "exact": primary,
        "alias": rng.choice(former) if former else None,
        "typo": damage.typo(primary, rng),
        "renamed": new,
    }


def _birth_date(entity: Entity, rng: random.Random) -> tuple[str, str | None]:
    """(dob damage kind, the query's date of birth)."""
    dates = [v for v in entity.values if v.prop == "birthDate"]
    if not dates:
        return "unlisted", None
    exact = [v.value for v in dates if (v.qualifier or "exact") == "exact"]
    iso = exact[0] if exact else dates[0].value
    kind = rng.choice(damage.applicable_dob(iso))
    return kind, damage.shift_date(iso, kind, rng)


def _maybe(rng: random.Random, values: list[str]) -> str | None:
    """The first listed value, half of the time."""
    given = rng.random() < 0.5
    return values[0] if values and given else None


def _fields(
    entity: Entity, name: str, kind: str, rng: random.Random
) -> tuple[dict[str, str | None], str]:
    """Query fields besides the name, and the dob damage kind."""
    fields: dict[str, str | None] = {"name": name, "schema": entity.schema}
    if entity.schema == "Person":
        dob_kind, fields["birth_date"] = _birth_date(entity, rng)
        fields["nationality"] = _maybe(rng, entity.get("nationality"))
        fields["passport"] = _maybe(rng, entity.get("passportNumber"))
        return fields, dob_kind
    if entity.schema == "Vessel":
        imo = entity.get("imoNumber")
        fields["imo"] = imo[0] if imo and (kind == "renamed" or rng.random() < 0.5) else None
        fields["mmsi"] = _maybe(rng, entity.get("mmsi"))
        return fields, "n/a"
    fields["country"] = _maybe(rng, entity.get("country"))
    return fields, "n/a"


def entity_cases(
    entity: Entity, store: str, names: ListedNames, seeds: dict[str, SeedForms]
) -> list[Case]:
    """One case per applicable name damage of one listed entity."""
    rng = random.Random(f"{SEED}/{entity.id}")
    if entity.schema == "Person":
        kinds = person_names(entity, rng, seeds)
    elif entity.schema == "Vessel":
        kinds = vessel_names(entity, rng, names)
    else:
        kinds = org_names(entity, rng)
    cases = []
    for kind, name in kinds.items():
        if not name:
            continue
        fields, dob_kind = _fields(entity, name, kind, rng)
        query = build_query(fields)
        ids = "passport" if query.passport else "imo" if query.imo else "none"
        slices = (
            ("dataset", store),
            ("schema", entity.schema),
            ("dprk", "yes" if is_dprk(entity) else "no"),
            ("name", kind),
            ("dob", dob_kind),
            ("script", script_label(query.name)),
            ("ids", ids),
        )
        namesakes = names.ids_named(query.name, entity.dataset) - {entity.id}
        cases.append(
            Case(
                f"{entity.id}/{kind}",
                POSITIVE,
                store,
                query,
                entity.id,
                frozenset(namesakes),
                slices,
            )
        )
    return cases


def positive_cases(un: Iterable[Entity], ofac: Iterable[Entity], names: ListedNames) -> list[Case]:
    """Every UN person and organization; OFAC's DPRK people, organizations, vessels."""
    seeds = seed_forms()
    cases = []
    for entity in un:
        if entity.schema in ("Person", "Organization"):
            cases.extend(entity_cases(entity, "un", names, seeds))
    for entity in ofac:
        program = any(p.startswith("DPRK") for p in entity.get("program"))
        if program and entity.schema in ("Person", "Organization", "Vessel"):
            cases.extend(entity_cases(entity, "ofac", names, seeds))
    return cases
