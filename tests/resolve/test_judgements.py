from pathlib import Path

import pytest

from hermit.errors import StoreError
from hermit.registry.store import RegistryStore
from hermit.resolve import judgements as jg
from hermit.resolve.links import POSSIBLE, SAME, Link


def _link(a: str, b: str, tier: str) -> Link:
    return Link(a, b, "organization", 5.0, 0.97, (), tier)


def test_judgements_are_appended_and_the_latest_is_in_force(tmp_path: Path) -> None:
    with RegistryStore(tmp_path / "registry.duckdb") as store:
        jg.record(store, "r2", "r1", jg.ACCEPT, "ana", "same INN")
        jg.record(store, "r1", "r2", jg.REJECT, "bo", "different founders")
        jg.record(store, "r3", "r4", jg.ACCEPT, "ana", "same address and director")
        with pytest.raises(StoreError, match="decision"):
            jg.record(store, "r1", "r5", "maybe", "ana", "")
        with pytest.raises(StoreError, match="who"):
            jg.record(store, "r1", "r5", jg.ACCEPT, " ", "")
        done = jg.history(store)
    assert [(j.left, j.right, j.decision, j.who) for j in done] == [
        ("r1", "r2", jg.ACCEPT, "ana"),
        ("r1", "r2", jg.REJECT, "bo"),
        ("r3", "r4", jg.ACCEPT, "ana"),
    ]
    links = [_link("r1", "r2", SAME), _link("r4", "r3", POSSIBLE), _link("r5", "r6", SAME)]
    out = jg.apply(links, jg.in_force(done))
    assert [k.tier for k in out] == [POSSIBLE, SAME, SAME]
    assert out[0].reasons[-1].comparison == jg.JUDGED
    assert "different founders" in out[0].reasons[-1].level
    assert out[2] == links[2]
