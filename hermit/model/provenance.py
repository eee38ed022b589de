"""Where a record came from: the list, its version, the source's own id, file and line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Provenance:
    """The origin of one entity record.

    ``dataset`` is the list (``un_sc_sanctions``, ``us_ofac_sdn``, or a user-named FtM
    dataset); ``record_id`` the source's own identifier (UN reference number, OFAC
    ``ent_num``); ``file`` and ``line`` point at the record's first line in the file.
    """

    dataset: str
    record_id: str
    file: str
    line: int | None = None

    def to_dict(self) -> dict[str, str | int | None]:
        return {
            "dataset": self.dataset,
            "record_id": self.record_id,
            "file": self.file,
            "line": self.line,
        }
