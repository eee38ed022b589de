"""The settings of the AIS checks and event detectors, read from
``resources/maritime/*.yaml`` (each value is explained and sourced there)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


def _yaml(name: str) -> dict[str, Any]:
    path = resources.files("hermit") / "resources" / "maritime" / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@dataclass(frozen=True, slots=True)
class Validation:
    algorithm: str
    max_implied_speed_kn: float
    min_jump_distance_km: float
    sog_not_available_kn: float
    cog_not_available_deg: float
    heading_not_available_deg: float
    imo_placeholder: str


@dataclass(frozen=True, slots=True)
class Gaps:
    algorithm: str
    min_gap_h: float
    disabling_min_gap_h: float
    disabling_min_shore_nm: float
    reception_window_h: float
    segment_gap_h: float


@dataclass(frozen=True, slots=True)
class Anchorages:
    algorithm: str
    cell_deg: float
    stationary_speed_kn: float
    min_stationary_vessels: int
    port_max_km: float


@dataclass(frozen=True, slots=True)
class Encounters:
    algorithm: str
    resample_min: int
    max_interpolate_h: float
    max_distance_m: float
    min_duration_h: float
    max_median_speed_kn: float
    min_anchorage_distance_km: float
    max_missing_steps: int
    cell_deg: float


@dataclass(frozen=True, slots=True)
class PortVisits:
    algorithm: str
    entry_distance_km: float
    exit_distance_km: float
    stop_start_speed_kn: float
    stop_end_speed_kn: float
    max_silence_h: float
    track_max_speed_kn: float
    max_excursion_h: float
    dprk_country: str

    @property
    def kims_locodes(self) -> list[str]:
        return [port.locode for port in kims_ports().ports]


@dataclass(frozen=True, slots=True)
class Loitering:
    algorithm: str
    bucket_h: float
    max_speed_kn: float
    min_shore_nm: float
    min_duration_h: float
    max_pair_h: float
    max_silence_h: float
    shore_cell_deg: float
    shore_search_deg: float
    shore_far_km: float


@dataclass(frozen=True, slots=True)
class DarkPortCalls:
    algorithm: str
    min_gap_h: float
    max_end_nm: float
    min_stay_h: float
    moving_speed_kn: float
    speed_window_h: float
    default_speed_kn: float


@dataclass(frozen=True, slots=True)
class DprkWaters:
    algorithm: str
    max_silence_h: float
    stop_speed_kn: float


@dataclass(frozen=True, slots=True)
class IdentityChanges:
    algorithm: str
    min_run_h: float
    min_run_positions: int
    max_handover_h: float
    max_handover_km: float
    shared_min_alternations: int
    spoof_min_clean_h: float


@dataclass(frozen=True, slots=True)
class ImplausibleSpeed:
    algorithm: str
    max_speed_kn: float
    min_distance_km: float
    merge_h: float
    report_single_fixes: bool
    listed_steps: int


@dataclass(frozen=True, slots=True)
class KimsPort:
    name: str
    wpi: str
    locode: str
    country: str
    paragraph: str


@dataclass(frozen=True, slots=True)
class KimsPorts:
    """The ports of the KIMS Act report, reviewed data with its legal source."""

    source: str
    source_file: str
    reviewed: str
    ports: tuple[KimsPort, ...]
    window_days: int
    waters_link_min_stopped_h: float


@cache
def validation() -> Validation:
    return Validation(**_yaml("validation.yaml"))


@cache
def gaps() -> Gaps:
    return Gaps(**_yaml("events.yaml")["gaps"])


@cache
def anchorages() -> Anchorages:
    return Anchorages(**_yaml("events.yaml")["anchorages"])


@cache
def encounters() -> Encounters:
    return Encounters(**_yaml("events.yaml")["encounters"])


@cache
def port_visits() -> PortVisits:
    return PortVisits(**_yaml("events.yaml")["port_visits"])


@cache
def loitering() -> Loitering:
    return Loitering(**_yaml("events.yaml")["loitering"])


@cache
def dark_port_calls() -> DarkPortCalls:
    return DarkPortCalls(**_yaml("events.yaml")["dark_port_calls"])


@cache
def dprk_waters() -> DprkWaters:
    return DprkWaters(**_yaml("events.yaml")["dprk_waters"])


@cache
def identity_changes() -> IdentityChanges:
    return IdentityChanges(**_yaml("events.yaml")["identity_changes"])


@cache
def implausible_speed() -> ImplausibleSpeed:
    return ImplausibleSpeed(**_yaml("events.yaml")["implausible_speed"])


@cache
def kims_ports() -> KimsPorts:
    data = _yaml("kims_ports.yaml")
    return KimsPorts(
        source=str(data["source"]),
        source_file=str(data["source_file"]),
        reviewed=str(data["reviewed"]),
        ports=tuple(KimsPort(**{k: str(v) for k, v in p.items()}) for p in data["ports"]),
        window_days=int(data["window_days"]),
        waters_link_min_stopped_h=float(data["waters_link_min_stopped_h"]),
    )


@cache
def layouts() -> dict[str, Any]:
    """Column layouts of position files (``layouts.yaml``), in the order tried."""
    return _yaml("layouts.yaml")
