"""Loading the reviewed data files under hermit/resources/names (read once, cached)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

#: libyaml's loader when PyYAML has it (the same documents, ten times as fast).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def load(name: str) -> Any:
    """The parsed YAML file ``hermit/resources/names/<name>.yaml``."""
    path = resources.files("hermit") / "resources" / "names" / f"{name}.yaml"
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
