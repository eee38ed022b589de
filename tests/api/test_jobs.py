"""Batch screening jobs on the real service with the real lists: a CSV of about 200
rows (listed DPRK names, made-up clean names, a bad date, a row without a name)
uploaded, polled until done, its results and rejects downloaded; Parquet in and JSON
lines out; files without a name column; uploads over the limit; deleting; jobs kept
across a restart."""

from __future__ import annotations

import csv
import io
import itertools
import json
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pyarrow as pa
import pyarrow.parquet as pq

from hermit.api import ServiceSettings, job_store
from hermit.api import keys as api_keys
from hermit.api.job_store import JobRecord
from hermit.store.state import StateDB
from tests.api.conftest import Service, launch
from tests.api.keyed import auth, keyed_store

#: UN-listed DPRK people with their listed date of birth, and their UN entity.
LISTED = [
    ("HWANG SOK-HWA", "1943-09-26", "unsc-kpi-003"),
    ("Chang Myong-chin", "1968-02-19", "unsc-kpi-007"),
    ("Kim Yong Chol", "1962-02-18", "unsc-kpi-024"),
    ("RI HONG-SOP", "1940-02-26", "unsc-kpi-004"),
    ("Paek Chang Ho", "1964-06-18", "unsc-kpi-006"),
    ("KANG RYONG", "1969-08-21", "unsc-kpi-020"),
    ("RYU JIN", "1965-08-07", "unsc-kpi-027"),
    ("김영철", "", "unsc-kpi-024"),  # Hangul, no date
]
FIRST = ["Margarethe", "Torvald", "Eulalie", "Barnaby", "Ottoline", "Perpetua", "Leofric"]
FIRST += ["Wilhelmina", "Casimir", "Rosalind", "Evander", "Philippa", "Thaddeus", "Clementine"]
FIRST += ["Ambrose", "Henrietta", "Lysander", "Griselda", "Peregrine", "Winifred"]
LAST = ["Featherstonehaugh", "Pemberton-Quaile", "Abernethy-Lund", "Thistlewaite"]
LAST += ["Van Oosterwijk", "Drummond-Hay", "Kettleburrow", "Fairweather-Nash"]
LAST += ["Oyelaran-Svensson", "Quenby"]
#: Made-up names no list has.
CLEAN = [f"{f} {last}" for f, last in itertools.product(FIRST, LAST)][:190]
BAD_DATE_ROW = 100  # the data row (1-based) with an impossible birth date: set aside
NO_NAME_ROW = 150  # the data row without a name: rejected
HEAD = b"--xyz\r\nContent-Disposition: form-data; "


def customers_csv() -> tuple[bytes, dict[str, str]]:
    """About 200 rows: the listed people spread among the clean names, one row with a
    bad date, one without a name. Returns the file and, per query id, the UN entity it
    must alert on."""
    entries: list[tuple[str, str, str]] = [(name, "", "") for name in CLEAN]
    for k, person in enumerate(LISTED):
        entries.insert(3 + 24 * k, person)
    entries.insert(BAD_DATE_ROW - 1, ("Torvald Example", "1962-13-45", ""))
    entries.insert(NO_NAME_ROW - 1, ("", "1970-01-01", ""))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "name", "dob", "nationality", "notes"])
    expected: dict[str, str] = {}
    for n, (name, dob, entity) in enumerate(entries, 1):
        if entity:
            expected[f"c{n}"] = entity
        elif not dob:
            dob = f"19{50 + n % 40}-0{1 + n % 9}-1{n % 9}"
        writer.writerow([f"c{n}", name, dob, "kp" if entity and dob else "", f"row {n}"])
    return out.getvalue().encode(), expected


def upload(
    client: httpx.Client, token: str, name: str, content: bytes, **fields: str
) -> httpx.Response:
    return client.post(
        "/jobs", headers=auth(token), files={"file": (name, content)}, data=fields or None
    )


