"""hermit's comparison columns of a record (one row of the table Splink compares).

- names: every name and alias read in Latin letters the ways hermit reads them
  (hermit.names.forms: Russian Cyrillic as the lists write it, Chinese in pinyin and as
  Korean, Hangul in MR and RR, look-alike letters undone), organizations with their
  legal forms set aside and their kind words folded (hermit.names.organizations:
  ООО, LIMITED LIABILITY COMPANY, 有限公司 ...), every word with the spelling variation
  of romanized names folded (hermit.names.similarity.fold). ``name_readings`` keeps the
  readings for hermit's name scorer (udf.py), ``name_keys`` the words of each reading in
  order of the alphabet (a script-neutral key: Лебедев Георгий = Georgiy Lebedev; for
  people also without the patronymic, and a Chinese name's given syllables written
  together as the lists do: Yan Xiaoyang), ``name_prefix`` the first letters of the
  first reading written together (Вест Стайл, VEST STAYL: ``vestst``), ``name_starts``
  the first two words of every reading (北京和信科技 / Beijing Hexin Technology: ``bijing
  hexin``: a Chinese company's place and brand, which its English rendering keeps while
  translating the rest); for people ``name_sounds``, the same keys as ``name_keys`` with
  every word cut to its consonants (vowels, y and h dropped, doubled letters single:
  Dorofeyeva and Дорофеева, read dorofieva and dorofiva, both ``drfv``), also with the
  given names written together (Пак Кван Хун = Pak Kvanhun); for organizations
  ``name_cores``, the words of each reading that are not kind words
  (hermit.names.kind_words: Торговая корпорация Тангун and KOREA TANGUN TRADING
  CORPORATION, both ``tangun``) and ``name_sounds`` their consonant keys (a final ng
  as n) - for blocking only;
- ids: the identifiers whose check digits hold (``scheme:value``, strong evidence) and
  their schemes (two records with the same scheme and no common value disagree),
  ``weak_ids`` the ones that fail (weak evidence);
- date: registered (organizations) or born (people), ISO, as precise as written;
- address_numbers: the numbers of the address (postcode, house, office: the same in
  Cyrillic, Chinese and English renderings), address_key: all of them, when there are
  MIN_KEY_NUMBERS or more (for blocking), postcode: a six-digit one;
- gender (people, as written: male / female);
- regions, districts (organizations): the region and district codes its valid
  identifiers hold (``cn:2301`` and ``cn:230103`` for a USCC or a 15-digit
  registration number of Harbin's Nangang district, ``ru:25`` for an OGRN or INN of
  Primorsky Krai, ``ru:2536`` for the INN of a Vladivostok tax office; where each code
  sits is resolve.yaml's ``region_codes``);
  people are compared by the regions of the entities they are attached to (run.py);
- country; related: the records at the other end of its ownership and directorship
  relations (people are compared by the entities of those, run.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from hermit.names.chinese import to_pinyin
from hermit.names.forms import Form, latin_forms
from hermit.names.kind_words import kind_words
from hermit.names.legal_forms import split_legal_forms
from hermit.names.organizations import canonical_word, common_words, parse_org_name
from hermit.names.script import HAN, LATIN, MIXED, detect_script
from hermit.names.similarity import fold
from hermit.names.structure import PATRONYMIC, structure
from hermit.names.tokens import name_tokens
from hermit.resolve.records import ORGANIZATION, PERSON, Record

#: Readings kept per name, and names per record, for the name scorer.
MAX_READINGS = 4
MAX_NAMES = 4
PREFIX_LETTERS = 6
#: An address's numbers block pairs (``address_key``) when there are this many or more.
MIN_KEY_NUMBERS = 2
_QUOTES = re.compile(r"[«»\"“”„'‘’()]")
_NUMBER = re.compile(r"\d+")
_POSTCODE = re.compile(r"(?<!\d)\d{6}(?!\d)")
_DATE_PROPS = {ORGANIZATION: ("incorporationDate",), PERSON: ("birthDate",)}
_COUNTRY_PROPS = ("jurisdiction", "country", "nationality", "citizenship")
_NAME_PROPS = ("name", "alias")
_ADDRESS_PROPS = ("address", "postalCode")

_SOUNDLESS = re.compile(r"[aeiouyh]")
_DOUBLED = re.compile(r"(.)\1+")
#: Words of a reading in its ``name_starts`` key.
START_WORDS = 2

#: The columns of the comparison table, in order (run.py builds the table with them).
COLUMNS = (
    "unique_id",
    "kind",
    "registry",
    "name",
    "name_readings",
    "name_keys",
    "name_key",
    "name_prefix",
    "name_starts",
    "name_sounds",
    "name_cores",
    "name_tokens",
    "ids",
    "id_schemes",
    "weak_ids",
    "date",
    "address_numbers",
    "address_key",
    "postcode",
    "country",
    "gender",
    "regions",
    "districts",
)

#: The columns that hold lists of strings (the others hold one string or none).
LIST_COLUMNS = frozenset(
    {
        "name_keys",
        "name_starts",
        "name_sounds",
        "name_cores",
        "name_tokens",
        "ids",
        "id_schemes",
        "weak_ids",
        "address_numbers",
        "related_entities",
        "regions",
        "districts",
        "related_regions",
        "related_districts",
        "related_records",
    }
)

#: A Chinese registration number (注册号) of 15 digits (region_codes' cn_registration).
_CN_REGISTRATION = re.compile(r"\d{15}")


@dataclass(frozen=True, slots=True)
class Reading:
    tokens: tuple[str, ...]
    how: str
    core: tuple[str, ...] = ()  # organizations: the words that are not kind words


def _folded(tokens: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(fold(t) for t in tokens if t)


@lru_cache(maxsize=1 << 17)
def org_readings(name: str) -> tuple[Reading, ...]:
    """An organization name's Latin readings, legal forms set aside, words folded: first
    as hermit-resolve@5 read it (a Russian company that the English database writes in
    transliteration, TORGOVYI DOM VOSTOK, keeps its same name), then with its kind words
    read in the name's own script (hermit.names.kind_words: Торговая, 贸易 and TRADING
    all ``trading``), each of these with its core (the words that are not kind words;
    a name without kind words: its readings' words that are not organizations.yaml's)."""
    text = " ".join(_QUOTES.sub(" ", name).split())
    if not text:
        return ()
    rest, _ = split_legal_forms(text)  # 有限公司 first, while the name is in its script
    words = kind_words(rest)
    kinds = {fold(canonical_word(w.text)) for w in words if w.kind}
    plain: list[Reading] = []
    read: list[Reading] = []  # with the kind words as tokens
    if detect_script(rest.replace(" ", "")) == HAN:
        # Chinese words are mostly of two characters: 丹东恒丰矿业 as dandong hengfeng
        # kuangye, the way an English rendering writes its place and brand
        syllables = to_pinyin(rest).lower().split()
        pairs = tuple(fold("".join(syllables[i : i + 2])) for i in range(0, len(syllables), 2))
        if pairs:
            plain.append(Reading(pairs, f"{rest} read in pinyin, two syllables a word"))
        by_words = tuple(
            fold(canonical_word(w.text)) if w.kind else fold("".join(to_pinyin(w.text).split()))
            for w in words
        )
        if kinds and by_words:
            how = f"{rest} read in pinyin, two syllables or a kind word a word"
            read.append(Reading(tuple(t.lower() for t in by_words), how))
        plain += _org_forms(_latin(rest))
    else:
        plain += _org_forms(_latin(rest))
        if kinds:
            read += _org_forms(_latin(" ".join(w.text for w in words)), ", kind words read")
    common = kinds | common_words()

    def cored(r: Reading) -> Reading:
        return Reading(r.tokens, r.how, tuple(t for t in r.tokens if t not in common))

    if not kinds:  # nothing read apart: the plain readings carry the core
        return _unique([cored(r) for r in plain])
    return _unique([*plain[:1], *(cored(r) for r in read), *plain[1:]])


def _org_forms(forms: list[Form], how: str = "") -> list[Reading]:
    out = []
    for form in forms:
        tokens = parse_org_name(form.text).tokens
        latin = _folded(name_tokens(" ".join(tokens)))
        if latin and all(t.isascii() for t in latin):
            out.append(Reading(latin, form.how + how))
    return out


@lru_cache(maxsize=1 << 17)
def person_readings(name: str) -> tuple[Reading, ...]:
    """A personal name's Latin readings, words folded; a name in Chinese characters
    also with its given syllables written together (Yan Xiao Yang: Yan Xiaoyang)."""
    text = " ".join(_QUOTES.sub(" ", name).split())
    out: list[Reading] = []
    for form in _latin(text):
        tokens = _folded(name_tokens(form.text))
        if tokens and all(t.isascii() for t in tokens):
            out.append(Reading(tokens, form.how))
            if detect_script(text.replace(" ", "")) == HAN and len(tokens) > 2:
                out.append(Reading((tokens[0], "".join(tokens[1:])), form.how + ", given joined"))
    return _unique(out)


def _latin(text: str) -> list[Form]:
    """hermit's Latin forms of a name; a name in another script without its form as
    written (its readings say it in Latin letters, each as hermit reads that script)."""
    forms = list(latin_forms(text))
    if detect_script(text.replace(" ", "")) not in (LATIN, MIXED) and len(forms) > 1:
        forms = forms[1:]
    return forms


def _unique(readings: list[Reading]) -> tuple[Reading, ...]:
    """The first reading of each token sequence (in its place; one with a core when a
    later one of the same tokens has it)."""
    seen: dict[tuple[str, ...], Reading] = {}
    for reading in readings:
        kept = seen.setdefault(reading.tokens, reading)
        if reading.core and not kept.core:
            seen[reading.tokens] = Reading(kept.tokens, kept.how, reading.core)
    return tuple(seen.values())[:MAX_READINGS]


def _keys(reading: Reading, kind: str) -> list[str]:
    keys = [" ".join(sorted(reading.tokens))]
    if kind == PERSON and len(reading.tokens) > 2:
        roles = structure(reading.tokens).roles
        kept = [t for t, r in zip(reading.tokens, roles, strict=True) if r != PATRONYMIC]
        if len(kept) >= 2:
            keys.append(" ".join(sorted(kept)))
    return keys


def _consonants(word: str) -> str:
    return _DOUBLED.sub(r"\1", _SOUNDLESS.sub("", word)) or word


def _sounds(reading: Reading) -> list[str]:
    """A personal name's consonant keys (see the module's docstring)."""
    tokens = reading.tokens
    variants = [tokens]
    if len(tokens) > 2:
        roles = structure(tokens).roles
        kept = tuple(t for t, r in zip(tokens, roles, strict=True) if r != PATRONYMIC)
        if len(kept) >= 2:
            variants.append(kept)
    keys: list[str] = []
    for words in variants:
        groups = [words]
        if len(words) > 2:
            groups += [(words[0], "".join(words[1:])), (words[-1], "".join(words[:-1]))]
        for group in groups:
            key = " ".join(sorted(_consonants(w) for w in group))
            if key not in keys:
                keys.append(key)
    return keys


def _core_sounds(reading: Reading) -> str | None:
    """An organization's consonant key: its core words cut to their consonants, a
    Korean final ng written n first (Kontsevich's Russian writes final ㅇ as н:
    Kwangson and Квансон, Namgang and Намган)."""
    if not reading.core:
        return None
    return " ".join(sorted(_consonants(w.replace("ng", "n")) for w in reading.core))


def _numbers(texts: list[str]) -> list[str]:
    found: list[str] = []
    for text in texts:
        for number in _NUMBER.findall(text):
            number = number.lstrip("0") or "0"
            if number not in found:
                found.append(number)
    return sorted(found)


def bound_blocks(rows: list[dict[str, Any]], columns: tuple[str, ...], limit: int) -> None:
    """Set aside, in place, every value of ``columns`` (blocking keys) that more than
    ``limit`` rows hold: a key that common (a city at the start of Chinese names, a
    business centre's address) says little and its block's pairs grow as its square, so
    no block of these columns has more than ``limit`` records."""
    for column in columns:
        counts: dict[str, int] = {}
        for row in rows:
            value = row.get(column)
            for key in value if isinstance(value, list) else [value] if value else []:
                counts[key] = counts.get(key, 0) + 1
        common = {k for k, n in counts.items() if n > limit}
        if not common:
            continue
        for row in rows:
            value = row.get(column)
            if isinstance(value, list):
                kept = [k for k in value if k not in common]
                row[column] = kept or None
            elif value in common:
                row[column] = None


def regions(
    record: Record, codes: dict[str, tuple[str, int, int, int]]
) -> tuple[list[str], list[str]]:
    """An organization's region and district codes (see the module's docstring):
    ``country:code`` from each valid identifier of a scheme in ``codes`` (scheme ->
    country, start, end, district end or 0)."""
    found: set[str] = set()
    districts: set[str] = set()
    values = [i.partition(":") for i in record.strong_ids]
    if "cn_registration" in codes and "cn" in record.values("jurisdiction", "country"):
        numbers = record.values("registrationNumber")
        values += [("cn_registration", ":", n) for n in numbers if _CN_REGISTRATION.fullmatch(n)]
    for scheme, _, value in values:
        where = codes.get(scheme)
        if where is None or len(value) < max(where[2], where[3]):
            continue
        if scheme == "inn" and len(value) != 10:  # a person's INN: no company region
            continue
        country, start, end, district = where
        found.add(f"{country}:{value[start:end]}")
        if district:
            districts.add(f"{country}:{value[start:district]}")
    return sorted(found), sorted(districts)


def features(
    record: Record, region_codes: dict[str, tuple[str, int, int, int]] | None = None
) -> dict[str, Any]:
    """The comparison columns of one record (see the module's docstring); regions only
    with ``region_codes`` (resolve.yaml's)."""
    kind = record.kind
    names = record.values(*_NAME_PROPS)[:MAX_NAMES]
    read = org_readings if kind == ORGANIZATION else person_readings
    readings = [r for name in names for r in read(name)]
    keys: list[str] = []
    for reading in readings:
        for key in _keys(reading, kind):
            if key not in keys:
                keys.append(key)
    tokens = sorted({t for r in readings for t in r.tokens})
    starts = sorted({" ".join(r.tokens[:START_WORDS]) for r in readings if r.tokens})
    if kind == PERSON:
        sounds = sorted({k for r in readings for k in _sounds(r)})
    else:
        sounds = sorted({k for r in readings if (k := _core_sounds(r))})
    cores = sorted({" ".join(sorted(r.core)) for r in readings if r.core})
    dates = sorted(record.values(*_DATE_PROPS[kind]))
    countries = record.values(*_COUNTRY_PROPS)
    addresses = record.values(*_ADDRESS_PROPS)
    postcodes = [m for a in addresses for m in _POSTCODE.findall(a)]
    numbers = _numbers(addresses)
    first = readings[0].tokens if readings else ()
    held = regions(record, region_codes) if region_codes and kind == ORGANIZATION else ([], [])
    return {
        "unique_id": record.record_id,
        "kind": kind,
        "registry": record.registry,
        "name": names[0] if names else None,
        "name_readings": "|".join(" ".join(r.tokens) for r in readings) or None,
        "name_keys": keys or None,
        "name_key": keys[0] if keys else None,
        "name_prefix": "".join(first)[:PREFIX_LETTERS] or None,
        "name_starts": starts or None,
        "name_sounds": sounds or None,
        "name_cores": cores or None,
        "name_tokens": tokens or None,
        "ids": sorted(record.strong_ids) or None,
        "id_schemes": sorted({i.split(":", 1)[0] for i in record.strong_ids}) or None,
        "weak_ids": sorted(record.weak_ids) or None,
        "date": dates[0] if dates else None,
        "address_numbers": numbers or None,
        "address_key": " ".join(numbers) if len(numbers) >= MIN_KEY_NUMBERS else None,
        "postcode": postcodes[0] if postcodes else None,
        "country": countries[0] if countries else None,
        "gender": next(iter(record.values("gender")), None) if kind == PERSON else None,
        "regions": held[0] or None,
        "districts": held[1] or None,
    }
