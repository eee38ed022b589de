"""Bulk screening end to end: ``hermit screen --file`` on a generated file of queries.

Generates N queries (default 1,000,000) as Parquet and CSV: a fixed mix of names of
listed entities (read from a store holding the real UN and OFAC lists), most with a
small damage (a letter dropped, doubled or swapped, words reordered, case changed), and
plain names on no list made from the fixed word lists below, some with a date of birth
or nationality, and one row in a thousand with a malformed date (rejected). The random
generator's seed is fixed and printed. Then times each run of

    hermit --store STORE screen --file queries.(parquet|csv) -o results.parquet --workers W

from outside, as a user would: wall seconds from process start to exit (importing,
building the index, screening, writing), queries per second over that, the screening
seconds the run record gives, and peak memory: the largest sum over the process tree
(the command and its workers) of resident memory (RSS, which counts pages the forked
workers share with the parent once per process) and of proportional memory (PSS, which
splits shared pages between the processes that share them), sampled from /proc every
0.5 s (reading PSS walks the page tables: a few % of a core), and the largest single
process's peak from the kernel's rusage.

    .venv/bin/python bench/bulk/run.py [--rows 20000] [--workers 1,2] [--formats parquet,csv]
        [--workdir /tmp/hermit-bulk-bench] [--lists ../shared/data/lists]
        [--lists-files FILE ...] [--anchor main]

With --anchor REV, each run is also made by that revision (checked out in a temporary
git worktree, run on the same interpreter), interleaved with this checkout's, on the
same store and input: the earlier figure side by side in the same run. The CPU seconds
are the command's and its workers' (rusage), which a machine shared with other jobs
does not inflate as it does the wall time.

The generated files and the store are kept in --workdir and reused when present.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import orjson
import pyarrow as pa
import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bench.machine import machine, proc_kb  # noqa: E402


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


SEED = 20261123
LISTED_SHARE = 0.25  # queries that are a listed name (most of them damaged)
GIVEN = _words(
    "Anna Maria Pedro Yusuf Olga Chen Wei Amir Sofia Lucas Emma Noah Fatima Omar Ivan Elena "
    "Hiroshi Yuki Carlos Lucia Ahmed Leila David Sarah Jonas Mia Ravi Priya Tomas Eva Kofi "
    "Ama Diego Paula Mehmet Ayse Lars Ingrid Pierre Claire Marco Giulia Sven Astrid Juan "
    "Rosa Nikolai Tatiana Samuel Grace Arjun Meera Felix Nora Hugo Alice Oscar Zara"
)
SURNAMES = _words(
    "Lind Okafor Novak Silva Tanaka Kowalski Jensen Moreau Rossi Schmidt Haddad Mensah "
    "Petrov Garcia Nakamura Dubois Andersen Costa Fischer Khan Osei Varga Horvat Nielsen "
    "Ferreira Yilmaz Kaya Suzuki Lopez Martin Bianchi Weber Hansen Mendes Popescu Ivanova "
    "Adeyemi Bakker Janssen Svensson Castillo Romero Keller Wagner Olsen Brennan Walsh "
    "Murphy Quinn Fontaine Lambert Moretti Ricci Hoffmann Berg Dahl Holm Strand"
)
COMPANY = _words(
    "Northern Atlantic Global Pacific Blue Green Star Harbor Summit Coastal United Royal "
    "Prime Delta Alpine Eastern Western Golden Silver Ocean River Valley Bright Union"
)
COMPANY_KIND = ("Trading", "Logistics", "Shipping", "Holdings", "Foods", "Textiles", "Energy")
COMPANY_FORM = ("Ltd", "LLC", "GmbH", "S.A.", "Co.", "Inc", "AB", "BV")
NATIONALITIES = ("gb", "de", "fr", "us", "jp", "br", "ng", "in", "se", "it", "kp", "cn", "ru")
COLUMNS = ("id", "name", "schema", "birth_date", "nationality")


def _damage(rng: random.Random, name: str) -> str:
    """The name with one small change a typist or another system might make."""
    kind = rng.randrange(7)
    letters = [i for i, ch in enumerate(name) if ch.isalpha()]
    if kind == 0 or len(letters) < 4:
        return name  # as listed
    i = rng.choice(letters[1:-1])
    if kind == 1:
        return name[:i] + name[i + 1 :]  # a letter dropped
    if kind == 2:
        return name[:i] + name[i] + name[i:]  # a letter doubled
    if kind == 3:
        return name[: i - 1] + name[i] + name[i - 1] + name[i + 1 :]  # two letters swapped
    if kind == 4:
        words = name.replace(",", "").split()  # (before 2026-12-02: letters, not words)
        return " ".join(words[1:] + words[:1]) if len(words) > 1 else name  # reordered
    if kind == 5:
        return name.lower() if rng.random() < 0.5 else name.title()
    return name.replace("-", " ").replace(".", "")


def _plain(rng: random.Random, n: int) -> dict[str, str]:
    if rng.random() < 0.2:
        name = (
            f"{rng.choice(COMPANY)} {rng.choice(COMPANY)} {rng.choice(COMPANY_KIND)} "
            f"{rng.choice(COMPANY_FORM)}"
        )
        return {"id": f"P{n}", "name": name, "schema": "Company"}
    middle = f" {rng.choice(GIVEN)}" if rng.random() < 0.2 else ""
    row = {"id": f"P{n}", "name": f"{rng.choice(GIVEN)}{middle} {rng.choice(SURNAMES)}"}
    if rng.random() < 0.3:
        row["birth_date"] = (
            f"{rng.randint(1940, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        )
    if rng.random() < 0.3:
        row["nationality"] = rng.choice(NATIONALITIES)
    return row


def queries(
    rng: random.Random, listed: list[tuple[str, str]], rows: int
) -> Iterator[dict[str, str]]:
    for n in range(1, rows + 1):
        if n % 1000 == 0:
            yield {"id": f"X{n}", "name": "Pat Doe", "birth_date": "31/12/1970"}  # rejected
        elif rng.random() < LISTED_SHARE:
            name, schema = rng.choice(listed)
            row = {"id": f"L{n}", "name": _damage(rng, name)}
            if rng.random() < 0.5:
                row["schema"] = schema
            yield row
        else:
            yield _plain(rng, n)


def listed_names(store: Path) -> list[tuple[str, str]]:
    con = duckdb.connect(str(store), read_only=True)
    try:
        rows = con.execute(
            "SELECT name, schema FROM names WHERE kind IN ('name', 'alias') "
            "AND schema IN ('Person', 'Organization', 'Company', 'Vessel', 'LegalEntity') "
            "ORDER BY entity_id, name"
        ).fetchall()
    finally:
        con.close()
    return [(str(name), str(schema)) for name, schema in rows]


def unique_names(rows: Iterator[dict[str, str]], limit: int) -> Iterator[dict[str, str]]:
    """The rows whose (name, schema) no earlier row had, at most ``limit`` of them (and
    no more than the generator gives in 20 times as many draws)."""
    seen: set[tuple[str, str | None]] = set()
    kept = 0
    for drawn, row in enumerate(rows, 1):
        key = (row["name"], row.get("schema"))
        if key not in seen:
            seen.add(key)
            kept += 1
            yield row
        if kept >= limit or drawn >= 20 * limit:
            return


def generate(workdir: Path, store: Path, rows: int, unique: bool = False) -> dict[str, Path]:
    stem = f"queries-{rows}{'-unique' if unique else ''}"
    files = {"parquet": workdir / f"{stem}.parquet", "csv": workdir / f"{stem}.csv"}
    if all(p.exists() for p in files.values()):
        return files
    rng = random.Random(SEED)
    listed = listed_names(store)
    schema = pa.schema([(c, pa.string()) for c in COLUMNS])
    with (
        pq.ParquetWriter(files["parquet"], schema) as parquet,
        files["csv"].open("w", encoding="utf-8", newline="") as fh,
    ):
        writer = csv.DictWriter(fh, COLUMNS)
        writer.writeheader()
        batch: list[dict[str, str]] = []
        drawn = queries(rng, listed, 20 * rows if unique else rows)
        for row in unique_names(drawn, rows) if unique else drawn:
            batch.append(row)
            if len(batch) == 50_000:
                _write(parquet, writer, batch, schema)
        _write(parquet, writer, batch, schema)
    return files


def _write(
    parquet: pq.ParquetWriter,
    writer: csv.DictWriter[str],
    batch: list[dict[str, str]],
    schema: pa.Schema,
) -> None:
    if batch:
        parquet.write_table(pa.Table.from_pylist(batch, schema=schema))
        writer.writerows(batch)
        batch.clear()


def _tree(root: int) -> list[int]:
    """``root`` and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


