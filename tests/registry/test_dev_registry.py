"""The dev registry (../shared/data/registry) read through the built-in mappings, checked
against the generator's own truth: its labels (every company record id) and its FtM
rendering of the same records (entities.ftm.jsonl.gz: ids, identifiers, dates, links,
percentages). Most files are read from their first rows only, to keep the tests quick."""

from __future__ import annotations

import csv
import gzip
import itertools
from pathlib import Path
from typing import Any

import orjson
import pytest

from hermit.registry.read import read_registry_file
from hermit.registry.records import RegistryRecord, Rejected
from tests.conftest import shared_data_dir

REGISTRY = shared_data_dir() / "registry"
HEAD_ROWS = 800
FILES = [
    "ru_egrul_companies",
    "ru_egrul_founders",
    "ru_egrul_officers",
    "cn_companies",
    "cn_shareholders",
    "cn_officers",
    "intl_companies",
    "intl_officers",
    "intl_shareholders",
]


def _head(name: str, tmp: Path) -> Path:
    """The file's header and first HEAD_ROWS lines (no embedded line breaks in these)."""
    src = REGISTRY / f"{name}.csv"
    out = tmp / f"{name}.csv"
    with src.open("rb") as fh:
        out.write_bytes(b"".join(itertools.islice(fh, HEAD_ROWS + 1)))
    return out


@pytest.fixture(scope="module")
def ftm() -> dict[str, dict[str, Any]]:
    """The generator's FtM rendering, by entity id (read with plain JSON: the oracle)."""
    with gzip.open(REGISTRY / "entities.ftm.jsonl.gz") as fh:
        return {obj["id"]: obj for obj in map(orjson.loads, fh)}


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[RegistryRecord]]:
    tmp = tmp_path_factory.mktemp("heads")
    found: dict[str, list[RegistryRecord]] = {}
    for name in FILES:
        items = list(read_registry_file(_head(name, tmp)))
        assert not [i for i in items if isinstance(i, Rejected)], name
        found[name] = [i for i in items if isinstance(i, RegistryRecord)]
    return found


def _props(obj: dict[str, Any], name: str) -> list[str]:
    return sorted(obj["properties"].get(name, []))


def test_every_ru_company_of_the_labels_is_read_with_its_provenance() -> None:
    truth = REGISTRY / "labels" / "truth_companies.csv"
    with truth.open(encoding="utf-8", newline="") as fh:
        expected = {r["record_id"] for r in csv.DictReader(fh) if r["registry"] == "ru_egrul"}
    items = list(read_registry_file(REGISTRY / "ru_egrul_companies.csv"))
    companies = [i for i in items if isinstance(i, RegistryRecord) and i.schema == "Company"]
    assert {c.provenance.record_id for c in companies} == expected
    assert len(companies) == 12_846  # README: cn 5,808, intl 8,286, ru_egrul 12,846
    first = companies[0].provenance
    assert (first.registry, first.row, Path(first.file).name) == (
        "ru_egrul",
        2,
        "ru_egrul_companies.csv",
    )
    # Succession rows only where the company names a predecessor (README: reorganisations)
    successions = [i for i in items if isinstance(i, RegistryRecord) and i.schema == "Succession"]
    with (REGISTRY / "ru_egrul_companies.csv").open(encoding="utf-8", newline="") as fh:
        with_predecessor = sum(
            1 for r in csv.DictReader(fh, delimiter=";") if r["Правопредшественник ОГРН"]
        )
    assert len(successions) == with_predecessor