def wait_done(client: httpx.Client, job_id: str, deadline_s: float = 180.0) -> dict[str, Any]:
    """Poll the job until it is done or failed (the deadline only stops a hung test)."""
    seen: list[dict[str, Any]] = []
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        job = client.get(f"/jobs/{job_id}").json()
        seen.append(job)
        if job["status"] in ("done", "failed"):
            for earlier in seen:  # counts only grow
                assert earlier["rows_read"] <= job["rows_read"]
            return job
        assert job["status"] in ("queued", "running"), job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} not finished: {seen[-1]}")


def test_csv_job_end_to_end(keyed: tuple[Service, dict[str, str]]) -> None:
    svc, tokens = keyed
    content, expected = customers_csv()
    total_rows = len(CLEAN) + len(LISTED) + 2
    with svc.client(headers=auth(tokens["wes"])) as client:
        r = upload(client, tokens["wes"], "customers.csv", content)
        assert r.status_code == 202, r.text
        created = r.json()
        assert r.headers["location"] == f"/jobs/{created['id']}"
        assert created["status"] in ("queued", "running", "done")
        assert created["file_name"] == "customers.csv" and created["created_by"] == "wes"
        assert created["upload_bytes"] == len(content)
        job = wait_done(client, created["id"])
        assert job["status"] == "done", job["error"]
        assert job["rows_read"] == total_rows
        assert job["screened"] == total_rows - 1 and job["rejected"] == 1
        assert job["with_warnings"] == 1 and 0 < job["clear"] <= len(CLEAN) + 1
        assert job["alerts"] == len(expected)
        assert job["progress"] == 1.0 and job["error"] is None
        assert job["algorithm"] == "hermit-screen@5"
        assert {v["dataset"] for v in job["lists"]} == {"un_sc_sanctions", "us_ofac_sdn"}
        run = job["run"]
        assert run["counts"]["queries_read"] == total_rows
        assert run["counts"]["clear"] == job["clear"]
        [warned] = run["first_rows"]["warned"]
        assert (warned["row"], warned["query_id"]) == (BAD_DATE_ROW, f"c{BAD_DATE_ROW}")
        assert warned["warnings"][0]["message"] == "there is no month 13"
        [no_name] = run["first_rows"]["rejected"]
        assert (no_name["row"], no_name["field"]) == (NO_NAME_ROW, "name")
        assert run["input"]["path"] == "customers.csv"
        assert run["input"]["ignored_columns"] == ["notes"]
        assert run["run"]["threshold"] == 0.8

        result = client.get(job["result_url"])
        assert result.status_code == 200
        assert result.headers["content-type"].startswith("text/csv")
        assert 'filename="customers.results.csv"' in result.headers["content-disposition"]
        rows = list(csv.DictReader(io.StringIO(result.text)))
        matched = {(r["query_id"], r["entity_id"]) for r in rows if r["is_match"] == "true"}
        for query_id, entity in expected.items():
            assert (query_id, entity) in matched, (query_id, entity)
        # no clean name is a match; every listed person is one (with its explanation)
        assert {q for q, _ in matched} == set(expected)
        kim = next(
            r
            for r in rows
            if r["entity_id"] == "unsc-kpi-024" and r["query_name"] == "Kim Yong Chol"
        )
        assert "name +" in kim["explanation"] and "birth_date +" in kim["explanation"]
        # every screened row is in the results: a clean name once, as clear
        ids = {r["query_id"] for r in rows}
        assert ids == {f"c{n}" for n in range(1, total_rows + 1)} - {f"c{NO_NAME_ROW}"}
        assert sum(r["status"] == "clear" for r in rows) == job["clear"]
        bad_date = [r for r in rows if r["query_id"] == f"c{BAD_DATE_ROW}"]
        assert all(
            r["warnings"] == "birth_date '1962-13-45' set aside: there is no month 13"
            for r in bad_date
        )

        rejects = client.get(job["rejects_url"])
        assert 'filename="customers.rejects.csv"' in rejects.headers["content-disposition"]
        rejected = list(csv.DictReader(io.StringIO(rejects.text)))
        assert len(rejected) == 1
        bad = rejected[0]
        assert bad["file"] == "customers.csv" and bad["row"] == str(NO_NAME_ROW)
        assert bad["field"] == "name" and "missing" in bad["reason"]
        assert "1970-01-01" in bad["text"]

        listed = client.get("/jobs").json()["jobs"]
        assert created["id"] in [j["id"] for j in listed]
        # a read key may not look (the results are the screened customers), upload or
        # delete; another writer does not see the job; an administrator does
        rita = auth(tokens["rita"])
        assert client.get(f"/jobs/{created['id']}", headers=rita).status_code == 403
        assert client.get("/jobs", headers=rita).status_code == 403
        assert upload(client, tokens["rita"], "x.csv", b"name\nKim\n").status_code == 403
        assert client.delete(f"/jobs/{created['id']}", headers=rita).status_code == 403
        anonymous = httpx.get(f"{svc.base_url}{job['result_url']}")
        assert anonymous.status_code == 401
        ada = auth(tokens["ada"])
        made = client.post("/admin/keys", json={"name": "walt", "role": "write"}, headers=ada)
        walt = auth(made.json()["key"])
        assert client.get(f"/jobs/{created['id']}", headers=walt).status_code == 404
        assert client.get(job["result_url"], headers=walt).status_code == 404
        assert created["id"] not in [
            j["id"] for j in client.get("/jobs", headers=walt).json()["jobs"]
        ]
        assert client.get(f"/jobs/{created['id']}", headers=ada).status_code == 200
        assert created["id"] in [j["id"] for j in client.get("/jobs", headers=ada).json()["jobs"]]


