"""A list file whose structure changed (records under one more wrapper element, renamed
elements, no records at all) is refused through ``hermit lists load``, naming the file
and what was expected where; the store keeps its version. Before, the UN list re-nested
loaded with all 730 individuals removed, and the EU file with the wrapped records
skipped behind a warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.helpers import hermit


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, shared_lists: Path) -> Path:
    path = tmp_path_factory.mktemp("structure") / "store.duckdb"
    hermit(
        path,
        "lists",
        "load",
        "--no-index",
        str(shared_lists / "un_consolidated.xml"),
        str(shared_lists / "eu_fsf_sample_2020-04-15.xml"),
    )
    return path


def _refused(store: Path, path: Path, *expected: str) -> str:
    before = hermit(store, "lists", "history").stdout
    proc = hermit(store, "lists", "load", "--no-index", str(path), check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    message = " ".join(proc.stderr.split())
    assert f"error: {path}" in message, message
    for text in expected:
        assert text in message, message
    assert hermit(store, "lists", "history").stdout == before
    return message


def _un(shared_lists: Path, tmp_path: Path, old: bytes, new: bytes, count: int = 1) -> Path:
    data = (shared_lists / "un_consolidated.xml").read_bytes()
    assert data.count(old) >= count
    path = tmp_path / "un_consolidated.xml"
    path.write_bytes(data.replace(old, new, count))
    return path


def test_un_individuals_under_one_more_wrapper(
    store: Path, shared_lists: Path, tmp_path: Path
) -> None:
    path = _un(shared_lists, tmp_path, b"<INDIVIDUALS>", b"<X><INDIVIDUALS>")
    path.write_bytes(path.read_bytes().replace(b"</INDIVIDUALS>", b"</INDIVIDUALS></X>"))
    _refused(
        store,
        path,
        "no INDIVIDUALS/INDIVIDUAL records at CONSOLIDATED_LIST/INDIVIDUALS",
        "found 730 INDIVIDUAL elements elsewhere (730 under CONSOLIDATED_LIST/X/INDIVIDUALS)",
    )


def test_un_entities_wrapped_inside_the_individuals(
    store: Path, shared_lists: Path, tmp_path: Path
) -> None:
    data = (shared_lists / "un_consolidated.xml").read_bytes()
    data = data.replace(b"</INDIVIDUALS>\n  <ENTITIES>", b"<ENTITIES>")
    data = data.replace(b"</ENTITIES>", b"</ENTITIES></INDIVIDUALS>")
    path = tmp_path / "un.xml"
    path.write_bytes(data)
    _refused(
        store,
        path,
        "no ENTITIES/ENTITY records at CONSOLIDATED_LIST/ENTITIES",
        "under CONSOLIDATED_LIST/INDIVIDUALS/ENTITIES",
    )


def test_un_record_element_renamed(store: Path, shared_lists: Path, tmp_path: Path) -> None:
    path = _un(shared_lists, tmp_path, b"<INDIVIDUAL>", b"<PERSON>", 5)
    path.write_bytes(path.read_bytes().replace(b"</INDIVIDUAL>", b"</PERSON>", 5))
    _refused(store, path, "CONSOLIDATED_LIST/INDIVIDUALS holds 5 <PERSON> besides 725 <INDIVIDUAL>")


def _eu(shared_lists: Path, tmp_path: Path, skip: int) -> Path:
    """The EU file with its sanctionEntity records after the first ``skip`` wrapped."""
    data = (shared_lists / "eu_fsf_sample_2020-04-15.xml").read_bytes()
    start = -1
    for _ in range(skip + 1):
        start = data.index(b"<sanctionEntity", start + 1)
    end = data.rindex(b"</sanctionEntity>") + len(b"</sanctionEntity>")
    path = tmp_path / "eu_fsf.xml"
    path.write_bytes(data[:start] + b"<wrap>" + data[start:end] + b"</wrap>" + data[end:])
    return path


def test_eu_records_under_one_more_wrapper(store: Path, shared_lists: Path, tmp_path: Path) -> None:
    _refused(
        store,
        _eu(shared_lists, tmp_path, 0),
        "no sanctionEntity records at export; found 7 sanctionEntity elements elsewhere "
        "(7 under export/wrap)",
    )


def test_eu_some_records_under_a_wrapper(store: Path, shared_lists: Path, tmp_path: Path) -> None:
    _refused(
        store,
        _eu(shared_lists, tmp_path, 1),
        "1 sanctionEntity records at export; found 6 sanctionEntity elements elsewhere",
    )


def test_uk_file_without_rows_or_without_its_first_line(
    store: Path, shared_lists: Path, tmp_path: Path
) -> None:
    lines = (shared_lists / "uk_ofsi_conlist_2020-04-27.csv").read_bytes().splitlines(True)
    header_only = tmp_path / "header" / "conlist.csv"
    header_only.parent.mkdir()
    header_only.write_bytes(b"".join(lines[:2]))
    _refused(store, header_only, "the list holds no rows after the header")
    shifted = tmp_path / "shifted" / "conlist.csv"
    shifted.parent.mkdir()
    shifted.write_bytes(b"".join(lines[1:]))
    _refused(store, shifted, "line 1: not a UN or EU XML, OFAC, OFSI")
