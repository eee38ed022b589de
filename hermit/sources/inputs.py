"""What a list load reads besides a plain file, made a plain file first.

- ``-`` is standard input and a named pipe (FIFO) is read once (both may be read only
  once, while the readers open a file several times), with an idle timeout: nothing
  arriving for ``idle_seconds`` is a refusal, never a wait for ever;
- a directory, a socket or a device is refused at once;
- a gzip file (any format) is decompressed; a truncated or damaged one is refused;
- text in UTF-16 or UTF-32 with a byte-order mark is re-encoded as UTF-8 and a UTF-8
  byte-order mark dropped, so every reader sees the same UTF-8 (or ASCII) bytes; UTF-16
  without a mark is refused, naming the encoding.

Each input made anew goes to a temporary folder under its own name; the snapshots read
from it are then given back the name the user gave (and the checksum and size of the
bytes the user gave), and so are errors and warnings.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import os
import re
import select
import shutil
import stat
import sys
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from hermit.errors import SourceError
from hermit.sources.snapshot import ListSnapshot, SourceFile

STDIN = "-"
#: How standard input is named in messages and provenance.
STDIN_NAME = "<stdin>"
GZIP_MAGIC = b"\x1f\x8b"
#: Byte-order marks, longest first (UTF-32 LE's starts like UTF-16 LE's).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 LE"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 BE"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"),
)
_XML_ENCODING = re.compile(rb"""^(<\?xml[^>]*?\bencoding\s*=\s*)(["'])[^"']*\2""")
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class InputLimits:
    idle_seconds: float  # nothing read for this long from stdin or a pipe: refused
    max_bytes: int  # the most bytes read from a stream or decompressed


@cache
def input_limits() -> InputLimits:
    """The bounds of ``resources/list_inputs.yaml`` (read once)."""
    path = resources.files("hermit") / "resources" / "list_inputs.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return InputLimits(float(data["idle_seconds"]), int(data["max_bytes"]))


@dataclass(frozen=True, slots=True)
class _Given:
    """What the user gave for one file made anew: its name and its own bytes' checksum."""

    shown: str
    source: SourceFile


class _Staging:
    def __init__(self, folder: Path, limits: InputLimits) -> None:
        self.folder = folder
        self.limits = limits
        self.given: dict[str, _Given] = {}
        self.companions: set[Path] = set()  # files made anew as companions of an sdn.csv
        self.count = 0

    def new_path(self, name: str) -> Path:
        self.count += 1
        folder = self.folder / str(self.count)
        folder.mkdir()
        return folder / name

    def stage(self, path: Path) -> Path:
        """A plain file holding what ``path`` names, decoded (``path`` itself if it
        needs nothing done)."""
        if str(path) == STDIN:
            return self._text(self._stream_stdin(), STDIN_NAME)
        try:
            info = path.stat()
        except FileNotFoundError:
            return path  # the readers say "no such file"
        except OSError as exc:
            raise SourceError(path, f"cannot read: {exc.strerror or exc}") from None
        mode = info.st_mode
        if stat.S_ISDIR(mode):
            raise SourceError(path, "is a directory, not a list file")
        if stat.S_ISSOCK(mode):
            raise SourceError(
                path, "is a socket, not a list file (give a file, a named pipe or - for stdin)"
            )
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
            raise SourceError(
                path, "is a device, not a list file (give a file, a named pipe or - for stdin)"
            )
        if stat.S_ISFIFO(mode):
            made = self._text(self._stream_fifo(path), str(path))
        elif stat.S_ISREG(mode):
            made = self._text(path, str(path), plain=True)
        else:
            raise SourceError(path, "is not a regular file")
        if made != path:
            self._companions(path, made)
        return made

    def _companions(self, path: Path, made: Path) -> None:
        """OFAC's alt/add/comments files beside ``path`` made anew beside ``made`` (an
        sdn.csv read from a pipe, gzip or UTF-16 keeps its companions)."""
        from hermit.sources.detect import OFAC_CSV, detect_kind
        from hermit.sources.ofac_csv import find_companion_files

        try:
            if detect_kind(made) != OFAC_CSV:
                return
        except SourceError:
            return  # the reader says what is wrong with it
        name = path.name
        plain = path.with_name(name[:-3]) if name.lower().endswith(".gz") else path
        found = {**find_companion_files(plain), **find_companion_files(path)}  # .gz or not
        for companion in found.values():
            if companion.resolve() in self.companions:
                continue
            self.companions.add(companion.resolve())
            text = self._text(companion, str(companion), plain=True)
            name = companion.name
            target = made.parent / (name[:-3] if name.lower().endswith(".gz") else name)
            shutil.copyfile(text, target)
            self.given[str(target)] = _Given(str(companion), _source_of(companion, str(companion)))

    # --- streams ------------------------------------------------------------------

    def _stream_stdin(self) -> Path:
        stream = sys.stdin
        if stream is None:
            raise SourceError(STDIN_NAME, "there is no standard input")
        if stream.isatty():
            raise SourceError(
                STDIN_NAME,
                "standard input is a terminal: pipe a list file into it "
                "(hermit lists load - < FILE) or name the file",
            )
        return self._copy(stream.buffer.fileno(), STDIN_NAME, "stdin")

    def _stream_fifo(self, path: Path) -> Path:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        except OSError as exc:
            raise SourceError(path, f"cannot read: {exc.strerror or exc}") from None
        try:
            return self._copy(fd, str(path), path.name)
        finally:
            os.close(fd)

    def _copy(self, fd: int, shown: str, name: str) -> Path:
        """Everything readable from ``fd`` into a new file; refused when nothing comes
        for ``idle_seconds`` or more than ``max_bytes`` come."""
        out_path = self.new_path(name)
        poller = select.poll()
        poller.register(fd, select.POLLIN | select.POLLPRI)
        idle = self.limits.idle_seconds
        total = 0
        with out_path.open("wb") as out:
            while True:
                if not poller.poll(int(idle * 1000)):
                    raise SourceError(
                        shown,
                        f"nothing to read for {idle:g} s after {total:,} bytes (is anything "
                        "writing to it?); refused rather than wait for ever "
                        "(--input-timeout sets the wait)",
                    )
                try:
                    chunk = os.read(fd, _CHUNK)
                except BlockingIOError:
                    continue
                if not chunk:
                    break
                total += len(chunk)
                if total > self.limits.max_bytes:
                    raise SourceError(shown, f"more than {self.limits.max_bytes:,} bytes")
                out.write(chunk)
        return out_path

    # --- decoding -------------------------------------------------------------------

    def _text(self, path: Path, shown: str, plain: bool = False) -> Path:
        """``path`` decompressed and decoded to UTF-8 where it needs it."""
        try:
            with path.open("rb") as fh:
                head = fh.read(4096)
        except OSError as exc:
            raise SourceError(shown, f"cannot read: {exc.strerror or exc}") from None
        made = path
        if head.startswith(GZIP_MAGIC):
            made = self._gunzip(path, shown)
            with made.open("rb") as fh:
                head = fh.read(4096)
        made = self._decode(made, head, shown)
        if made != path or not plain:
            self.given[str(made)] = _Given(shown, _source_of(path, shown))
        return made

    def _gunzip(self, path: Path, shown: str) -> Path:
        name = path.name[:-3] if path.name.lower().endswith(".gz") else path.name
        out_path = self.new_path(name)
        total = 0
        try:
            with gzip.open(path, "rb") as src, out_path.open("wb") as out:
                while block := src.read(1 << 16):
                    total += len(block)
                    if total > self.limits.max_bytes:
                        raise SourceError(
                            shown,
                            f"gzip: more than {self.limits.max_bytes:,} bytes decompressed "
                            "(a decompression bomb?)",
                        )
                    out.write(block)
        except EOFError:
            raise SourceError(
                shown,
                f"truncated gzip file: the compressed data ends before its end marker, "
                f"after {total:,} bytes decompressed (the file was cut short)",
            ) from None
        except (gzip.BadGzipFile, zlib.error) as exc:
            raise SourceError(
                shown, f"damaged gzip file ({exc}) after {total:,} bytes decompressed"
            ) from None
        return out_path

    def _decode(self, path: Path, head: bytes, shown: str) -> Path:
        """UTF-16/32 with a mark re-encoded as UTF-8, a UTF-8 mark dropped; UTF-16
        without a mark refused."""
        for bom, codec, label in _BOMS:
            if head.startswith(bom):
                return self._reencode(path, shown, bom, codec, label)
        guess = _unmarked_utf16(head)
        if guess is not None:
            raise SourceError(
                shown,
                f"the text looks like {guess} without a byte-order mark: save it as UTF-8 "
                "(or UTF-16 with a byte-order mark)",
                1,
            )
        return path

    def _reencode(self, path: Path, shown: str, bom: bytes, codec: str, label: str) -> Path:
        raw = path.read_bytes()[len(bom) :]
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError as exc:
            unit = 4 if "32" in codec else 2
            cut = ", a cut code unit" if exc.start % unit else ""
            line = raw[: exc.start].decode(codec, "replace").count("\n") + 1
            raise SourceError(
                shown,
                f"the file starts with a {label} byte-order mark but is not valid {label} "
                f"(at byte {exc.start + len(bom):,}{cut})",
                line,
            ) from None
        body = text.encode("utf-8")
        if codec != "utf-8":
            body = _XML_ENCODING.sub(rb"\1\2UTF-8\2", body, count=1)
        out_path = self.new_path(path.name)
        out_path.write_bytes(body)
        return out_path


def _unmarked_utf16(head: bytes) -> str | None:
    """ "UTF-16 LE" / "UTF-16 BE" when the first bytes are ASCII text with a NUL byte
    after (LE) or before (BE) every character, else None."""
    sample = head[: len(head) - len(head) % 2][:512]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if (
        not odd.strip(b"\x00")
        and even.strip(b"\x00")
        and all(32 <= b < 127 or b in b"\t\r\n" for b in even)
    ):
        return "UTF-16 LE"
    if (
        not even.strip(b"\x00")
        and odd.strip(b"\x00")
        and all(32 <= b < 127 or b in b"\t\r\n" for b in odd)
    ):
        return "UTF-16 BE"
    return None


def _source_of(path: Path, shown: str) -> SourceFile:
    """The checksum and size of the bytes the user gave, under the name they gave."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while block := fh.read(_CHUNK):
            digest.update(block)
            size += len(block)
    return SourceFile(shown, digest.hexdigest(), size)


def read_inputs(
    paths: list[Path],
    read: Callable[[list[Path]], list[ListSnapshot]],
    idle_seconds: float | None = None,
) -> list[ListSnapshot]:
    """``read`` (``read_list_files`` with its options) over plain files made from
    ``paths``; the snapshots, errors and warnings name what the user gave."""
    limits = input_limits()
    if idle_seconds is not None:
        limits = replace(limits, idle_seconds=idle_seconds)
    with tempfile.TemporaryDirectory(prefix="hermit-input-") as tmp:
        staging = _Staging(Path(tmp), limits)
        staged = [staging.stage(p) for p in paths]
        # a companion named as well is read with its sdn.csv (as read_list_files does)
        staged = [
            s
            for s, p in zip(staged, paths, strict=True)
            if str(p) == STDIN or s != p or p.resolve() not in staging.companions
        ]
        given = staging.given
        if not given:
            return read(staged)
        try:
            snapshots = read(staged)
        except SourceError as exc:
            mark = given.get(exc.path)
            if mark is None:
                raise
            raise SourceError(
                mark.shown, _renamed(exc.problem, given), exc.line, exc.unit
            ) from None
        return [_as_given(s, given) for s in snapshots]


def _renamed(text: str, given: dict[str, _Given]) -> str:
    for made, mark in given.items():
        text = text.replace(made, mark.shown)
    return text


def _as_given(snapshot: ListSnapshot, given: dict[str, _Given]) -> ListSnapshot:
    """The snapshot with the user's names (and their bytes' checksums) where the made
    files were: in its file list, every entity's provenance and every warning."""
    snapshot.files = [given[f.path].source if f.path in given else f for f in snapshot.files]
    for entity in snapshot.entities:
        mark = given.get(entity.provenance.file)
        if mark is not None:
            entity.provenance = replace(entity.provenance, file=mark.shown)
    snapshot.warnings = [_renamed(w, given) for w in snapshot.warnings]
    return snapshot
