"""AIS vessels against the vessels on the lists in the store.

Two strengths (``events.yaml`` has no parameter here: the screening's own threshold
decides a name match):

- **imo** (strong): a ship IMO the vessel broadcast (placeholder, IMO made from the
  MMSI and bad check digits left out) is a listed vessel's IMO number;
- **name_flag** (weak): a name the vessel broadcast is a match of hermit's screening
  against a listed vessel (``Query(schema="Vessel")``), and the flag of its MMSI (by
  MID: ``ref_mids.iso``, resources/maritime/mids.tsv) is one of the listed vessel's
  flags (a listed vessel without a flag never matches by name alone).

Each match cites the listing: list (dataset), its current version (seq and title),
the record id, file and line of the entity, and the entity id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hermit.ids.imo import normalize_imo
from hermit.maritime import params
from hermit.maritime.validate import classify_imo

if TYPE_CHECKING:
    import duckdb

ALGORITHM = "hermit-vessel-lists@1"


@dataclass(frozen=True, slots=True)
class Listing:
    """One vessel's match to a listed vessel, and the record it rests on."""

    mmsi: int
    strength: str  # imo | name_flag
    broadcast: str  # the IMO or name the vessel broadcast that matched
    dataset: str
    version: int  # seq of the list's current version
    version_title: str
    entity_id: str
    record_id: str
    file: str
    line: int | None
    caption: str
    listed_imos: tuple[str, ...]
    listed_flags: tuple[str, ...]
    score: float | None = None  # the screening score of a name match

    def to_dict(self) -> dict[str, Any]:
        return {
            "mmsi": self.mmsi,
            "strength": self.strength,
            "broadcast": self.broadcast,
            "list": self.dataset,
            "version": self.version,
            "version_title": self.version_title,
            "entity_id": self.entity_id,
            "record_id": self.record_id,
            "file": self.file,
            "line": self.line,
            "caption": self.caption,
            "listed_imos": list(self.listed_imos),
            "listed_flags": list(self.listed_flags),
            "score": self.score,
        }


@dataclass(frozen=True, slots=True)
class ListedVessel:
    dataset: str
    entity_id: str
    caption: str
    record_id: str
    file: str
    line: int | None
    imos: tuple[str, ...]
    flags: tuple[str, ...]


def listed_vessels(lists: duckdb.DuckDBPyConnection) -> dict[str, ListedVessel]:
    """The vessels of the store's current list versions, by entity id."""
    rows = lists.execute(
        """
        SELECT e.dataset, e.entity_id, e.caption, e.record_id, e.file, e.line,
               list(s.value ORDER BY s.value) FILTER (WHERE s.prop = 'imoNumber'),
               list(s.value ORDER BY s.value) FILTER (WHERE s.prop = 'flag')
        FROM entities e LEFT JOIN statements s
          ON s.dataset = e.dataset AND s.entity_id = e.entity_id AND s.valid_to IS NULL
        WHERE e.schema = 'Vessel' AND e.valid_to IS NULL
        GROUP BY ALL ORDER BY e.dataset, e.entity_id
        """
    ).fetchall()
    out = {}
    for dataset, eid, caption, record, file, line, imos, flags in rows:
        digits = sorted({d for v in imos or [] if (d := normalize_imo(v)) is not None})
        codes = sorted({f.lower() for f in flags or []})
        out[eid] = ListedVessel(
            dataset, eid, caption, record, file, line, tuple(digits), tuple(codes)
        )
    return out


def list_versions(lists: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, str]]:
    return {
        d: (int(seq), str(title))
        for d, seq, title in lists.execute(
            "SELECT dataset, max(seq), arg_max(title, seq) FROM versions GROUP BY dataset"
        ).fetchall()
    }


#: screens one vessel name: the (entity id, score) of the matches
NameScreen = Callable[[str], list[tuple[str, float]]]


def name_screening(store_path: Path) -> NameScreen:
    """hermit's screening of the store's lists, narrowed to vessels: the matches (at or
    over the screening threshold) of one name. Names are screened once each."""
    from hermit.screening.query import Query
    from hermit.screening.store_screener import StoreScreener

    screener = StoreScreener(store_path).build()
    seen: dict[str, list[tuple[str, float]]] = {}

    def screen(name: str) -> list[tuple[str, float]]:
        if name not in seen:
            found = screener.screen(
                Query(name=name, schema="Vessel"), keep=lambda e: e.schema == "Vessel"
            )
            seen[name] = [(m.entity_id, m.score) for m in found if m.is_match]
        return seen[name]

    return screen


def match_vessels(
    ais: duckdb.DuckDBPyConnection,
    load_id: int,
    lists: duckdb.DuckDBPyConnection,
    screen_name: NameScreen | None,
    mmsis: set[int] | None = None,
) -> dict[int, list[Listing]]:
    """The listings of the load's vessels (or of ``mmsis``), by MMSI; IMO matches first.
    ``screen_name`` is hermit's screening of one vessel name (None: IMO matches only)."""
    listed = listed_vessels(lists)
    versions = list_versions(lists)
    by_imo: dict[str, list[ListedVessel]] = {}
    for v in listed.values():
        for imo in v.imos:
            by_imo.setdefault(imo, []).append(v)
    placeholder = params.validation().imo_placeholder
    rows = ais.execute(
        """
        SELECT v.mmsi, v.names, v.imos, m.iso FROM ais_vessels v
        LEFT JOIN ref_mids m ON v.mmsi BETWEEN 200000000 AND 799999999
          AND m.mid = v.mmsi // 1000000
        WHERE v.load_id = ? ORDER BY v.mmsi
        """,
        [load_id],
    ).fetchall()
    out: dict[int, list[Listing]] = {}

    def cite(mmsi: int, v: ListedVessel, strength: str, said: str, score: float | None) -> None:
        seq, title = versions.get(v.dataset, (0, ""))
        found = out.setdefault(mmsi, [])
        if any(f.entity_id == v.entity_id for f in found):
            return
        found.append(
            Listing(
                mmsi,
                strength,
                said,
                v.dataset,
                seq,
                title,
                v.entity_id,
                v.record_id,
                v.file,
                v.line,
                v.caption,
                v.imos,
                v.flags,
                score,
            )
        )

    for mmsi, names, imos, iso in rows:
        mmsi = int(mmsi)
        if mmsis is not None and mmsi not in mmsis:
            continue
        for imo in imos or []:
            digits = normalize_imo(imo)
            if digits is None or classify_imo(mmsi, imo, placeholder) is not None:
                continue
            for hit in by_imo.get(digits, []):
                cite(mmsi, hit, "imo", imo, None)
        flags = set((iso or "").split())
        if screen_name is None or not flags:
            continue
        for name in names or []:
            for eid, score in screen_name(name):
                named = listed.get(eid)
                if named is not None and flags & set(named.flags):
                    cite(mmsi, named, "name_flag", name, round(score, 4))
    return out
