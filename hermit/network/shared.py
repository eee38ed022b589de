"""Keys of shared attributes (hermit.network.graph's evidence edges): the building of an
address, a phone number's digits, an e-mail address folded.

An address key names the building, not the office: two firms in different rooms of one
house share it. Since graph@2 it is hermit.network.building's town, street and house
number (``building_key``); an address that reads as no street and house falls back to
graph@1's key (``postcode_house_key``).

graph@1's key, kept for that fallback and as the anchor bench/address_keys.py measures
beside it: with a six-digit postcode (Russian addresses, in any script) the postcode and
the house number, the first other number; a Chinese address cut after its house number
(号); otherwise the address folded to its letters and digits. It joined houses of one
number on two streets of a postcode (ул. Пограничная, д. 47 and ул. Курильская, д. 47).
"""

from __future__ import annotations

import re

from hermit.network.building import building_key

_POSTCODE = re.compile(r"(?<!\d)\d{6}(?!\d)")
_NUMBER = re.compile(r"\d+")
_CN_HOUSE = re.compile(r"^(.*?\d+号)")
_WORD = re.compile(r"\w+")


def address_key(text: str) -> str | None:
    """The building an address names (None when the text holds nothing to key on)."""
    key = building_key(text)
    return key if key is not None else postcode_house_key(text)


def postcode_house_key(text: str) -> str | None:
    """graph@1's key of the building an address names (see the module's docstring)."""
    postcode = _POSTCODE.search(text)
    if postcode:
        rest = text[: postcode.start()] + " " + text[postcode.end() :]
        house = _NUMBER.search(rest)
        # a postcode alone names a district, not a building
        return f"{postcode.group()} {house.group().lstrip('0') or '0'}" if house else None
    house_cn = _CN_HOUSE.match(text.replace(" ", ""))
    if house_cn:
        return house_cn.group(1)
    words = _WORD.findall(text.casefold())
    # without a number ("Vladivostok, Russia") the text names a town, not a building
    return " ".join(words) if any(ch.isdigit() for ch in text) else None


def phone_key(text: str) -> str | None:
    digits = "".join(ch for ch in text if ch.isdigit())
    return digits[-10:] if len(digits) >= 7 else None


def email_key(text: str) -> str | None:
    text = text.strip().casefold()
    return text if "@" in text else None


KEYS = {"address": address_key, "phone": phone_key, "email": email_key}
