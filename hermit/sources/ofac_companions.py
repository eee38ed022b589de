"""OFAC's companion files (alt.csv, add.csv, sdn_comments.csv): found beside sdn.csv,
and what a load does when one is missing.

Loaded alone, an sdn.csv makes a version with no aliases, no addresses and remarks cut
where sdn_comments.csv continues them: the diff would show those as removed by OFAC. So
a missing companion (or a broken link to one) is refused, and the user chooses:
``none`` (the new version has none) or ``keep-previous`` (re-read the companion files
the current version was read from, checked by their sha256; the new version's file list
records each one with ``kept_from``, the version it was kept from).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from hermit.errors import SourceError
from hermit.sources.snapshot import SourceFile

#: part -> the word in the file name standing for "sdn" (ofac_sdn.csv -> ofac_alt.csv).
PARTS = {"alt": "alt", "add": "add", "comments": "sdn_comments"}
NONE = "none"
KEEP_PREVIOUS = "keep-previous"
CHOICES = (NONE, KEEP_PREVIOUS)
_WHAT = {"alt": "aliases", "add": "addresses", "comments": "remarks continued in the comments"}


@dataclass(frozen=True, slots=True)
class PreviousCompanions:
    """The current stored version of the OFAC list: which companion file each part was
    read from, and how many aliases and addresses it holds."""

    seq: int
    files: dict[str, SourceFile] = field(default_factory=dict)
    aliases: int = 0
    addresses: int = 0


def candidates(sdn: Path) -> dict[str, list[Path]]:
    """The names each companion of ``sdn`` may have (``ofac_sdn.csv`` -> ``ofac_alt.csv``,
    ``SDN.CSV`` -> ``ALT.CSV``)."""
    name = sdn.name
    index = name.lower().rfind("sdn")
    if index < 0:
        return {}
    return {
        kind: [
            sdn.with_name(name[:index] + case + name[index + 3 :]) for case in (part, part.upper())
        ]
        for kind, part in PARTS.items()
    }


def find_companions(sdn: Path) -> tuple[dict[str, Path], dict[str, Path]]:
    """The companion files beside ``sdn`` and the broken links among their names."""
    found: dict[str, Path] = {}
    broken: dict[str, Path] = {}
    for kind, names in candidates(sdn).items():
        for candidate in names:
            if candidate == sdn:
                continue
            if candidate.exists():
                found[kind] = candidate
                break
            if candidate.is_symlink():
                broken.setdefault(kind, candidate)
    return found, broken


def expected_names(sdn: Path) -> dict[str, str]:
    """Each companion's file name as expected beside ``sdn`` (``alt.csv`` ... for a file
    whose name holds no "sdn")."""
    found = candidates(sdn)
    return {k: found[k][0].name if k in found else f"{p}.csv" for k, p in PARTS.items()}


def part_of(name: str) -> str:
    """The part a recorded file gave, told from its name (versions stored before the
    part was recorded)."""
    lower = name.lower()
    for kind in ("comments", "alt", "add"):
        if kind in lower:
            return kind
    return "sdn"


def _lost(missing: list[str], previous: PreviousCompanions | None) -> str:
    """What the new version would lack without the ``missing`` parts."""
    if previous is None:
        return "its entries would have no " + _joined([_WHAT[k] for k in missing])
    held = []
    for kind in missing:
        recorded = previous.files.get(kind)
        if recorded is None:
            continue
        name = Path(recorded.path).name
        if kind == "alt":
            held.append(f"{previous.aliases:,} aliases from {name}")
        elif kind == "add":
            held.append(f"{previous.addresses:,} addresses from {name}")
        else:
            held.append(f"remarks continued in {name}")
    if not held:
        return f"the current version (v{previous.seq}) was read without them too"
    return (
        f"the new version would lose what they give: the current version (v{previous.seq}) "
        f"has {_joined(held)}"
    )


def _joined(items: list[str], last: str = "and") -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


def resolve(
    sdn: Path, choice: str | None, previous: PreviousCompanions | None
) -> tuple[dict[str, Path], dict[str, int], list[str]]:
    """The companion files to read with ``sdn``: part -> path, the parts kept from the
    previous version (part -> its seq), and warnings. Missing parts are refused unless
    ``choice`` is ``none`` or ``keep-previous``."""
    if choice is not None and choice not in CHOICES:
        raise SourceError(sdn, f"--companions {choice!r}: one of {', '.join(CHOICES)}")
    found, broken = find_companions(sdn)
    missing = [kind for kind in PARTS if kind not in found]
    if not missing:
        return found, {}, []
    names = expected_names(sdn)
    absent = _joined(
        [f"{broken[k]} (a broken link)" if k in broken else names[k] for k in missing], "or"
    )
    if choice is None:
        raise SourceError(
            sdn,
            f"no {absent} beside it: {_lost(missing, previous)}. Put the files beside "
            "it, or choose: --companions none (the new version has none) or --companions "
            "keep-previous (keep the current version's)",
        )
    if choice == NONE:
        return found, {}, [f"{sdn}: loaded without {absent} (--companions none)"]
    files = dict(found)
    kept: dict[str, int] = {}
    for kind in missing:
        recorded = None if previous is None else previous.files.get(kind)
        if previous is None or recorded is None:
            had = "no stored version" if previous is None else f"v{previous.seq} has none"
            raise SourceError(
                sdn,
                f"--companions keep-previous: no {names[kind]} to keep ({had}); "
                "--companions none loads it without",
            )
        path = Path(recorded.path)
        if not path.is_file():
            raise SourceError(
                sdn,
                f"--companions keep-previous: {recorded.path}, which v{previous.seq} was "
                "read from, is no longer there (give the file beside it instead)",
            )
        if SourceFile.of(path).sha256 != recorded.sha256:
            raise SourceError(
                sdn,
                f"--companions keep-previous: {recorded.path} changed since v{previous.seq} "
                "was read from it (its sha256 differs): it is not that version's file",
            )
        files[kind] = path
        kept[kind] = previous.seq
    shown = ", ".join(f"{files[k]} (from v{kept[k]})" for k in kept)
    return files, kept, [f"{sdn}: companions kept from the previous version: {shown}"]


def mark(source: SourceFile, part: str, kept_from: int | None) -> SourceFile:
    """The file with the part it gave (``sdn``, ``alt`` ...) and the version it was kept
    from, if it was."""
    return replace(source, part=part, kept_from=kept_from)
