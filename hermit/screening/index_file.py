"""The file format of a persisted screening index: pickled parts, big dicts in shards.

A file is ``MAGIC``, the length of a JSON header, the header (the index's key, when it
was built, the body's length and where each part is, with its SHA-256), the header's
own SHA-256, then the parts. Every part is checked against its digest when it is read,
before anything of it is unpickled: a damaged or truncated file is refused
(IndexFileError), never served in part. Opening checks the header and the body's
length; ``verify`` checks every part (what a whole load does anyway).

A part is either one pickle (protocol 5) or, for a big dict with string keys, a
ShardedDict: its items split into shards by a stable hash of the key (crc32), each shard
a pickle of its own with its digest, plus the keys in their original order. A
ShardedDict unpickles (and checks) only the shards a lookup touches, so a single screen
reads a few hundred kilobytes of a tens-of-megabytes index; ``materialize`` turns it
back into the plain dict it was built from (same items, same order) for a long run. A
shard found damaged during a lookup raises IndexFileError there.

Unpickling trusts the file: it lives beside the store, which its writer can change
anyway (the same trust as the store itself).
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import struct
import tempfile
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from hermit.errors import HermitError

MAGIC = b"HERMITIX"
FORMAT = 2
PROTOCOL = 5
_LENGTH = struct.Struct("<Q")
_DIGEST_BYTES = 32


def _sha(data: bytes | memoryview) -> bytes:
    return hashlib.sha256(data).digest()


class IndexFileError(HermitError):
    """A persisted index that cannot be used (damaged, truncated, another format)."""


def _bucket(key: str, shards: int) -> int:
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % shards


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Unpickling makes many long-lived objects: the cyclic collector would walk them
    again and again for nothing (none of them is garbage)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Body:
    """The parts of an open index file, sliced as bytes: read from the file on demand
    (``os.pread``: a single screen reads a few hundred kilobytes), or from memory when
    the whole file was read at once (a whole load)."""

    def __init__(self, path: Path, start: int, length: int, whole: bytes | None) -> None:
        self._path = path
        self._start = start
        self._length = length
        self._memory = None if whole is None else memoryview(whole)[start : start + length]
        self._file = None if whole is not None else path.open("rb", buffering=0)

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, where: slice) -> bytes | memoryview:
        start, stop = int(where.start), int(where.stop)
        if self._memory is not None:
            return self._memory[start:stop]
        assert self._file is not None
        try:
            data = os.pread(self._file.fileno(), stop - start, self._start + start)
        except OSError as exc:
            raise IndexFileError(f"{self._path}: cannot read the index: {exc}") from exc
        if len(data) != stop - start:
            raise IndexFileError(f"{self._path}: truncated while it was read")
        return data


class ShardedDict(Mapping[str, Any]):
    """A read-only dict persisted in shards, unpickled shard by shard on first use."""

    __slots__ = ("_bounds", "_data", "_digests", "_meta", "_path", "_shards", "_size")

    def __init__(self, data: _Body, meta: dict[str, Any], path: Path) -> None:
        start, count = int(meta["offset"]), int(meta["shards"])
        end = start + 8 * (count + 1) + _DIGEST_BYTES * count
        table = data[start:end]
        if len(table) != end - start or _sha(table).hex() != meta["table_sha256"]:
            raise IndexFileError(f"{path}: damaged (a shard table does not match its digest)")
        self._bounds = struct.unpack_from(f"<{count + 1}Q", table)
        self._digests = table[8 * (count + 1) :]
        self._data = data
        self._meta = meta
        self._path = path
        self._shards: list[dict[str, Any] | None] = [None] * count
        self._size = int(meta["size"])

    def _load(self, i: int) -> dict[str, Any]:
        blob = self._data[self._bounds[i] : self._bounds[i + 1]]
        if _sha(blob) != self._digests[_DIGEST_BYTES * i : _DIGEST_BYTES * (i + 1)]:
            raise IndexFileError(f"{self._path}: damaged (shard {i} does not match its digest)")
        with _gc_paused():
            shard: dict[str, Any] = pickle.loads(blob)
        self._shards[i] = shard
        return shard

    def _shard(self, key: str) -> dict[str, Any]:
        i = _bucket(key, len(self._shards))
        shard = self._shards[i]
        return self._load(i) if shard is None else shard

    def __getitem__(self, key: str) -> Any:
        return self._shard(key)[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self._shard(key).get(key, default)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self._shard(key)

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[str]:
        return iter(self.materialize())

    def materialize(self) -> dict[str, Any]:
        """The whole dict, as it was built (its items in their original order)."""
        offset, length = int(self._meta["order_offset"]), int(self._meta["order_length"])
        blob = self._data[offset : offset + length]
        if _sha(blob).hex() != self._meta["order_sha256"]:
            raise IndexFileError(f"{self._path}: damaged (a key order does not match its digest)")
        with _gc_paused():
            keys: list[str] = pickle.loads(blob)
            merged: dict[str, Any] = {}
            for i, shard in enumerate(self._shards):
                merged.update(self._load(i) if shard is None else shard)
            return dict(zip(keys, map(merged.__getitem__, keys), strict=True))


def shardable(value: object, min_items: int) -> bool:
    """A dict big enough to shard, with string keys only."""
    return (
        isinstance(value, dict)
        and len(value) >= min_items
        and all(isinstance(k, str) for k in value)
    )


class _Writer:
    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.size = 0

    def add(self, data: bytes) -> tuple[int, int]:
        offset = self.size
        self.chunks.append(data)
        self.size += len(data)
        return offset, len(data)

    def pickle(self, value: object) -> dict[str, Any]:
        blob = pickle.dumps(value, protocol=PROTOCOL)
        offset, length = self.add(blob)
        return {"kind": "pickle", "offset": offset, "length": length, "sha256": _sha(blob).hex()}

    def sharded(self, value: dict[str, Any], per_shard: int) -> dict[str, Any]:
        count = max(1, len(value) // per_shard)
        shards: list[dict[str, Any]] = [{} for _ in range(count)]
        for key, item in value.items():
            shards[_bucket(key, count)][key] = item
        blobs = [pickle.dumps(shard, protocol=PROTOCOL) for shard in shards]
        bounds = [self.size + 8 * (count + 1) + _DIGEST_BYTES * count]
        for blob in blobs:
            bounds.append(bounds[-1] + len(blob))
        table = struct.pack(f"<{count + 1}Q", *bounds) + b"".join(_sha(b) for b in blobs)
        offset, _ = self.add(table)
        for blob in blobs:
            self.add(blob)
        order = pickle.dumps(list(value), protocol=PROTOCOL)
        order_offset, order_length = self.add(order)
        return {
            "kind": "sharded",
            "offset": offset,
            "shards": count,
            "size": len(value),
            "table_sha256": _sha(table).hex(),
            "order_offset": order_offset,
            "order_length": order_length,
            "order_sha256": _sha(order).hex(),
        }


def write_index_file(
    path: Path, header: dict[str, Any], parts: dict[str, tuple[object, int | None]]
) -> int:
    """Write ``parts`` (name: (value, items per shard, or None for one pickle)) with
    ``header`` to ``path``, atomically (a temporary file renamed into place). The size
    in bytes."""
    body = _Writer()
    sections = {
        name: body.pickle(value) if per_shard is None else body.sharded(value, per_shard)  # type: ignore[arg-type]
        for name, (value, per_shard) in parts.items()
    }
    head = orjson.dumps(
        {**header, "format": FORMAT, "body_length": body.size, "sections": sections}
    )
    prefix = b"".join([MAGIC, _LENGTH.pack(len(head)), head, _sha(head)])
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        # readable as the folder is (mkstemp makes it private), never executable
        os.chmod(tmp, path.parent.stat().st_mode & 0o666)
        with os.fdopen(fd, "wb") as fh:
            fh.write(prefix)
            for chunk in body.chunks:  # not joined: the index is big enough in memory
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(prefix) + body.size


class IndexFile:
    """A persisted index read into memory: its header checked, its parts checked as
    they are read."""

    def __init__(self, path: Path, *, whole: bool = True) -> None:
        """``whole``: the file is read at once (a whole load, or a check of every part);
        otherwise the header only, and each part when it is asked for."""
        self.path = path
        try:
            if whole:
                raw = path.read_bytes()
                size = len(raw)
            else:
                with path.open("rb") as fh:
                    size = os.fstat(fh.fileno()).st_size
                    raw = fh.read(len(MAGIC) + _LENGTH.size)
                    if len(raw) == len(MAGIC) + _LENGTH.size:
                        (length,) = _LENGTH.unpack_from(raw, len(MAGIC))
                        raw += fh.read(min(length, size) + _DIGEST_BYTES)
        except OSError as exc:
            raise IndexFileError(f"{path}: cannot read the index: {exc}") from exc
        start = len(MAGIC) + _LENGTH.size
        if len(raw) < start or raw[: len(MAGIC)] != MAGIC:
            raise IndexFileError(f"{path}: not a hermit index file (or truncated)")
        (length,) = _LENGTH.unpack_from(raw, len(MAGIC))
        head = raw[start : start + length]
        digest = raw[start + length : start + length + _DIGEST_BYTES]
        if len(head) != length or _sha(head) != digest:
            raise IndexFileError(f"{path}: damaged (its header does not match its digest)")
        try:
            self.header: dict[str, Any] = orjson.loads(head)
        except orjson.JSONDecodeError as exc:
            raise IndexFileError(f"{path}: unreadable header: {exc}") from exc
        if self.header.get("format") != FORMAT:
            raise IndexFileError(f"{path}: index format {self.header.get('format')}, not {FORMAT}")
        body = start + length + _DIGEST_BYTES
        if size - body != self.header.get("body_length"):
            raise IndexFileError(f"{path}: truncated (or grown): not the length it was written")
        self._body = _Body(path, body, size - body, raw if whole else None)

    def part(self, name: str) -> Any:
        """A part: the unpickled value, or a ShardedDict for a sharded one."""
        meta = self.header["sections"][name]
        if meta["kind"] == "sharded":
            return ShardedDict(self._body, meta, self.path)
        offset, length = int(meta["offset"]), int(meta["length"])
        blob = self._body[offset : offset + length]
        if _sha(blob).hex() != meta["sha256"]:
            raise IndexFileError(f"{self.path}: damaged (part {name} does not match its digest)")
        with _gc_paused():
            return pickle.loads(blob)

    def verify(self) -> None:
        """Check every part against its digest (IndexFileError at the first that fails)."""
        for name, meta in self.header["sections"].items():
            if meta["kind"] == "sharded":
                sharded = ShardedDict(self._body, meta, self.path)
                offset, length = int(meta["order_offset"]), int(meta["order_length"])
                if _sha(self._body[offset : offset + length]).hex() != meta["order_sha256"]:
                    raise IndexFileError(f"{self.path}: damaged (part {name}'s key order)")
                for i in range(int(meta["shards"])):
                    blob = self._body[sharded._bounds[i] : sharded._bounds[i + 1]]
                    if _sha(blob) != sharded._digests[_DIGEST_BYTES * i : _DIGEST_BYTES * (i + 1)]:
                        raise IndexFileError(f"{self.path}: damaged (part {name}, shard {i})")
            else:
                offset, length = int(meta["offset"]), int(meta["length"])
                if _sha(self._body[offset : offset + length]).hex() != meta["sha256"]:
                    raise IndexFileError(f"{self.path}: damaged (part {name})")
