"""The files a bulk run leaves beside its output: every file is written under a
temporary name and renamed into place only when the whole run has succeeded, so a
failed or interrupted run leaves no half-written file (and no run record). A run that
was killed leaves its temporary files: the next run on the same output removes them and
says so (``OutputClaim``)."""

from __future__ import annotations

import csv
import fcntl
import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

import orjson

from hermit.errors import BulkError
from hermit.screening.bulk.rows import Rejected

REJECT_COLUMNS = ("file", "row", "line", "field", "reason", "text")


def rejects_path(output: Path) -> Path:
    """``results.parquet`` -> ``results.parquet.rejects.csv``."""
    return output.with_name(output.name + ".rejects.csv")


def run_record_path(output: Path) -> Path:
    """``results.parquet`` -> ``results.parquet.run.json``."""
    return output.with_name(output.name + ".run.json")


class PartFile:
    """A destination and the temporary file beside it that becomes it on ``commit``."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.part = target.with_name(target.name + ".part")

    def commit(self) -> None:
        self.part.replace(self.target)

    def discard(self) -> None:
        self.part.unlink(missing_ok=True)


class OutputClaim:
    """A run's hold on its output: an exclusive lock on ``OUT.part`` (flock, released by
    the system however the process ends), taken before anything runs, so a second run
    on the same OUT refuses at once instead of writing over the first one's files; and
    the temporary files a run that did not finish (killed, the machine stopped) left
    behind, removed and listed in ``stale``. BulkError naming the path when the output
    folder cannot be written."""

    def __init__(self, output: Path) -> None:
        self.output = output
        part = PartFile(output).part
        existed = part.exists()
        try:
            self._fd = os.open(part, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise BulkError(
                f"{output}: cannot write in {output.parent} ({exc.strerror or exc})"
            ) from None
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._fd)
            raise BulkError(
                f"{output}: another run is writing it now ({part} is locked); wait for it "
                "to finish or write elsewhere"
            ) from None
        self.stale: list[Path] = [part] if existed else []
        for other in (rejects_path(output), run_record_path(output)):
            leftover = PartFile(other).part
            if leftover.exists():
                leftover.unlink()
                self.stale.append(leftover)

    def release(self) -> None:
        """Let go, removing ``OUT.part`` if it is still there (the run failed before
        writing, or stopped: nothing half-written stays)."""
        PartFile(self.output).discard()
        os.close(self._fd)


class RejectsWriter:
    """Rejected rows as CSV: the input file, row, line (CSV), field, reason and what was
    read (the values, or the raw text of an unreadable record)."""

    def __init__(self, path: Path, source: Path) -> None:
        self._source = str(source)
        self._fh = path.open("w", encoding="utf-8", newline="")
        self._writer = csv.writer(self._fh)
        self._writer.writerow(REJECT_COLUMNS)

    def write(self, rejected: Sequence[Rejected]) -> None:
        self._writer.writerows(
            [self._source, r.row, "" if r.line is None else r.line, r.field, r.reason, r.text]
            for r in rejected
        )

    def close(self) -> None:
        self._fh.close()


def write_json(path: Path, data: dict[str, object]) -> None:
    """``data`` as indented JSON, written whole or not at all."""
    part = PartFile(path)
    try:
        part.part.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
        part.commit()
    finally:
        part.discard()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()
