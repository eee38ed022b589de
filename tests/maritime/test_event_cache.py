"""The events of a load are made once and kept beside the AIS store
(hermit.maritime.event_cache): a second caller reads them back as they were made; a
new load, another polygon or a store made anew is a file of its own."""

from __future__ import annotations

import json
from pathlib import Path

from hermit.maritime.detect import find_events
from hermit.maritime.event_cache import cache_path, load_events
from hermit.maritime.store import AisStore
from tests.maritime.fixtures import HEADER, track

NAMPO = (38.716667, 125.4)


def planted(path: Path) -> Path:
    lat, lon = NAMPO
    rows = track(445000031, 0, 13, lat, lon, dlat=0.0, sog="0.0", name="CALLER")
    rows += track(445000031, 10, 25, 37.0, 124.0, dlat=0.0001, sog="0.5", name="CALLER")
    rows += track(636000033, 10, 25, 37.0005, 124.0, dlat=0.0001, sog="0.5", name="MET")
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", "utf-8")
    return path


def square(path: Path, lat: float, lon: float) -> Path:
    ring = [[lon - 1, lat - 1], [lon + 1, lat - 1], [lon + 1, lat + 1], [lon - 1, lat + 1]]
    geo = {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}
    path.write_text(json.dumps({"type": "Feature", "properties": {}, "geometry": geo}))
    return path


def test_events_are_kept_and_read_back_as_made(tmp_path: Path) -> None:
    positions = planted(tmp_path / "p.csv")
    with AisStore(tmp_path / "s.ais.duckdb") as store:
        lid = store.load([positions])
        made = [e.to_dict() for e in find_events(store.con, lid.load_id)]
        assert {e["kind"] for e in made} >= {"port_visit", "gap", "encounter"}
        kept = cache_path(store, lid.load_id, None)
        assert not kept.exists()
        first = [e.to_dict() for e in load_events(store, lid.load_id)]
        assert kept.is_file() and first == made
        again = [e.to_dict() for e in load_events(store, lid.load_id)]
        assert again == made  # read from the file
        kept.write_bytes(b"[]")  # proof the second call reads the file, not the detectors
        assert load_events(store, lid.load_id) == []
        # another load, another area: files of their own
        second = store.load([positions]).load_id
        assert cache_path(store, second, None) != kept
        area = square(tmp_path / "area.json", 37.0, 124.0)
        assert cache_path(store, lid.load_id, area) != kept
        with_area = load_events(store, lid.load_id, area)
        assert "dprk_waters" in {e.kind for e in with_area}
    # a store made anew at the same address: its load 1 is not the old one's
    (tmp_path / "s.ais.duckdb").unlink()
    with AisStore(tmp_path / "s.ais.duckdb") as store:
        lid = store.load([positions])
        assert cache_path(store, lid.load_id, None) != kept
        assert [e.to_dict() for e in load_events(store, lid.load_id)] == made


def test_a_folder_that_cannot_be_written_still_answers(tmp_path: Path) -> None:
    positions = planted(tmp_path / "p.csv")
    with AisStore(tmp_path / "s.ais.duckdb") as store:
        lid = store.load([positions]).load_id
        folder = cache_path(store, lid, None).parent
        folder.write_text("a file where the folder would be")
        found = load_events(store, lid)
        assert {e.kind for e in found} >= {"port_visit", "encounter"}


def test_writing_a_file_removes_the_stores_stale_ones(tmp_path: Path) -> None:
    """A new kept file removes the store's files of older loads, of other code and of
    loads the store no longer holds; the written one and another polygon's stay."""
    positions = planted(tmp_path / "p.csv")
    area = square(tmp_path / "area.json", 37.0, 124.0)
    with AisStore(tmp_path / "s.ais.duckdb") as store:
        first = store.load([positions]).load_id
        load_events(store, first)
        old = cache_path(store, first, None)
        folder = old.parent
        other_code = folder / old.name.replace(old.stem.split("-")[3], "0" * 12)
        other_code.write_bytes(b"[]")
        gone_store = folder / "load-7-0123456789ab-0123456789ab-0123456789ab.json"
        gone_store.write_bytes(b"[]")
        elsewhere = tmp_path / "s2.ais.duckdb.events"  # another store's folder: not ours
        elsewhere.mkdir()
        (elsewhere / old.name).write_bytes(b"[]")
        second = store.load([positions]).load_id
        load_events(store, second, area)
        with_area = cache_path(store, second, area)
        assert sorted(p.name for p in folder.iterdir()) == [with_area.name]
        load_events(store, second)  # the same load without the polygon: both kept
        assert sorted(p.name for p in folder.iterdir()) == sorted(
            [with_area.name, cache_path(store, second, None).name]
        )
        load_events(store, first)  # an older load asked again: made, kept, the later stay
        assert len(list(folder.iterdir())) == 3
        assert (elsewhere / old.name).exists()
        assert [e.to_dict() for e in load_events(store, second)] == [
            e.to_dict() for e in find_events(store.con, second)
        ]
