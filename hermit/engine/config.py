"""The engines' settings, from ``resources/engine.yaml`` (each value explained there)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True, slots=True)
class SparkSettings:
    master: str
    partitions_per_core: int
    min_rows_per_partition: int
    conf: dict[str, str]
    time_zone: str


@cache
def spark_settings() -> SparkSettings:
    path = resources.files("hermit") / "resources" / "engine.yaml"
    section = yaml.safe_load(path.read_text(encoding="utf-8"))["spark"]
    return SparkSettings(
        str(section["master"]),
        int(section["partitions_per_core"]),
        int(section["min_rows_per_partition"]),
        {str(k): str(v) for k, v in section["conf"].items()},
        str(section["time_zone"]),
    )
