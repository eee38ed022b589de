"""``hermit network blocked`` through the real command: registry records loaded with
``hermit registry load`` (FtM JSON lines), listed roots from a file, bad input named."""

from __future__ import annotations

from pathlib import Path

import orjson

from tests.cli.helpers import hermit


def _own(rid: str, owner: str, asset: str, pct: str, **dates: str) -> dict[str, object]:
    props: dict[str, list[str]] = {"owner": [owner], "asset": [asset], "percentage": [pct]}
    props.update({k: [v] for k, v in dates.items()})
    return {"id": rid, "schema": "Ownership", "properties": props}


ENTITIES = [
    {"id": c, "schema": "Company", "properties": {"name": [f"Company {c}"]}}
    for c in ("X", "A", "B", "O", "R", "N", "Q")
] + [
    _own("own-1", "X", "A", "50"),
    _own("own-2", "X", "B", "10"),
    _own("own-3", "A", "B", "40"),  # FAQ 401 example 3: B is blocked, 10% + 40%
    _own("own-4", "X", "O", "25-50"),  # a band: O possibly blocked
    _own("own-5", "O", "R", "1/1"),
    _own("own-6", "N", "O", "50-75"),
    _own("own-7", "X", "Q", "80", endDate="2019-03-01"),  # ended: Q blocked only before
    _own("own-8", "X", "Q", "lots"),  # unreadable: set aside with a warning
    {
        "id": "dir-1",
        "schema": "Directorship",
        "properties": {"director": ["X"], "organization": ["N"], "role": ["director"]},
    },
]


def _setup(tmp_path: Path) -> tuple[Path, Path]:
    store = tmp_path / "hermit.duckdb"
    lines = tmp_path / "registry.jsonl"
    lines.write_bytes(b"\n".join(orjson.dumps(e) for e in ENTITIES) + b"\n")
    hermit(store, "registry", "load", str(lines))
    roots = tmp_path / "roots.txt"
    roots.write_text("# listed parties\nX\n", encoding="utf-8")
    return store, roots


def test_blocked_as_of(tmp_path: Path) -> None:
    store, roots = _setup(tmp_path)
    proc = hermit(store, "network", "blocked", "--as-of", "2024-06-01", "--roots", str(roots))
    lines = proc.stdout.splitlines()
    assert "B: blocked: A 40% + X 10% = 50%" in lines
    assert "A: blocked: X 50% = 50%" in lines
    assert "O: possibly blocked: X 50% = 50%" in lines
    assert "R: possibly blocked: O 100% = 100%" in lines
    assert not any(line.startswith(("Q:", "N:")) for line in lines)  # ended; director only
    assert "record own-8: percentage 'lots'" in proc.stderr
    assert "2 blocked, 2 possibly blocked, 1 records set aside" in proc.stderr

    early = hermit(
        store, "network", "blocked", "--as-of", "2019-02-28", "--roots", str(roots), "--json"
    )
    found = {f["entity"]: f for f in map(orjson.loads, early.stdout.splitlines())}
    assert found["Q"]["status"] == "blocked"
    assert found["Q"]["reasons"][0]["owner"] == "X"
    assert found["Q"]["reasons"][0]["source"].startswith("own-7 (")
    assert found["Q"]["algorithm"] == "ofac50@1"


def test_bad_input(tmp_path: Path) -> None:
    store, roots = _setup(tmp_path)
    bad_date = hermit(
        store, "network", "blocked", "--as-of", "2024-13-01", "--roots", str(roots), check=False
    )
    assert bad_date.returncode == 2
    assert "--as-of" in bad_date.stderr and "2024-13-01" in bad_date.stderr
    missing = tmp_path / "nope.txt"
    no_file = hermit(
        store, "network", "blocked", "--as-of", "2024-06-01", "--roots", str(missing), check=False
    )
    assert no_file.returncode == 1
    assert str(missing) in no_file.stderr and "no such file" in no_file.stderr
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n", encoding="utf-8")
    no_ids = hermit(
        store, "network", "blocked", "--as-of", "2024-06-01", "--roots", str(empty), check=False
    )
    assert no_ids.returncode == 1 and "no ids" in no_ids.stderr
    fresh = tmp_path / "other" / "hermit.duckdb"
    no_store = hermit(
        fresh, "network", "blocked", "--as-of", "2024-06-01", "--roots", str(roots), check=False
    )
    assert no_store.returncode == 1 and "no registry store" in no_store.stderr
