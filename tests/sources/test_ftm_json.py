"""FtM JSON lines: what hermit writes it reads back unchanged; bad lines are named."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from hermit.errors import SourceError
from hermit.model import Entity, Provenance
from hermit.sources.ftm_json import iter_ftm_jsonl, parse_ftm_jsonl, write_ftm_jsonl


def _person() -> Entity:
    entity = Entity(
        "unsc-kpi-024", "Person", Provenance("un_sc_sanctions", "KPi.024", "un.xml", 9960)
    )
    entity.add("name", "KIM YONG CHOL")
    entity.add("alias", "Kim Young-Cheol", qualifier="Good")
    entity.add("birthDate", "1962-02-18", qualifier="exact")
    entity.add("nationality", "Democratic People's Republic of Korea")
    return entity


def test_write_then_read_is_the_same(tmp_path: Path) -> None:
    buf = io.BytesIO()
    assert write_ftm_jsonl([_person()], buf) == 1
    path = tmp_path / "out.ftm.json"
    path.write_bytes(buf.getvalue())
    (back,) = list(iter_ftm_jsonl(path))
    original = _person()
    assert back.id == original.id and back.schema == original.schema
    assert back.values == original.values  # qualifiers and originals included
    assert back.provenance == original.provenance
    assert original.first("nationality") == "kp"


def test_foreign_ftm_without_extras(tmp_path: Path) -> None:
    path = tmp_path / "os.json"
    path.write_text(
        '{"id": "NK-123", "schema": "Vessel", "datasets": ["us_ofac_sdn"],'
        ' "properties": {"name": ["CHON MA SAN"], "imoNumber": ["8660313"]}}\n'
    )
    (snap,) = parse_ftm_jsonl(path)
    assert snap.dataset == "us_ofac_sdn"
    assert snap.entities[0].provenance.line == 1
    (renamed,) = parse_ftm_jsonl(path, dataset="mine")
    assert renamed.dataset == "mine"


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ('{"id": "a", "schema": "Person", "properties": {}}\n{"id": "b", "sch', 2, "truncated"),
        ('{"id": "a", "schema": "Person", "properties": {}}\n[1, 2]\n', 2, "JSON object"),
        ('{"id": "a", "schema": "Spaceship", "properties": {}}\n', 1, "unknown FollowTheMoney"),
        ('{"id": "a", "schema": "Person", "properties": {"imoNumber": ["1"]}}\n', 1, "imoNumber"),
        ('{"schema": "Person", "properties": {}}\n', 1, "no 'id'"),
        ('{"id": "a", "schema": "Person", "properties": {"name": [3]}}\n', 1, "not text"),
    ],
)
def test_bad_lines_are_named(tmp_path: Path, text: str, line: int, problem: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(SourceError, match=problem) as info:
        parse_ftm_jsonl(path)
    assert info.value.line == line and info.value.path == str(path)
    assert str(path) in str(info.value) and f"line {line}" in str(info.value)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_text("\n\n")
    with pytest.raises(SourceError, match="no entities"):
        parse_ftm_jsonl(path)
