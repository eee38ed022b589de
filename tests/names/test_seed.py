"""The hand-written Hangul forms of bench/korean_names/seed.tsv, checked against the
listed spellings by romanizing them back (a string check independent of the comparison
classes), and the benchmark's Hangul, Hanja and Cyrillic forms found by the comparison."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from hermit.names import hangul
from hermit.names.korean import compare_names

SEED = Path(__file__).resolve().parents[2] / "bench" / "korean_names" / "seed.tsv"


def seed_rows() -> list[dict[str, str]]:
    lines = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    return list(csv.DictReader(lines, delimiter="\t"))


def _fold(text: str) -> str:
    """Spelling differences every list romanization allows: voicing, aspiration marks,
    apostrophes, hyphens, ŏ/o and ŭ/u, r/l, word order marks."""
    return "".join(_fold_token(t) for t in re.split(r"[^a-z]+", text.lower()) if t)


def _fold_token(text: str) -> str:
    text = text.replace("park", "pak").replace("ng", "N")
    for a, b in (
        ("tch", "c"),
        ("ch", "c"),
        ("jj", "c"),
        ("j", "c"),
        ("kh", "k"),
        ("g", "k"),
        ("th", "t"),
        ("d", "t"),
        ("ph", "p"),
        ("b", "p"),
        ("l", "r"),
        ("eo", "o"),
        ("eu", "u"),
    ):
        text = text.replace(a, b)
    return text


def _listed_in_order(listed: str) -> str:
    last, comma, first = listed.partition(",")
    return f"{last} {first}" if comma else listed


@pytest.mark.parametrize("row", seed_rows(), ids=lambda r: r["listed"])
def test_hangul_romanizes_to_the_listed_spelling(row: dict[str, str]) -> None:
    forms = {
        system: "".join(_fold(hangul.romanize_syllable(c, system)) for c in row["hangul"])
        for system in ("dprk", "mr")
    }
    target = _fold(_listed_in_order(row["listed"]))
    assert target in forms.values(), (forms, target)


@pytest.mark.parametrize("row", seed_rows(), ids=lambda r: r["listed"])
def test_every_script_finds_the_listed_name(row: dict[str, str]) -> None:
    for column in ("hangul", "hanja", "russian"):
        if row[column]:
            found = compare_names(row[column], row["listed"])
            assert found is not None and found.score >= 0.8, (column, found)
