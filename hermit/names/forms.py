"""A name's comparable Latin forms, each with how it was derived."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from hermit.names import hangul
from hermit.names.chinese import to_pinyin
from hermit.names.hanja import read_hanja
from hermit.names.lookalikes import unmask
from hermit.names.russian import transliterate
from hermit.names.script import CYRILLIC, HAN, HANGUL, MIXED, detect_script
from hermit.names.translit import latin_readings


@dataclass(frozen=True, slots=True)
class Form:
    text: str
    how: str
    #: read from a script that writes no short vowels: compared on consonants only
    vowelless: bool = False


def _romanize(text: str, system: str) -> str:
    """Word by word; a one-word personal name of 2 to 4 syllables is written with the
    surname apart, as the lists do (김영철 -> kim yo'ng-ch'o'l)."""
    words = text.split()
    if len(words) == 1 and 2 <= len(words[0]) <= 4:
        words = [words[0][0], words[0][1:]]
    return " ".join(hangul.romanize_word(w, system) for w in words)


@lru_cache(maxsize=65536)
def latin_forms(name: str) -> tuple[Form, ...]:
    """The name as written, then its Latin readings: look-alike letters undone (Ig0r,
    a Cyrillic о in a Latin word), Russian Cyrillic transliterated as the lists do,
    Chinese in pinyin and Hanja read as Korean, Hangul in MR and RR, and the scripts of
    resources/names/scripts.yaml (Arabic, Greek, Khmer ...) through ICU or anyascii."""
    script = detect_script(name.replace(" ", ""))
    readings = latin_readings(name)
    vowelless = script != MIXED and any(r.vowelless for r in readings)
    forms = [Form(name, "as written", vowelless)]
    for text in unmask(name):
        forms.append(Form(text, f"{name} with look-alike letters read as letters"))
    if script in (CYRILLIC, MIXED):
        for text in transliterate(name):
            forms.append(Form(text, f"{name} transliterated from Russian (list style)"))
    if script == HAN:
        forms.append(Form(to_pinyin(name), f"{name} read in pinyin"))
        reading, how = read_hanja(name)
        mr = _romanize(reading, "mr")
        forms.append(Form(mr, f"{name} read as Korean ({how}) = {mr} (MR)"))
    if script == HANGUL:
        forms.append(Form(_romanize(name, "mr"), f"{name} romanized (MR)"))
        forms.append(Form(_romanize(name, "rr"), f"{name} romanized (RR)"))
    for other in readings:
        forms.append(Form(other.text, f"{name} {other.how}", other.vowelless))
    unique: dict[str, Form] = {}
    for form in forms:
        unique.setdefault(form.text, form)
    return tuple(unique.values())
