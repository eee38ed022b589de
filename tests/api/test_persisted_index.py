"""The service and the persisted screening index: a start reads it (no rebuild), a
start on new list versions builds and saves the new one."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from hermit.api import ServiceSettings
from hermit.cli import app
from hermit.screening import persisted
from hermit.screening.persisted import index_folder
from tests.api.conftest import launch, launch_in_process


def _match(base_url: str, name: str) -> list[str]:
    import httpx

    body = {"queries": {"q": {"schema": "Person", "properties": {"name": [name]}}}}
    r = httpx.post(f"{base_url}/match/default", json=body, timeout=60)
    assert r.status_code == 200, r.text
    return [m["id"] for m in r.json()["responses"]["q"]["results"]]


def test_a_start_reads_the_index_a_new_list_version_gets_a_new_one(
    lists_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "store.duckdb"
    shutil.copyfile(lists_store, path)
    first = launch(ServiceSettings(store_path=path))  # builds the index and saves it
    try:
        found = _match(first.base_url, "Kim Yong Chol")
    finally:
        first.stop()
    (saved,) = index_folder(path).iterdir()

    def refuse(*_args: object) -> None:
        raise AssertionError("the index was rebuilt")

    with monkeypatch.context() as m:
        m.setattr(persisted, "build_prepared", refuse)
        # in this process, so that the patch reaches it
        second = launch_in_process(ServiceSettings(store_path=path))
        try:
            assert _match(second.base_url, "Kim Yong Chol") == found
        finally:
            second.stop()

    extra = tmp_path / "extra.ftm.json"
    entity = {"id": "svc-extra-1", "schema": "Person", "properties": {"name": ["Persisted Sv"]}}
    extra.write_bytes(orjson.dumps(entity) + b"\n")
    args = ["--store", str(path), "lists", "load", str(extra), "--dataset", "svc_extra"]
    assert CliRunner().invoke(app, [*args, "--no-index"]).exit_code == 0
    third = launch(ServiceSettings(store_path=path))
    try:
        assert _match(third.base_url, "Kim Yong Chol") == found
    finally:
        third.stop()
    (rebuilt,) = index_folder(path).iterdir()
    assert rebuilt.name != saved.name
