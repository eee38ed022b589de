"""Which reader a file needs, told from its first bytes rather than its name."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from hermit.errors import SourceError
from hermit.sources.ftm_json import parse_ftm_jsonl
from hermit.sources.ofac_csv import find_companion_files, parse_ofac_csv
from hermit.sources.snapshot import ListSnapshot
from hermit.sources.un_xml import parse_un_xml

UN_XML = "un-xml"
OFAC_CSV = "ofac-csv"
FTM_JSON = "ftm-json"
KINDS = (UN_XML, OFAC_CSV, FTM_JSON)


def detect_kind(path: Path) -> str:
    """UN XML, OFAC CSV or FtM JSON lines, from the file's first bytes."""
    if not path.exists():
        raise SourceError(path, "no such file")
    if path.is_dir():
        raise SourceError(path, "is a directory, not a list file")
    with path.open("rb") as fh:
        head = fh.read(4096)
    if not head.strip():
        raise SourceError(path, "the file is empty")
    if b"\x00" in head:
        raise SourceError(path, "a binary file, not a UN XML, OFAC CSV or FtM JSON file")
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"<"):
        return UN_XML
    if start.startswith(b"{"):
        return FTM_JSON
    if start[:1].isdigit():
        return OFAC_CSV
    shown = start[:40].decode("utf-8", errors="replace")
    raise SourceError(
        path, f"not a UN XML, OFAC CSV or FtM JSON lines file (it starts {shown!r})", 1
    )


def read_list_files(
    paths: list[Path],
    *,
    kind: str | None = None,
    published: datetime | None = None,
    dataset: str | None = None,
) -> list[ListSnapshot]:
    """Parse every file named (OFAC companions alt/add/comments found beside sdn.csv)
    before anything is stored, so one bad file stops the whole load."""
    companions: set[Path] = set()
    plan: list[tuple[Path, str]] = []
    for path in paths:
        found = kind or detect_kind(path)
        if found not in KINDS:
            raise SourceError(path, f"unknown kind {found!r} (one of {', '.join(KINDS)})")
        plan.append((path, found))
        if found == OFAC_CSV:
            companions.update(p.resolve() for p in find_companion_files(path).values())
    snapshots: list[ListSnapshot] = []
    for path, found in plan:
        if found == UN_XML:
            snapshots.append(parse_un_xml(path))
        elif found == FTM_JSON:
            snapshots.extend(parse_ftm_jsonl(path, dataset=dataset, published=published))
        elif path.resolve() not in companions:
            extra = find_companion_files(path)
            snapshots.append(
                parse_ofac_csv(
                    path,
                    alt=extra.get("alt"),
                    add=extra.get("add"),
                    comments=extra.get("comments"),
                    published=published,
                )
            )
    return snapshots
