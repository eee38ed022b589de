"""``hermit network roots`` through the real command: the registry's parties screened
against the real UN and OFAC lists of the store beside it; the matches become the listed
parties that ``exposure`` and ``blocked`` use when no --roots file is given."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson

from tests.cli.helpers import hermit


def _entity(eid: str, schema: str, **props: str) -> dict[str, object]:
    return {"id": eid, "schema": schema, "properties": {k: [v] for k, v in props.items()}}


ENTITIES = [
    # OFAC 19613 by name, written as the registry of a Russian founder writes it
    _entity("ru-ful-1", "Company", name="KOREA RUNGRADO GENERAL TRADING CORPORATION"),
    # OFAC 23516, PAK Kwang Hun (born 1970), in Cyrillic with a birth date in 1970
    _entity("ru-fl-2", "Person", name="Пак Кван Хун", birthDate="1970-03-02"),
    # the same name born in 1988: a namesake, not the listed man
    _entity("ru-fl-3", "Person", name="Пак Кван Хун", birthDate="1988-11-20"),
    _entity("ru-co-A", "Company", name="ООО «Рынрадо»"),
    _entity("ru-co-B", "Company", name="ООО «Аполлон»"),
    _entity("ru-co-C", "Company", name="ООО «Вектор»"),
    _entity("own-1", "Ownership", owner="ru-ful-1", asset="ru-co-A", percentage="60"),
    _entity("dir-1", "Directorship", director="ru-fl-2", organization="ru-co-B", role="Директор"),
    _entity("dir-2", "Directorship", director="ru-fl-3", organization="ru-co-C", role="Директор"),
]


#: listed_officer@2's undated officers: KIM Mun Chol (OFAC 21745, DPRK) as the Chinese
#: registry writes him, with DPRK nationality and no birth date, heads cn-co-D; the same
#: characters of a Chinese national (a Korean Chinese namesake) head cn-co-E; the same
#: name with no nationality and no birth date heads cn-co-F: neither is screened.
UNDATED = [
    _entity("cn-p-1", "Person", name="金文哲", nationality="kp"),
    _entity("cn-p-2", "Person", name="金文哲", nationality="cn"),
    _entity("cn-p-3", "Person", name="金文哲"),
    *[_entity(f"cn-co-{c}", "Company", name=f"丹东{c}贸易有限公司") for c in "DEF"],
    *[
        _entity(f"dir-cn-{c}", "Directorship", director=f"cn-p-{i}", organization=f"cn-co-{c}")
        for i, c in enumerate("DEF", 1)
    ],
]


def _setup(tmp_path: Path, lists_store: Path, more: list[dict[str, object]] | None = None) -> Path:
    store = tmp_path / "hermit.duckdb"
    for path in lists_store.parent.iterdir():  # the store and its screening index
        target = tmp_path / path.name.replace(lists_store.stem, "hermit", 1)
        (shutil.copytree if path.is_dir() else shutil.copy)(path, target)
    lines = tmp_path / "registry.jsonl"
    lines.write_bytes(b"\n".join(orjson.dumps(e) for e in ENTITIES + (more or [])) + b"\n")
    hermit(store, "registry", "load", str(lines))
    return store


def test_roots_from_the_lists(tmp_path: Path, lists_store: Path) -> None:
    store = _setup(tmp_path, lists_store)
    no_roots = hermit(store, "network", "blocked", "--as-of", "2024-06-01", check=False)
    assert no_roots.returncode == 1 and "hermit network roots" in no_roots.stderr

    proc = hermit(store, "network", "roots")
    lines = proc.stdout.splitlines()
    assert any(
        line.startswith("ru-ful-1 screened as ") and "KOREA RUNGRADO" in line for line in lines
    )
    assert any(line.startswith("ru-fl-2 screened as ") and "PAK" in line for line in lines)
    assert not any(line.startswith(("ru-fl-3 ", "ru-co-")) for line in lines)
    assert "roots@1 run 1: 2 of 6 registry parties match listed entries" in proc.stdout

    blocked = hermit(store, "network", "blocked", "--as-of", "2024-06-01")
    assert "ru-co-A: blocked: ru-ful-1 60% = 60%" in blocked.stdout

    hermit(store, "network", "build")
    args = ("network", "exposure", "--as-of", "2024-06-01", "--json")
    found = orjson.loads(hermit(store, *args, "ru-co-B").stdout)
    first = found["paths"][0]
    assert first["listed"] == "ru-fl-2"
    assert first["contributions"][0]["reason"].startswith(
        "reaches listed party ru-fl-2: ru-fl-2 screened as "
    )
    assert "score" in first["contributions"][0]["reason"]
    clean = orjson.loads(hermit(store, *args, "ru-co-C").stdout)
    assert clean["paths"] == [] and clean["score"] == 0


def test_listed_officer_flag(tmp_path: Path, lists_store: Path) -> None:
    """listed_officer@2 screens the officers against the real lists: PAK Kwang Hun written
    in Cyrillic with his birth year heads ru-co-B; his namesake born in 1988 (ru-co-C) is
    not him; KIM Mun Chol in Chinese characters, DPRK national without a birth date,
    heads cn-co-D; the same name of a Chinese national or of no stated nationality
    (cn-co-E, cn-co-F) is not flagged."""
    store = _setup(tmp_path, lists_store, UNDATED)
    roots = tmp_path / "roots.txt"
    roots.write_text("ru-ful-1\n", encoding="utf-8")
    hermit(store, "network", "build")
    args = ("network", "flags", "--roots", str(roots), "--as-of", "2024-06-01", "--json")
    every = [orjson.loads(line) for line in hermit(store, *args).stdout.splitlines()]
    undated, found = [f for f in every if f["detector"] == "listed_officer@2"]  # by company
    assert undated["entity"] == "cn-co-D"
    assert "'金文哲' (born ?) is listed: ofac-21745" in undated["summary"]
    assert "no birth date: nationality agrees" in undated["summary"]
    assert [e["record"].split()[0] for e in undated["evidence"]] == ["dir-cn-D", "cn-p-1"]
    assert found["entity"] == "ru-co-B"
    assert "'Пак Кван Хун' (born 1970-03-02) is listed: ofac-23516" in found["summary"]
    assert [e["record"].split()[0] for e in found["evidence"]] == ["dir-1", "ru-fl-2"]
    assert "screened as ofac-23516" in found["evidence"][1]["what"]


def test_an_undated_record_does_not_outvote_a_birth_date(lists_store: Path) -> None:
    """A DPRK national's record without a birth date matches PAK Kwang Hun by name and
    nationality; resolved with a record of the same man born in 1988 (the namesake of
    ru-fl-3), the person is screened by the dated record alone and is not listed."""
    from hermit.network.graph import build
    from hermit.network.listed_officers import listed_officers
    from hermit.screening.store_screener import StoreScreener

    undated = _entity("ru-fl-5", "Person", name="Пак Кван Хун", nationality="kp")
    entities = [*ENTITIES, undated]
    entities.append(_entity("dir-5", "Directorship", director="ru-fl-5", organization="ru-co-C"))
    records = [(str(e["id"]), str(e["schema"]), "t.jsonl", n, e) for n, e in enumerate(entities)]
    screener = StoreScreener(lists_store).build()
    alone = listed_officers(records, build(records), screener)
    assert [(f.entity, f.evidence[1].record.split()[0]) for f in alone] == [
        ("ru-co-B", "ru-fl-2"),
        ("ru-co-C", "ru-fl-5"),
    ]
    resolved = build(records, {"ru-fl-5": "man", "ru-fl-3": "man"})
    assert [f.entity for f in listed_officers(records, resolved, screener)] == ["ru-co-B"]
