"""The OFAC SDN legacy CSV set: sdn.csv with alt.csv, add.csv and sdn_comments.csv.

No header; ``-0- `` is null; ASCII; a Ctrl-Z line closes each file. sdn.csv columns:
ent_num, name, type, programs ("] [" joined), title, call sign, vessel type, tonnage,
GRT, flag, owner, remarks. sdn_comments.csv rows continue an entry's remarks.

Modules: ``ofac_rows`` (files to checked rows), ``ofac_entries`` (entries, aliases,
addresses, comments), ``ofac_remarks`` (the remarks mini-language), ``ofac_clauses``
(clauses applied to an entry, "Linked To" resolved).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from hermit.errors import SourceError
from hermit.model import Entity
from hermit.sources.ofac_clauses import _apply_remarks, _name_index
from hermit.sources.ofac_companions import find_companions, mark
from hermit.sources.ofac_entries import (
    AUTHORITY,
    DATASET,
    PARSER,
    _apply_addresses,
    _apply_aliases,
    _apply_comments,
    _entries,
    entity_id,
)
from hermit.sources.snapshot import ListSnapshot, SourceFile

__all__ = ["AUTHORITY", "DATASET", "PARSER", "entity_id", "find_companion_files", "parse_ofac_csv"]


def find_companion_files(sdn: Path) -> dict[str, Path]:
    """alt/add/comments files beside ``sdn`` (``ofac_sdn.csv`` -> ``ofac_alt.csv`` ...)."""
    return find_companions(sdn)[0]


def parse_ofac_csv(
    sdn: Path,
    alt: Path | None = None,
    add: Path | None = None,
    comments: Path | None = None,
    published: datetime | None = None,
    end_mark: bool = True,
    kept: Mapping[str, int] | None = None,
) -> ListSnapshot:
    """Parse the set; every problem is a SourceError naming the file and line. sdn.csv,
    alt.csv and add.csv must end with OFAC's Ctrl-Z line unless ``end_mark`` is False
    (a file without it was cut short; some older files were published without).
    ``kept``: the companions kept from a previous version (part -> its seq), recorded
    with the version's files."""
    if not sdn.exists():
        raise SourceError(sdn, "no such file")
    entries = _entries(sdn, end_mark)
    warnings: list[str] = []
    if comments is not None:
        _apply_comments(comments, entries, warnings)
    if alt is not None:
        _apply_aliases(alt, entries, warnings, end_mark)
    if add is not None:
        _apply_addresses(add, entries, warnings, end_mark)
    names = _name_index(entries)
    entities: list[Entity] = []
    for entry in entries.values():
        _apply_remarks(entry, names, warnings)
        entities.append(entry.entity)
        entities.extend(entry.related)
    parts = {"sdn": sdn, "alt": alt, "add": add, "comments": comments}
    files = [
        mark(SourceFile.of(p), part, (kept or {}).get(part))
        for part, p in parts.items()
        if p is not None
    ]
    return ListSnapshot(
        dataset=DATASET,
        title="OFAC Specially Designated Nationals (SDN) list",
        parser=PARSER,
        files=files,
        published=published,
        entities=entities,
        warnings=warnings,
    )
