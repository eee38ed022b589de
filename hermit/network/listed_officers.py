"""``listed_officer@2``: companies whose officer is a listed person, whatever the script
or spelling the registry writes the name in (Пак Кван Хун, 朴光勋, PAK Kwang Hun): each
officer (a Directorship's director) who is a person with a birth date is screened with
hermit's screening against the lists (hermit.network.roots.screen_records: a match at
MATCH level, at least roots.yaml's bar, and the birth dates compared and agreeing, so a
namesake born in another year is not a listed person). A person none of whose records
gives a birth date is screened when its records state DPRK nationality or citizenship
(fronts.yaml's ``dprk``), and its match counts when the listed entry's nationality
agrees (the screening's nationality evidence): by name alone common names match listed
people of other programmes; a DPRK national of a listed DPRK name is the listed person
or a namesake the analyst tells apart. One screening per distinct name, birth date and nationality.

listed_officer@1 screened people with a birth date only; it missed the listed Koreans
whose registry records give none (dev registry: KIM MUN CHOL as 金文哲 and Kim Mun-cheol,
KIM NAM UNG as Ким Нам Ун and KIM Nam Ung, JO CHOL SONG as 赵哲成 and Jo Cheol-seong,
all of DPRK nationality, no record with a birth date).

Each finding cites the Directorship record, the person's record and the listed entry
with the screening's score and explanation.

Core code: it never imports the api, web or cli packages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from hermit.network.flags import Evidence, Finding
from hermit.network.graph import OFFICER, Build, Record
from hermit.network.roots import same_nationality, screen_records

if TYPE_CHECKING:
    from hermit.screening.engine import Screener

LISTED_OFFICER = "listed_officer@2"


def _key(entity: dict[str, Any]) -> tuple[tuple[str, ...], ...]:
    props = entity.get("properties") or {}
    return tuple(
        tuple(sorted(str(v) for v in props.get(p) or []))
        for p in ("name", "alias", "birthDate", "nationality", "citizenship")
    )


def _dprk_national(entity: dict[str, Any]) -> bool:
    from hermit.network.fronts import settings

    props = entity.get("properties") or {}
    dprk = str(settings()["dprk"])
    return any(
        str(v).casefold() == dprk
        for p in ("nationality", "citizenship")
        for v in props.get(p) or []
    )


def listed_officers(
    records: Iterable[Record],
    build: Build,
    screener: Screener,
    progress: Callable[[int], None] | None = None,
) -> list[Finding]:
    """The ``listed_officer@2`` findings: one per company and listed officer."""
    officers = {e.source for e in build.edges if e.kind == OFFICER}
    people: dict[str, tuple[str, int, dict[str, Any]]] = {}  # record id -> file, row, entity
    undated: set[str] = set()  # DPRK nationals without a birth date
    for record_id, schema, file, row, entity in records:
        if schema != "Person" or build.entity(record_id) not in officers:
            continue
        if (entity.get("properties") or {}).get("birthDate"):
            people[record_id] = (file, row, entity)
        elif _dprk_national(entity):
            people[record_id] = (file, row, entity)
            undated.add(record_id)
    # a person some record of which gives a birth date is screened by that record alone:
    # a namesake born in another year is not made listed by an undated record of his
    dated_people = {build.entity(rid) for rid in people if rid not in undated}
    for record_id in [rid for rid in undated if build.entity(rid) in dated_people]:
        undated.discard(record_id)
        del people[record_id]
    distinct: dict[tuple[tuple[str, ...], ...], str] = {}
    for record_id, (_f, _r, entity) in sorted(people.items()):
        distinct.setdefault(_key(entity), record_id)
    dated = [rid for rid in distinct.values() if rid not in undated]
    roots = screen_records(((rid, "Person", people[rid][2]) for rid in dated), screener, progress)
    roots += screen_records(
        ((rid, "Person", people[rid][2]) for rid in distinct.values() if rid in undated),
        screener,
        person=same_nationality,
    )
    by_key = {_key(people[r.record_id][2]): r for r in roots}
    matched: dict[str, list[tuple[str, Any]]] = {}  # node -> (record id, root)
    for record_id, (_f, _r, entity) in sorted(people.items()):
        root = by_key.get(_key(entity))
        if root is not None:
            matched.setdefault(build.entity(record_id), []).append((record_id, root))
    findings: dict[tuple[str, str], Finding] = {}
    for edge in build.edges:
        if edge.kind != OFFICER or edge.source not in matched:
            continue
        record_id, root = matched[edge.source][0]
        key = (edge.target, root.listed_id)
        if key in findings:
            continue
        file, row, entity = people[record_id]
        name = str(((entity.get("properties") or {}).get("name") or [record_id])[0])
        born = str(((entity.get("properties") or {}).get("birthDate") or ["?"])[0])
        findings[key] = Finding(
            LISTED_OFFICER,
            edge.target,
            f"officer {name!r} (born {born}) is listed: {root.listed_id} {root.caption!r} "
            f"(score {root.score:.2f}"
            + (", no birth date: nationality agrees)" if record_id in undated else ")"),
            [
                Evidence(f"officer {edge.source} ({edge.role or 'officer'})", edge.cites()),
                Evidence(
                    f"{name!r} born {born} screened as {root.listed_id} {root.caption!r}: "
                    f"{root.explanation}",
                    f"{record_id} ({file}, row {row})",
                ),
            ],
        )
    return [findings[k] for k in sorted(findings)]
