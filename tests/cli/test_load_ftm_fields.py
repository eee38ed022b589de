"""FtM JSON lines with malformed ``hermit`` extras or ``datasets`` through
``hermit lists load``: a clear error naming the file, the line and the field, exit 1,
no traceback, the store unchanged. Before, most of these crashed with a TypeError,
ValueError or pyarrow error, and some loaded into a dataset named after a letter."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import hermit

GOOD: dict[str, Any] = {
    "id": "test-ftm-1",
    "schema": "Person",
    "datasets": ["hermit_ftm_test"],
    "properties": {"name": ["KIM Test"], "alias": ["KIM Alias"]},
    "hermit": {
        "provenance": {"dataset": "hermit_ftm_test", "record_id": "T1", "file": "x", "line": 3},
        "qualifiers": [["alias", "KIM Alias", "a.k.a."]],
        "originals": [["name", "KIM Test", "KIM  Test"]],
    },
}

Mutation = Callable[[dict[str, Any]], None]
CASES: dict[str, tuple[Mutation, str]] = {
    "hermit_text": (lambda o: o.update(hermit="x"), "field hermit: expected an object"),
    "provenance_text": (
        lambda o: o["hermit"].update(provenance="x"),
        "field hermit.provenance: expected an object",
    ),
    "line_text": (
        lambda o: o["hermit"]["provenance"].update(line="abc"),
        "field hermit.provenance.line: expected a line number",
    ),
    "line_too_big": (
        lambda o: o["hermit"]["provenance"].update(line=10**12),
        "field hermit.provenance.line: expected a line number",
    ),
    "record_id_list": (
        lambda o: o["hermit"]["provenance"].update(record_id=["T1"]),
        "field hermit.provenance.record_id: expected text",
    ),
    "qualifiers_text": (
        lambda o: o["hermit"].update(qualifiers="abc"),
        "field hermit.qualifiers: expected a list of [property, value, text]",
    ),
    "qualifier_pair": (
        lambda o: o["hermit"].update(qualifiers=[["alias", "KIM Alias"]]),
        "field hermit.qualifiers[0]: expected [property, value, text]",
    ),
    "original_number": (
        lambda o: o["hermit"].update(originals=[["name", "KIM Test", 5]]),
        "field hermit.originals[0]: expected [property, value, text]",
    ),
    "original_nested": (
        lambda o: o["hermit"].update(originals=[["name", ["KIM Test"], "x"]]),
        "field hermit.originals[0]",
    ),
    "datasets_text": (
        lambda o: o.update(datasets="abc"),
        "field datasets: expected a list of dataset names",
    ),
    "datasets_number": (lambda o: o.update(datasets=[5]), "field datasets"),
}


def ftm_lines(mutate: Mutation | None) -> bytes:
    """Three good lines, the second one mutated."""
    rows = []
    for n in range(3):
        row = json.loads(json.dumps(GOOD))
        row["id"] = f"test-ftm-{n}"
        if n == 1 and mutate is not None:
            mutate(row)
        rows.append(json.dumps(row).encode() + b"\n")
    return b"".join(rows)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ftm")
    path = folder / "store.duckdb"
    good = folder / "good.ftm.json"
    good.write_bytes(ftm_lines(None))
    hermit(path, "lists", "load", "--no-index", str(good))
    return path


def test_malformed_fields_are_refused_naming_line_and_field(store: Path, tmp_path: Path) -> None:
    before = hermit(store, "lists", "history").stdout
    for case, (mutate, expected) in sorted(CASES.items()):
        path = tmp_path / f"{case}.ftm.json"
        path.write_bytes(ftm_lines(mutate))
        proc = hermit(store, "lists", "load", "--no-index", str(path), check=False)
        assert proc.returncode == 1, (case, proc.stdout + proc.stderr)
        assert "Traceback" not in proc.stderr, case
        message = " ".join(proc.stderr.split())
        assert f"error: {path}, line 2: {expected}" in message, message
    assert hermit(store, "lists", "history").stdout == before


def test_an_entity_twice_is_refused_naming_the_file_and_both_lines(
    store: Path, tmp_path: Path
) -> None:
    """Before, the store's check named the file in the entity's recorded provenance."""
    lines = ftm_lines(None).splitlines(keepends=True)
    path = tmp_path / "twice.ftm.json"
    path.write_bytes(b"".join([*lines, lines[0]]))
    proc = hermit(store, "lists", "load", "--no-index", str(path), check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    message = " ".join(proc.stderr.split())
    assert (
        f"error: {path}, line 4: entity id test-ftm-0 occurs twice in dataset "
        "hermit_ftm_test (lines 1 and 4)"
    ) in message, message
