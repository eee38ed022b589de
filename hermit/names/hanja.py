"""Hanja (and Chinese characters) read as Korean, surnames by their surname reading."""

from __future__ import annotations

from functools import cache

import hanja as hanja_lib

from hermit.names.tables import load


@cache
def surname_readings() -> dict[str, str]:
    """Hanja surname -> Hangul surname (金 김, 李 리, 朴 박, 崔 최 ...)."""
    out: dict[str, str] = {}
    for hangul, data in load("surnames")["surnames"].items():
        for char in data.get("hanja", []):
            out[str(char)] = str(hangul)
    for hangul, data in load("surnames")["compound"].items():
        for chars in data.get("hanja", []):
            out[str(chars)] = str(hangul)
    return out


def read_hanja(text: str) -> tuple[str, str]:
    """(Hangul reading, how it was read). The leading one or two characters are read
    as a surname when the surname table knows them; the rest with word readings (the
    ``hanja`` package). Characters without a reading stay as they are."""
    text = "".join(text.split())
    readings = surname_readings()
    surname_len = 2 if text[:2] in readings else 1 if text[:1] in readings else 0
    surname = readings.get(text[:surname_len], "") if surname_len else ""
    rest = str(hanja_lib.translate(text[surname_len:], "substitution"))
    how = f"the surname {text[:surname_len]} as {surname}, " if surname else ""
    return surname + rest, f"{how}{text[surname_len:]} as {rest}"
