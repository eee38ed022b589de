"""hermit's own extras in an FtM JSON line, checked: the ``hermit`` object (provenance,
qualifiers, originals, written by ``Entity.to_ftm``) and ``datasets``. Anything of the
wrong shape is a SourceError naming the line and the field, never a crash deeper down."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hermit.errors import SourceError

#: The largest line number the store keeps (a 32-bit column).
_MAX_LINE = 2**31 - 1


@dataclass(slots=True)
class Extras:
    """The checked extras of one line."""

    dataset: str | None = None
    record_id: str | None = None
    file: str | None = None
    line: int | None = None
    has_provenance: bool = False
    qualifiers: dict[tuple[str, str], str] = field(default_factory=dict)
    originals: dict[tuple[str, str], str] = field(default_factory=dict)
    datasets: list[str] = field(default_factory=list)


def _text(path: Path, line: int, name: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        shown = type(value).__name__
        raise SourceError(path, f"field {name}: expected text, found {shown} {value!r:.60}", line)
    return value or None


def _triples(path: Path, line: int, name: str, value: Any) -> dict[tuple[str, str], str]:
    """``[[prop, value, text], ...]`` as a mapping; any other shape is an error."""
    if value is None:
        return {}
    if not isinstance(value, list):
        raise SourceError(
            path,
            f"field {name}: expected a list of [property, value, text], found {value!r:.60}",
            line,
        )
    out: dict[tuple[str, str], str] = {}
    for index, item in enumerate(value):
        if (
            not isinstance(item, list)
            or len(item) != 3
            or not all(isinstance(part, str) for part in item)
        ):
            raise SourceError(
                path,
                f"field {name}[{index}]: expected [property, value, text] (three texts), "
                f"found {item!r:.60}",
                line,
            )
        out[(item[0], item[1])] = item[2]
    return out


def read_extras(path: Path, line: int, obj: dict[str, Any]) -> Extras:
    """The ``hermit`` and ``datasets`` fields of one entity line, checked."""
    extras = Extras()
    datasets = obj.get("datasets")
    if datasets is not None:
        if not isinstance(datasets, list) or not all(
            isinstance(d, str) and d.strip() for d in datasets
        ):
            raise SourceError(
                path,
                f"field datasets: expected a list of dataset names, found {datasets!r:.60}",
                line,
            )
        extras.datasets = [d.strip() for d in datasets]
    own = obj.get("hermit")
    if own is None:
        return extras
    if not isinstance(own, dict):
        raise SourceError(path, f"field hermit: expected an object, found {own!r:.60}", line)
    prov = own.get("provenance")
    if prov is not None:
        if not isinstance(prov, dict):
            raise SourceError(
                path, f"field hermit.provenance: expected an object, found {prov!r:.60}", line
            )
        extras.has_provenance = bool(prov)
        extras.dataset = _text(path, line, "hermit.provenance.dataset", prov.get("dataset"))
        extras.record_id = _text(path, line, "hermit.provenance.record_id", prov.get("record_id"))
        extras.file = _text(path, line, "hermit.provenance.file", prov.get("file"))
        at = prov.get("line")
        if at is not None and (
            isinstance(at, bool) or not isinstance(at, int) or not 0 < at <= _MAX_LINE
        ):
            raise SourceError(
                path,
                f"field hermit.provenance.line: expected a line number (1 to {_MAX_LINE:,}), "
                f"found {at!r:.60}",
                line,
            )
        extras.line = at
    extras.qualifiers = _triples(path, line, "hermit.qualifiers", own.get("qualifiers"))
    extras.originals = _triples(path, line, "hermit.originals", own.get("originals"))
    return extras
