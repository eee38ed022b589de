"""The labelled DPRK name benchmark: queries, the listed name(s) each must find, slices.

Built from the real lists (DPRK people: UN KPi.*, OFAC entries with a DPRK program) and
bench/korean_names/seed.tsv (hand-written Hangul, Hanja and Russian forms). Slices:
  list-variant   every listed alias of a DPRK person, as a query for that person
  hangul, hanja, cyrillic-press   the seed's hand-written forms
  cyrillic-kontsevich   the seed's Hangul in strict Kontsevich Cyrillic (generated)
  mr, dprk, rr, rr-south, western   the seed's Hangul romanized (generated)
  negative-recombined   surname + two given syllables of listed people, not listed
  negative-relative     close relatives and namesakes of listed leaders, not listed
  company-variant       every listed alias of a DPRK organization
  company-korean        English words of a listed name put in Korean (KOREA -> CHOSON,
                        BANK -> UNHAENG, TRADING -> MUYOK ...; generated from the table)
  company-legal-form    a listed name with a legal form added (Co., Ltd. / LLC / OOO)
  negative-company      real companies of the region that are not listed (hand-picked)
Seeds are fixed (random.Random(20261123)).
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from hermit.model import Entity
from hermit.names import hangul
from hermit.names.korean import readings
from hermit.sources.ofac_csv import find_companion_files, parse_ofac_csv
from hermit.sources.un_xml import parse_un_xml

HERE = Path(__file__).resolve().parent
SEED_RANDOM = 20261123
RELATIVES = (
    "Kim Jong Il",
    "Kim Jong Nam",
    "Kim Il Sung",
    "Kim Jong Chol",
    "Kim Kyong Hui",
    "Kim Pyong Il",
    "Ri Sol Ju",
    "Kim Ju Ae",
    "Choe Ryong Su",
    "Pak Pong Ju",
)


#: Real companies in Korea, China and Russia's Far East that are on neither list, with
#: the words DPRK front companies share (Korea, trading, shipping, port, bank).
OTHER_COMPANIES = (
    "Korea Zinc Company",
    "Korea Electric Power Corporation",
    "Hyundai Merchant Marine Co",
    "Korea Shipbuilding and Offshore Engineering",
    "Industrial Bank of Korea",
    "Korea Development Bank",
    "Korea Trade Insurance Corporation",
    "Daewoo Shipbuilding",
    "Dalian Port Corporation",
    "Dandong Port Group",
    "China Ocean Shipping Company",
    "Bank of China",
    "Vladivostok Commercial Sea Port",
    "Nakhodka Commercial Sea Port",
    "Far Eastern Shipping Company",
    "Sakhalin Shipping Company",
    "Primorsk Trade Port",
    "Korea National Oil Corporation",
    "Pan Ocean Shipping",
    "Sinokor Merchant Marine",
)
KOREAN_WORDS = {
    "KOREA": "CHOSON",
    "KOREAN": "CHOSON",
    "BANK": "UNHAENG",
    "TRADING": "MUYOK",
    "GENERAL": "CHONGHAP",
    "CORPORATION": "KONGSA",
    "COMPANY": "HOESA",
    "UNION": "YONHAP",
    "BUREAU": "CHONGGUK",
}
LEGAL_FORMS = ("{} Co., Ltd.", "{} LLC", "OOO {}")


@dataclass(frozen=True, slots=True)
class Case:
    query: str
    slice: str
    expected: frozenset[str]  # entity ids that are a right answer; empty for negatives
    schema: str = "Person"  # Person or Organization: the kind of candidates it meets


def dprk_people(lists: Path) -> list[Entity]:
    return [e for e in dprk_entities(lists) if e.schema == "Person"]


def dprk_entities(lists: Path) -> list[Entity]:
    """Listed DPRK people and organizations (a DPRK program on either list)."""
    sdn = lists / "ofac_sdn.csv"
    snaps = [
        parse_un_xml(lists / "un_consolidated.xml"),
        parse_ofac_csv(sdn, **find_companion_files(sdn)),
    ]  # type: ignore[arg-type]
    return [
        e
        for snap in snaps
        for e in snap.entities
        if e.schema in ("Person", "Organization")
        and any(p.startswith("DPRK") for p in e.get("program"))
    ]


def _seed() -> list[dict[str, str]]:
    lines = [ln for ln in (HERE / "seed.tsv").read_text("utf-8").splitlines() if ln[:1] != "#"]
    return list(csv.DictReader(lines, delimiter="\t"))


def _romanized(word: str, system: str, western: bool = False) -> str:
    surname = hangul.romanize_word(word[0], system).capitalize()
    given = hangul.romanize_word(word[1:], system).capitalize()
    return f"{given} {surname}" if western else f"{surname} {given}"


def build_cases(entities: list[Entity]) -> list[Case]:
    people = [e for e in entities if e.schema == "Person"]
    orgs = [e for e in entities if e.schema != "Person"]
    return _person_cases(people) + _company_cases(orgs)


def _by_name(entities: list[Entity]) -> dict[str, set[str]]:
    """Every listed name and alias -> the ids of the entities that carry it."""
    by_name: dict[str, set[str]] = {}
    for entity in entities:
        for value in entity.get("name") + entity.get("alias") + entity.get("weakAlias"):
            by_name.setdefault(value, set()).add(entity.id)
    return by_name


def _variants(entities: list[Entity], by_name: dict[str, set[str]], slice_: str) -> list[Case]:
    """Each listed alias as a query for the entities that carry it."""
    schema = "Person" if slice_ == "list-variant" else "Organization"
    return [
        Case(alias, slice_, frozenset(by_name[alias]), schema)
        for entity in entities
        for alias in entity.get("alias") + entity.get("weakAlias")
    ]


def _company_cases(orgs: list[Entity]) -> list[Case]:
    by_name = _by_name(orgs)
    cases = _variants(orgs, by_name, "company-variant")
    for org in orgs:
        want = frozenset(i for n in org.get("name") for i in by_name[n])
        for name in org.get("name"):
            words = name.upper().split()
            korean = " ".join(KOREAN_WORDS.get(w, w) for w in words)
            if korean != name.upper():
                cases.append(Case(korean, "company-korean", want, "Organization"))
            form = LEGAL_FORMS[len(cases) % len(LEGAL_FORMS)]
            cases.append(
                Case(form.format(name.title()), "company-legal-form", want, "Organization")
            )
    listed = {n.upper() for n in by_name}
    for name in OTHER_COMPANIES:
        assert name.upper() not in listed, name
        cases.append(Case(name, "negative-company", frozenset(), "Organization"))
    return cases


def _person_cases(people: list[Entity]) -> list[Case]:
    by_name = _by_name(people)
    cases = _variants(people, by_name, "list-variant")
    for row in _seed():
        want = frozenset(by_name.get(row["listed"], set()))
        if not want:
            raise SystemExit(f"seed name {row['listed']!r} is not a listed DPRK person")
        word = row["hangul"]
        cases.append(Case(word, "hangul", want))
        if row["hanja"]:
            cases.append(Case(row["hanja"], "hanja", want))
        if row["russian"]:
            cases.append(Case(row["russian"], "cyrillic-press", want))
        kontsevich = f"{hangul.romanize_word(word[0], 'cyrillic')} " + "".join(
            hangul.romanize_syllable(c, "cyrillic") for c in word[1:]
        )
        cases.append(Case(kontsevich.title(), "cyrillic-kontsevich", want))
        cases.append(Case(_romanized(word, "mr"), "mr", want))
        cases.append(Case(_romanized(word, "dprk").upper(), "dprk", want))
        cases.append(Case(_romanized(word, "rr"), "rr", want))
        south = "".join(hangul.to_south(c) for c in word)
        cases.append(Case(_romanized(south, "rr"), "rr-south", want))
        cases.append(Case(_romanized(word, "rr", western=True), "western", want))
    cases.extend(_negatives(people))
    return cases


def _negatives(people: list[Entity], count: int = 300) -> list[Case]:
    """Recombined DPRK-style names that no listed DPRK person has (compared on the
    Hangul syllables of the seed, so spelling variants of a listed name are excluded)."""
    rng = random.Random(SEED_RANDOM)
    seed = _seed()
    listed = {row["hangul"] for row in seed}
    listed_keys = {tuple(map(hangul.syllable_key, w)) for w in listed}
    surnames = sorted({w[0] for w in listed})
    syllables = sorted({c for w in listed for c in w[1:]})
    names = {n for p in people for n in p.get("name") + p.get("alias")}
    out: list[Case] = []
    seen: set[str] = set()
    while len(out) < count:
        word = rng.choice(surnames) + rng.choice(syllables) + rng.choice(syllables)
        if word in seen or tuple(map(hangul.syllable_key, word)) in listed_keys:
            continue
        seen.add(word)
        query = word if len(out) % 2 else _romanized(word, "dprk").upper()
        if query in names:
            continue
        out.append(Case(query, "negative-recombined", frozenset()))
    for name in RELATIVES:
        if readings(name) and name.upper() not in {n.upper() for n in names}:
            out.append(Case(name, "negative-relative", frozenset()))
    return out
