"""The service state beside the store (hermit.store.state): a store as an older hermit
left it, with keys, audit log, suppressions and jobs in the DuckDB file, has them in the
state database once it is first opened, once only, through the real commands; and
several processes write the state at once without a lock error."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from hermit.api import audit, job_store
from hermit.api import keys as api_keys
from hermit.model import Entity, Provenance
from hermit.sources.snapshot import ListSnapshot, SourceFile
from hermit.store import Store, ddl
from hermit.store.state import StateDB, state_path
from tests.cli.helpers import hermit


def _old_store(tmp_path: Path) -> tuple[Path, str]:
    """A store with one small list and the four tables of service state filled as an
    older hermit did (in the DuckDB file; jobs without an owner column); and the key."""
    path = tmp_path / "store.duckdb"
    source = tmp_path / "list.txt"
    source.write_text("v1")
    entity = Entity("p-1", "Person", Provenance("test_list", "p-1", str(source), 1))
    entity.add("name", "KIM Yong Chol")
    with Store(path) as store:
        store.load(
            ListSnapshot(
                dataset="test_list",
                title="Test list",
                parser="test@1",
                files=[SourceFile.of(source)],
                published=datetime(2020, 1, 1, tzinfo=UTC),
                entities=[entity],
            )
        )
    token = api_keys.new_token()
    con = duckdb.connect(str(path))
    con.execute(ddl.TABLES)
    con.execute("ALTER TABLE jobs DROP COLUMN IF EXISTS owner_key_id")
    con.execute(
        "INSERT INTO api_keys VALUES ('key-0a0a0a0a', 'wes', 'write', ?, "
        "TIMESTAMP '2026-10-01 08:00:00', 'ops', NULL, NULL)",
        [api_keys.hash_token(token)],
    )
    con.execute(
        "INSERT INTO audit_log (logged_at, key_id, key_name, role, method, path, query, "
        "status, client, summary) VALUES (TIMESTAMP '2026-10-01 09:00:00', 'key-0a0a0a0a', "
        "'wes', 'write', 'POST', '/suppressions', '', 201, '127.0.0.1', 'suppression added')"
    )
    con.execute(
        "INSERT INTO suppressions (entity_id, query_id, query_name, name_key, decided_by, "
        "decided_at, reason, facts, dataset, list_seq, entity_fingerprint) VALUES "
        "('p-1', NULL, 'Kim Yong Chol', 'kim yong chol', 'alice', "
        "TIMESTAMP '2026-10-01 09:00:00', 'ours born 1962', '{}', 'test_list', 1, 'f')"
    )
    con.execute(
        "INSERT INTO jobs (id, created_at, created_by, file_name, input_format, "
        "output_format, candidate_limit, upload_bytes, status, lists) VALUES "
        "('20261001-090000-aaaaaa', TIMESTAMP '2026-10-01 09:00:00', 'wes', 'q.csv', 'csv', "
        "'csv', 10, 20, 'done', '[{\"dataset\": \"test_list\", \"seq\": 1}]')"
    )
    con.close()
    assert not state_path(path).exists()
    return path, token


def test_an_older_stores_state_is_moved_beside_it_once(tmp_path: Path) -> None:
    path, token = _old_store(tmp_path)
    keys = [json.loads(x) for x in hermit(path, "keys", "list", "--json").stdout.splitlines()]
    assert [(k["id"], k["name"], k["role"], k["created_at"]) for k in keys] == [
        ("key-0a0a0a0a", "wes", "write", "2026-10-01T08:00:00+00:00")
    ]
    assert state_path(path).exists()
    decisions = hermit(path, "suppress", "list", "--json").stdout.splitlines()
    [decision] = [json.loads(x) for x in decisions]
    assert (decision["entity_id"], decision["by"], decision["reason"]) == (
        "p-1",
        "alice",
        "ours born 1962",
    )
    assert decision["at"] == "2026-10-01T09:00:00+00:00"
    with StateDB.open(path) as db:
        ring = api_keys.KeyRing.load(db)
        found = ring.verify(token)
        assert found is not None and found.name == "wes"
        [entry] = audit.listed(db)
        assert (entry.seq, entry.path, entry.status, entry.at.year) == (
            1,
            "/suppressions",
            201,
            2026,
        )
        job = job_store.get(db, "20261001-090000-aaaaaa")
        assert job is not None and job.status == "done"
        assert job.owner_key_id == "key-0a0a0a0a"  # the one key named wes
        assert job.lists == [{"dataset": "test_list", "seq": 1}]
        migrated = db.con.execute("SELECT value FROM meta WHERE key = 'migrated'").fetchone()
        assert migrated == ("api_keys 1, audit_log 1, suppressions 1, jobs 1",)
    # opened again (and by a writing Store): nothing copied twice
    with Store(path) as store:
        assert len(api_keys.listed(store.state)) == 1
        assert audit.count(store.state) == 1
    hermit(path, "keys", "add", "rita")
    assert len(hermit(path, "keys", "list", "--json").stdout.splitlines()) == 2


_WRITER = """
import sys
from pathlib import Path
from hermit.api import audit, keys
from hermit.store.state import StateDB
path, n = Path(sys.argv[1]), int(sys.argv[2])
with StateDB.open(path) as db:
    for i in range(n):
        audit.record(db, key_id=None, key_name=sys.argv[3], role="admin", method="POST",
                     path="/x", query="", status=200, client=None, summary=str(i))
        if i % 10 == 0:
            keys.add(db, f"{sys.argv[3]}-{i}", "read", by="test")
"""


def test_processes_write_the_state_side_by_side(tmp_path: Path) -> None:
    """Four processes each append 100 audit rows and add 10 keys at the same time (a
    DuckDB file would let one of them in): every row is there, in one sequence."""
    path = tmp_path / "store.duckdb"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(path), "100", f"p{n}"], stderr=subprocess.PIPE
        )
        for n in range(4)
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], errors
    with StateDB.open(path) as db:
        entries = audit.listed(db, limit=1000)
        assert len(entries) == 400
        assert sorted(e.seq for e in entries) == list(range(1, 401))
        assert len(api_keys.listed(db)) == 40
        assert db.revision("keys") == 40
