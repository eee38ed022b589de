"""Load fuzzing: mutated copies of the real list files, from a fixed seed, through
``hermit lists load`` (the CLI in-process; a sample of the refusals again as a real
subprocess).

One small slice of each format (tests/list_slices.py: UN XML, EU XML, the OFAC CSV set,
UK CSV, EU annex CSV, FtM JSON lines) is mutated: re-encoded (UTF-8 byte-order mark,
UTF-16 LE/BE with and without a mark), gzipped, gzipped and cut, re-nested (XML), cut
in the middle of a line and at a line end, bytes flipped, lines deleted and duplicated.
Each copy is loaded into a copy of a store holding the clean slices, and must be

- **refused**: a HermitError (the CLI's "error: ..." line and exit code 1; any other
  exception would be a traceback) whose message names the file, and the store exactly
  as it was; or
- **loaded-equal**: the dataset's entities and values exactly those of the clean load
  (required of the re-encodings and gzip); or
- **loaded-changed**: only where the mutation changed what the file says (a byte flip,
  a deleted or duplicated line): every entity, value or name lost from the clean load
  belongs to a record the mutated line is part of. Nothing else may go.

A cut file (the source did not remove what follows the cut) must be refused; where
the format cannot tell (a CSV or JSON lines file cut at a line end) the plausibility
guard (resources/loads.yaml) decides, so such cases are made only once it exists and
may load only a loss it lets through.

The counts of each outcome are printed (``-s``) and written to ``fuzz_counts.json`` in
the test's folder.
"""

from __future__ import annotations

import codecs
import gzip
import json
import random
import shutil
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import orjson
import yaml
from typer.testing import CliRunner

from hermit.cli import app
from hermit.errors import HermitError
from hermit.store import Store
from tests.cli.helpers import hermit
from tests.list_slices import write_slices

SEED = 20261203
DATASETS = {
    "un": "un_sc_sanctions",
    "eu_fsf": "eu_fsf",
    "ofac": "us_ofac_sdn",
    "uk": "gb_hmt_sanctions",
    "eu_annex": "eu_dprk_annexes",
    "ftm": "hermit_ftm_slice",
}
XML = ("un", "eu_fsf")
#: Formats with an end a cut loses (XML's closing tags, OFAC's Ctrl-Z line).
ENDED = ("un", "eu_fsf", "ofac")
_GUARD = resources.files("hermit") / "resources" / "loads.yaml"

Triple = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    fmt: str
    kind: str  # harmless | refuse | content | cut
    data: bytes
    lines: tuple[int, ...] = ()  # the clean file's lines the mutation touched


@dataclass(slots=True)
class Clean:
    """What the clean slice of one format loads as."""

    triples: set[Triple]
    record_of: dict[str, str]  # entity id -> record id
    records_at: list[tuple[int, str]]  # (line, record id) of the entities of the file
    ftm_lines: dict[int, str] = field(default_factory=dict)  # FtM: line -> record id


def _line_starts(data: bytes) -> list[int]:
    starts = [0]
    starts.extend(i + 1 for i in range(len(data)) if data[i : i + 1] == b"\n")
    return [s for s in starts if s < len(data)]


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _renest(fmt: str, data: bytes) -> bytes:
    if fmt == "un":
        return data.replace(b"<ENTITIES>", b"<X><ENTITIES>", 1).replace(
            b"</ENTITIES>", b"</ENTITIES></X>", 1
        )
    start = data.index(b"<sanctionEntity", data.index(b"<sanctionEntity") + 1)
    end = data.rindex(b"</sanctionEntity>") + len(b"</sanctionEntity>")
    return data[:start] + b"<wrap>" + data[start:end] + b"</wrap>" + data[end:]


