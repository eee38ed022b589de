"""The labelled name pairs of nomenklatura's name_bench, checked against the copy this
benchmark was measured on, and the pairs whose label contradicts a rule hermit holds.

The file is not ours and is not in the repository: download it once to CASES_CSV from
SOURCE_URL. Its sha256 is checked; a copy whose bytes differ only in line endings
(CRLF in the repository, LF after some downloads) is accepted and said so.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from hermit.names import korean

HERE = Path(__file__).resolve().parent
CASES_CSV = HERE / "cases.csv"
SOURCE_COMMIT = "097fb8bdbc16709a52fe1062d97ab4877ecf243a"
SOURCE_URL = (
    "https://raw.githubusercontent.com/opensanctions/nomenklatura/"
    f"{SOURCE_COMMIT}/contrib/name_bench/cases.csv"
)
#: sha256 of the file as measured (818 pairs, CRLF line endings, no final newline) and
#: of the same bytes with CRLF turned into LF.
SHA256 = "9d75a75559a29608c2a164bdad231479e94859b19fc8789120e5cb366bfdda51"
SHA256_LF = "a1770ca8e3de8ec4bd2200cfdcd4ca9a29fb9170869f6a32662c782063b4206f"
PAIRS = 818
QUALITY_TIERS = ("STRONG", "MEDIUM", "WEAK")
#: Schemata whose names may be a person's (the Korean rule applies to them).
PERSON_SCHEMATA = ("Person", "LegalEntity")


@dataclass(frozen=True, slots=True)
class Pair:
    case_id: str  # nomenklatura's: blake2b(case_group|schema|name1|name2), 4 bytes
    case_group: str
    schema: str
    name1: str  # the query
    name2: str  # the listed side
    is_match: bool
    quality: str
    category: str
    notes: str
    #: Why the label contradicts hermit's rule (None: it does not).
    contradiction: str | None = None


def case_id(case_group: str, schema: str, name1: str, name2: str) -> str:
    """nomenklatura's case id (contrib/name_bench/run.py compute_case_id)."""
    key = f"{case_group}|{schema}|{name1}|{name2}".encode()
    return hashlib.blake2b(key, digest_size=4).hexdigest()


def check_file(path: Path) -> str:
    """How the file compares with the measured copy; SystemExit if it is another file."""
    if not path.exists():
        raise SystemExit(f"{path} is missing: download it from {SOURCE_URL}")
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() == SHA256:
        return f"sha256 {SHA256[:12]}... as measured"
    if hashlib.sha256(data.replace(b"\r\n", b"\n")).hexdigest() == SHA256_LF:
        return "same content as measured, line endings differ (LF)"
    raise SystemExit(
        f"{path}: sha256 {hashlib.sha256(data).hexdigest()} is not the measured copy "
        f"({SHA256}); download it from {SOURCE_URL}"
    )


def korean_contradiction(name1: str, name2: str, schema: str) -> str | None:
    """The rule: both names read as Korean personal names (hermit-korean), and the best
    reading of the pair has the same surname and as many given-name syllables on both
    sides, but a given-name syllable that differs beyond a close vowel. hermit holds
    that such names are two people; a label of match contradicts it."""
    if schema not in PERSON_SCHEMATA:
        return None
    found = korean.compare_names(name1, name2)
    if found is None:
        return None
    query, listed = found.query, found.listed
    if query.surname is None or listed.surname is None or len(query.given) != len(listed.given):
        return None
    differs = [r for r in found.reasons if r.endswith("a different person")]
    if "different surname" in found.reasons or not differs:
        return None
    return f"read {query} / {listed}: {differs[0]}"


def load_pairs(path: Path = CASES_CSV) -> list[Pair]:
    """Every pair, with nomenklatura's defaults (blank quality is MEDIUM)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    pairs = []
    for line, row in enumerate(rows, start=2):
        if None in row or row["is_match"] not in ("true", "false"):
            raise SystemExit(f"{path}:{line}: not a name_bench row: {row}")
        is_match = row["is_match"] == "true"
        schema = row["schema"]
        pairs.append(
            Pair(
                case_id(row["case_group"], schema, row["name1"], row["name2"]),
                row["case_group"],
                schema,
                row["name1"],
                row["name2"],
                is_match,
                (row["quality"] or "MEDIUM").upper(),
                row["category"],
                row["notes"],
                korean_contradiction(row["name1"], row["name2"], schema) if is_match else None,
            )
        )
    if len(pairs) != PAIRS:
        raise SystemExit(f"{path}: {len(pairs)} pairs, expected {PAIRS}")
    return pairs
