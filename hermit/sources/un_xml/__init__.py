"""The UN Security Council consolidated list (XML) as FollowTheMoney entities.

Element tree: CONSOLIDATED_LIST / INDIVIDUALS / INDIVIDUAL and ENTITIES / ENTITY. Each
record becomes a Person or Organization (id ``unsc-<reference number>``), a Sanction, and
Passport / Identification / Address entities for its documents and addresses. For DPRK
people FIRST_NAME holds the surname. Values are kept as written (whitespace collapsed);
what fits no FtM property goes to notes with an ``un:<ELEMENT>`` qualifier, so nothing in
the file is dropped except empty placeholder elements.

Modules: ``reader`` (bytes to a checked tree), ``records`` (records to entities),
``documents`` (passports, identifications, addresses), ``values`` (countries, dates,
leftovers), ``common`` (constants, the parse context, element helpers).

Security: the file is parsed without DTD loading, entity resolution or network access,
and any DOCTYPE is refused outright (external entities / XXE, "billion laughs").
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from hermit.sources.snapshot import ListSnapshot, SourceFile
from hermit.sources.un_xml.common import AUTHORITY, DATASET, PARSER, TITLE, _Source
from hermit.sources.un_xml.reader import _parse_tree, _published, _read
from hermit.sources.un_xml.records import _entities, entity_id

__all__ = ["AUTHORITY", "DATASET", "PARSER", "entity_id", "parse_un_xml"]


def parse_un_xml(path: Path) -> ListSnapshot:
    """Parse the whole list; every problem is a SourceError naming file and line."""
    src = _Source(Path(path))
    raw = _read(src)
    root = _parse_tree(src, raw)
    published = _published(src, root)
    entities = _entities(src, root)
    digest = hashlib.sha256(raw).hexdigest()
    return ListSnapshot(
        dataset=DATASET,
        title=TITLE,
        parser=PARSER,
        files=[SourceFile(str(src.path), digest, len(raw))],
        published=published,
        entities=entities,
        warnings=src.warnings,
    )
