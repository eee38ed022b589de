"""The building an address names (``graph@2``'s address key): its town, its street's name
and its house number, each read in Latin letters and reduced to a consonant skeleton, so
that one building written in Russian, in an English-language database's transliteration
or in Chinese and English gets one key, and two houses of one number on two streets of
a postcode get two.

    195452, г. Санкт-Петербург, ул. Марата, д. 53, пом. 20  -> sktptrbrg|mrt|53
    ul Marata 53, office 20, Saint Petersburg, Russia        -> sktptrbrg|mrt|53
    吉林省延吉市人民路317号5单元662室                            -> ng|rnmn|317
    Room 662, Unit 5, No. 317 Renmin Road, Yanji, China      -> ng|rnmn|317

The words it reads (street types, house and unit words, regions, towns' English names)
are reviewed data: hermit/resources/network/address_words.yaml. An address it cannot
read as town, street and house (no street, no house number, no town) gets None: the
caller falls back to a coarser key (hermit.network.shared).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import yaml

from hermit.names.chinese import to_pinyin
from hermit.names.russian import transliterate

_CJK = re.compile(r"[\u3400-\u9fff]")
_CJK_ADDRESS = re.compile(
    r"^(?:[^省]+省)?(?:(?P<city>[^市省]+?)市)?(?:[^区县]+?(?:新区|区|县))?(?P<street>[^\d]+?)"
    r"(?P<house>\d+)号"
)
_TOKEN = re.compile(
    r"\d+(?:st|nd|rd|th)(?![^\W\d_])|\d+(?:[^\W\d_](?![^\W\d_]))?(?:/\d+)?|№"
    r"|[^\W\d_]+(?:['’-][^\W\d_]+)*"
)
#: A floor (2F, 3rd floor): the rest of the part is inside the building.
_FLOOR = re.compile(r"\d+(?:st|nd|rd|th|f)")
_POSTCODE = re.compile(r"\d{6}")
_ROMAN = re.compile(r"[ivxlc]+")
#: A lower-case letter glued to a capital (пр-ктЛенинский): two words.
_GLUED = re.compile(r"(?<=[a-zа-я])(?=[A-ZА-Я])")
_DOUBLED = re.compile(r"(.)\1+")


@dataclass(frozen=True)
class Words:
    street_before: frozenset[str]
    street_after: frozenset[str]
    street_cjk: tuple[str, ...]
    house: frozenset[str]
    unit: frozenset[str]
    house_parts: dict[str, str]
    region: frozenset[str]
    city: frozenset[str]
    country: frozenset[str]
    city_names: dict[str, str]
    cjk_street_names: dict[str, str]
    cjk_directions: dict[str, str]
    digraphs: tuple[tuple[str, str], ...]
    vowels: frozenset[str]
    cjk_readings: dict[str, str]
    joined: frozenset[str]  # street type and region words: what a hyphen may join


@cache
def words() -> Words:
    """The reviewed word lists of hermit/resources/network/address_words.yaml."""
    ref = resources.files("hermit") / "resources" / "network" / "address_words.yaml"
    data = yaml.safe_load(ref.read_text(encoding="utf-8"))

    def few(name: str) -> frozenset[str]:
        return frozenset(str(w).casefold() for w in data[name])

    def table(name: str) -> dict[str, str]:
        return {
            str(k).casefold().replace("-", " "): str(v).casefold() for k, v in data[name].items()
        }

    return Words(
        few("street_before"),
        few("street_after"),
        tuple(sorted((str(w) for w in data["street_cjk"]), key=len, reverse=True)),
        few("house"),
        few("unit"),
        table("house_parts"),
        few("region"),
        few("city"),
        few("country"),
        table("city_names"),
        table("cjk_street_names"),
        table("cjk_directions"),
        tuple((str(a), str(b)) for a, b in data["skeleton"]["digraphs"]),
        frozenset(str(v) for v in data["skeleton"]["vowels"]),
        {str(k): str(v) for k, v in data["cjk_readings"].items()},
        few("street_before") | few("street_after") | few("region"),
    )


def _latin(text: str) -> str:
    """``text`` in lower-case Latin letters (Cyrillic transliterated, Chinese in pinyin)."""
    if _CJK.search(text):
        for written, reading in words().cjk_readings.items():
            text = text.replace(written, f" {reading} ")
        text = to_pinyin(text)
    return transliterate(text)[0].casefold() if text else ""


def _skeleton(tokens: list[str]) -> str:
    """The skeleton of the words written together (address_words.yaml's ``skeleton``:
    Yekaterinburg and Екатеринбург, Lomonosovskiy and Ломоносовский alike)."""
    return _skeleton_of(" ".join(tokens))


@lru_cache(maxsize=1 << 16)
def _skeleton_of(words_text: str) -> str:
    w = words()
    text = "".join(ch for ch in _latin(words_text) if ch.isascii() and ch.isalpha())
    for old, new in w.digraphs:
        text = text.replace(old, new)
    text = "".join("a" if ch in w.vowels else ch for ch in text)
    return _DOUBLED.sub(r"\1", text)


def _house(token: str) -> str:
    """A house number as written (53, 9/2, 53a: a Cyrillic letter read as Latin)."""
    return _latin(token.lstrip("0") or "0")


def _is_number(token: str) -> bool:
    return token[0].isdigit()


def building_key(text: str) -> str | None:
    """``town|street|house`` of the building ``text`` names (None when it names no
    street, no house number or no town: see the module's docstring)."""
    if _CJK.search(text):
        return _cjk_key(text)
    return _key(text)


def _cjk_key(text: str) -> str | None:
    found = _CJK_ADDRESS.match("".join(text.split()))
    if found is None or not found.group("city"):
        return None
    street = found.group("street")
    for kind in words().street_cjk:
        if street.endswith(kind) and len(street) > len(kind):
            street = street[: -len(kind)]
            break
    return f"{_skeleton([found.group('city')])}|{_skeleton([street])}|{found.group('house')}"


def _units_cut(tokens: list[str], parts: list[str]) -> list[str]:
    """The tokens before a unit inside the building (офис 302, 2F, 3rd floor); a house
    of the number (корп. 2) is added to ``parts`` as k2."""
    w = words()
    for index, token in enumerate(tokens):
        if _FLOOR.fullmatch(token):
            return tokens[:index]
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token in w.house_parts and following is not None and _is_number(following):
            parts.append(w.house_parts[token] + _house(following))
            return tokens[:index] + _units_cut(tokens[index + 2 :], parts)
        if token in w.unit:
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            if following is None and index > 0:
                return tokens[:index]
            if following is not None and (_is_number(following) or _ROMAN.fullmatch(following)):
                return tokens[:index]
    return tokens


def _typed_street(tokens: list[str], at: int) -> tuple[list[str], list[str], str | None]:
    """A part with a street type word at ``at``: the street's words, the numbers of its
    name (8 Марта, 50 лет Октября) and the house number the part gives (None: none)."""
    w = words()
    kind = tokens[at]
    after = tokens[at + 1 :]
    if any(not _is_number(t) for t in after) and kind in w.street_before:
        # ул. Марата 53, ul Kirova 119, ул. 8 Марта: the name after the type word
        first = next(i for i, t in enumerate(after) if not _is_number(t))
        last = max(i for i, t in enumerate(after) if not _is_number(t))
        leading = [t for t in after[:first] if _is_number(t)]
        trailing = [t for t in after[last:] if _is_number(t)]
        inside = [t for t in after[first:last] if _is_number(t)]
        name = [t for t in after if not _is_number(t)]
        if trailing:
            return name, leading + inside + trailing[:-1], trailing[-1]
        return name, leading + inside, None
    before = tokens[:at]
    name = [t for t in before if not _is_number(t)]
    numbers_after = [t for t in after if _is_number(t)]
    if numbers_after:  # Makariou III Avenue 78
        return name, [t for t in before if _is_number(t)], numbers_after[-1]
    numbers = [t for t in before if _is_number(t)]
    if numbers and kind in w.street_after and kind not in w.street_before:
        return name, numbers[1:], numbers[0]  # 40 8 Marta St.: the house first
    return name, numbers, None  # 78 Добровольческой Бригады ул.: the name's number


def _key(text: str) -> str | None:
    w = words()
    city: list[str] | None = None  # a town the address marks as one (г. Москва)
    plain: list[list[str]] = []  # parts of letters alone: the town is the last one
    street: list[str] | None = None
    street_numbers: list[str] = []
    street_house: str | None = None  # the house number the street's part gives
    house: str | None = None  # a house number marked as one (д. 53, No. 317)
    postcode: str | None = None
    loose: tuple[list[str], str] | None = None  # a street without a type word
    house_parts: list[str] = []  # корп. 2: k2
    text = _GLUED.sub(" ", text)  # пр-ктЛенинский: пр-кт Ленинский
    for part in re.split(r"[,;]", text.casefold().replace("ё", "е")):
        tokens = _units_cut(_split(_TOKEN.findall(part)), house_parts)
        if tokens and _POSTCODE.fullmatch(tokens[0]):
            postcode, tokens = tokens[0], tokens[1:]
        if not tokens or " ".join(tokens) in w.country or any(t in w.region for t in tokens):
            continue
        if tokens[0] in w.city and len(tokens) > 1:
            city = tokens[1:]
            continue
        if tokens[0] in w.house and len(tokens) > 1 and _is_number(tokens[1]):
            house = house or tokens[1]
            tokens = tokens[2:]
            if not tokens:
                continue
        types = [i for i, t in enumerate(tokens) if t in w.street_before or t in w.street_after]
        if types and street is None:
            street, street_numbers, street_house = _typed_street(tokens, types[0])
            if tokens[types[0]] in w.street_before and types[0] > 0 and city is None:
                city = [t for t in tokens[: types[0]] if not _is_number(t)] or None
                street = [t for t in street if t not in city] if city else street
            continue
        if all(_is_number(t) or t in w.house or _ROMAN.fullmatch(t) for t in tokens):
            numbers = [t for t in tokens if _is_number(t)]  # 27, 5-587, 10-I
            if numbers and street is not None and house is None and street_house is None:
                house = numbers[0]
            continue
        numbers = [t for t in tokens if _is_number(t)]
        if len(numbers) == 1 and numbers[0] in (tokens[0], tokens[-1]) and loose is None:
            loose = ([t for t in tokens if not _is_number(t)], numbers[0])  # Gladstonos 50
            continue
        if not numbers:
            if tokens[-1] in w.city and len(tokens) > 1:
                tokens = tokens[:-1]  # Pyongyang City
            plain.append(tokens)
    if street is None and loose is not None:
        street, street_house = loose
    if street is None:
        return None
    if house is None:
        house = street_house
    elif street_house is not None and street_house != house:
        street_numbers = [*street_numbers, street_house]
    if house is None:
        return None
    town = city if city is not None else (plain[-1] if plain else None)
    if town is not None:
        place = w.city_names.get(" ".join(town).replace("-", " "), None)
        place_key = _skeleton([place] if place else town)
    elif postcode is not None:
        place_key = postcode
    else:
        return None
    number = " ".join([_house(house), *house_parts])
    return f"{place_key}|{_street(street_numbers + street)}|{number}"


def _split(tokens: list[str]) -> list[str]:
    """Words joined by a hyphen to a street type or region word written apart
    (Sejong-daero, Jung-gu: sejong daero, jung gu); the type words themselves (пр-кт, b-r)
    kept whole."""
    known = words().joined
    out: list[str] = []
    for token in tokens:
        head, dash, last = token.rpartition("-")
        if dash and head and token not in known and last in known:
            out += [head, last]
        else:
            out.append(token)
    return out


def _street(tokens: list[str]) -> str:
    w = words()
    letters = [t for t in tokens if not _is_number(t)]
    named = w.cjk_street_names.get(" ".join(letters))
    if named is not None:
        letters = [named]
    else:
        names = [t for t in letters if t not in w.cjk_directions]
        letters = names + [w.cjk_directions[t] for t in letters if t in w.cjk_directions]
    numbers = [t for t in tokens if _is_number(t)]
    return " ".join([*numbers, _skeleton(letters)])
