"""FollowTheMoney JSON lines, in and out (the format OpenSanctions and Aleph exchange).

Each line is ``{"id", "schema", "properties": {prop: [values]}}``. hermit writes its own
extras (provenance, value qualifiers, source originals) under the key ``hermit``, which
other FtM readers ignore and which this reader restores, so an export read back is the
same entities with the same values.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import orjson

from hermit.errors import HermitError, SourceError
from hermit.model import Entity, Provenance, Value
from hermit.sources.ftm_extras import read_extras
from hermit.sources.snapshot import ListSnapshot, SourceFile

PARSER = "ftm-json@1"


def write_ftm_jsonl(
    entities: Iterable[Entity], out: IO[bytes], versions: Mapping[str, str] | None = None
) -> int:
    """Write entities as FtM JSON lines; returns how many were written. ``versions``
    maps a dataset to the label of the list version the entities come from."""
    count = 0
    for entity in entities:
        version = None if versions is None else versions.get(entity.dataset)
        out.write(orjson.dumps(entity.to_ftm(version), option=orjson.OPT_APPEND_NEWLINE))
        count += 1
    return count


def _entity_from(obj: Any, path: Path, line: int, dataset: str | None) -> Entity:
    if not isinstance(obj, dict):
        raise SourceError(path, "expected a JSON object per line", line)
    entity_id, schema, props = obj.get("id"), obj.get("schema"), obj.get("properties", {})
    if not isinstance(entity_id, str) or not entity_id:
        raise SourceError(path, "entity has no 'id'", line)
    if not isinstance(schema, str):
        raise SourceError(path, f"entity {entity_id} has no 'schema'", line)
    if not isinstance(props, dict):
        raise SourceError(path, f"entity {entity_id}: 'properties' is not an object", line)
    extras = read_extras(path, line, obj)
    ds = dataset or extras.dataset or (extras.datasets[0] if extras.datasets else path.stem)
    provenance = Provenance(
        dataset=ds,
        record_id=extras.record_id or entity_id,
        file=extras.file or str(path),
        line=extras.line if extras.has_provenance else line,
    )
    qualifiers, originals = extras.qualifiers, extras.originals
    try:
        entity = Entity(entity_id, schema, provenance)
        for prop, values in props.items():
            if not isinstance(values, list):
                values = [values]
            for value in values:
                if not isinstance(value, str):
                    raise SourceError(path, f"entity {entity_id}: {prop} value is not text", line)
                entity.add_value(
                    Value(prop, value, originals.get((prop, value)), qualifiers.get((prop, value)))
                )
    except SourceError:
        raise
    except HermitError as exc:
        raise SourceError(path, f"entity {entity_id}: {exc}", line) from exc
    return entity


def iter_ftm_jsonl(path: Path, dataset: str | None = None) -> Iterator[Entity]:
    """Read entities from an FtM JSON lines file; a bad line raises SourceError."""
    for _, entity in _numbered(path, dataset):
        yield entity


def _numbered(path: Path, dataset: str | None) -> Iterator[tuple[int, Entity]]:
    """(line number, entity) of every non-blank line."""
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                obj = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                problem = "not valid JSON" if raw.endswith(b"\n") else "truncated JSON"
                raise SourceError(path, f"{problem}: {exc}", number) from exc
            yield number, _entity_from(obj, path, number, dataset)


def parse_ftm_jsonl(
    path: Path, dataset: str | None = None, published: datetime | None = None
) -> list[ListSnapshot]:
    """Read a whole FtM JSON lines file: one snapshot (a new version) per dataset in it.

    ``dataset`` puts every entity into that dataset; otherwise each entity's dataset is
    the one hermit recorded, else the first of its ``datasets``, else the file's name.
    """
    if not path.exists():
        raise SourceError(path, "no such file")
    by_dataset: dict[str, list[Entity]] = {}
    lines: dict[tuple[str, str], int] = {}
    for number, entity in _numbered(path, dataset):
        key = (entity.dataset, entity.id)
        if key in lines:
            raise SourceError(
                path,
                f"entity id {entity.id} occurs twice in dataset {entity.dataset} (lines "
                f"{lines[key]} and {number})",
                number,
            )
        lines[key] = number
        by_dataset.setdefault(entity.dataset, []).append(entity)
    if not by_dataset:
        raise SourceError(path, "the file holds no entities (empty file?)")
    source = SourceFile.of(path)
    return [
        ListSnapshot(
            dataset=name,
            title=f"FollowTheMoney import of {path.name}",
            parser=PARSER,
            files=[source],
            published=published,
            entities=entities,
        )
        for name, entities in sorted(by_dataset.items())
    ]
