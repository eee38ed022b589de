"""A list load over the API (``POST /admin/lists``), run in a process of its own.

Reading the files, storing the new version and building its screening index take far
more memory than the index read back (the parsed entities, the diff against the
previous version, the index built object by object: about 700 MB for the UN and OFAC
lists, BENCHMARKS.md "The service's memory across a list load"). Done in the service's
process, that memory stayed with it after the load, beside the snapshot still serving
and the new one being read. Here it is a child's, given back when the child ends; the
service then reads the new version's persisted index as it reads one published by the
command line (hermit.api.state.ServiceState.build) while the old snapshot still serves.

    python -m hermit.api.list_load REQUEST_JSON

REQUEST_JSON names the store, the uploaded files (saved path -> the client's name), the
options and the file the outcome is written to: ``{"loads": [...]}`` (one row per list,
as ``ListLoaded``) or ``{"refused": {"status": 400|409, "detail": ..., "note": ...}}``
(nothing was stored). Anything else (a crash) is a non-zero exit with its traceback on
standard error.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from hermit.errors import SourceError, StoreError
from hermit.screening.engine import list_versions
from hermit.screening.persisted import ensure_index
from hermit.sources.detect import read_list_files
from hermit.sources.inputs import read_inputs
from hermit.sources.ofac_companions import PreviousCompanions
from hermit.sources.ofac_entries import DATASET as OFAC_DATASET
from hermit.sources.snapshot import ListSnapshot
from hermit.store import Store, published, read
from hermit.store.guard import LargeChangeError
from hermit.store.store import open_duckdb


class LoadFailed(RuntimeError):
    """The load's process ended without an outcome (its standard error says why)."""


def run_apart(
    store_path: Path,
    saved: dict[Path, str],
    *,
    end_mark: bool,
    companions: str | None,
    allow_large_change: bool,
    folder: Path,
) -> dict[str, Any]:
    """Load ``saved`` into the store in a child process; its outcome (see the module)."""
    out = folder / ".outcome.json"  # an upload's name never starts with a dot (admin._save)
    request = {
        "store": str(store_path),
        "saved": {str(path): given for path, given in saved.items()},
        "end_mark": end_mark,
        "companions": companions,
        "allow_large_change": allow_large_change,
        "out": str(out),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "hermit.api.list_load", json.dumps(request)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0 or not out.exists():
        raise LoadFailed(f"the list load's process ended with {proc.returncode}: {proc.stderr}")
    found: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return found


def load(request: dict[str, Any]) -> dict[str, Any]:
    """What the child does: read, store, index and publish (see the module)."""
    store_path = Path(request["store"])
    saved = {Path(path): str(given) for path, given in request["saved"].items()}
    end_mark, companions = bool(request["end_mark"]), request["companions"]
    previous = _previous_companions(store_path)
    try:
        snapshots = [
            _as_uploaded(snap, saved)
            for snap in read_inputs(  # gzip, UTF-16 and BOMs as hermit lists load
                list(saved),
                lambda paths: read_list_files(
                    paths, end_mark=end_mark, companions=companions, previous=previous
                ),
            )
        ]
    except SourceError as exc:
        shown = saved.get(Path(exc.path), Path(exc.path).name)
        where = shown if exc.line is None else f"{shown}, {exc.unit} {exc.line}"
        return _refused(400, f"{where}: {exc.problem}")
    loads: list[dict[str, Any]] = []
    with Store(store_path) as store:  # for writing: waits while another process loads
        try:
            results = store.load_all(
                snapshots, allow_large_change=bool(request["allow_large_change"])
            )
        except StoreError as exc:  # the guard, an id twice: nothing was stored
            return _refused(409 if isinstance(exc, LargeChangeError) else 400, str(exc))
        for snap, result in zip(snapshots, results, strict=True):
            v = result.version
            changed = not result.unchanged
            loads.append(
                {
                    "dataset": v.dataset,
                    "file": ", ".join(f.path.removeprefix("upload:") for f in snap.files),
                    "seq": v.seq,
                    "unchanged": result.unchanged,
                    "entity_count": v.entity_count,
                    "added": v.added if changed else 0,
                    "removed": v.removed if changed else 0,
                    "changed": v.changed if changed else 0,
                    "warnings": len(snap.warnings),
                }
            )
        # the index first, then published once for the whole batch: the service's
        # processes read that index instead of each building it again
        if not all(x["unchanged"] for x in loads):
            ensure_index(store.con, store.path, list_versions(store.con))
        store.publish()
    return {"loads": loads}


def _previous_companions(store_path: Path) -> PreviousCompanions | None:
    """What the newest published OFAC version read its companions from (the published
    copy, which a load elsewhere never holds: the store itself may be being written)."""
    found = published.current(store_path)
    if found is None:
        return None
    con = open_duckdb(found, read_only=True)
    try:
        return read.previous_companions(con, OFAC_DATASET)
    finally:
        con.close()


def _refused(status: int, detail: str) -> dict[str, Any]:
    return {"refused": {"status": status, "detail": detail}}


def _as_uploaded(snapshot: ListSnapshot, saved: dict[Path, str]) -> ListSnapshot:
    """The snapshot with the client's file names where the temporary copies' paths
    were, in its file list and in every entity's provenance (the temporary folder is
    gone after the load; the names are what the uploader knows the files by)."""
    names = {str(path): f"upload:{given}" for path, given in saved.items()}
    snapshot.files = [replace(f, path=names.get(f.path, f.path)) for f in snapshot.files]
    for entity in snapshot.entities:
        shown = names.get(entity.provenance.file)
        if shown is not None:
            entity.provenance = replace(entity.provenance, file=shown)
    return snapshot


def main(argv: list[str]) -> int:
    request = json.loads(argv[0])
    outcome = load(request)
    Path(request["out"]).write_text(json.dumps(outcome), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