class TreeMemory(threading.Thread):
    """Samples the process tree's summed RSS and PSS every 0.5 s; keeps the peaks (MB)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.rss_mb = 0.0
        self.pss_mb = 0.0
        self.processes = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.5):
            pids = _tree(self.pid)
            rss = sum(proc_kb(f"/proc/{p}/status", "VmRSS:") for p in pids) / 1024
            pss = sum(proc_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids) / 1024
            self.rss_mb, self.pss_mb = max(self.rss_mb, rss), max(self.pss_mb, pss)
            self.processes = max(self.processes, len(pids))


@dataclass(frozen=True)
class System:
    """A hermit to time: this checkout, or an anchor revision run from its worktree on
    the same interpreter (PYTHONPATH), so that only hermit's code differs."""

    name: str
    pythonpath: Path | None = None

    def command(self) -> list[str]:
        return [sys.executable, "-m", "hermit"]

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        if self.pythonpath is not None:
            env["PYTHONPATH"] = str(self.pythonpath)
        return env


def anchor_checkout(ref: str, workdir: Path) -> Path:
    """A temporary git worktree of ``ref`` (replaced when it is there already)."""
    path = workdir / f"anchor-{ref.replace('/', '_')}"
    if path.exists():
        subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(path)])
    subprocess.run(
        ["git", "-C", str(REPO), "worktree", "add", "--detach", str(path), ref],
        check=True,
        capture_output=True,
    )
    return path