def test_parquet_in_json_lines_out(keyed: tuple[Service, dict[str, str]]) -> None:
    svc, tokens = keyed
    table = pa.table(
        {
            "id": ["p1", "p2", "p3"],
            "name": ["HWANG SOK-HWA", "Peregrine Quenby", "Kim Yong Chol"],
            "birth_date": ["1943-09-26", "1971-05-04", "1962-02-18"],
            "passport": [None, None, "472310168"],
        }
    )
    sink = io.BytesIO()
    pq.write_table(table, sink)
    with svc.client(headers=auth(tokens["wes"])) as client:
        r = upload(client, tokens["wes"], "batch.parquet", sink.getvalue(), output="jsonl")
        assert r.status_code == 202, r.text
        job = wait_done(client, r.json()["id"])
        assert job["status"] == "done", job["error"]
        assert job["input_format"] == "parquet" and job["output_format"] == "jsonl"
        assert (job["rows_read"], job["screened"], job["rejected"]) == (3, 3, 0)
        assert job["alerts"] == 2
        result = client.get(job["result_url"])
        assert result.headers["content-type"].startswith("application/x-ndjson")
        assert 'filename="batch.results.jsonl"' in result.headers["content-disposition"]
        lines = [json.loads(line) for line in result.text.splitlines()]
        first = {x["query_id"]: x for x in lines if x["rank"] == 1}
        assert first["p1"]["entity_id"] == "unsc-kpi-003" and first["p1"]["is_match"] is True
        assert "p2" not in first
        un = next(x for x in lines if x["query_id"] == "p3" and x["entity_id"] == "unsc-kpi-024")
        assert un["is_match"] is True and "passport +" in un["explanation"]
        rejects = client.get(job["rejects_url"]).text.splitlines()
        assert rejects == ["file,row,line,field,reason,text"]


def test_limit_and_parquet_output(keyed: tuple[Service, dict[str, str]]) -> None:
    svc, tokens = keyed
    content = b"name\nKim Yong Chol\nKim Chol\n"
    with svc.client(headers=auth(tokens["wes"])) as client:
        r = upload(client, tokens["wes"], "kims.csv", content, output="parquet", limit="1")
        assert r.status_code == 202, r.text
        job = wait_done(client, r.json()["id"])
        assert job["limit"] == 1 and job["status"] == "done"
        data = client.get(job["result_url"]).content
        table = pq.read_table(io.BytesIO(data))
        assert table.num_rows == 2  # one candidate per query at most
        assert table.column("status").to_pylist() == ["alert", "alert"]
        assert set(table.column("rank").to_pylist()) == {1}