def make_cases(fmt: str, data: bytes, guard: bool) -> list[Case]:
    """The mutations of one format's file, from the fixed seed."""
    rng = random.Random(f"{SEED}-{fmt}")
    text = data.decode("utf-8") if fmt != "uk" else data.decode("cp1252")
    lines = data.splitlines(keepends=True)
    starts = _line_starts(data)
    packed = gzip.compress(data, mtime=0)
    cases = [
        Case("utf8-bom", fmt, "harmless", codecs.BOM_UTF8 + text.encode("utf-8")),
        Case("utf16-le", fmt, "harmless", codecs.BOM_UTF16_LE + text.encode("utf-16-le")),
        Case("utf16-be", fmt, "harmless", codecs.BOM_UTF16_BE + text.encode("utf-16-be")),
        Case("gzip", fmt, "harmless", packed),
        Case("utf16-no-bom", fmt, "refuse", text.encode("utf-16-le")),
        Case("gzip-cut", fmt, "refuse", packed[: len(packed) // 2]),
    ]
    if fmt in XML:
        cases.append(Case("renest", fmt, "refuse", _renest(fmt, data)))
    for n in range(3):  # cut in the middle of a line (not the first one)
        line = rng.randrange(2, len(lines) + 1)
        begin, width = starts[line - 1], len(lines[line - 1].rstrip(b"\r\n"))
        if width < 2:
            continue
        offset = begin + rng.randrange(1, width)
        cases.append(Case(f"cut-mid-{n}", fmt, "cut", data[:offset], (line,)))
    for n in range(3):  # cut at a line end
        line = rng.randrange(2, len(lines))
        if fmt in ENDED or guard:
            cases.append(Case(f"cut-eol-{n}", fmt, "cut", data[: starts[line]], (line,)))
    for n in range(4):  # one byte flipped: any byte, then a printable one
        offset = rng.randrange(len(data))
        new = rng.randrange(1, 256) ^ data[offset] if n < 2 else rng.choice(b"AZaz09 ,;\"'<>")
        if new == data[offset]:
            continue
        mutated = data[:offset] + bytes([new]) + data[offset + 1 :]
        cases.append(Case(f"flip-{n}", fmt, "content", mutated, (_line_of(data, offset),)))
    for n in range(3):
        line = rng.randrange(1, len(lines) + 1)
        mutated = b"".join(lines[: line - 1] + lines[line:])
        cases.append(Case(f"delete-{n}", fmt, "content", mutated, (line,)))
    for n in range(3):
        line = rng.randrange(1, len(lines) + 1)
        mutated = b"".join(lines[:line] + lines[line - 1 :])
        cases.append(Case(f"duplicate-{n}", fmt, "content", mutated, (line,)))
    return cases


def _triples(store: Path, dataset: str) -> tuple[set[Triple], dict[str, tuple[str, str, int]]]:
    """The current values of ``dataset`` as (entity, property, value), the entity's
    schema as ``$schema``; and each entity's (record id, file name, line)."""
    triples: set[Triple] = set()
    where: dict[str, tuple[str, str, int]] = {}
    with Store(store, read_only=True) as s:
        for e in s.entities(dataset=dataset):
            triples.add((e.id, "$schema", e.schema))
            triples.update((e.id, v.prop, v.value) for v in e.values)
            prov = e.provenance
            where[e.id] = (prov.record_id, Path(prov.file).name, prov.line or 0)
    return triples, where


def _fingerprint(store: Path) -> tuple[object, ...]:
    """Every version, and checksums over every stored value and entity row."""
    queries = (
        "SELECT * EXCLUDE (loaded_at) FROM versions ORDER BY ALL",
        "SELECT count(*), sum(hash(entity_id, prop, value, valid_from, valid_to)) FROM statements",
        "SELECT count(*), sum(hash(entity_id, file, line, valid_from, valid_to)) FROM entities",
    )
    with Store(store, read_only=True) as s:
        return tuple(tuple(s.con.execute(q).fetchall()) for q in queries)


def _guard_allows(lost_entities: int, current: int) -> bool:
    """Whether the plausibility guard lets a load losing this many entities through."""
    rules = yaml.safe_load(_GUARD.read_text(encoding="utf-8"))["large_change"]
    share = lost_entities / current if current else 0.0
    return lost_entities < int(rules["min_removed"]) or share <= float(rules["max_removed_share"])


def _record_at(clean: Clean, fmt: str, name: str, line: int) -> str | None:
    if fmt == "ftm":
        return clean.ftm_lines.get(line)
    found = None
    for at, record in clean.records_at:
        if at <= line:
            found = record
    return found


@dataclass(slots=True)
class Outcome:
    counts: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    refused: list[tuple[Case, Path]] = field(default_factory=list)


def _judge(
    case: Case,
    path: Path,
    exception: BaseException | None,
    store: Path,
    before: tuple[object, ...],
    clean: Clean,
    file_name: str,
    out: Outcome,
) -> None:
    label = f"{case.fmt}/{case.name}"
    if exception is not None and not isinstance(exception, SystemExit):
        if not isinstance(exception, HermitError):
            out.failures.append(f"{label}: traceback: {type(exception).__name__}: {exception}")
            return
        message = str(exception)
        if case.kind == "harmless":
            out.failures.append(f"{label}: refused, should load as the clean file: {message}")
        if path.name not in message and file_name not in message:
            out.failures.append(f"{label}: the refusal does not name the file: {message}")
        if _fingerprint(store) != before:
            out.failures.append(f"{label}: refused but the store changed")
        out.counts["refused"] += 1
        out.refused.append((case, path))
        return
    if isinstance(exception, SystemExit) and exception.code not in (0, None):
        out.failures.append(f"{label}: exit code {exception.code} without a message")
        return
    got, _ = _triples(store, DATASETS[case.fmt])
    lost = clean.triples - got
    if not lost and got == clean.triples:
        out.counts["loaded-equal"] += 1
        return
    if case.kind in ("harmless", "refuse"):
        out.failures.append(f"{label}: loaded, but {len(lost)} values lost, should be {case.kind}")
        return
    lost_ids = {t[0] for t in lost}
    touched = {_record_at(clean, case.fmt, file_name, line) for line in case.lines}
    beyond = {i for i in lost_ids if clean.record_of.get(i) not in touched}
    if beyond and case.kind == "cut" and case.fmt not in ENDED and _GUARD.is_file():
        lost_entities = len({i for i in beyond if (i, "$schema") in {t[:2] for t in lost}})
        if _guard_allows(lost_entities, len(clean.record_of)):
            out.counts["loaded-guard-allowed"] += 1
            return
    if beyond:
        shown = ", ".join(sorted(beyond)[:5])
        out.failures.append(
            f"{label}: loaded, losing {len(lost)} values of {len(beyond)} entities whose "
            f"record the mutation did not touch (lines {case.lines}): {shown}"
        )
        return
    out.counts["loaded-changed"] += 1


def _clean(store: Path, fmt: str, path: Path) -> Clean:
    triples, where = _triples(store, DATASETS[fmt])
    records_at = sorted((line, rec) for rec, name, line in where.values() if name == path.name)
    clean = Clean(triples, {i: w[0] for i, w in where.items()}, records_at)
    if fmt == "ftm":
        for number, raw in enumerate(path.read_bytes().splitlines(), start=1):
            obj = orjson.loads(raw)
            clean.ftm_lines[number] = str(obj["hermit"]["provenance"]["record_id"])
    return clean


def test_mutated_list_files_are_refused_or_lose_nothing(tmp_path: Path, shared_lists: Path) -> None:
    slices = write_slices(shared_lists, tmp_path / "slices")
    template = tmp_path / "template.duckdb"
    runner = CliRunner()

    def load(store: Path, path: Path) -> BaseException | None:
        result = runner.invoke(
            app, ["--store", str(store), "lists", "load", "--no-index", str(path)]
        )
        return result.exception

    assert load(template, slices["un"]) is None
    for fmt in DATASETS:
        if fmt != "un":
            assert load(template, slices[fmt]) is None, fmt
    before = _fingerprint(template)
    guard = _GUARD.is_file()
    out = Outcome()
    cases = 0
    for fmt, clean_path in slices.items():
        clean = _clean(template, fmt, clean_path)
        for case in make_cases(fmt, clean_path.read_bytes(), guard):
            cases += 1
            folder = tmp_path / "cases" / fmt / case.name
            shutil.copytree(clean_path.parent, folder)
            suffix = ".gz" if case.name.startswith("gzip") else ""
            path = folder / (clean_path.name + suffix)
            if suffix:
                (folder / clean_path.name).unlink()
            path.write_bytes(case.data)
            store = folder / "store.duckdb"
            shutil.copyfile(template, store)
            _judge(case, path, load(store, path), store, before, clean, clean_path.name, out)
    # a sample of the refusals again through the real program: exit 1, no traceback
    sample: dict[str, tuple[Case, Path]] = {}
    for case, path in out.refused:
        sample.setdefault(case.fmt, (case, path))
    for case, path in sample.values():
        proc = hermit(path.parent / "store.duckdb", "lists", "load", "--no-index", str(path),
                      check=False)  # fmt: skip
        if proc.returncode != 1 or "Traceback" in proc.stderr or "error:" not in proc.stderr:
            out.failures.append(f"{case.fmt}/{case.name}: as a program: {proc.stderr[-300:]}")
    counts = {"cases": cases, **out.counts, "failures": len(out.failures)}
    (tmp_path / "fuzz_counts.json").write_text(json.dumps(counts, indent=1))
    print(f"\nload fuzz (seed {SEED}, guard {'on' if guard else 'absent'}): {counts}")
    assert not out.failures, "\n".join(out.failures)
    assert cases == sum(out.counts.values())


def test_the_cases_are_the_same_from_the_seed(tmp_path: Path, shared_lists: Path) -> None:
    """The mutations depend on the seed only: the same cases every run."""
    for fmt, path in write_slices(shared_lists, tmp_path).items():
        first = [(c.name, c.data) for c in make_cases(fmt, path.read_bytes(), True)]
        again = [(c.name, c.data) for c in make_cases(fmt, path.read_bytes(), True)]
        assert first == again and len(first) >= 15, fmt
