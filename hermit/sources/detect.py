"""Which reader a file needs, told from its first bytes rather than its name."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from hermit.errors import SourceError
from hermit.sources.ofac_companions import PreviousCompanions
from hermit.sources.snapshot import ListSnapshot
from hermit.sources.xlsx import is_zip

UN_XML = "un-xml"
OFAC_CSV = "ofac-csv"
FTM_JSON = "ftm-json"
OFSI = "ofsi"
EU_FSF_XML = "eu-fsf-xml"
EU_ANNEX_CSV = "eu-annex-csv"
KINDS = (UN_XML, OFAC_CSV, FTM_JSON, OFSI, EU_FSF_XML, EU_ANNEX_CSV)
_WHAT = "a UN or EU XML, OFAC, OFSI or EU annex CSV, OFSI xlsx or FtM JSON file"
#: The root element named by a DOCTYPE (``<!DOCTYPE CONSOLIDATED_LIST [...``).
_DOCTYPE_ROOT = re.compile(rb"<!DOCTYPE\s+(?:[\w.-]+:)?([\w.-]+)")
_XML_ROOTS = {"CONSOLIDATED_LIST": UN_XML, "export": EU_FSF_XML}
_ANNEX_HEADER = ("celex", "annex")


def detect_kind(path: Path) -> str:
    """The kind of list file, from the file's first bytes."""
    if not path.exists():
        raise SourceError(path, "no such file")
    if path.is_dir():
        raise SourceError(path, "is a directory, not a list file")
    with path.open("rb") as fh:
        head = fh.read(4096)
    if not head.strip():
        raise SourceError(path, "the file is empty")
    if is_zip(head):
        return OFSI  # the one list published as a workbook; its reader checks the rest
    if b"\x00" in head:
        raise SourceError(path, f"a binary file, not {_WHAT}")
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"<"):
        return _xml_kind(path, start)
    if start.startswith(b"{"):
        return FTM_JSON
    if start[:1].isdigit():
        return OFAC_CSV
    first = start.split(b"\n", 1)[0].decode("utf-8", "replace")
    cells = [c.strip().strip('"').lower() for c in first.split(",")]
    if cells and cells[0] == "last updated":
        return OFSI
    if all(c in cells for c in _ANNEX_HEADER):
        return EU_ANNEX_CSV
    shown = start[:40].decode("utf-8", errors="replace")
    raise SourceError(path, f"not {_WHAT} (it starts {shown!r})", 1)


def _xml_kind(path: Path, start: bytes) -> str:
    """UN or EU XML by the root element (the one a DOCTYPE names, if there is one: its
    reader then refuses the DOCTYPE with the right message)."""
    from hermit.sources.safe_xml import root_name

    named = _DOCTYPE_ROOT.search(start)
    root = named.group(1).decode("ascii", "replace") if named is not None else root_name(start)
    if root is None:
        return UN_XML  # the reader says what is wrong with it
    kind = _XML_ROOTS.get(root)
    if kind is None:
        raise SourceError(
            path,
            f"XML whose root element is <{root}>: neither a UN consolidated list "
            "(<CONSOLIDATED_LIST>) nor an EU financial sanctions file (<export>)",
            1,
        )
    return kind


def read_list_files(
    paths: list[Path],
    *,
    kind: str | None = None,
    published: datetime | None = None,
    dataset: str | None = None,
    end_mark: bool = True,
    companions: str | None = None,
    previous: PreviousCompanions | None = None,
) -> list[ListSnapshot]:
    """Parse every file named (OFAC companions alt/add/comments found beside sdn.csv)
    before anything is stored, so one bad file stops the whole load. ``end_mark``:
    OFAC's CSV files must end with their Ctrl-Z line (else they look truncated).
    ``companions``: what to do when an sdn.csv's alt/add/comments file is missing (None:
    refuse; ``none``; ``keep-previous``, re-reading the files ``previous`` records; see
    ofac_companions)."""
    from hermit.sources.ofac_csv import find_companion_files

    beside: set[Path] = set()
    plan: list[tuple[Path, str]] = []
    for path in paths:
        found = kind or detect_kind(path)
        if found not in KINDS:
            raise SourceError(path, f"unknown kind {found!r} (one of {', '.join(KINDS)})")
        plan.append((path, found))
        if found == OFAC_CSV:
            beside.update(p.resolve() for p in find_companion_files(path).values())
    snapshots: list[ListSnapshot] = []
    for path, found in plan:
        if found == OFAC_CSV and path.resolve() in beside:
            continue
        snapshots.extend(_parse(path, found, published, dataset, end_mark, companions, previous))
    return snapshots


def _parse(
    path: Path,
    kind: str,
    published: datetime | None,
    dataset: str | None,
    end_mark: bool,
    companions: str | None,
    previous: PreviousCompanions | None,
) -> list[ListSnapshot]:
    """The snapshots of one file (FtM JSON may hold several datasets)."""
    if kind == UN_XML:
        from hermit.sources.un_xml import parse_un_xml

        return [parse_un_xml(path)]
    if kind == FTM_JSON:
        from hermit.sources.ftm_json import parse_ftm_jsonl

        return parse_ftm_jsonl(path, dataset=dataset, published=published)
    if kind == OFSI:
        from hermit.sources.ofsi import parse_ofsi

        return [parse_ofsi(path)]
    if kind == EU_FSF_XML:
        from hermit.sources.eu_fsf import parse_eu_fsf

        return [parse_eu_fsf(path)]
    if kind == EU_ANNEX_CSV:
        from hermit.sources.eu_annex import parse_eu_annex

        return [parse_eu_annex(path, published=published)]
    from hermit.sources.ofac_companions import resolve
    from hermit.sources.ofac_csv import parse_ofac_csv

    try:
        extra, kept, notes = resolve(path, companions, previous)
    except SourceError:
        parse_ofac_csv(path, published=published, end_mark=end_mark)  # its own faults first
        raise
    snapshot = parse_ofac_csv(
        path,
        alt=extra.get("alt"),
        add=extra.get("add"),
        comments=extra.get("comments"),
        published=published,
        end_mark=end_mark,
        kept=kept,
    )
    snapshot.warnings[:0] = notes
    return [snapshot]
