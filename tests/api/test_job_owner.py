"""A job belongs to the key that uploaded it (its id), not to the key's name: a second
key with the same name sees none of the first's jobs; jobs of a store made before owners
were kept go to the one key that ever had their name, and to administrators only when
several did."""

from __future__ import annotations

from pathlib import Path

import duckdb

from hermit.api import ServiceSettings, job_store
from hermit.api import keys as api_keys
from hermit.store import ddl
from hermit.store.state import StateDB
from tests.api.conftest import Service, launch
from tests.api.keyed import auth
from tests.api.test_jobs import upload, wait_done
from tests.stores import copy_store


def test_a_second_key_with_the_same_name_sees_none_of_the_first_keys_jobs(
    keyed: tuple[Service, dict[str, str]],
) -> None:
    svc, tokens = keyed
    wes = auth(tokens["wes"])
    with svc.client() as client:
        made = client.post(
            "/admin/keys", json={"name": "wes", "role": "write"}, headers=auth(tokens["ada"])
        )
        assert made.status_code == 201, made.text
        other = auth(made.json()["key"])
        r = upload(client, tokens["wes"], "mine.csv", b"name\nKim Yong Chol\n")
        assert r.status_code == 202, r.text
        job = wait_done(client.__class__(base_url=svc.base_url, headers=wes), r.json()["id"])
        assert job["status"] == "done"
        # the owner sees it, and its files
        assert client.get(f"/jobs/{job['id']}", headers=wes).status_code == 200
        assert client.get(job["result_url"], headers=wes).status_code == 200
        # the other "wes" does not: not its job, whatever its name
        for url in (f"/jobs/{job['id']}", job["result_url"], job["rejects_url"]):
            refused = client.get(url, headers=other)
            assert refused.status_code == 404, (url, refused.text)
        listed = client.get("/jobs", headers=other).json()["jobs"]
        assert job["id"] not in [j["id"] for j in listed]
        assert client.delete(f"/jobs/{job['id']}", headers=other).status_code == 404
        # a job the other key uploads is its own, and not the first key's
        mine = upload(client, made.json()["key"], "theirs.csv", b"name\nKim Chol\n").json()
        assert client.get(f"/jobs/{mine['id']}", headers=other).status_code == 200
        assert client.get(f"/jobs/{mine['id']}", headers=wes).status_code == 404
        assert client.get(f"/jobs/{job['id']}", headers=wes).status_code == 200


def test_jobs_of_an_older_store_go_to_the_one_key_of_their_name(
    lists_store: Path, tmp_path: Path
) -> None:
    """A store as hermit made it before owners were kept and before the service state
    moved beside it: keys and jobs in the DuckDB file, no owner column. Opened by the
    service, a job by "wes" (one key ever had that name) is wes's; a job by "dee" (two
    keys had it) is an administrator's only."""
    path = tmp_path / "store.duckdb"
    copy_store(lists_store, path)
    tokens: dict[str, str] = {}
    con = duckdb.connect(str(path))
    con.execute(ddl.TABLES)
    con.execute("ALTER TABLE jobs DROP COLUMN IF EXISTS owner_key_id")
    con.execute("DELETE FROM meta WHERE key LIKE 'migrated:%'")
    for n, (name, role) in enumerate((("ada", "admin"), ("wes", "write"), ("dee", "write"))):
        for copy in (1, 2) if name == "dee" else (1,):
            tokens[f"{name}{copy}" if name == "dee" else name] = token = api_keys.new_token()
            con.execute(
                "INSERT INTO api_keys VALUES (?, ?, ?, ?, now()::TIMESTAMP, 'setup', NULL, NULL)",
                [f"key-{n}{copy}", name, role, api_keys.hash_token(token)],
            )
    for job_id, by in (("20200101-000000-aaaaaa", "wes"), ("20200101-000001-bbbbbb", "dee")):
        con.execute(
            f"INSERT INTO jobs ({_OLD_COLUMNS}) VALUES "
            "(?, now()::TIMESTAMP, ?, 'old.csv', 'csv', 'csv', 10, 20, 'failed', 'old')",
            [job_id, by],
        )
    con.close()
    svc = launch(ServiceSettings(store_path=path))
    try:
        with svc.client() as client:

            def status(job_id: str, who: str) -> int:
                return client.get(f"/jobs/{job_id}", headers=auth(tokens[who])).status_code

            assert status("20200101-000000-aaaaaa", "wes") == 200
            assert status("20200101-000000-aaaaaa", "ada") == 200
            assert status("20200101-000001-bbbbbb", "dee1") == 404
            assert status("20200101-000001-bbbbbb", "dee2") == 404
            assert status("20200101-000001-bbbbbb", "ada") == 200
    finally:
        svc.stop()
    # filled once: a key named "wes" made later does not get an unowned job
    with StateDB.open(path) as db:
        api_keys.add(db, "dee", "write", by="later")
        rows = [(j.id, j.owner_key_id) for j in sorted(job_store.listed(db), key=lambda j: j.id)]
    with StateDB.open(path) as db:
        assert [
            (j.id, j.owner_key_id) for j in sorted(job_store.listed(db), key=lambda j: j.id)
        ] == rows
    assert rows == [("20200101-000000-aaaaaa", "key-11"), ("20200101-000001-bbbbbb", None)]


_OLD_COLUMNS = (
    "id, created_at, created_by, file_name, input_format, output_format, candidate_limit, "
    "upload_bytes, status, error"
)
