"""Registry country names FollowTheMoney cannot place, from a reviewed table
(hermit/resources/registry/countries.yaml)."""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml


@cache
def country_aliases() -> dict[str, str]:
    """Casefolded name -> ISO code."""
    path = resources.files("hermit").joinpath("resources/registry/countries.yaml")
    data = yaml.safe_load(path.read_text("utf-8")) or {}
    return {" ".join(str(k).split()).casefold(): str(v) for k, v in data.items()}
