"""Resolution settings from hermit/resources/resolve/resolve.yaml (each explained there)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from hermit.errors import ModelError


@dataclass(frozen=True, slots=True)
class ResolveConfig:
    link_probability: float
    keep_probability: float
    u_seed: int
    u_max_pairs: int
    deterministic_recall: float
    same_identifier_u_probability: float
    max_block_records: int
    exclusive_schemes: tuple[str, ...]
    # scheme -> (country, start, end, district end): where a valid identifier holds
    # its region's code (and, to district end, its district's; 0: none)
    region_codes: dict[str, tuple[str, int, int, int]]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@cache
def resolve_config() -> ResolveConfig:
    path = resources.files("hermit") / "resources" / "resolve" / "resolve.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        training = data["training"]
        config = ResolveConfig(
            link_probability=float(data["link_probability"]),
            keep_probability=float(data["keep_probability"]),
            u_seed=int(training["u_seed"]),
            u_max_pairs=int(training["u_max_pairs"]),
            deterministic_recall=float(training["deterministic_recall"]),
            same_identifier_u_probability=float(data["same_identifier_u_probability"]),
            max_block_records=int(data["max_block_records"]),
            exclusive_schemes=tuple(str(s) for s in data["exclusive_schemes"]),
            region_codes={
                str(scheme): (
                    str(v["country"]),
                    int(v["start"]),
                    int(v["end"]),
                    int(v.get("district_end", 0)),
                )
                for scheme, v in data["region_codes"].items()
            },
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"resolve/resolve.yaml: {exc}") from None
    if not 0 < config.keep_probability <= config.link_probability < 1:
        raise ModelError("resolve/resolve.yaml: need 0 < keep_probability <= link_probability < 1")
    if any(not 0 <= a < b or 0 < d <= b for _, a, b, d in config.region_codes.values()):
        raise ModelError(
            "resolve/resolve.yaml: region_codes need 0 <= start < end"
            " and end < district_end when one is given"
        )
    if config.max_block_records < 2:
        raise ModelError("resolve/resolve.yaml: max_block_records must be at least 2")
    return config
