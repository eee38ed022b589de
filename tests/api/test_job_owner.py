"""A job belongs to the key that uploaded it (its id), not to the key's name: a second
key with the same name sees none of the first's jobs; jobs of a store made before owners
were kept go to the one key that ever had their name, and to administrators only when
several did."""

from __future__ import annotations

from pathlib import Path

from hermit.api import ServiceSettings
from hermit.api import keys as api_keys
from hermit.store import Store
from tests.api.conftest import Service, launch
from tests.api.keyed import auth, keyed_store
from tests.api.test_jobs import upload, wait_done


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


_OLD_COLUMNS = (
    "id, created_at, created_by, file_name, input_format, output_format, candidate_limit, "
    "upload_bytes, status, error"
)


def test_jobs_of_an_older_store_go_to_the_one_key_of_their_name(
    lists_store: Path, tmp_path: Path
) -> None:
    """A store whose jobs table has no owner column (as hermit made it before): a job
    by "wes" (one key ever had that name) is wes's; a job by "dee" (two keys had it) is
    an administrator's only."""
    path, tokens = keyed_store(lists_store, tmp_path)
    with Store(path) as store:
        _, tokens["dee1"] = api_keys.add(store.con, "dee", "write", by="setup")
        _, tokens["dee2"] = api_keys.add(store.con, "dee", "write", by="setup")
        # the store as an older hermit left it
        store.con.execute("ALTER TABLE jobs DROP COLUMN IF EXISTS owner_key_id")
        store.con.execute("DELETE FROM meta WHERE key LIKE 'migrated:%'")
        for job_id, by in (("20200101-000000-aaaaaa", "wes"), ("20200101-000001-bbbbbb", "dee")):
            store.con.execute(
                f"INSERT INTO jobs ({_OLD_COLUMNS}) VALUES "
                "(?, now()::TIMESTAMP, ?, 'old.csv', 'csv', 'csv', 10, 20, 'failed', 'old')",
                [job_id, by],
            )
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
    with Store(path) as store:
        rows = store.con.execute("SELECT id, owner_key_id FROM jobs ORDER BY id").fetchall()
    assert rows[0][1] is not None and rows[1][1] is None
