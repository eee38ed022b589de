"""Russian Cyrillic to Latin the way the lists and Russian registries' English forms
write it (``Чхольсан`` -> ``Chkholsan``, ``ООО`` -> ``OOO``): table in
resources/names/russian.yaml."""

from __future__ import annotations

from functools import cache

from hermit.names.tables import load


@cache
def _letters() -> dict[str, str]:
    return {str(k): str(v) for k, v in load("russian")["letters"].items()}


def _word(word: str, initial_ye: bool) -> str:
    letters = _letters()
    out: list[str] = []
    for index, char in enumerate(word):
        low = char.lower()
        latin = letters.get(low)
        if latin is None:
            out.append(char)
            continue
        if initial_ye and index == 0 and low in "её":
            latin = "ye" if low == "е" else "yo"
        out.append(latin.capitalize() if char.isupper() and latin else latin)
    text = "".join(out)
    return text.upper() if word.isupper() and len(word) > 1 else text


def transliterate(text: str) -> list[str]:
    """The list-style Latin form of ``text``, and the BGN/PCGN variant with word-initial
    ``ye`` when it differs (Елена: Elena, Yelena)."""
    plain = " ".join(_word(w, False) for w in text.split())
    forms = [plain]
    if load("russian").get("initial_ye"):
        variant = " ".join(_word(w, True) for w in text.split())
        if variant != plain:
            forms.append(variant)
    return forms