def test_files_without_a_name_column(keyed: tuple[Service, dict[str, str]]) -> None:
    svc, tokens = keyed
    with svc.client(headers=auth(tokens["wes"])) as client:
        before = {j["id"] for j in client.get("/jobs").json()["jobs"]}
        r = upload(client, tokens["wes"], "people.csv", b"id,full_name\n1,Kim Yong Chol\n")
        assert r.status_code == 400
        detail = r.json()["detail"]
        assert detail.startswith("people.csv, line 1: no 'name' column")
        assert "'full_name'" in detail
        table = pa.table({"full_name": ["Kim"]})
        sink = io.BytesIO()
        pq.write_table(table, sink)
        r = upload(client, tokens["wes"], "people.parquet", sink.getvalue())
        assert r.status_code == 400 and "no 'name' column" in r.json()["detail"]
        assert "/jobs" not in r.json()["detail"]  # never the service's own paths
        r = upload(client, tokens["wes"], "people.parquet", b"not parquet at all")
        assert r.status_code == 400 and "people.parquet" in r.json()["detail"]
        r = upload(client, tokens["wes"], "people.ods", b"name\nKim\n")
        assert r.status_code == 400 and "input_format" in r.json()["detail"]
        r = upload(client, tokens["wes"], "empty.csv", b"")
        assert r.status_code == 400 and "empty" in r.json()["detail"]
        # refused uploads leave no job and no files
        assert {j["id"] for j in client.get("/jobs").json()["jobs"]} == before
        assert sorted(p.name for p in svc.settings.job_root.iterdir()) == sorted(before)

        # JSON lines have no header: each row without a name is rejected, none dropped
        lines = b'{"full_name": "Kim"}\n{"name": "Kim Yong Chol"}\nnot json\n[1]\n'
        r = upload(client, tokens["wes"], "rows.jsonl", lines)
        assert r.status_code == 202
        job = wait_done(client, r.json()["id"])
        assert job["status"] == "done"
        assert (job["rows_read"], job["screened"], job["rejected"]) == (4, 1, 3)
        rejected = list(csv.DictReader(io.StringIO(client.get(job["rejects_url"]).text)))
        assert [r["row"] for r in rejected] == ["1", "3", "4"]
        assert rejected[0]["field"] == "name" and "missing" in rejected[0]["reason"]
        assert "not valid JSON" in rejected[1]["reason"]


def test_malformed_uploads_are_4xx(keyed: tuple[Service, dict[str, str]]) -> None:
    svc, tokens = keyed
    wes = auth(tokens["wes"])
    with svc.client() as client:
        assert client.post("/jobs", files={"file": ("a.csv", b"name\nx\n")}).status_code == 401
        r = client.post("/jobs", headers=wes, data={"output": "csv"})
        assert r.status_code in (400, 415)
        r = client.post(
            "/jobs", headers=wes, files={"file": ("a.csv", b"name\nx\n")}, data={"output": "xls"}
        )
        assert r.status_code == 400 and "output: 'xls'" in r.json()["detail"]
        r = client.post(
            "/jobs", headers=wes, files={"file": ("a.csv", b"name\nx\n")}, data={"limit": "ten"}
        )
        assert r.status_code == 400 and "limit" in r.json()["detail"]
        r = client.post("/jobs", headers=wes, files={"other": ("a.csv", b"name\nx\n")})
        assert r.status_code == 400 and "other: not a field" in r.json()["detail"]
        r = client.post("/jobs", headers=wes, json={"file": "name\nx\n"})
        assert r.status_code == 415
        truncated = HEAD + b'name="file"; filename="a.csv"\r\n\r\nname\nKim\n'
        r = client.post(
            "/jobs",
            headers={**wes, "content-type": "multipart/form-data; boundary=xyz"},
            content=truncated,
        )
        assert r.status_code == 400 and "closing boundary" in r.json()["detail"]
        assert client.get("/jobs/no-such-job", headers=wes).status_code == 404
        assert client.get("/jobs/no-such-job/result", headers=wes).status_code == 404
        assert client.delete("/jobs/no-such-job", headers=wes).status_code == 404