def own_store(store: Path, system: System) -> Path:
    """A copy of ``store`` for ``system`` with its screening index built (untimed): the
    index beside a store is keyed by hermit's code, so two revisions sharing one store
    would rebuild it at every run."""
    label = system.name.replace(" ", "-").replace("/", "_")
    own = store.with_name(f"store-{label}.duckdb")
    if not own.exists():
        shutil.copyfile(store, own)
    cmd = [*system.command(), "--store", str(own), "screen", "Kim Jong Un"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=system.env(), cwd=own.parent)
    return own


def measure(
    store: Path, source: Path, output: Path, workers: int, system: System
) -> dict[str, object]:
    cmd = [*system.command(), "--store", str(store), "screen", "--file", str(source)]
    cmd += ["-o", str(output), "--workers", str(workers), "--json"]
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=system.env(), cwd=store.parent
    )
    sampler = TreeMemory(proc.pid)
    sampler.start()
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    sampler.done.set()
    sampler.join()
    if status != 0:
        raise SystemExit(f"failed ({status}): {' '.join(cmd)}")
    record = orjson.loads(out)
    return {
        "system": system.name,
        "input": source.suffix.lstrip("."),
        "workers": workers,
        "seconds": elapsed,
        # the command's and its reaped workers' CPU (user + system)
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "screening_seconds": record["screening_seconds"],
        "rows": record["counts"]["queries_read"],
        "counts": record["counts"],
        # rows answered by a worker's memo as an identical earlier row (not in older runs)
        "repeated": record.get("memo", {}).get("repeated"),
        "tree_rss_mb": sampler.rss_mb,
        "tree_pss_mb": sampler.pss_mb,
        "max_process_mb": usage.ru_maxrss / 1024,
        "processes": sampler.processes,
        "lists": [f"{v['dataset']} v{v['seq']}" for v in record["run"]["lists"]],
        "algorithm": record["run"]["algorithm"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--formats", default="parquet,csv", help="inputs to time")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/hermit-bulk-bench"))
    parser.add_argument("--lists", type=Path, default=REPO.parent / "shared" / "data" / "lists")
    parser.add_argument(
        "--lists-files", type=Path, nargs="*", help="list files to load (default UN and OFAC)"
    )
    parser.add_argument(
        "--anchor", help="also time this git revision (e.g. main), run by run beside this one"
    )
    parser.add_argument(
        "--unique-names",
        action="store_true",
        help="every (name, schema) once: the generator's mix without its repeated names",
    )
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    store = args.workdir / "store.duckdb"
    if not store.exists():
        lists = args.lists_files or [
            args.lists / "un_consolidated.xml",
            args.lists / "ofac_sdn.csv",
        ]
        subprocess.run(
            [
                sys.executable,
                "-m",
                "hermit",
                "--store",
                str(store),
                "lists",
                "load",
                *map(str, lists),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            cwd=args.workdir,
        )
    systems = [System("this checkout")]
    if args.anchor is not None:
        systems.append(System(args.anchor, anchor_checkout(args.anchor, args.workdir)))
    stores = {system.name: own_store(store, system) for system in systems}
    began = time.perf_counter()
    files = generate(args.workdir, store, args.rows, args.unique_names)
    kind = "queries with unique names" if args.unique_names else "queries"
    print(f"generated {args.rows:,} {kind} (seed {SEED}) in {time.perf_counter() - began:.1f} s")
    print(f"machine: {machine()}")
    results = []
    for fmt in args.formats.split(","):
        for workers in (int(w) for w in args.workers.split(",")):
            for system in systems:  # interleaved: the same machine load on both
                label = system.name.replace(" ", "-").replace("/", "_")
                output = args.workdir / f"results-{args.rows}-{fmt}-{workers}-{label}.parquet"
                found = measure(stores[system.name], files[fmt], output, workers, system)
                found["same_as_first"] = same_results(output, results)
                found["output"] = str(output)
                results.append(found)
                print(orjson.dumps(found).decode(), flush=True)
    report(args.rows, results, files)


def same_results(output: Path, earlier: list[dict[str, object]]) -> bool | None:
    """Whether ``output`` holds the same result rows as the first run's (None for the
    first run itself)."""
    if not earlier:
        return None
    first = pq.read_table(str(earlier[0]["output"]))
    return bool(pq.read_table(str(output)).equals(first))


def report(rows: int, results: list[dict[str, object]], files: dict[str, Path]) -> None:
    first = results[0]
    counts = first["counts"]
    assert isinstance(counts, dict)
    sizes = ", ".join(f"{fmt} {p.stat().st_size / 1e6:.0f} MB" for fmt, p in files.items())
    print()
    print(f"### Bulk screening, {rows:,} queries\n")
    print(f"Machine: {machine()}\n")
    print(
        f"Lists: {', '.join(first['lists'])} (algorithm {first['algorithm']}). Input "  # type: ignore[arg-type]
        f"({sizes}): {counts['queries_read']:,} rows, {counts['screened']:,} screened, "
        f"{counts['rejected']:,} rejected, {counts['with_alerts']:,} with alerts, "
        f"{counts['candidates']:,} candidate rows written, {counts['matches']:,} matches.\n"
    )
    print(
        "| system | input | workers | wall s | queries/s (wall) | screening s "
        "| queries/s (screening) | CPU s | peak tree RSS MB | peak tree PSS MB "
        "| largest process MB | repeats answered by the memo | same results as row 1 |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        wall, busy = float(r["seconds"]), float(r["screening_seconds"])  # type: ignore[arg-type]
        n = int(r["rows"])  # type: ignore[call-overload]
        print(
            f"| {r['system']} | {r['input']} | {r['workers']} | {wall:.1f} | {n / wall:,.0f} | "
            f"{busy:.1f} | {n / busy:,.0f} | {r['cpu_seconds']:.0f} | {r['tree_rss_mb']:.0f} | "
            f"{r['tree_pss_mb']:.0f} | {r['max_process_mb']:.0f} | "
            f"{'-' if r['repeated'] is None else format(r['repeated'], ',')} | "
            f"{'-' if r['same_as_first'] is None else r['same_as_first']} |"
        )


if __name__ == "__main__":
    main()
