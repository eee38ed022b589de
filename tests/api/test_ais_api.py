"""GET /ais/events, /ais/vessels/{key} and /ais/kims on the real service (reads closed:
a read key is needed), over a small planted AIS load beside its store: a vessel that
stopped at Nampo and met another at sea."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.conftest import Service
from tests.api.keyed import auth, launch_keyed
from tests.cli.helpers import hermit
from tests.maritime.fixtures import HEADER, track

NAMPO = (38.716667, 125.4)


@pytest.fixture(scope="module")
def served(
    lists_store: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Service, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("ais_api")
    svc, tokens = launch_keyed(lists_store, folder, open_reads=False)
    lat, lon = NAMPO
    rows = track(445000031, 0, 13, lat, lon, dlat=0.0, sog="0.0", name="CALLER")
    rows += track(445000031, 10, 25, 37.0, 124.0, dlat=0.0001, sog="0.5", name="CALLER")
    rows += track(636000033, 10, 25, 37.0005, 124.0, dlat=0.0001, sog="0.5", name="MET",
                  imo="IMO9176187")  # fmt: skip
    path = folder / "p.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", "utf-8")
    hermit(svc.store_path, "ais", "load", str(path))
    yield svc, tokens
    svc.stop()


def test_ais_reads_need_a_key(served: tuple[Service, dict[str, str]]) -> None:
    svc, _ = served
    with svc.client() as c:
        for url in (
            "/ais/events",
            "/ais/vessels/445000031",
            "/ais/kims?from=2020-01-01&to=2020-01-31",
        ):
            assert c.get(url).status_code == 401, url


def test_events_and_vessel(served: tuple[Service, dict[str, str]]) -> None:
    svc, tokens = served
    with svc.client(headers=auth(tokens["rita"])) as c:
        r = c.get("/ais/events", params={"kind": "port_visit"})
        assert r.status_code == 200, r.text
        body = r.json()
        assert [(e["mmsi"], e["facts"]["port"]) for e in body["events"]] == [(445000031, "Nampo")]
        assert body["events"][0]["algorithm"] == "hermit-port-visit@4"
        assert body["events"][0]["positions"][0] == [445000031, "2020-01-01T00:00:00"]
        met = c.get("/ais/events", params={"kind": "encounter", "mmsi": 636000033}).json()
        assert [{e["mmsi"], e["other_mmsi"]} for e in met["events"]] == [{445000031, 636000033}]
        assert c.get("/ais/events", params={"kind": "nonsense"}).status_code == 400
        v = c.get("/ais/vessels/445000031").json()
        assert v["mmsis"] == [445000031] and v["vessels"][0]["names"] == ["CALLER"]
        assert {e["kind"] for e in v["events"]} >= {"port_visit", "encounter"}
        assert isinstance(v["listings"], dict)
        by_imo = c.get("/ais/vessels/IMO9176187").json()
        assert by_imo["mmsis"] == [636000033]
        assert c.get("/ais/vessels/12345").status_code == 400
        assert c.get("/ais/vessels/445999999").status_code == 404


def test_kims(served: tuple[Service, dict[str, str]]) -> None:
    svc, tokens = served
    with svc.client(headers=auth(tokens["rita"])) as c:
        r = c.get("/ais/kims", params={"from": "2020-01-01", "to": "2020-01-31"})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["algorithm"] == "hermit-kims-ports@1"
        assert [p["name"] for p in body["ports"]] == [
            "Nakhodka", "Vanino", "Vladivostok", "Dalian", "Dandong",
        ]  # fmt: skip
        assert (
            c.get("/ais/kims", params={"from": "2020-02-01", "to": "2020-01-01"}).status_code == 400
        )


def test_no_such_load_is_404_and_bad_asks_still_400(
    served: tuple[Service, dict[str, str]],
) -> None:
    """The routes check the load by its row (AisStore.load_id), not by counting its
    positions: a load that is not there is 404 on each, a bad ask is still 400."""
    svc, tokens = served
    with svc.client(headers=auth(tokens["rita"])) as c:
        for url, params in (
            ("/ais/events", {}),
            ("/ais/tracks/445000031", {}),
            ("/ais/vessels/445000031", {}),
            ("/ais/kims", {"from": "2020-01-01", "to": "2020-01-31"}),
        ):
            r = c.get(url, params={**params, "load": 99})
            assert r.status_code == 404, (url, r.text)
            assert "no AIS load 99" in r.text, url
        assert c.get("/ais/events", params={"kind": "nonsense", "load": 99}).status_code == 400
        bad = {"from": "2020-01-02", "to": "2020-01-01", "load": 99}
        assert c.get("/ais/tracks/445000031", params=bad).status_code == 400
        assert c.get("/ais/tracks/445000031", params={"load": 1}).status_code == 200
