"""``hermit registry load`` and ``status`` through the real program."""

from __future__ import annotations

from pathlib import Path

import orjson

from tests.cli.helpers import hermit
from tests.registry.test_bad_input import RU_HEADER, _ru_row


def test_load_and_status(tmp_path: Path) -> None:
    store = tmp_path / "hermit.duckdb"
    ru = tmp_path / "ru.csv"
    ru.write_text(
        "\n".join(
            [
                RU_HEADER,
                _ru_row("ru-co-1021655793510", "1021655793510", "1655704296", "16.09.1998"),
                _ru_row("ru-co-y", "1021655793511", "1655704297", "31.02.2002"),
                "short;row",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    out = hermit(store, "registry", "load", str(ru)).stdout
    assert "registry load 1: 2 records, 1 rejected rows, 1 refused values" in out
    assert (tmp_path / "hermit.registry.duckdb").exists()  # beside the list store
    status = orjson.loads(hermit(store, "registry", "status", "--json").stdout)
    assert status["records"] == {"ru_egrul": {"Company": 2}}
    assert (status["rejected"], status["refused"]) == (1, 1)
    assert status["identifiers"] == {
        "inn": {"valid": 1, "invalid": 1},
        "ogrn": {"valid": 1, "invalid": 1},
    }
    reasons = {p["reason"] for p in status["problems"]}
    assert "not a valid date in the format %d.%m.%Y" in reasons
    text = hermit(store, "registry", "status").stdout
    assert "ru_egrul" in text and "not a valid date" in text

    # a file hermit cannot read: one clear line, exit 1, the loads as they were
    bad = tmp_path / "bad.csv"
    bad.write_text("name;inn\nAcme;7707083893\n", encoding="utf-8")
    proc = hermit(store, "registry", "load", str(ru), str(bad), check=False)
    assert proc.returncode == 1
    assert f"{bad}: not a registry file hermit knows" in proc.stderr
    assert "Traceback" not in proc.stderr
    again = orjson.loads(hermit(store, "registry", "status", "--json").stdout)
    assert again["load_id"] == 1


def test_status_before_any_load(tmp_path: Path) -> None:
    proc = hermit(tmp_path / "hermit.duckdb", "registry", "status", check=False)
    assert proc.returncode == 1
    assert "no registry loaded yet" in proc.stderr
