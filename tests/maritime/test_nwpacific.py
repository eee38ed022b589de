"""Quality floors on the NW Pacific dev set (shared/data/ais_nwpacific; generated, with
labels): the data-quality plants are counted as labelled, and gaps, encounters and port
visits reach the recall and precision measured, less a margin (bench/ais_nwpacific.py
prints the figures; BENCHMARKS.md keeps them). The set is loaded and its events made
once, through the real program."""

from __future__ import annotations

import csv
from collections import Counter
from typing import Any

import orjson
import pytest

from bench.maritime.labels import (
    score_dark_dprk_calls,
    score_disabling,
    score_dprk_port_calls_in_waters,
    score_encounters,
    score_gaps,
    score_identity,
    score_loitering,
    score_port_visits,
)
from hermit.maritime.geo import read_area
from tests.cli.helpers import hermit
from tests.conftest import shared_data_dir

DATA = shared_data_dir() / "ais_nwpacific"
LABELS = DATA / "labels"
EEZ = shared_data_dir() / "geo" / "gfw_nk_eez_prk.json"


@pytest.fixture(scope="module")
def nwpacific(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], list[Any]]:
    tmp = tmp_path_factory.mktemp("nwpacific")
    store = tmp / "hermit.duckdb"
    out = hermit(store, "ais", "load", "--json", str(DATA / "positions_201801.parquet")).stdout
    events = tmp / "events.jsonl"
    hermit(store, "ais", "events", "--eez", str(EEZ), "--output", str(events))
    lines = events.read_text(encoding="utf-8").splitlines()
    return orjson.loads(out), [orjson.loads(line) for line in lines]


def test_data_quality_as_labelled(nwpacific: tuple[dict[str, Any], list[Any]]) -> None:
    summary, _ = nwpacific
    with open(LABELS / "data_quality.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    planted = Counter(r["kind"] for r in rows)
    p = summary["problems"]
    assert p["duplicate_row"]["mmsis"] == planted["duplicate_rows"]
    assert p["duplicate_row"]["rows"] == sum(
        int(r["value"]) for r in rows if r["kind"] == "duplicate_rows"
    )
    assert p["imo_check_digit"]["mmsis"] == planted["imo_check_digit"]
    assert p["imo_from_mmsi"]["mmsis"] == planted["imo_from_mmsi"]
    assert p["imo_placeholder"]["mmsis"] == planted["imo_placeholder"]
    assert p["mmsi_not_9_digits"]["mmsis"] == planted["mmsi_not_9_digits"]
    assert p["mid_unallocated"]["mmsis"] == planted["mid_unallocated"]
    # the default MMSI two vessels share (and an MMSI stolen by another ship) show as
    # runs of impossible speeds: counted per MMSI, not as hundreds of jumps
    assert p["speed_conflict"]["mmsis"] >= 1
    labelled_jumps = {
        (int(r["mmsi"]), r["ts"].replace("Z", "")) for r in rows if r["kind"] == "position_jump"
    }
    assert abs(p["position_jump"]["rows"] - len(labelled_jumps)) <= 0.15 * len(labelled_jumps)


# measured on the dev set (BENCHMARKS.md), less a margin
GAP_RECALL, GAP_PRECISION = 0.95, 0.95  # measured 0.987, 0.996
ENCOUNTER_RECALL, ENCOUNTER_PRECISION = 0.95, 0.90  # observable ones: measured 1.0, 1.0
VISIT_RECALL, VISIT_PRECISION = 0.78, 0.90  # measured 0.834, 0.953 (1,325 visits)
DISABLING_RECALL, DISABLING_PRECISION = 0.85, 0.10  # measured 0.92, 0.13 (see gaps.py)


def test_event_floors(nwpacific: tuple[dict[str, Any], list[Any]]) -> None:
    _, events = nwpacific
    gaps = score_gaps(LABELS, events)
    assert gaps.recall >= GAP_RECALL and gaps.precision >= GAP_PRECISION, gaps.to_dict()
    # the three STS whose foreign tanker was dark all through cannot be seen in AIS: the
    # floor is on the encounters both vessels' positions show; none of the labelled
    # hard negatives (pair trawlers, side by side at anchor, near misses, convoys) is taken
    enc = score_encounters(LABELS, events, observable_only=True)
    assert enc.recall >= ENCOUNTER_RECALL and enc.precision >= ENCOUNTER_PRECISION, enc.to_dict()
    assert score_encounters(LABELS, events).extra == Counter()
    visits = score_port_visits(LABELS, events)
    assert visits.recall >= VISIT_RECALL and visits.precision >= VISIT_PRECISION, visits.to_dict()
    disabling = score_disabling(LABELS, events)
    assert disabling.recall >= DISABLING_RECALL, disabling.to_dict()
    assert disabling.precision >= DISABLING_PRECISION, disabling.to_dict()


IDENTITY_RECALL, IDENTITY_PRECISION = 0.95, 0.90  # measured 1.0 (9 of 9), 1.0 (11 of 11)
DPRK_CALLS_IN_WATERS_RECALL = 0.95  # measured 1.0 (32 of 32)


def test_identity_changes_and_dprk_waters(nwpacific: tuple[dict[str, Any], list[Any]]) -> None:
    _, events = nwpacific
    identity = score_identity(LABELS, events)
    assert identity.recall >= IDENTITY_RECALL, identity.to_dict()
    assert identity.precision >= IDENTITY_PRECISION, identity.to_dict()
    # the MMSI two vessels share from the start (data_quality.csv, mmsi_shared) is no
    # identity change
    assert not [e for e in events if e["kind"].endswith("change") and e["mmsi"] == 412000000]
    area = read_area(EEZ, "DPRK EEZ")
    stays = score_dprk_port_calls_in_waters(LABELS, events, area.contains)
    assert stays.labelled >= 20 and stays.recall >= DPRK_CALLS_IN_WATERS_RECALL, stays.to_dict()


# measured on the dev set with the GFW parameters as documented (events.yaml), not tuned
# to it; both below the aim (R 0.95, P 0.90): see BENCHMARKS.md for why
LOITERING_RECALL, LOITERING_PRECISION = 0.85, 0.60  # measured 0.885 (238/269), 0.668 (239/358)
DARK_CALL_RECALL, DARK_CALL_PRECISION = 0.70, 0.35  # measured 0.80 (8/10), 0.421 (8/19)


def test_loitering_and_dark_dprk_port_calls(nwpacific: tuple[dict[str, Any], list[Any]]) -> None:
    _, events = nwpacific
    loitering = score_loitering(LABELS, events)
    assert loitering.recall >= LOITERING_RECALL, loitering.to_dict()
    assert loitering.precision >= LOITERING_PRECISION, loitering.to_dict()
    assert all(e["algorithm"] == "hermit-loitering@1" for e in events if e["kind"] == "loitering")
    dark = score_dark_dprk_calls(LABELS, events)
    assert dark.recall >= DARK_CALL_RECALL and dark.precision >= DARK_CALL_PRECISION, dark.to_dict()
    # each inferred call names its port and rests on the gap's two positions
    for e in events:
        if e["kind"] == "dark_dprk_port_call":
            assert e["facts"]["port"] in e["facts"]["ports_possible"]
            assert [e["mmsi"], e["start"]] in e["positions"]
            assert [e["mmsi"], e["end"]] in e["positions"]
