"""What the entity dossier gathers, before it is laid out (hermit/report/dossier.py): the
list entries of one party (the one asked for and the entries of other lists that are the
same party by hermit/resources/report/dossier.yaml), each entry's versions and what
changed between them, the suppressions recorded for it, and the registry records the
screening matched to it (``hermit network roots``). Read-only; core code."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import yaml

from hermit.errors import HermitError
from hermit.ids.imo import normalize_imo

NAME_PROPS = ("name", "alias", "previousName", "weakAlias")
_FOLD = re.compile(r"[\W_]+")
_AT = "valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)"


@cache
def settings() -> dict[str, Any]:
    ref = resources.files("hermit") / "resources" / "report" / "dossier.yaml"
    data: dict[str, Any] = yaml.safe_load(ref.read_text(encoding="utf-8"))
    return data


def fold(name: str) -> str:
    return _FOLD.sub(" ", name.casefold()).strip()


@dataclass(slots=True)
class Version:
    """One version of a list entry: its statements then, and what changed since the
    version before it (props gained and lost, with their values)."""

    seq: int
    published: str | None
    content_sha256: str
    caption: str
    record_id: str
    file: str
    line: int | None
    gained: list[tuple[str, str]] = field(default_factory=list)
    lost: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class Entry:
    """A list entry of the party: its dataset, id, schema and versions (oldest first),
    why it is taken as the same party, and its parts (sanctions, documents)."""

    dataset: str
    entity_id: str
    schema: str
    why: str
    versions: list[Version] = field(default_factory=list)
    removed_in: int | None = None  # the version it left the list, if it did
    props: dict[str, list[str]] = field(default_factory=dict)  # at its last version

    @property
    def last(self) -> Version:
        return self.versions[-1]


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    return con.execute(sql, params).fetchall()


def find_entries(con: duckdb.DuckDBPyConnection, query: str) -> list[tuple[str, str]]:
    """The list entries ``query`` names: an entity id, an IMO number (``IMO9066540`` or
    its seven digits) or a list's own record id (``KPi.024``, ``17614``); (dataset,
    entity id) pairs of people, organizations, companies and vessels."""
    q = query.strip()
    found = _rows(con, "SELECT DISTINCT dataset, entity_id FROM entities WHERE entity_id = ?", [q])
    if not found:
        imo = normalize_imo(q)
        if imo is not None and (q.upper().startswith("IMO") or (q.isdigit() and len(q) == 7)):
            found = _rows(
                con,
                "SELECT DISTINCT dataset, entity_id FROM statements WHERE prop = 'imoNumber' "
                "AND value = ?",
                [imo],
            )
    if not found:
        found = _rows(
            con,
            "SELECT DISTINCT dataset, entity_id FROM entities WHERE record_id = ? AND schema IN "
            "('Person', 'Organization', 'Company', 'LegalEntity', 'Vessel', 'PublicBody')",
            [q],
        )
    return sorted((str(d), str(e)) for d, e in found)


def _props(con: duckdb.DuckDBPyConnection, dataset: str, entity_id: str) -> dict[str, list[str]]:
    """An entry's statements at the latest version it is in."""
    top = _rows(
        con,
        "SELECT max(valid_from) FROM entities WHERE dataset = ? AND entity_id = ?",
        [dataset, entity_id],
    )
    seq = int(top[0][0]) if top and top[0][0] is not None else 0
    out: dict[str, list[str]] = {}
    for prop, value in _rows(
        con,
        f"SELECT prop, value FROM statements WHERE dataset = ? AND entity_id = ? AND {_AT} "
        "ORDER BY prop, value",
        [dataset, entity_id, seq, seq],
    ):
        out.setdefault(str(prop), []).append(str(value))
    return out


def same_party(
    con: duckdb.DuckDBPyConnection, asked: list[tuple[str, str]]
) -> list[tuple[str, str, str]]:
    """The entries asked for and those of the same party on any list (dossier.yaml's
    rule): (dataset, entity id, why), the asked ones first."""
    rule = settings()["same_party"]
    idents: set[tuple[str, str]] = set()
    names: set[str] = set()
    births: set[str] = set()
    for dataset, eid in asked:
        props = _props(con, dataset, eid)
        for p in rule["identifiers"]:
            idents.update((p, v) for v in props.get(p, []))
        for p in NAME_PROPS:
            names.update(fold(v) for v in props.get(p, []))
        births.update(props.get("birthDate", []))
    out: dict[tuple[str, str], str] = {(d, e): "asked for" for d, e in asked}
    for prop, value in sorted(idents):
        for d, e in _rows(
            con,
            "SELECT DISTINCT dataset, entity_id FROM statements WHERE prop = ? AND value = ? "
            "AND entity_id IN (SELECT entity_id FROM entities WHERE schema NOT IN "
            "('Sanction', 'Passport', 'Identification', 'Address'))",
            [prop, value],
        ):
            out.setdefault((str(d), str(e)), f"same {prop} {value}")
    if names and births and rule["name_needs_birth_date"]:
        folded = sorted(names)
        marks = ", ".join("?" for _ in folded)
        born = sorted(births)
        bmarks = ", ".join("?" for _ in born)
        for d, e, name, birth in _rows(
            con,
            "SELECT DISTINCT n.dataset, n.entity_id, n.value, b.value FROM statements n "
            "JOIN statements b ON b.dataset = n.dataset AND b.entity_id = n.entity_id "
            "AND b.prop = 'birthDate' "
            f"WHERE n.prop IN ({', '.join(repr(p) for p in NAME_PROPS)}) "
            f"AND trim(regexp_replace(lower(n.value), '[^[:alnum:]]+', ' ', 'g')) IN ({marks}) "
            f"AND b.value IN ({bmarks}) ORDER BY 1, 2, 3, 4",
            [*folded, *born],
        ):
            if fold(str(name)) in names:
                out.setdefault((str(d), str(e)), f"same name {name!r} and birth date {birth}")
    asked_set = set(asked)
    order = sorted(out, key=lambda k: (k not in asked_set, k))
    return [(d, e, out[(d, e)]) for d, e in order]


