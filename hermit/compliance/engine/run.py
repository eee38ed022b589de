"""Run the checks the engine path has (``ENGINE_CHECKS``) over a folder of labour
files on an engine: the files read into the engine (hermit.compliance.engine.read),
every problem and count brought back, each rule's findings made by its queries
(hermit.compliance.engine.checks). A rule whose check is not on the engine yet is
reported as skipped, saying so."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import pyarrow as pa

from hermit.compliance.columns import ColumnMapping
from hermit.compliance.engine import checks
from hermit.compliance.engine.read import Derived, kind_schema, read_kind_frame
from hermit.compliance.folder import find_file
from hermit.compliance.interpreter import RuleRun, predicate_for
from hermit.compliance.provisions import Provision, Provisions
from hermit.compliance.records import Problem, ReadSummary
from hermit.compliance.violations import Violation
from hermit.engine.base import Engine
from hermit.errors import SourceError

DERIVED = Derived(
    terms=(
        ("notification_type", "notification_type"),
        ("direction", "direction"),
        ("decision_type", "decision_type"),
        ("title", "staff_title"),
    ),
    keys=("contract_no", "committee_ref", "reference", "fio", "fio_lat", "name_lat"),
)
NOT_ON_ENGINE = "not on the engine yet: hermit compliance check without --engine runs it"

Check = Callable[[Provision, Engine, "EngineData"], Iterable[Violation]]


@dataclass(slots=True)
class EngineData:
    """What reading the folder into the engine gave: the files by kind, problems and
    counts, and which name fields each person kind has."""

    files: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    summary: ReadSummary = field(default_factory=ReadSummary)
    names: dict[str, set[str]] = field(default_factory=dict)

    def has(self, kind: str) -> bool:
        return self.summary.records.get(self.files.get(kind, ""), 0) > 0


ENGINE_CHECKS: dict[str, Check] = {
    "work_authorization_after_ban": lambda r, e, d: checks.permits_after_ban(r, e, d.files),
    "work_authorization_cap": lambda r, e, d: checks.national_cap(r, e, d.files),
    "repatriation": lambda r, e, d: checks.repatriation(
        r, e, d.files, {k for k in checks.TABLES if d.has(k)}, d.names
    ),
}


@contextmanager
def _phase(phases: dict[str, float] | None, name: str) -> Iterator[None]:
    """The CPU seconds of this process (DuckDB's threads included) spent in the block,
    added to ``phases[name]`` (when ``phases`` is given)."""
    start = time.process_time()
    try:
        yield
    finally:
        if phases is not None:
            phases[name] = phases.get(name, 0.0) + time.process_time() - start


def load_folder(
    engine: Engine, folder: Path, mapping: ColumnMapping, phases: dict[str, float] | None = None
) -> EngineData:
    """Every kind the engine's checks read, from its file in ``folder`` (CSV or gzip
    CSV; a kind without a file is an empty table); the CPU seconds of reading each
    kind in ``phases`` (``read <kind>``)."""
    if not folder.is_dir():
        raise SourceError(folder, "not a folder of labour record files")
    data = EngineData()
    for kind, table in checks.TABLES.items():
        spec = mapping.kinds.get(kind)
        path = None if spec is None else find_file(folder, spec.files)
        if spec is None:
            raise SourceError(folder, f"the column mapping has no kind {kind}")
        derived = DERIVED.present(spec)
        fields = {f.name for f in spec.fields}
        keep = frozenset(checks.FIELDS[kind]) & fields
        # names link records of one birth date only
        data.names[kind] = fields & set(checks.NODE_NAMES) if "birth_date" in fields else set()
        if path is None:
            empty = pa.Table.from_batches([], kind_schema(spec, derived, keep))
            engine.register(f"raw_{table}", engine.from_arrow(empty))
            continue
        if path.suffix == ".xlsx":
            raise SourceError(
                path, "the engine path reads CSV files (Excel: check without --engine)"
            )
        data.files[kind] = path.name
        keep = frozenset(checks.FIELDS[kind]) & fields
        derived = Derived(
            tuple(t for t in derived.terms if t[0] in keep),
            tuple(k for k in derived.keys if k in keep),
        )
        with _phase(phases, f"read {kind}"):
            frame = read_kind_frame(engine, path, spec, mapping.dates, derived, keep)
            engine.register(f"raw_{table}", frame)
            _tally(engine, table, path.name, data)
    if not data.files:
        raise SourceError(folder, "no labour record file the engine's checks read was found")
    return data


def _tally(engine: Engine, table: str, file: str, data: EngineData) -> None:
    (counts,) = engine.collect(
        engine.sql(
            f"SELECT count(*) AS n, count(CASE WHEN _rejected THEN 1 END) AS r FROM raw_{table}"
        )
    ).to_pylist()
    found = (
        engine.collect(
            engine.sql(
                f"SELECT _problems FROM raw_{table} WHERE _problems IS NOT NULL ORDER BY _line"
            )
        )
        .column(0)
        .to_pylist()
    )
    s = data.summary
    s.rows[file] = int(counts["n"])
    s.records[file] = int(counts["n"]) - int(counts["r"])
    if counts["r"]:
        s.rejected[file] = int(counts["r"])
    for text in found:
        for p in orjson.loads(text):
            severity = "field" if p["reason"].endswith("(set aside)") else "row"
            if severity == "field":
                s.count(s.set_aside, file)
            data.problems.append(
                Problem(file, p["line"], severity, p["reason"], p["id"], p["field"], p["value"])
            )


def run_on_engine(
    engine: Engine,
    provisions: Provisions,
    folder: Path,
    mapping: ColumnMapping,
    only: set[str] | None = None,
    phases: dict[str, float] | None = None,
) -> tuple[EngineData, list[RuleRun]]:
    """The folder read into ``engine`` and every checked rule (or those in ``only``)
    run there: the rules the engine path has, the others skipped saying so. With
    ``phases``, the CPU seconds of each step are added there (``read <kind>``,
    ``views``, one entry per rule id)."""
    data = load_folder(engine, folder, mapping, phases)
    with _phase(phases, "views"):
        checks.prepare(engine)
    runs: list[RuleRun] = []
    for rule in provisions.rules:
        if only is not None and rule.id not in only:
            continue
        pred = predicate_for(rule, provisions.source)
        if pred is None:
            continue
        check = ENGINE_CHECKS.get(pred.name)
        if check is None:
            runs.append(RuleRun(rule, (), NOT_ON_ENGINE))
            continue
        if not any(data.has(kind) for kind in pred.kinds):
            runs.append(RuleRun(rule, (), f"no {' / '.join(pred.kinds)} records"))
            continue
        with _phase(phases, rule.id):
            found = sorted(
                check(rule, engine, data), key=lambda v: (v.date or dt.date.min, v.subject_id)
            )
        runs.append(RuleRun(rule, tuple(found)))
    return data, runs
