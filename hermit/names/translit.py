"""Names in other scripts read in Latin letters, per Unicode script, with the ICU
transforms or anyascii named in resources/names/scripts.yaml (Arabic, Persian, Hebrew,
Greek, Georgian, Armenian, Japanese kana, Indic scripts, Thai, Khmer, Lao ...)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from hermit.names.script import unicode_scripts
from hermit.names.tables import load

#: Joiners, direction marks and the Arabic tatweel are not letters; the ta marbuta
#: (ة, written h or t) is read h, as the lists' romanizations end such names (Fatimah,
#: Usamah); ICU's ʿ and ʾ (ayn, hamza) are dropped, as the lists mostly do.
_INVISIBLE = {**dict.fromkeys(map(ord, "\u200c\u200d\u200e\u200f\u061c\u0640"), ""), ord("ة"): "ه"}
#: The Arabic article is written joined to its word (الظواهري): read apart, as the lists'
#: romanizations write it (AL-ZAWAHIRI).
_ARTICLE = re.compile(r"(?<![^\s])ال(?=\S{2,})")
_MARKS = dict.fromkeys(map(ord, "\u02bf\u02be\u02bb\u02bc"), "")


@dataclass(frozen=True, slots=True)
class Reading:
    text: str
    how: str  # "read from Arabic script (ICU Any-Latin)"
    vowelless: bool


@cache
def _table() -> dict[str, dict[str, object]]:
    return {str(k): dict(v) for k, v in load("scripts")["scripts"].items()}


@cache
def _transform(name: str) -> Callable[[str], str]:
    if name == "anyascii":
        from anyascii import anyascii

        return anyascii
    import icu

    transliterator = icu.Transliterator.createInstance(f"{name}; Latin-ASCII")

    def run(text: str) -> str:
        return str(transliterator.transliterate(text))

    return run


def handled_scripts() -> frozenset[str]:
    """The scripts scripts.yaml says how to read."""
    return frozenset(_table())


@lru_cache(maxsize=65536)
def latin_readings(name: str) -> tuple[Reading, ...]:
    """Latin readings of the parts of ``name`` written in a script of the table (each
    transform of each such script; a name mixing two of them gets each)."""
    table = _table()
    text = _ARTICLE.sub("ال ", name.translate(_INVISIBLE))
    out: list[Reading] = []
    for script in sorted(unicode_scripts(text) & set(table)):
        entry = table[script]
        vowelless = bool(entry.get("vowelless", False))
        for transform in entry["transforms"]:  # type: ignore[attr-defined]
            latin = " ".join(_transform(str(transform))(text).translate(_MARKS).split())
            if latin and latin != name:
                tool = transform if transform == "anyascii" else f"ICU {transform}"
                how = f"read from {script} script ({tool})"
                out.append(Reading(latin, how, vowelless))
    unique: dict[str, Reading] = {}
    for reading in out:
        unique.setdefault(reading.text, reading)
    return tuple(unique.values())