def test_delete_removes_the_job_and_its_files(keyed: tuple[Service, dict[str, str]]) -> None:
    svc, tokens = keyed
    wes = auth(tokens["wes"])
    with svc.client(headers=auth(tokens["wes"])) as client:
        r = upload(client, tokens["wes"], "gone.csv", b"name\nKim Yong Chol\n")
        job = wait_done(client, r.json()["id"])
        folder = svc.settings.job_root / job["id"]
        assert folder.is_dir()
        r = client.delete(f"/jobs/{job['id']}", headers=wes)
        assert r.status_code == 200 and r.json() == {"id": job["id"], "status": "deleted"}
        assert not folder.exists()
        assert client.get(f"/jobs/{job['id']}").status_code == 404
        assert client.get(job["result_url"]).status_code == 404


def big_csv(copies: int = 100) -> bytes:
    """About 19,000 clean rows: a job that runs for a while."""
    return ("name\n" + "\n".join(CLEAN * copies) + "\n").encode()


def test_deleting_a_running_job_stops_it(keyed: tuple[Service, dict[str, str]]) -> None:
    """Deleted while queued or running (whichever it is by then), the job stops, its
    row and files go, and the worker goes on with the next job."""
    svc, tokens = keyed
    wes = auth(tokens["wes"])
    with svc.client(headers=auth(tokens["wes"])) as client:
        r = upload(client, tokens["wes"], "long.csv", big_csv())
        job_id = r.json()["id"]
        # the next job waits its turn behind it
        after = upload(client, tokens["wes"], "after.csv", b"name\nKim Yong Chol\n").json()
        waiting = client.get(f"/jobs/{after['id']}").json()
        assert waiting["status"] == "queued" and waiting["queue_position"] in (1, 2)
        assert waiting["progress"] == 0.0 and waiting["result_url"] is None
        early = client.get(f"/jobs/{after['id']}/result")
        assert early.status_code == 409 and "queued" in early.json()["detail"]
        deleted = client.delete(f"/jobs/{job_id}", headers=wes)
        assert deleted.status_code == 200
        assert client.get(f"/jobs/{job_id}").status_code == 404
        assert not (svc.settings.job_root / job_id).exists()
        assert wait_done(client, after["id"])["status"] == "done"


def test_uploads_over_the_limit_are_413(lists_store: Path, tmp_path: Path) -> None:
    path, tokens = keyed_store(lists_store, tmp_path)
    svc = launch(ServiceSettings(store_path=path, max_upload_bytes=2000))
    big = b"name\n" + b"Margarethe Featherstonehaugh\n" * 200
    try:
        with svc.client(headers=auth(tokens["wes"])) as client:
            r = upload(client, tokens["wes"], "big.csv", big)
            assert r.status_code == 413 and "2000" in r.json()["detail"]

            def chunks() -> Iterator[bytes]:  # no Content-Length: cut off while streaming
                yield HEAD + b'name="file"; filename="b.csv"\r\n\r\n'
                for _ in range(50):
                    yield b"Margarethe Featherstonehaugh\n" * 10
                yield b"\r\n--xyz--\r\n"

            r = client.post(
                "/jobs",
                headers={
                    **auth(tokens["wes"]),
                    "content-type": "multipart/form-data; boundary=xyz",
                },
                content=chunks(),
            )
            assert r.status_code == 413
            small = upload(client, tokens["wes"], "small.csv", b"name\nKim Yong Chol\n")
            assert small.status_code == 202
            jobs = client.get("/jobs").json()["jobs"]
            assert [j["file_name"] for j in jobs] == ["small.csv"]
        assert [p.name for p in svc.settings.job_root.iterdir()] == [small.json()["id"]]
    finally:
        svc.stop()


