"""Errors that reach a user: each names the file and, where it applies, the line."""

from __future__ import annotations

from pathlib import Path


class HermitError(Exception):
    """Base class for errors hermit reports to a user."""


class SourceError(HermitError):
    """A source file cannot be read: names the file, the line (if known) and the problem.
    ``unit`` is what ``line`` counts: ``line`` in text files, ``row`` in a workbook."""

    def __init__(
        self, path: Path | str, problem: str, line: int | None = None, unit: str = "line"
    ) -> None:
        self.path = str(path)
        self.line = line
        self.unit = unit
        self.problem = problem
        where = self.path if line is None else f"{self.path}, {unit} {line}"
        super().__init__(f"{where}: {problem}")


class StoreError(HermitError):
    """The store cannot do what was asked (missing version, locked file, ...)."""


class ModelError(HermitError):
    """A value does not fit the data model (unknown schema or property)."""


class DownloadError(HermitError):
    """An official list could not be fetched."""


class BulkError(HermitError):
    """A bulk screening run cannot go on (output not writable, a worker failed)."""


class EngineError(HermitError):
    """The chosen engine cannot run (PySpark or Java missing, the session did not start)."""
