"""nomenklatura's name-pair benchmark: hermit, logic-v2 and logic-v1 side by side.

    python3 -m venv .venv-bench && .venv-bench/bin/pip install -e . nomenklatura
    curl -o bench/name_bench/cases.csv URL     # once: the URL is cases.SOURCE_URL
    .venv-bench/bin/python bench/name_bench/run.py [--no-anchors] [--no-korean]
    .venv-bench/bin/python bench/name_bench/run.py --diff runs/OLD.csv [runs/NEW.csv]

Every pair is scored by every system in the same run (systems.py); P, R and F1 at each
system's own threshold, overall (with and without the pairs whose label contradicts
hermit's Korean given-name rule, cases.py), per case_group, schema and quality tier;
misses per labelled category; time per pair. Beside them the guards (guards.py): the
screening benchmark's DPRK hard negatives and the DPRK name benchmark's slices, hermit
only. Per-case results go to runs/DATE-REV.csv (guards in .guards.json beside it);
``--diff OLD.csv`` lists the cases whose verdict changed since that run (with NEW.csv,
between two stored runs, without running). Prints hermit's wrong verdicts at the end.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bench.machine import machine  # noqa: E402
from bench.name_bench import report  # noqa: E402
from bench.name_bench.cases import CASES_CSV, SOURCE_URL, Pair, check_file, load_pairs  # noqa: E402
from bench.name_bench.guards import Figure, guard_figures  # noqa: E402
from bench.name_bench.systems import Hermit, System, anchors  # noqa: E402
from bench.screening.report import revision  # noqa: E402
from hermit.names import korean  # noqa: E402

RUNS = Path(__file__).resolve().parent / "runs"
WARM_UP = (("Kim Yong Chol", "KIM Yong Chol"), ("Acme Trading Co", "ACME TRADING LLC"))


def score_all(systems: list[System], pairs: list[Pair]) -> report.Results:
    """Every pair by every system, the systems in turn on each pair (so the load of a
    shared machine falls on all of them alike), after a warm-up."""
    for name1, name2 in WARM_UP:  # tables and caches loaded before timing
        for schema in ("Person", "Company"):
            warm = Pair("warm", "warm", schema, name1, name2, True, "MEDIUM", "", "")
            for system in systems:
                system.score(warm)
    results: report.Results = {s.name: {} for s in systems}
    for pair in pairs:
        for system in systems:
            results[system.name][pair.case_id] = system.score(pair)
    return results


def write_run(
    path: Path,
    pairs: list[Pair],
    results: report.Results,
    thresholds: dict[str, float],
    figures: list[Figure],
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    systems = list(results)
    fields = ["case_id", "case_group", "schema", "name1", "name2", "is_match", "quality"]
    fields += ["category", "contradiction"]
    fields += [f"{s}_{k}" for s in systems for k in ("score", "match")] + ["hermit_reason"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(fields)
        for p in pairs:
            row: list[str] = [p.case_id, p.case_group, p.schema, p.name1, p.name2]
            row += [str(p.is_match).lower(), p.quality, p.category, p.contradiction or ""]
            for s in systems:
                r = results[s][p.case_id]
                row += [f"{r.score:.4f}", str(r.score >= thresholds[s]).lower()]
            row.append(results["hermit"][p.case_id].reason)
            writer.writerow(row)
    guards = {f.name: f.value for f in figures}
    path.with_suffix(".guards.json").write_text(json.dumps(guards, indent=1), encoding="utf-8")


def read_run(path: Path) -> tuple[dict[str, dict[str, str]], dict[str, float] | None]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = {r["case_id"]: r for r in csv.DictReader(handle)}
    side = path.with_suffix(".guards.json")
    guards = json.loads(side.read_text("utf-8")) if side.exists() else None
    return rows, guards


def diff(old: Path, new: Path) -> str:
    """The cases whose verdict changed, per system present in both runs."""
    before, old_guards = read_run(old)
    after, new_guards = read_run(new)
    columns = set(next(iter(after.values()))) & set(next(iter(before.values())))
    systems = [c[: -len("_score")] for c in sorted(columns) if c.endswith("_score")]
    lines = [f"Verdicts changed from {old.name} to {new.name}:"]
    for system in systems:
        changed = [
            (cid, before[cid], row)
            for cid, row in after.items()
            if cid in before and before[cid][f"{system}_match"] != row[f"{system}_match"]
        ]
        fixed = sum(row[f"{system}_match"] == row["is_match"] for _, _, row in changed)
        lines.append(
            f"\n{system}: {len(changed)} changed, {fixed} now right, "
            f"{len(changed) - fixed} now wrong"
        )
        for cid, was, row in changed:
            right = "right" if row[f"{system}_match"] == row["is_match"] else "WRONG"
            why = f": {row['hermit_reason']}" if system == "hermit" else ""
            lines.append(
                f"- {cid} {row['schema']} {row['name1']!r} / {row['name2']!r} "
                f"(label {row['is_match']}): {was[f'{system}_score']} -> "
                f"{row[f'{system}_score']}, now {right}{why}"
            )
        moved = sum(
            abs(float(before[cid][f"{system}_score"]) - float(row[f"{system}_score"])) > 0.01
            for cid, row in after.items()
            if cid in before
        )
        lines.append(f"  scores moved by more than 0.01: {moved}")
    missing = sorted(set(before) ^ set(after))
    if missing:
        lines.append(f"\nCases in one run only: {', '.join(missing)}")
    if old_guards is not None and new_guards is not None:
        moved = [
            f"- {k}: {old_guards[k]:.3f} -> {v:.3f}"
            for k, v in new_guards.items()
            if k in old_guards and abs(old_guards[k] - v) > 1e-9
        ]
        lines.append("\nGuards moved:\n" + ("\n".join(moved) if moved else "none"))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=CASES_CSV, help=f"from {SOURCE_URL}")
    parser.add_argument("--lists", type=Path, default=REPO.parent / "shared" / "data" / "lists")
    parser.add_argument("--no-anchors", action="store_true", help="hermit only")
    parser.add_argument("--no-korean", action="store_true", help="skip the korean_names guard")
    parser.add_argument("--out", type=Path, help="per-case CSV (default: runs/DATE-REV.csv)")
    parser.add_argument("--diff", type=Path, nargs="+", metavar="RUN.csv", help="OLD [NEW]")
    args = parser.parse_args()
    if args.diff is not None and len(args.diff) > 2:
        parser.error("--diff takes OLD.csv and, optionally, NEW.csv")
    if args.diff is not None and len(args.diff) == 2:
        print(diff(args.diff[0], args.diff[1]))
        return
    started = time.perf_counter()
    checked = check_file(args.cases)
    pairs = load_pairs(args.cases)
    figures, screen = guard_figures(args.lists, korean=not args.no_korean)
    systems: list[System] = [Hermit(screen.index.word_weights.get)]
    if not args.no_anchors:
        systems += anchors()
    thresholds = {s.name: s.threshold for s in systems}
    results = score_all(systems, pairs)
    rev = revision()
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    head = rev.split()[2] if rev.startswith("hermit at") else "unknown"
    dirty = "-dirty" if "uncommitted" in rev else ""
    out = args.out or RUNS / f"{stamp}-{head}{dirty}.csv"
    write_run(out, pairs, results, thresholds, figures)
    old_guards = None
    if args.diff is not None:
        old_guards = read_run(args.diff[0])[1]
    print(summary(pairs, results, thresholds, figures, checked, rev, old_guards))
    print(f"\nTotal {time.perf_counter() - started:.0f} s. Per-case results: {out}")
    print("\n## hermit's wrong verdicts\n")
    print(report.misses(pairs, results, thresholds["hermit"]))
    if args.diff is not None:
        print("\n## Diff\n")
        print(diff(args.diff[0], out))


def _versions() -> str:
    names = ["nomenklatura", "followthemoney", "rigour"]
    found = []
    for name in names:
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:  # outside the bench environment
            continue
    return ", ".join(found) or "nomenklatura not installed"


def summary(
    pairs: list[Pair],
    results: report.Results,
    thresholds: dict[str, float],
    figures: list[Figure],
    checked: str,
    rev: str,
    old_guards: dict[str, float] | None,
) -> str:
    decided = report.verdicts(results, thresholds)
    algorithms = ", ".join(f"{s} {t:.2f}" for s, t in thresholds.items())
    n_rule = sum(p.contradiction is not None for p in pairs)
    command = " ".join([".venv-bench/bin/python bench/name_bench/run.py", *sys.argv[1:]])
    parts = [
        f"Command: `{command}`",
        f"Machine: {machine()}. {rev}; {_versions()}.",
        f"Cases: {len(pairs)} pairs ({checked}), {SOURCE_URL}.",
        "hermit: hermit.screening.scorer.score on make_query(name1, schema) against a "
        "ListedEntity of name2 with that schema; word weights from the candidate index of "
        "a store holding the real UN and OFAC lists (../shared/data/lists), as screening "
        f"uses them. Thresholds: {algorithms}.",
        f"Rule-contradicting set: {n_rule} labelled matches whose names {korean.ALGORITHM} "
        "reads as the same Korean surname with a different given-name syllable.",
        "Overall:\n\n" + report.overall(pairs, decided, thresholds),
        report.sliced(pairs, decided, "case_group", lambda p: p.case_group),
        report.sliced(pairs, decided, "schema", lambda p: p.schema),
        report.sliced(pairs, decided, "quality", lambda p: p.quality),
        report.categories(pairs, decided),
        "The rule-contradicting set:\n\n" + report.contradictions(pairs, results, thresholds),
        "Time per pair (building both sides and scoring):\n\n" + report.timings(results),
        "Guards (hermit):\n\n" + report.guards(figures, old_guards),
    ]
    return "\n\n".join(parts)


if __name__ == "__main__":
    main()
