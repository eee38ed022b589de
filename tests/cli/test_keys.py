"""``hermit keys``: a key is printed once and only its hash is stored; listing never
shows keys; revoking keeps the record. Run as a user would, in a subprocess."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from hermit.api.keys import KeyRing
from hermit.store.state import StateDB
from tests.cli.helpers import hermit


def test_add_list_revoke(tmp_path: Path) -> None:
    store = tmp_path / "store.duckdb"
    made = hermit(store, "keys", "add", "alice", "--role", "write", "--by", "ops")
    token = made.stdout.strip()
    assert token.startswith("hermit_") and "\n" not in token
    assert "shown once" in made.stderr
    hermit(store, "keys", "add", "crm sync")  # read by default

    listing = hermit(store, "keys", "list")
    assert "alice" in listing.stdout and "crm sync" in listing.stdout
    rows = [json.loads(x) for x in hermit(store, "keys", "list", "--json").stdout.splitlines()]
    assert [(r["name"], r["role"], r["created_by"]) for r in rows] == [
        ("alice", "write", "ops"),
        ("crm sync", "read", rows[1]["created_by"]),
    ]
    digest = hashlib.sha256(token.encode()).hexdigest()
    for shown in (listing.stdout, json.dumps(rows)):
        assert token not in shown and digest not in shown

    # the state beside the store holds the hash, and the service's ring knows the key by it
    with StateDB.open(store) as s:
        stored = s.con.execute("SELECT hash FROM api_keys WHERE name = 'alice'").fetchone()
        assert stored == (digest,)
        assert s.con.execute(
            "SELECT count(*) FROM api_keys WHERE hash LIKE '%hermit_%'"
        ).fetchone() == (0,)
        ring = KeyRing.load(s)
    found = ring.verify(token)
    assert found is not None and (found.name, found.role) == ("alice", "write")

    alice = rows[0]["id"]
    hermit(store, "keys", "revoke", alice, "--by", "ops")
    after = [json.loads(x) for x in hermit(store, "keys", "list", "--json").stdout.splitlines()]
    assert after[0]["revoked_by"] == "ops" and after[0]["revoked_at"] is not None
    assert after[1]["revoked_at"] is None
    with StateDB.open(store) as s:
        revoked = KeyRing.load(s).verify(token)
    assert revoked is not None and revoked.revoked_at is not None


def test_refusals_exit_1_with_a_message(tmp_path: Path) -> None:
    store = tmp_path / "store.duckdb"
    bad_role = hermit(store, "keys", "add", "bob", "--role", "root", check=False)
    assert bad_role.returncode == 1
    assert "must be one of read, write, admin" in bad_role.stderr + bad_role.stdout
    unknown = hermit(store, "keys", "revoke", "key-00000000", check=False)
    assert unknown.returncode == 1
    assert "no key 'key-00000000'" in unknown.stderr + unknown.stdout
    assert hermit(store, "keys", "list").stdout.strip() == "no API keys"
