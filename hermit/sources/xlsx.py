"""Excel workbooks (.xlsx) read safely: checked as a zip and a workbook first, then the
first worksheet's rows as text, with their row numbers.

python-calamine (Rust) reads the sheet: about ten times faster than openpyxl on the
18,798-row OFSI list (BENCHMARKS.md). Before it sees the file, the zip's directory is
checked here: a file that is not a zip, a zip without ``xl/workbook.xml``, parts that
would unpack to more than MAX_UNPACKED_BYTES (a zip bomb) or an XML part declaring a
DOCTYPE (entity expansion, external entities) are refused with a SourceError. The sheet
is read whole into memory (about 70 bytes a cell; Excel holds at most 1,048,576 rows).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from hermit.errors import SourceError

#: The most the workbook's parts may unpack to, all together.
MAX_UNPACKED_BYTES = 1 << 30
ZIP_MAGIC = b"PK\x03\x04"
_DOCTYPE = re.compile(rb"(?:\s|\xef\xbb\xbf|<\?.*?\?>|<!--.*?-->)*<!DOCTYPE", re.DOTALL)

Cell = int | float | str | bool | dt.time | dt.date | dt.datetime | dt.timedelta


@dataclass(frozen=True, slots=True)
class Sheet:
    """The first worksheet: its name and rows, each with its 1-based row number."""

    name: str
    rows: list[tuple[int, list[Cell]]]


def is_zip(head: bytes) -> bool:
    """Whether a file's first bytes are a zip's (an .xlsx is a zip of XML parts)."""
    return head.startswith(ZIP_MAGIC)


def check_workbook(path: Path) -> None:
    """SourceError unless ``path`` is a zip holding an Excel workbook that is safe to
    read (size, no DOCTYPE)."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise SourceError(path, "no such file") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(
            path, f"not an Excel workbook (.xlsx): not a readable zip ({exc})"
        ) from None
    with archive:
        names = archive.namelist()
        if "xl/workbook.xml" not in names:
            raise SourceError(
                path,
                "a zip file but not an Excel workbook (.xlsx): no xl/workbook.xml "
                "(an .xls, .ods or .numbers file? save it as .xlsx)",
            )
        unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise SourceError(
                path,
                f"the workbook would unpack to {unpacked:,} bytes (over "
                f"{MAX_UNPACKED_BYTES:,}): refused (a zip bomb?)",
            )
        for name in names:
            if not name.endswith((".xml", ".rels")):
                continue
            try:
                with archive.open(name) as part:
                    head = part.read(4096)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                raise SourceError(path, f"the workbook part {name} is damaged ({exc})") from None
            if _DOCTYPE.match(head) is not None:
                raise SourceError(
                    path,
                    f"the workbook part {name} declares a DOCTYPE; refused for safety "
                    "(external entities, entity expansion): Excel never writes one",
                )


def read_first_sheet(path: Path) -> Sheet:
    """The workbook's first worksheet (checked first, see check_workbook)."""
    check_workbook(path)
    try:
        with CalamineWorkbook.from_path(str(path)) as book:
            if not book.sheet_names:
                raise SourceError(path, "the workbook has no worksheet")
            sheet = book.get_sheet_by_index(0)
            cells = sheet.to_python(skip_empty_area=False)  # from row 1, as Excel numbers
            name = sheet.name
    except CalamineError as exc:
        raise SourceError(path, f"the workbook cannot be read: {exc}") from None
    return Sheet(name, [(i, row) for i, row in enumerate(cells, start=1)])


def cell_text(value: Cell, date_format: str = "%Y-%m-%d") -> str:
    """A cell as text ("" when empty): numbers without a spurious ``.0``, dates in
    ``date_format`` (a date typed into Excel is a number underneath)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.strftime(date_format)
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.strftime(date_format)
    return str(value)
