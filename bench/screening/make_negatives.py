"""Generate bench/screening/negatives.tsv: ordinary people and companies of many
countries, in their own scripts and in Latin, that a screening should not alert on.

Faker's output changes with its version, so this runs once in the bench environment
(Faker is not a dependency of hermit) and the file is committed; its header records
the Faker version and seed. bench/screening/cases.py reads the file and never imports
Faker, and drops at run time any name that is on a list.

    .venv-bench/bin/python bench/screening/make_negatives.py [--out PATH]

Per locale: 350 people with a birth date and 150 companies (10,000 rows for 20
locales). Titles (Mr, Dr., السيدة, Quý ông ...) are stripped from people's names.
Half of the people of Russian, Ukrainian, Chinese, Japanese and Korean locales are
written in Latin: Faker's own romanization where it has one, else hermit's tables
(Russian list-style transliteration, Korean Revised Romanization).
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from datetime import date, timedelta
from pathlib import Path

import faker
from faker import Faker

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.screening.lookup import normalise
from hermit.names import hangul
from hermit.names.russian import transliterate

SEED = 20261124
OUT = Path(__file__).resolve().parent / "negatives.tsv"
PEOPLE, COMPANIES = 350, 150
#: Faker locale -> ISO country of its people and companies.
LOCALES = {
    "en_US": "us",
    "en_GB": "gb",
    "de_DE": "de",
    "fr_FR": "fr",
    "es_ES": "es",
    "it_IT": "it",
    "pt_BR": "br",
    "pl_PL": "pl",
    "tr_TR": "tr",
    "ru_RU": "ru",
    "uk_UA": "ua",
    "ar_SA": "sa",
    "fa_IR": "ir",
    "hi_IN": "in",
    "zh_CN": "cn",
    "zh_TW": "tw",
    "ja_JP": "jp",
    "ko_KR": "kr",
    "vi_VN": "vn",
    "id_ID": "id",
}
LATIN_HALF = ("ru_RU", "uk_UA", "zh_CN", "zh_TW", "ja_JP", "ko_KR")
FIRST_DAY, DAYS = date(1940, 1, 1), (date(2004, 12, 31) - date(1940, 1, 1)).days


def _titles(fake: Faker) -> list[str]:
    """Every prefix and suffix the locale's person provider may add, longest first."""
    found: set[str] = set()
    for provider in fake.get_providers():
        if not type(provider).__module__.startswith("faker.providers.person"):
            continue
        for attr in dir(provider):
            if attr.startswith(("prefixes", "suffixes")):
                found.update(str(t) for t in getattr(provider, attr))
    return sorted(found, key=len, reverse=True)


def _strip_titles(name: str, titles: list[str]) -> str:
    changed = True
    while changed:
        changed = False
        for title in titles:
            if name.startswith(title + " "):
                name, changed = name[len(title) + 1 :], True
            elif name.endswith(" " + title) or name.endswith(", " + title):
                name, changed = name[: -len(title)].rstrip(" ,"), True
    return name


def _korean_latin(fake: Faker, rng: random.Random) -> str:
    surname = hangul.romanize_word(fake.last_name(), "rr").replace("-", "").capitalize()
    given = hangul.romanize_word(fake.first_name(), "rr").capitalize()
    return f"{surname} {given}" if rng.random() < 0.5 else f"{given} {surname}"


def person(locale: str, fake: Faker, titles: list[str], rng: random.Random) -> str:
    latin = locale in LATIN_HALF and rng.random() < 0.5
    if latin and locale == "ko_KR":
        return _korean_latin(fake, rng)
    if latin and locale in ("ru_RU", "uk_UA"):
        return transliterate(_strip_titles(fake.name(), titles))[0]
    if latin:
        return str(fake.romanized_name())
    return _strip_titles(str(fake.name()), titles)


def rows_for(locale: str, country: str) -> list[dict[str, str]]:
    fake = Faker(locale)
    fake.seed_instance(SEED)
    rng = random.Random(f"{SEED}/{locale}")
    titles = _titles(fake)
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for kind, count in (("person", PEOPLE), ("company", COMPANIES)):
        made = 0
        for _ in range(count * 20):
            if made == count:
                break
            name = person(locale, fake, titles, rng) if kind == "person" else str(fake.company())
            name = " ".join(name.split())
            key = normalise(name) or name
            if key in seen:
                continue
            seen.add(key)
            born = ""
            if kind == "person":
                born = (FIRST_DAY + timedelta(days=rng.randrange(DAYS))).isoformat()
            row = {"kind": kind, "locale": locale, "name": name, "birth_date": born}
            out.append({**row, "country": country})
            made += 1
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    rows = [row for locale, country in LOCALES.items() for row in rows_for(locale, country)]
    with args.out.open("w", encoding="utf-8", newline="") as f:
        f.write(
            f"# Ordinary people and companies for bench/screening (not on any list).\n"
            f"# Generated by bench/screening/make_negatives.py with Faker {faker.VERSION}, "
            f"seed {SEED}: {len(rows)} rows, {len(LOCALES)} locales.\n"
            "# Names from Faker's locale data; Latin forms of Korean and Russian names by "
            "hermit's tables. Regenerate only on purpose.\n"
        )
        writer = csv.DictWriter(
            f, ["kind", "locale", "name", "birth_date", "country"], delimiter="\t"
        )
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} rows -> {args.out}")


if __name__ == "__main__":
    main()
