"""Identifier schemes as data: hermit/resources/ids/schemes.yaml, read once per call
site that asks (the file is small) and checked when read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from hermit.errors import ModelError

CHECKS = ("stdnum:", "rigour:imo_company", "pattern")


@dataclass(frozen=True, slots=True)
class Scheme:
    """One identifier scheme: how it is checked and which FtM properties carry it."""

    name: str
    title: str
    check: str
    patterns: tuple[re.Pattern[str], ...] = ()
    by_country: dict[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    properties: tuple[str, ...] = ()


def _patterns(name: str, raw: Any) -> tuple[re.Pattern[str], ...]:
    if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
        raise ModelError(f"ids/schemes.yaml: {name}: patterns must be a list of strings")
    return tuple(re.compile(p) for p in raw)


def _scheme(name: str, raw: Any) -> Scheme:
    if not isinstance(raw, dict):
        raise ModelError(f"ids/schemes.yaml: {name}: not a mapping")
    check = raw.get("check")
    if not isinstance(check, str) or not check.startswith(CHECKS):
        raise ModelError(f"ids/schemes.yaml: {name}: check {check!r} is not one of {CHECKS}")
    by_country = {
        str(country): _patterns(name, pats)
        for country, pats in (raw.get("by_country") or {}).items()
    }
    patterns = _patterns(name, raw.get("patterns") or [])
    if check == "pattern" and not patterns and not by_country:
        raise ModelError(f"ids/schemes.yaml: {name}: a pattern check needs patterns")
    return Scheme(
        name=name,
        title=str(raw.get("title", name)),
        check=check,
        patterns=patterns,
        by_country=by_country,
        properties=tuple(str(p) for p in raw.get("properties") or []),
    )


@cache
def load_schemes() -> dict[str, Scheme]:
    """Every scheme of the reviewed file, by name."""
    text = resources.files("hermit").joinpath("resources/ids/schemes.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    return {name: _scheme(name, raw) for name, raw in data["schemes"].items()}


def scheme_for_property(prop: str) -> Scheme | None:
    """The scheme an FtM property carries (``innCode`` -> inn), if any."""
    for scheme in load_schemes().values():
        if prop in scheme.properties:
            return scheme
    return None


def get_scheme(name: str) -> Scheme:
    """The scheme called ``name``; ModelError naming the known ones if there is none."""
    schemes = load_schemes()
    if name not in schemes:
        raise ModelError(f"unknown identifier scheme {name!r} (known: {', '.join(schemes)})")
    return schemes[name]
