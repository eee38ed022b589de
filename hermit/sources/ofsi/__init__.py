"""HM Treasury's OFSI Consolidated List (UK financial sanctions) as FollowTheMoney
entities, dataset ``gb_hmt_sanctions`` (OpenSanctions' name for it).

Two formats, one reader: the 29-column CSV of 2018 to 2022 (cp1252, CRLF) and the
36-column format of 2022 (``.xlsx`` as OFSI publishes it, or its UTF-8 CSV). The first
line is ``Last Updated,DD/MM/YYYY`` (the version's date), then the header; each row is
one name of a group (``Group ID``, OFSI's own id: entity ``ofsi-<Group ID>``), its
``Alias Type`` saying whether it is the primary name, a variation, an a.k.a. or an
f.k.a.; ``Group Type`` is Individual, Entity or Ship. Ships carry their IMO number in
"Other Information" (checked, a failing one goes to notes).

Modules: ``table`` (bytes or workbook to a checked table), ``groups`` (groups to
entities), ``values`` (dates, numbered lists, document numbers, Other Information).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from hermit.errors import SourceError
from hermit.model import Entity
from hermit.sources.ofsi.groups import AUTHORITY, DATASET, entity_id, group_entities, group_rows
from hermit.sources.ofsi.table import read_table
from hermit.sources.snapshot import ListSnapshot, SourceFile

__all__ = ["AUTHORITY", "DATASET", "PARSER", "entity_id", "parse_ofsi"]

PARSER = "ofsi@1"
TITLE = "UK OFSI Consolidated List of financial sanctions targets"


def parse_ofsi(path: Path) -> ListSnapshot:
    """Parse the whole list (CSV or xlsx); every problem is a SourceError naming the
    file and the line (CSV) or row (xlsx)."""
    path = Path(path)
    if not path.exists():
        raise SourceError(path, "no such file")
    table = read_table(path)
    warnings: list[str] = []
    if table.unknown:
        warnings.append(
            f"{path}: columns this reader does not know, kept in notes: {', '.join(table.unknown)}"
        )
    entities: list[Entity] = []
    for gid, rows in group_rows(table).items():
        entities.extend(group_entities(table, gid, rows, warnings))
    raw = path.read_bytes()
    return ListSnapshot(
        dataset=DATASET,
        title=TITLE,
        parser=PARSER,
        files=[SourceFile(str(path), hashlib.sha256(raw).hexdigest(), len(raw))],
        published=table.published,
        entities=entities,
        warnings=warnings,
    )
