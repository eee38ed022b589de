"""The basic matcher on the real lists: Korean names in any script, explanations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hermit.screening import matcher
from hermit.screening.index import NameIndex
from hermit.screening.query import Query
from hermit.screening.result import Match
from hermit.sources.detect import read_list_files
from hermit.store import Store


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory, shared_lists: Path) -> Iterator[NameIndex]:
    path = tmp_path_factory.mktemp("screen") / "store.duckdb"
    with Store(path) as store:
        for snap in read_list_files(
            [shared_lists / "un_consolidated.xml", shared_lists / "ofac_sdn.csv"]
        ):
            store.load(snap)
        yield NameIndex.from_store(store.con)


def _top(index: NameIndex, name: str, **kw: str) -> list[Match]:
    return matcher.screen(index, Query(name=name, **kw), limit=10)


@pytest.mark.parametrize(
    ("query", "entity_id"),
    [
        ("김영철", "unsc-kpi-024"),
        ("金英哲", "unsc-kpi-024"),
        ("Ким Ен Чхоль", "unsc-kpi-024"),
        ("Kim Young-Cheol", "unsc-kpi-024"),
        ("Ким Чен Ын", "ofac-20157"),
        ("최룡해", "ofac-23213"),
        ("Ri Eun Song", "unsc-kpi-078"),
        ("Korea Rungrado General Trading Corp", "ofac-19613"),
    ],
)
def test_listed_names_found_as_matches(index: NameIndex, query: str, entity_id: str) -> None:
    found = {m.entity_id: m for m in _top(index, query)}
    assert entity_id in found and found[entity_id].is_match, list(found)


def test_close_relatives_are_not_matches(index: NameIndex) -> None:
    for name in ("Kim Jong Il", "Kim Jong Nam", "Kim Yo Jong", "김정일"):
        hits = [m for m in _top(index, name, schema="Person") if m.is_match]
        assert not any(m.entity_id == "ofac-20157" for m in hits), name


def test_date_of_birth_separates_namesakes(index: NameIndex) -> None:
    found = {m.entity_id: m for m in _top(index, "KIM Yong Chol", birth_date="1947")}
    assert found["ofac-12211"].is_match
    assert not found["unsc-kpi-024"].is_match  # born 1962-02-18


def test_explanation_adds_up(index: NameIndex) -> None:
    (best, *_) = _top(index, "김영철", birth_date="1962-02-18")
    assert "read as Kim Yo'ng-ch'o'l (MR)" in best.explanation
    assert [c.feature for c in best.contributions] == ["name", "birth_date"]
