"""/compliance/check and /compliance/report on a real ``hermit serve`` (a subprocess,
over a store of its own with keys): a ZIP of a real slice of the dev labour records
gives the violations, problems and counts ``hermit compliance check`` finds in
process; only a key that may write is served; each request is in the audit log."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hermit.api import keys as api_keys
from hermit.compliance.columns import load_columns
from hermit.compliance.folder import read_folder
from hermit.compliance.interpreter import run_checks
from hermit.compliance.provisions import load_provisions
from hermit.store import Store
from tests.api.keyed import auth
from tests.api.served import Served
from tests.conftest import shared_data_dir
from tests.engine.labour_slice import write_slice


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("labour")
    write_slice(shared_data_dir() / "labour", folder, each=3)
    return folder


def _zip(folder: Path, extra: dict[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for path in sorted(folder.iterdir()):
            zf.write(path, path.name)
        for name, body in (extra or {}).items():
            zf.writestr(name, body)
    return buf.getvalue()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Served, dict[str, str]]]:
    store = tmp_path_factory.mktemp("store") / "store.duckdb"
    tokens: dict[str, str] = {}
    with Store(store) as s:
        for name, role in (("ada", "admin"), ("wes", "write"), ("rita", "read")):
            _, tokens[name] = api_keys.add(s.state, name, role, by="setup")
    svc = Served(store)
    yield svc, tokens
    svc.stop()


def _post(svc: Served, path: str, body: bytes, token: str | None, **params: str) -> Any:
    import httpx

    headers = auth(token) if token else {}
    files = {"file": ("records.zip", body, "application/zip")}
    return httpx.post(f"{svc.base}{path}", files=files, params=params, headers=headers, timeout=600)


def test_check_answers_what_the_cli_finds(
    served: tuple[Served, dict[str, str]], records: Path
) -> None:
    svc, tokens = served
    r = _post(svc, "/compliance/check", _zip(records), tokens["wes"])
    assert r.status_code == 200, r.text
    body = r.json()
    data = read_folder(records, load_columns())
    runs = run_checks(load_provisions(), data)
    assert body["violations"] == [v.to_dict() for run in runs for v in run.violations]
    assert body["read"] == data.summary.to_dict()
    assert len(body["problems"]) == len(data.problems)
    assert body["algorithm"] == "hermit-compliance@1"
    assert body["violations"], "the slice holds planted violations"


def test_check_of_one_rule(served: tuple[Served, dict[str, str]], records: Path) -> None:
    svc, tokens = served
    r = _post(svc, "/compliance/check", _zip(records), tokens["wes"], rule="UNSCR-2397-8")
    assert r.status_code == 200, r.text
    assert set(r.json()["rules"]) == {"UNSCR-2397-8"}
    bad = _post(svc, "/compliance/check", _zip(records), tokens["wes"], rule="UNSCR-9999")
    assert bad.status_code == 400 and "UNSCR-9999" in bad.text


def test_only_a_writing_key_is_served_and_each_request_audited(
    served: tuple[Served, dict[str, str]], records: Path
) -> None:
    import httpx

    svc, tokens = served
    body = _zip(records)
    assert _post(svc, "/compliance/check", body, None).status_code == 401
    assert _post(svc, "/compliance/check", body, tokens["rita"]).status_code == 403
    odd = _post(svc, "/compliance/check", _zip(records, {"../x.csv": b"a"}), tokens["wes"])
    assert odd.status_code == 400 and "../x.csv" in odd.text
    assert _post(svc, "/compliance/check", b"not a zip", tokens["wes"]).status_code == 400
    log = httpx.get(
        f"{svc.base}/admin/audit", params={"limit": 20}, headers=auth(tokens["ada"]), timeout=60
    ).json()["results"]
    paths = [(e["path"], e["status"]) for e in log]
    assert ("/compliance/check", 401) in paths and ("/compliance/check", 403) in paths
    assert ("/compliance/check", 400) in paths
    done = [e for e in log if e["path"] == "/compliance/check" and e["status"] == 200]
    assert done and "compliance check by wes" in (done[0]["summary"] or "")


def test_report_gives_the_report_data(served: tuple[Served, dict[str, str]], records: Path) -> None:
    svc, tokens = served
    r = _post(svc, "/compliance/report", _zip(records), tokens["wes"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["schema"] == "hermit-report/1"
    assert body["figures"]