@pytest.mark.parametrize("name", ["ru_egrul_companies", "cn_companies", "intl_companies"])
def test_companies_agree_with_the_ftm_rendering(
    name: str, records: dict[str, list[RegistryRecord]], ftm: dict[str, dict[str, Any]]
) -> None:
    companies = [r for r in records[name] if r.schema == "Company"]
    assert len(companies) == HEAD_ROWS
    for rec in companies:
        truth = ftm[rec.entity["id"]]
        for prop in ("innCode", "ogrnCode", "uscCode", "incorporationDate", "dissolutionDate"):
            assert _props(rec.entity, prop) == _props(truth, prop), (rec.entity["id"], prop)
        assert rec.valid_from == min(_props(truth, "incorporationDate"), default=None)
        assert rec.valid_to == min(_props(truth, "dissolutionDate"), default=None)
        for check in rec.identifiers:
            if check.scheme in {"inn", "ogrn", "uscc", "cn_regno"}:
                assert check.valid, check  # README: correct check digits
            if not check.valid:  # kept as weak text, not as a strong identifier
                assert check.raw not in rec.entity["properties"].get("registrationNumber", [])
                assert any(check.raw in n for n in rec.entity["properties"]["notes"])


@pytest.mark.parametrize("name", ["ru_egrul_founders", "cn_shareholders", "intl_shareholders"])
def test_ownerships_agree_with_the_ftm_rendering(
    name: str, records: dict[str, list[RegistryRecord]], ftm: dict[str, dict[str, Any]]
) -> None:
    ownerships = [r for r in records[name] if r.schema == "Ownership"]
    assert len(ownerships) == HEAD_ROWS
    for rec in ownerships:
        truth = ftm[rec.entity["id"]]
        for prop in ("owner", "asset", "percentage", "startDate", "endDate"):
            assert _props(rec.entity, prop) == _props(truth, prop), (rec.entity["id"], prop)
        owner = rec.entity["properties"]["owner"][0]
        assert ftm[owner]["schema"] in {"Person", "Company", "Organization", "PublicBody"}


@pytest.mark.parametrize("name", ["ru_egrul_officers", "cn_officers", "intl_officers"])
def test_directorships_agree_with_the_ftm_rendering(
    name: str, records: dict[str, list[RegistryRecord]], ftm: dict[str, dict[str, Any]]
) -> None:
    directorships = [r for r in records[name] if r.schema == "Directorship"]
    assert len(directorships) == HEAD_ROWS
    for rec in directorships:
        truth = ftm[rec.entity["id"]]
        for prop in ("director", "organization", "endDate"):
            assert _props(rec.entity, prop) == _props(truth, prop), (rec.entity["id"], prop)
        # the rendering gives a start date where the Chinese row leaves it empty
        assert set(_props(rec.entity, "startDate")) <= set(_props(truth, "startDate"))
    people = [r for r in records[name] if r.schema == "Person"]
    for rec in people:
        truth = ftm[rec.entity["id"]]
        assert _props(rec.entity, "innCode") == _props(truth, "innCode")
        assert set(_props(rec.entity, "birthDate")) <= set(_props(truth, "birthDate"))


def test_the_ftm_files_are_read_whole(tmp_path: Path) -> None:
    """The real FtM ownership data, every line a record (and the same first lines of
    the dev registry's FtM rendering)."""
    zala = shared_data_dir() / "ownership" / "yente_zala_entities.ftm.json"
    items = list(read_registry_file(zala))
    lines = sum(1 for line in zala.read_bytes().splitlines() if line.strip())
    records = [i for i in items if isinstance(i, RegistryRecord)]
    assert len(records) == lines
    assert {r.provenance.registry for r in records} == {"yente_zala_entities"}
    assert any(r.schema == "Ownership" for r in records)
    with_datasets = [r for r in records if r.entity.get("datasets")]
    assert with_datasets  # the upstream datasets stay in the entity

    head = tmp_path / "entities.ftm.jsonl"
    with gzip.open(REGISTRY / "entities.ftm.jsonl.gz") as fh:
        head.write_bytes(b"".join(itertools.islice(fh, 3000)))
    read = [i for i in read_registry_file(head) if isinstance(i, RegistryRecord)]
    assert len(read) == 3000
