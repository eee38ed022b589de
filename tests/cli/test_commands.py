"""The commands on the real lists, through the real program."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from tests.cli.helpers import SAMPLES, hermit
from tests.conftest import shared_data_dir


@pytest.fixture(scope="module")
def real_store(tmp_path_factory: pytest.TempPathFactory, shared_lists: Path) -> Path:
    store = tmp_path_factory.mktemp("real") / "store.duckdb"
    hermit(
        store,
        "lists",
        "load",
        str(shared_lists / "un_consolidated.xml"),
        str(shared_lists / "ofac_sdn.csv"),
        "--published",
        "2021-06-15",
    )
    return store


def test_help_explains_every_command(tmp_path: Path) -> None:
    top = hermit(tmp_path / "s.duckdb", "--help").stdout
    for command in ("lists", "show", "export", "screen", "demo"):
        assert command in top
    sub = hermit(tmp_path / "s.duckdb", "lists", "--help").stdout
    for command in ("load", "download", "status", "history", "diff"):
        assert command in sub
        assert hermit(tmp_path / "s.duckdb", "lists", command, "--help").returncode == 0


def test_status_counts(real_store: Path) -> None:
    out = hermit(real_store, "lists", "status").stdout
    assert "un_sc_sanctions" in out and "us_ofac_sdn" in out
    assert "2026-02-27" in out and "2021-06-15" in out
    lines = [" ".join(line.replace("│", " ").split()) for line in out.splitlines()]
    assert "un_sc_sanctions Person 730" in lines
    assert "un_sc_sanctions Organization 273" in lines
    assert "un_sc_sanctions DPRK 155" in lines
    assert "us_ofac_sdn Vessel 1,2" not in lines  # sanity: the table is per schema
    assert any(line.startswith("us_ofac_sdn DPRK3 ") for line in lines)


def test_load_again_changes_nothing(real_store: Path, shared_lists: Path) -> None:
    before = hermit(real_store, "lists", "history").stdout
    out = hermit(real_store, "lists", "load", str(shared_lists / "un_consolidated.xml")).stdout
    assert "unchanged" in out
    assert hermit(real_store, "lists", "history").stdout == before


def test_show_entity_with_provenance(real_store: Path, shared_lists: Path) -> None:
    out = hermit(real_store, "show", "unsc-kpi-024").stdout
    for text in (
        "KIM YONG CHOL",
        "Kim Young-Cheol",
        "1962-02-18",
        "472310168",
        "un_sc_sanctions record KPi.024",
        str(shared_lists / "un_consolidated.xml"),
    ):
        assert text in out, text
    data = orjson.loads(hermit(real_store, "show", "ofac-19613", "--json").stdout)
    assert data["properties"]["name"] == ["KOREA RUNGRADO GENERAL TRADING CORPORATION"]
    assert data["hermit"]["provenance"]["record_id"] == "19613"
    assert data["hermit"]["provenance"]["list_version"] == "us_ofac_sdn v1 (2021-06-15)"
    missing = hermit(real_store, "show", "no-such-id", check=False)
    assert missing.returncode == 1 and "no entity 'no-such-id'" in missing.stderr


def test_export_and_load_back(real_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.ftm.json"
    hermit(real_store, "export", "-o", str(out))
    other = tmp_path / "copy.duckdb"
    hermit(other, "lists", "load", str(out))
    a = tmp_path / "a.json"
    b = tmp_path / "b.json"
    hermit(real_store, "export", "-o", str(a))
    hermit(other, "export", "-o", str(b))
    left, right = _without_version(a), _without_version(b)
    assert left == right
    assert len(left) == 41_923
    # the export says which list version each entity was read from
    first = orjson.loads(a.read_bytes().splitlines()[0])
    assert first["hermit"]["provenance"]["list_version"] == "un_sc_sanctions v1 (2026-02-27)"


def _without_version(path: Path) -> list[dict[str, object]]:
    """Exported entities minus the list version label (the copy's versions are its own)."""
    rows = [orjson.loads(line) for line in path.read_bytes().splitlines()]
    for row in rows:
        del row["hermit"]["provenance"]["list_version"]
    return rows


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def list_server(tmp_path: Path) -> Iterator[str]:
    """A loopback HTTP server serving the sample lists under the official file names."""
    root = tmp_path / "www"
    root.mkdir()
    (root / "consolidated.xml").write_bytes((SAMPLES / "un_consolidated_sample.xml").read_bytes())
    for name in ("sdn", "alt", "add"):
        (root / f"{name.upper()}.CSV").write_bytes((SAMPLES / f"{name}.csv").read_bytes())
    (root / "SDN_COMMENTS.CSV").write_bytes(b"\x1a\r\n")
    lists = shared_data_dir() / "lists"
    (root / "ConList.csv").write_bytes((lists / "uk_ofsi_conlist_2020-04-27.csv").read_bytes())
    eu = (lists / "eu_fsf_sample_2020-04-15.xml").read_bytes()
    (root / "xmlFullSanctionsList_1_1.xml").write_bytes(eu)
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_download_from_a_server_then_load(list_server: str, tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    target = tmp_path / "lists"
    out = hermit(store, "lists", "download", "--to", str(target), "--mirror", list_server).stdout
    assert "downloaded" in out and "loaded un_sc_sanctions v1" in out
    assert "loaded us_ofac_sdn v1" in out
    assert "loaded gb_hmt_sanctions v1 (2020-04-27)" in out and "loaded eu_fsf v1" in out
    assert (target / "sdn.csv").read_bytes() == (SAMPLES / "sdn.csv").read_bytes()
    assert not list(target.glob("*.part"))


def test_download_offline_is_a_clear_error(tmp_path: Path) -> None:
    proc = hermit(
        tmp_path / "s.duckdb",
        "lists",
        "download",
        "--to",
        str(tmp_path / "l"),
        "--mirror",
        "http://127.0.0.1:9",
        "--timeout",
        "5",
        check=False,
    )
    assert proc.returncode == 1
    assert "cannot reach the server" in proc.stderr and "127.0.0.1:9" in proc.stderr
    assert not (tmp_path / "s.duckdb").exists()


def test_demo_runs_and_finds_listed_names(tmp_path: Path) -> None:
    out = hermit(tmp_path / "unused.duckdb", "demo").stdout
    assert "loaded un_sc_sanctions v1" in out and "loaded us_ofac_sdn v1" in out
    assert "MATCH" in out and "unsc-kpi-024" in out and "ofac-19613" in out
    assert not (tmp_path / "unused.duckdb").exists()


def test_store_in_use_by_another_writer(tmp_path: Path) -> None:
    from hermit.store import Store

    path = tmp_path / "busy.duckdb"
    with Store(path):  # a load waits its turn, as long as HERMIT_STORE_LOCK_WAIT says
        proc = hermit(
            path,
            "lists",
            "load",
            str(SAMPLES / "sdn.csv"),
            check=False,
            env={"HERMIT_STORE_LOCK_WAIT": "2"},
        )
    assert proc.returncode == 1
    err = " ".join(proc.stderr.split())
    assert "another process has held the store for longer than the 2 s" in err
    assert str(path) in proc.stderr.replace("\n", "")
    assert "Traceback" not in proc.stderr


def test_screen_sets_an_impossible_date_aside_and_reads_ofac_style(real_store: Path) -> None:
    proc = hermit(real_store, "screen", "Kim Yong Chol", "--dob", "1962-13-45")
    err = " ".join(proc.stderr.split())
    assert "warning --dob '1962-13-45' set aside: there is no month 13" in err
    assert "Traceback" not in proc.stderr and "KIM" in proc.stdout
    out = hermit(real_store, "screen", "Kim Yong Chol", "--dob", "18 Feb 1962").stdout
    assert "born on the listed date 1962-02-18" in " ".join(out.split()).replace("│ ", "")


def test_screen_weighs_circa_dates(real_store: Path) -> None:
    out = hermit(real_store, "screen", "Kim Yong Chol", "--dob", "1948").stdout
    assert "within a year of listed 1947 (circa)" in " ".join(out.split()).replace("│ ", "")