def test_jobs_survive_a_restart(lists_store: Path, tmp_path: Path) -> None:
    """Jobs are rows of the store: listed (and downloadable) after a restart; a job the
    last process left running is failed "interrupted"; a queued one runs."""
    path, tokens = keyed_store(lists_store, tmp_path)
    settings = ServiceSettings(store_path=path)
    svc = launch(settings)
    try:
        with svc.client(headers=auth(tokens["wes"])) as client:
            r = upload(client, tokens["wes"], "before.csv", b"name,dob\nKim Yong Chol,1962-02-18\n")
            done = wait_done(client, r.json()["id"])
            assert done["status"] == "done"
            # a long job, stopped with the service while it runs
            r = upload(client, tokens["wes"], "long.csv", big_csv())
            long_id = r.json()["id"]
            end = time.monotonic() + 120
            while (live := client.get(f"/jobs/{long_id}").json())["rows_read"] == 0:
                assert time.monotonic() < end
                time.sleep(0.05)
            # counts and progress as it runs
            assert live["status"] == "running" and live["started_at"] is not None
            assert live["estimated_rows"] == len(CLEAN) * 100
            assert 0 < live["progress"] < 1 and live["elapsed_seconds"] > 0
            assert live["result_url"] is None
            listed = client.get("/jobs").json()["jobs"]
            assert next(j for j in listed if j["id"] == long_id)["rows_read"] > 0
    finally:
        svc.stop()
    # what a killed service leaves behind: one job running, one queued with its upload
    now = datetime.now(UTC)
    with StateDB.open(path) as db:
        [wes_id] = [k.id for k in api_keys.listed(db) if k.name == "wes"]
    stale = JobRecord("20200101-000000-aaaaaa", now, "wes", "crashed.csv", "csv", "csv", 10, 20)
    stale.owner_key_id = wes_id
    waiting = replace(stale, id="20200101-000001-bbbbbb", file_name="waiting.csv")
    stale.status, stale.started_at, stale.rows_read = "running", now, 5
    folder = settings.job_root / waiting.id
    folder.mkdir(parents=True)
    (folder / "input.csv").write_bytes(b"name\nHWANG SOK-HWA\n")
    with StateDB.open(path) as db:
        job_store.insert(db, stale)
        job_store.insert(db, waiting)
    orphan = settings.job_root / "20200101-000002-cccccc"  # an upload cut off by a stop
    orphan.mkdir()
    (orphan / "upload").write_bytes(b"name\nKim")
    other = settings.job_root / "notes"  # not a job's folder: left alone
    other.mkdir()

    again = launch(settings)
    try:
        with again.client(headers=auth(tokens["wes"])) as client:
            jobs = {j["id"]: j for j in client.get("/jobs").json()["jobs"]}
            assert set(jobs) == {done["id"], long_id, stale.id, waiting.id}
            stopped = jobs[long_id]
            assert stopped["status"] == "failed" and "interrupted" in stopped["error"]
            assert 0 < stopped["rows_read"] < len(CLEAN) * 100
            assert jobs[done["id"]]["status"] == "done"
            result = client.get(done["result_url"])
            assert result.status_code == 200 and "unsc-kpi-024" in result.text
            crashed = client.get(f"/jobs/{stale.id}").json()
            assert crashed["status"] == "failed" and "interrupted" in crashed["error"]
            assert crashed["finished_at"] is not None
            refused = client.get(f"/jobs/{stale.id}/result")
            assert refused.status_code == 409 and "interrupted" in refused.json()["detail"]
            ran = wait_done(client, waiting.id)
            assert ran["status"] == "done" and ran["alerts"] == 1
            assert not orphan.exists() and other.is_dir()
            # a result file removed by hand: 410, not a server error
            (settings.job_root / waiting.id / "result.csv").unlink()
            gone = client.get(f"/jobs/{waiting.id}/result")
            assert gone.status_code == 410 and "no longer" in gone.json()["detail"]
    finally:
        again.stop()
