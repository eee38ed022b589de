"""What a parser hands the store: one complete version of one list."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from hermit.model import Entity


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file a snapshot was read from, with its checksum; ``part`` is what it gave
    (OFAC: ``sdn``, ``alt``, ``add``, ``comments``), ``kept_from`` the version it was
    kept from (OFAC companions kept from the previous version)."""

    path: str
    sha256: str
    size_bytes: int
    part: str | None = None
    kept_from: int | None = None

    @classmethod
    def of(cls, path: Path) -> SourceFile:
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        return cls(str(path), digest.hexdigest(), path.stat().st_size)


@dataclass(slots=True)
class ListSnapshot:
    """One complete version of one list, parsed and validated, ready to store.

    ``published`` is the publisher's own date for this version where the file carries
    one (the UN XML's ``dateGenerated``); otherwise what the user said, or None.
    ``parser`` names the parser and its version (``un-xml@1``).
    """

    dataset: str
    title: str
    parser: str
    files: list[SourceFile]
    published: datetime | None
    entities: list[Entity] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def content_sha256(self) -> str:
        """Checksum over the source files' checksums: same files, same version."""
        digest = hashlib.sha256()
        for f in sorted(self.files, key=lambda f: f.sha256):
            digest.update(f.sha256.encode())
        return digest.hexdigest()
