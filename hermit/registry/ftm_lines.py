"""FollowTheMoney entities, one JSON object a line (plain or gzip), read value by value
so that what the model refuses is reported (see builder.py)."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import orjson
from followthemoney import model

from hermit.errors import SourceError
from hermit.registry.builder import Draft
from hermit.registry.records import Item, Refused, Rejected

GZIP_MAGIC = b"\x1f\x8b"


def _open(path: Path) -> IO[bytes]:
    with path.open("rb") as fh:
        head = fh.read(2)
    if head == GZIP_MAGIC:
        return gzip.GzipFile(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def _entity(obj: Any, file: str, line: int, registry: str) -> Iterator[Item]:
    if not isinstance(obj, dict):
        yield Rejected(file, line, "not a JSON object")
        return
    entity_id = obj.get("id")
    if not isinstance(entity_id, str) or not entity_id.strip():
        yield Rejected(file, line, "no entity id")
        return
    schema = model.get(str(obj.get("schema")))
    if schema is None:
        yield Rejected(file, line, f"unknown schema {obj.get('schema')!r}", entity_id)
        return
    props = obj.get("properties") or {}
    if not isinstance(props, dict):
        yield Rejected(file, line, "properties is not an object", entity_id)
        return
    draft = Draft(model.make_entity(schema))
    draft.proxy.id = entity_id
    for name, values in props.items():
        prop = schema.get(name)
        if prop is None:
            yield Refused(
                file, line, entity_id, str(name), str(values), "not a property of " + schema.name
            )
            continue
        for value in values if isinstance(values, list) else [values]:
            if prop.type.name == "entity":
                draft.proxy.unsafe_add(prop, str(value), cleaned=True)
            else:
                draft.add(prop, str(value))
    for prop_name, value, reason in draft.refused:
        yield Refused(file, line, entity_id, prop_name, value, reason)
    datasets = obj.get("datasets")
    extra = {"datasets": datasets} if isinstance(datasets, list) else None
    yield draft.record(registry, file, line, extra)


def iter_ftm_lines(path: Path, registry: str | None = None) -> Iterator[Item]:
    """Every entity of an FtM JSON lines file, kept under ``registry`` (default: the
    file's name up to its first dot; the entities' own ``datasets`` stay in them)."""
    name = registry or path.name.split(".")[0]
    file = str(path)
    line = 0
    try:
        with _open(path) as fh:
            for line, raw in enumerate(fh, start=1):
                if not raw.strip():
                    continue
                try:
                    obj = orjson.loads(raw)
                except orjson.JSONDecodeError as exc:
                    yield Rejected(file, line, f"not JSON: {exc}")
                    continue
                yield from _entity(obj, file, line, name)
    except FileNotFoundError:
        raise SourceError(path, "no such file") from None
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise SourceError(path, f"cannot be read: {exc}", line or None) from None
