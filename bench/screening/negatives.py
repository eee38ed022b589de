"""Negative cases: people and companies that are on no list.

- ordinary: bench/screening/negatives.tsv (Faker, 20 locales, made by
  make_negatives.py); a name identical (normalised) to a listed name, or a Korean name
  that hermit reads as a listed person's, is dropped and counted;
- hard, recombined: DPRK-style names from the surnames and given-name syllables of the
  listed DPRK people of bench/korean_names/seed.tsv, in Hangul, DPRK, McCune-Reischauer
  and Revised Romanization spellings, kept only when no listed person (either list) has
  that name under hermit's Korean reading;
- hard, relatives: close relatives and namesakes of listed leaders, in Latin and
  Hangul, kept only when not listed (those that are listed are reported).
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from pathlib import Path

from bench.korean_names.cases import _romanized, _seed
from bench.screening.case import HARD_NEGATIVE, NEGATIVE, Case, build_query
from bench.screening.lookup import ListedNames, script_label
from hermit.names import korean

SEED = 20261124
NEGATIVES_TSV = Path(__file__).resolve().parent / "negatives.tsv"
RECOMBINED = 300
#: Relatives and namesakes of listed DPRK leaders: Latin as usually written, Hangul.
RELATIVES = (
    ("Kim Jong Il", "김정일"),
    ("Kim Jong Nam", "김정남"),
    ("Kim Yo Jong", "김여정"),
    ("Kim Il Sung", "김일성"),
    ("Kim Pyong Il", "김평일"),
    ("Kim Jong Chul", "김정철"),
    ("Kim Kyong Hui", "김경희"),
    ("Kim Jong Suk", "김정숙"),
    ("Ri Sol Ju", "리설주"),
    ("Kim Ju Ae", "김주애"),
    ("Choe Ryong Su", "최룡수"),
    ("Pak Pong Ju", "박봉주"),
)


@dataclass(slots=True)
class NegativeNotes:
    """What was left out, to report with the figures."""

    read: int = 0
    dropped_listed: list[str] = field(default_factory=list)
    dropped_korean: list[tuple[str, str]] = field(default_factory=list)  # name, listed
    listed_relatives: list[tuple[str, str]] = field(default_factory=list)


def _rows(path: Path) -> list[dict[str, str]]:
    lines = [ln for ln in path.read_text("utf-8").splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def _same_as_listed(name: str, person: bool, names: ListedNames) -> str | None:
    """The listed name ``name`` is (normalised, or Korean reading for people)."""
    if names.is_listed(name):
        return name
    return names.same_korean_name(name) if person else None


def ordinary_negatives(names: ListedNames, notes: NegativeNotes, path: Path) -> list[Case]:
    cases: list[Case] = []
    for index, row in enumerate(_rows(path)):
        notes.read += 1
        person = row["kind"] == "person"
        name = row["name"]
        if names.is_listed(name):
            notes.dropped_listed.append(name)
            continue
        same = names.same_korean_name(name) if person else None
        if same is not None:
            notes.dropped_korean.append((name, same))
            continue
        rng = random.Random(f"{SEED}/negative/{index}")
        fields = {"name": name, "schema": "Person" if person else "Organization"}
        if person:
            fields["birth_date"] = row["birth_date"] if rng.random() < 0.7 else ""
            fields["nationality"] = row["country"] if rng.random() < 0.5 else ""
        else:
            fields["country"] = row["country"] if rng.random() < 0.5 else ""
        query = build_query(fields)
        slices = (
            ("source", row["locale"]),
            ("schema", query.schema or "-"),
            ("script", script_label(name)),
            ("dob", "given" if query.birth_date else "missing"),
        )
        cases.append(Case(f"negative/{index}", NEGATIVE, "both", query, slices=slices))
    return cases


def _hard(case_id: str, name: str, source: str, rng: random.Random) -> Case:
    born = f"{rng.randint(1940, 2000)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    fields = {
        "name": name,
        "schema": "Person",
        "birth_date": born if rng.random() < 0.5 else "",
        "nationality": "kp" if rng.random() < 0.5 else "",
    }
    query = build_query(fields)
    slices = (
        ("source", source),
        ("schema", "Person"),
        ("script", script_label(name)),
        ("dob", "given" if query.birth_date else "missing"),
    )
    return Case(case_id, HARD_NEGATIVE, "both", query, slices=slices)


def _spelling(word: str, index: int) -> str:
    """Hangul, DPRK (upper case, as the UN list), McCune-Reischauer, RR, in turn."""
    how = index % 4
    if how == 0:
        return word
    if how == 1:
        return _romanized(word, "dprk").upper()
    return _romanized(word, "mr" if how == 2 else "rr")


def recombined_negatives(names: ListedNames, count: int = RECOMBINED) -> list[Case]:
    rng = random.Random(f"{SEED}/recombined")
    words = [row["hangul"] for row in _seed()]
    surnames = sorted({w[0] for w in words})
    syllables = sorted({c for w in words for c in w[1:]})
    cases: list[Case] = []
    seen: set[str] = set()
    while len(cases) < count:
        word = rng.choice(surnames) + rng.choice(syllables) + rng.choice(syllables)
        if word in seen:
            continue
        seen.add(word)
        name = _spelling(word, len(cases))
        if _same_as_listed(word, True, names) or _same_as_listed(name, True, names):
            continue
        cases.append(_hard(f"hard/recombined/{len(cases)}", name, "recombined", rng))
    return cases


def relative_negatives(names: ListedNames, notes: NegativeNotes) -> list[Case]:
    rng = random.Random(f"{SEED}/relatives")
    cases: list[Case] = []
    for latin, word in RELATIVES:
        check = korean.compare_names(latin, word)
        assert check is not None and check.score >= 0.85, (latin, word)  # the table is sound
        listed = _same_as_listed(latin, True, names) or _same_as_listed(word, True, names)
        if listed is not None:
            notes.listed_relatives.append((latin, listed))
            continue
        for form, name in (("latin", latin), ("hangul", word)):
            cases.append(_hard(f"hard/relative/{latin}/{form}", name, "relative", rng))
    return cases
