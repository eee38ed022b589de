"""A batch file upload (multipart/form-data) streamed straight to disk.

Starlette's own form parsing would first spool the whole file to a temporary file of
its own; here the request body is fed chunk by chunk to python-multipart's streaming
parser and the ``file`` part written to the job's folder as it arrives, so the service
holds one chunk in memory whatever the file's size, and a file over
``max_upload_bytes`` is refused with 413 the moment it passes the limit (the limits
middleware also refuses a declared Content-Length over it before anything is read).
Other parts are small text fields (``output``, ``limit``, ``input_format``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from fastapi import Request
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from hermit.api.errors import ApiError, BadRequest
from hermit.api.job_run import JobFiles, user_message
from hermit.errors import SourceError
from hermit.screening.bulk.formats import FORMATS, open_reader
from hermit.screening.bulk.runner import DEFAULT_LIMIT

FILE_FIELD = "file"
TEXT_FIELDS = ("output", "limit", "input_format")
MAX_FIELD_BYTES = 1000
#: Candidates per query a job may ask for at most.
MAX_LIMIT = 50


class TooLarge(ApiError):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"file too large: at most {limit} bytes (max_upload_bytes)")


@dataclass(slots=True)
class Upload:
    """What a request carried: the uploaded file's name and size, the text fields."""

    file_name: str | None = None
    size: int = 0
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class _Part:
    name: str = ""
    file_name: str | None = None
    data: bytearray = field(default_factory=bytearray)
    headers: dict[bytes, bytes] = field(default_factory=dict)


class _Receiver:
    """python-multipart callbacks writing the file part to ``target``."""

    def __init__(self, target: Path, limit: int) -> None:
        self.target = target
        self.limit = limit
        self.upload = Upload()
        self._part = _Part()
        self._header_name = b""
        self._header_value = b""
        self._out: BinaryIO | None = None
        self.ended = False

    def on_end(self) -> None:
        self.ended = True

    def on_part_begin(self) -> None:
        self._part = _Part()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        self._part.headers[self._header_name.lower()] = self._header_value
        self._header_name = self._header_value = b""

    def on_headers_finished(self) -> None:
        disposition = self._part.headers.get(b"content-disposition", b"")
        _, options = parse_options_header(disposition)
        name = options.get(b"name")
        if name is None:
            raise BadRequest("a form part has no name (Content-Disposition: form-data; name=...)")
        self._part.name = name.decode("utf-8", "replace")
        raw_file_name = options.get(b"filename")
        if self._part.name == FILE_FIELD:
            if self.upload.file_name is not None:
                raise BadRequest("file: one file per job")
            text = "" if raw_file_name is None else raw_file_name.decode("utf-8", "replace")
            self.upload.file_name = Path(text.replace("\\", "/")).name or "upload"
            self._out = self.target.open("xb")
        elif self._part.name not in TEXT_FIELDS:
            raise BadRequest(
                f"{self._part.name}: not a field of a job (file, {', '.join(TEXT_FIELDS)})"
            )

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if self._part.name == FILE_FIELD and self._out is not None:
            self.upload.size += len(chunk)
            if self.upload.size > self.limit:
                raise TooLarge(self.limit)
            self._out.write(chunk)
            return
        if len(self._part.data) + len(chunk) > MAX_FIELD_BYTES:
            raise BadRequest(f"{self._part.name}: longer than {MAX_FIELD_BYTES} bytes")
        self._part.data.extend(chunk)

    def on_part_end(self) -> None:
        if self._part.name == FILE_FIELD:
            self.close()
        else:
            self.upload.fields[self._part.name] = self._part.data.decode("utf-8", "replace")

    def close(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None


async def receive_upload(request: Request, target: Path, limit: int) -> Upload:
    """Stream the request's multipart body: the ``file`` part into ``target`` (created;
    it must not exist), the text fields into ``Upload.fields``. BadRequest for a body
    that is not a readable multipart form, TooLarge past ``limit`` bytes of file."""
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    if kind != b"multipart/form-data":
        raise ApiError(415, "send the file as multipart/form-data (a form field named file)")
    boundary = options.get(b"boundary")
    if not boundary:
        raise BadRequest("multipart/form-data without a boundary")
    receiver = _Receiver(target, limit)
    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": receiver.on_part_begin,
            "on_header_field": receiver.on_header_field,
            "on_header_value": receiver.on_header_value,
            "on_header_end": receiver.on_header_end,
            "on_headers_finished": receiver.on_headers_finished,
            "on_part_data": receiver.on_part_data,
            "on_part_end": receiver.on_part_end,
            "on_end": receiver.on_end,
        },
    )
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except FormParserError as exc:
        raise BadRequest(f"the upload is not a readable multipart form: {exc}") from None
    finally:
        receiver.close()
    if not receiver.ended:
        raise BadRequest("the upload ended before the form's closing boundary")
    if receiver.upload.file_name is None:
        raise BadRequest("file: missing (upload the queries as a form field named file)")
    return receiver.upload


def form_choice(fields: dict[str, str], name: str) -> str | None:
    value = fields.get(name, "").strip().lower()
    if not value:
        return None
    if value not in FORMATS:
        raise BadRequest(f"{name}: {value!r} is not a format (one of {', '.join(FORMATS)})")
    return value


def form_limit(fields: dict[str, str]) -> int:
    raw = fields.get("limit", "").strip()
    if not raw:
        return DEFAULT_LIMIT
    try:
        limit = int(raw)
    except ValueError:
        raise BadRequest(f"limit: {raw!r} is not a whole number") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise BadRequest(f"limit: {limit} is not between 1 and {MAX_LIMIT}")
    return limit


def check_file(files: JobFiles) -> None:
    """Open the reader once: a CSV without a name column or a file that is not Parquet
    is refused at upload (400), before the job is queued."""
    try:
        open_reader(files.input, files.input_format)
    except SourceError as exc:
        raise BadRequest(user_message(exc, files)) from None