def entry(con: duckdb.DuckDBPyConnection, dataset: str, entity_id: str, why: str) -> Entry:
    """An entry with every version of its list it is in and what changed in each."""
    heads = _rows(
        con,
        "SELECT e.valid_from, e.valid_to, e.schema, e.caption, e.record_id, e.file, e.line "
        "FROM entities e WHERE e.dataset = ? AND e.entity_id = ? ORDER BY e.valid_from",
        [dataset, entity_id],
    )
    if not heads:
        raise HermitError(f"{dataset} holds no entry {entity_id}")
    versions = {
        int(seq): (None if pub is None else pub.date().isoformat(), str(sha))
        for seq, pub, sha in _rows(
            con,
            "SELECT seq, published, content_sha256 FROM versions WHERE dataset = ? ORDER BY seq",
            [dataset],
        )
    }
    parts = [entity_id] + [
        str(s)
        for (s,) in _rows(
            con,
            "SELECT DISTINCT entity_id FROM statements WHERE dataset = ? AND is_ref AND value = ? "
            "AND prop IN ('entity', 'holder') ORDER BY 1",
            [dataset, entity_id],
        )
    ]
    marks = ", ".join("?" for _ in parts)
    stmts = _rows(
        con,
        f"SELECT entity_id, prop, value, valid_from, valid_to FROM statements WHERE dataset = ? "
        f"AND entity_id IN ({marks}) ORDER BY entity_id, prop, value, valid_from",
        [dataset, *parts],
    )
    found = Entry(dataset, entity_id, str(heads[-1][2]), why)
    held: dict[int, Version] = {}  # a changed caption or line starts a new row: one per seq
    for start, end, _schema, caption, record_id, file, line in heads:
        last = max(versions) if end is None else int(end) - 1
        for seq in range(int(start), last + 1):
            pub, sha = versions.get(seq, (None, ""))
            held[seq] = Version(seq, pub, sha, str(caption), str(record_id), str(file), line)
    found.versions = [held[s] for s in sorted(held)]
    if heads[-1][1] is not None and int(heads[-1][1]) not in held:
        found.removed_in = int(heads[-1][1])
    first = found.versions[0].seq
    by_seq = {v.seq: v for v in found.versions}
    for eid, prop, value, vfrom, vto in stmts:
        label = prop if eid == entity_id else f"{str(eid).removeprefix(entity_id + '-')}.{prop}"
        item = (str(label), str(value))
        if int(vfrom) > first and int(vfrom) in by_seq:
            by_seq[int(vfrom)].gained.append(item)
        if vto is not None and int(vto) in by_seq:
            by_seq[int(vto)].lost.append(item)
    for v in found.versions:
        v.gained.sort()
        v.lost.sort()
    found.props = _props(con, dataset, entity_id)
    return found


@dataclass(frozen=True, slots=True)
class Suppression:
    entity_id: str
    query: str
    decided_by: str
    decided_at: str
    reason: str
    removed_at: str | None
    dataset: str | None
    list_seq: int | None


def _state_rows(store_path: Path, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Rows of the service state beside the store (read-only; none when it is absent)."""
    import sqlite3

    from hermit.store.state import state_path

    path = state_path(store_path)
    if not path.exists():
        return []
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def suppressions(store_path: Path, entity_ids: list[str]) -> list[Suppression]:
    """Every decision recorded (in the service state beside the store) that a hit on one
    of the entries is not a match, in force or withdrawn (the withdrawn keep their row)."""
    if not entity_ids:
        return []
    marks = ", ".join("?" for _ in entity_ids)
    rows = _state_rows(
        store_path,
        "SELECT entity_id, coalesce(query_id, query_name), decided_by, decided_at, reason, "
        f"removed_at, dataset, list_seq FROM suppressions WHERE entity_id IN ({marks}) "
        "ORDER BY decided_at, entity_id, 2",
        entity_ids,
    )
    return [
        Suppression(
            str(e),
            str(q),
            str(by),
            str(at),
            str(reason),
            None if rm is None else str(rm),
            None if ds is None else str(ds),
            None if seq is None else int(seq),
        )
        for e, q, by, at, reason, rm, ds, seq in rows
    ]
