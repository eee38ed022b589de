"""The EU Financial Sanctions Files (FSF) XML, export v1.1, as FollowTheMoney entities:
dataset ``eu_fsf``.

Element tree (namespace ``http://eu.europa.ec/fpi/fsd/export``): export (generationDate)
/ sanctionEntity (logicalId, euReferenceNumber, unitedNationId, designationDate) with
regulation (programme, numberTitle, publicationUrl), subjectType (person / enterprise),
nameAlias (wholeName, first/middle/last name, function, title, gender, language, strong),
citizenship, birthdate (circa; a full date or year / month / day parts, or a year range),
identification (passport, id, IMO ...), address and remark. Each sanctionEntity becomes
a Person, Organization or (an enterprise with an IMO number) Vessel with id
``eu-fsf-<logicalId>``, a Sanction, and Passport / Identification / Address entities.

The file is parsed without DTDs, entity resolution or network access (safe_xml).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from hermit.errors import SourceError
from hermit.model import Entity, Value
from hermit.sources.eu_fsf.records import AUTHORITY, DATASET, entity_id, record_entities
from hermit.sources.safe_xml import line_of, local, read_xml
from hermit.sources.snapshot import ListSnapshot, SourceFile

__all__ = ["AUTHORITY", "DATASET", "PARSER", "ROOT", "entity_id", "parse_eu_fsf"]

PARSER = "eu-fsf@1"
ROOT = "export"
TITLE = "EU Financial Sanctions Files (consolidated list of the European Union)"


def parse_eu_fsf(path: Path) -> ListSnapshot:
    """Parse the whole file; every problem is a SourceError naming the file and line."""
    path = Path(path)
    raw, root = read_xml(path, "the EU financial sanctions file")
    if local(root.tag) != ROOT:
        raise SourceError(
            path,
            f"not an EU financial sanctions file: the root element is <{local(root.tag)}>, "
            f"expected <{ROOT}>",
            line_of(root),
        )
    _check_structure(path, root)
    warnings: list[str] = []
    published = _published(path, root.get("generationDate"), line_of(root), warnings)
    entities: list[Entity] = []
    seen: dict[str, list[Entity]] = {}
    count = 0
    for record in root:
        if local(record.tag) != "sanctionEntity":
            if local(record.tag):
                warnings.append(f"{path}, line {line_of(record)}: <{local(record.tag)}> skipped")
            continue
        count += 1
        logical = (record.get("logicalId") or "").strip()
        if not logical:
            raise SourceError(path, "<sanctionEntity> without logicalId", line_of(record))
        made = record_entities(path, record, logical, warnings)
        if logical in seen:
            warnings.append(
                f"{path}, line {line_of(record)}: sanctionEntity logicalId {logical} occurs "
                f"again (first on line {seen[logical][0].provenance.line}): merged into it"
            )
            entities.extend(_merge(seen[logical], made))
            continue
        seen[logical] = made
        entities.extend(made)
    if count == 0:
        raise SourceError(path, "the file holds no sanctionEntity", line_of(root))
    return ListSnapshot(
        dataset=DATASET,
        title=TITLE,
        parser=PARSER,
        files=[SourceFile(str(path), hashlib.sha256(raw).hexdigest(), len(raw))],
        published=published,
        entities=entities,
        warnings=warnings,
    )


def _where(el: etree._Element | None) -> str:
    """``export/x/sanctionEntity``: the element's path from the root (local names)."""
    tags: list[str] = []
    while el is not None:
        tags.append(local(el.tag))
        el = el.getparent()
    return "/".join(reversed(tags))


def _check_structure(path: Path, root: etree._Element) -> None:
    """Every sanctionEntity of the file is a child of the root, where the reader reads
    records: a file whose structure changed (records under one more wrapper element)
    is refused rather than loaded without them."""
    direct = sum(1 for el in root if local(el.tag) == "sanctionEntity")
    astray = [el for el in root.iter("{*}sanctionEntity") if el.getparent() is not root]
    if astray:
        places = Counter(_where(el.getparent()) for el in astray)
        found = "; ".join(f"{n} under {place}" for place, n in places.most_common())
        read = (
            f"no sanctionEntity records at {ROOT}"
            if direct == 0
            else f"{direct} sanctionEntity records at {ROOT}"
        )
        raise SourceError(
            path,
            f"{read}; found {len(astray)} sanctionEntity elements elsewhere ({found}): the "
            "file's structure is not the EU file's; refused rather than load the list "
            "without them",
            line_of(astray[0]),
        )


def _merge(first: list[Entity], again: list[Entity]) -> list[Entity]:
    """A repeated record's values into the first one's entities (same ids); returns
    the related entities the first record did not have."""
    by_id = {e.id: e for e in first}
    new: list[Entity] = []
    for entity in again:
        target = by_id.get(entity.id)
        if target is None:
            first.append(entity)
            by_id[entity.id] = entity
            new.append(entity)
            continue
        named = bool(target.get("name"))
        for value in entity.values:
            if value.prop == "name" and named:  # the first record keeps its name
                value = Value("alias", value.value, value.original, value.qualifier)
            target.add_value(value)
    return new


def _published(
    path: Path, stamp: str | None, line: int | None, warnings: list[str]
) -> datetime | None:
    if stamp is None or not stamp.strip():
        warnings.append(f"{path}: no generationDate on <export>: publication date unknown")
        return None
    try:
        when = datetime.fromisoformat(stamp.strip())
    except ValueError:
        raise SourceError(path, f"generationDate {stamp!r} is not a timestamp", line) from None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)
