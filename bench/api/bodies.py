"""Request bodies for the /match load test: realistic yente-style queries.

A fixed, seeded mix (seed printed by the runner):
- half are names of listed people, organizations and vessels read from the store
  (names and aliases of both lists), most with realistic damage from
  bench/screening/damage.py (a typo, a known respelling, a Korean syllable spelled
  another way), people with their listed date of birth in a third of cases, vessels
  with their IMO number in half;
- a tenth are listed DPRK people written in Hangul (bench/korean_names/seed.tsv);
- the rest are people and companies on no list (bench/screening/negatives.tsv: Faker,
  20 locales), some with a date of birth and country;
- one body in ten carries three queries at once (a small batch), the others one.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import Any

import duckdb

from bench.screening.damage import general_variant, korean_variant, typo

BENCH = Path(__file__).resolve().parents[1]
NEGATIVES_TSV = BENCH / "screening" / "negatives.tsv"
SEED_TSV = BENCH / "korean_names" / "seed.tsv"
SEED = 20261123

Example = dict[str, Any]


def listed(store: Path) -> list[tuple[str, str, str | None, str | None]]:
    """(schema, name, birth date, IMO number) of every listed name and alias of a
    Person, Organization or Vessel."""
    con = duckdb.connect(str(store), read_only=True)
    try:
        rows = con.execute(
            """
            SELECT n.schema, n.name,
                   (SELECT min(s.value) FROM current_statements s
                     WHERE s.entity_id = n.entity_id AND s.prop = 'birthDate'),
                   (SELECT min(i.identifier) FROM identifiers i
                     WHERE i.entity_id = n.entity_id AND i.kind = 'imoNumber')
            FROM names n JOIN current_entities e USING (entity_id)
            WHERE n.kind IN ('name', 'alias')
              AND n.schema IN ('Person', 'Organization', 'Vessel')
            ORDER BY n.entity_id, n.name
            """
        ).fetchall()
    finally:
        con.close()
    return [(str(s), str(n), d, i) for s, n, d, i in rows]


def _damaged(name: str, rng: random.Random) -> str:
    kind = rng.random()
    out: str | None = None
    if kind < 0.3:
        out = typo(name, rng)
    elif kind < 0.5:
        out = general_variant(name, rng)
    elif kind < 0.7:
        out = korean_variant(name.split(), rng)
    return out if out is not None else name


def _listed_example(row: tuple[str, str, str | None, str | None], rng: random.Random) -> Example:
    schema, name, dob, imo = row
    props: dict[str, list[str]] = {"name": [_damaged(name, rng)]}
    if schema == "Person" and dob is not None and rng.random() < 0.33:
        props["birthDate"] = [dob]
    if schema == "Vessel" and imo is not None and rng.random() < 0.5:
        props["imoNumber"] = [imo]
    return {"schema": "Company" if schema == "Organization" else schema, "properties": props}


def _hangul() -> list[str]:
    with SEED_TSV.open(encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return [row["hangul"] for row in csv.DictReader(lines, delimiter="\t") if row["hangul"]]


def _negatives() -> list[dict[str, str]]:
    with NEGATIVES_TSV.open(encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def _negative_example(row: dict[str, str], rng: random.Random) -> Example:
    if row["kind"] != "person":
        return {"schema": "Company", "properties": {"name": [row["name"]]}}
    props = {"name": [row["name"]]}
    if row.get("birth_date") and rng.random() < 0.5:
        props["birthDate"] = [row["birth_date"]]
    if row.get("country") and rng.random() < 0.3:
        props["nationality"] = [row["country"]]
    return {"schema": "Person", "properties": props}


def bodies(store: Path, count: int, seed: int = SEED) -> list[dict[str, Any]]:
    """``count`` /match request bodies ({"queries": {...}})."""
    rng = random.Random(seed)
    names = listed(store)
    hangul = _hangul()
    negatives = _negatives()
    out: list[dict[str, Any]] = []
    for n in range(count):
        size = 3 if rng.random() < 0.1 else 1
        queries: dict[str, Example] = {}
        for k in range(size):
            pick = rng.random()
            if pick < 0.5:
                example = _listed_example(rng.choice(names), rng)
            elif pick < 0.6:
                example = {"schema": "Person", "properties": {"name": [rng.choice(hangul)]}}
            else:
                example = _negative_example(rng.choice(negatives), rng)
            queries[f"q{n}-{k}"] = example
        out.append({"queries": queries})
    return out
