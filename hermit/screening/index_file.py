"""The file format of a persisted screening index: pickled parts, big dicts in shards.

A file is ``MAGIC``, the length of a JSON header, the header (the index's key, when it
was built, and where each part is), the parts, and a SHA-256 of everything before it.
``read_index_file`` checks the magic, the length and the digest before anything is
unpickled, so a damaged or truncated file is refused whole (IndexFileError), never
served in part.

A part is either one pickle (protocol 5) or, for a big dict with string keys, a
ShardedDict: its items split into shards by a stable hash of the key (crc32), each shard
a pickle of its own, plus the keys in their original order. A ShardedDict unpickles
only the shards a lookup touches, so a single screen reads a few hundred kilobytes of a
tens-of-megabytes index; ``materialize`` turns it back into the plain dict it was built
from (same items, same order) for a long run.

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
FORMAT = 1
PROTOCOL = 5
_LENGTH = struct.Struct("<Q")
_DIGEST_BYTES = 32


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


class ShardedDict(Mapping[str, Any]):
    """A read-only dict persisted in shards, unpickled shard by shard on first use."""

    __slots__ = ("_bounds", "_data", "_order", "_shards", "_size")

    def __init__(self, data: memoryview, meta: dict[str, Any]) -> None:
        start, count = int(meta["offset"]), int(meta["shards"])
        self._bounds = struct.unpack_from(f"<{count + 1}Q", data, start)
        self._data = data
        self._shards: list[dict[str, Any] | None] = [None] * count
        self._size = int(meta["size"])
        self._order = (int(meta["order_offset"]), int(meta["order_length"]))

    def _shard(self, key: str) -> dict[str, Any]:
        i = _bucket(key, len(self._shards))
        shard = self._shards[i]
        if shard is None:
            with _gc_paused():
                shard = pickle.loads(self._data[self._bounds[i] : self._bounds[i + 1]])
            self._shards[i] = shard
        return shard

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
        offset, length = self._order
        with _gc_paused():
            keys: list[str] = pickle.loads(self._data[offset : offset + length])
            for i, shard in enumerate(self._shards):
                if shard is None:
                    self._shards[i] = pickle.loads(
                        self._data[self._bounds[i] : self._bounds[i + 1]]
                    )
            merged: dict[str, Any] = {}
            for shard in self._shards:
                assert shard is not None
                merged.update(shard)
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
        offset, length = self.add(pickle.dumps(value, protocol=PROTOCOL))
        return {"kind": "pickle", "offset": offset, "length": length}

    def sharded(self, value: dict[str, Any], per_shard: int) -> dict[str, Any]:
        count = max(1, len(value) // per_shard)
        shards: list[dict[str, Any]] = [{} for _ in range(count)]
        for key, item in value.items():
            shards[_bucket(key, count)][key] = item
        blobs = [pickle.dumps(shard, protocol=PROTOCOL) for shard in shards]
        body = self.size + 8 * (count + 1)
        bounds = [body]
        for blob in blobs:
            bounds.append(bounds[-1] + len(blob))
        offset, _ = self.add(struct.pack(f"<{count + 1}Q", *bounds))
        for blob in blobs:
            self.add(blob)
        order_offset, order_length = self.add(pickle.dumps(list(value), protocol=PROTOCOL))
        return {
            "kind": "sharded",
            "offset": offset,
            "shards": count,
            "size": len(value),
            "order_offset": order_offset,
            "order_length": order_length,
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
    head = orjson.dumps({**header, "format": FORMAT, "sections": sections})
    data = b"".join([MAGIC, _LENGTH.pack(len(head)), head, *body.chunks])
    data += hashlib.sha256(data).digest()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        # readable as the folder is (mkstemp makes it private), never executable
        os.chmod(tmp, path.parent.stat().st_mode & 0o666)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(data)


class IndexFile:
    """A persisted index read into memory and checked: its header and its parts."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise IndexFileError(f"{path}: cannot read the index: {exc}") from exc
        start = len(MAGIC) + _LENGTH.size
        if len(raw) < start + _DIGEST_BYTES or raw[: len(MAGIC)] != MAGIC:
            raise IndexFileError(f"{path}: not a hermit index file (or truncated)")
        if hashlib.sha256(memoryview(raw)[:-_DIGEST_BYTES]).digest() != raw[-_DIGEST_BYTES:]:
            raise IndexFileError(f"{path}: damaged (its checksum does not match its content)")
        (length,) = _LENGTH.unpack_from(raw, len(MAGIC))
        try:
            self.header: dict[str, Any] = orjson.loads(raw[start : start + length])
        except orjson.JSONDecodeError as exc:
            raise IndexFileError(f"{path}: unreadable header: {exc}") from exc
        if self.header.get("format") != FORMAT:
            raise IndexFileError(f"{path}: index format {self.header.get('format')}, not {FORMAT}")
        self._body = memoryview(raw)[start + length : -_DIGEST_BYTES]

    def part(self, name: str) -> Any:
        """A part: the unpickled value, or a ShardedDict for a sharded one."""
        meta = self.header["sections"][name]
        if meta["kind"] == "sharded":
            return ShardedDict(self._body, meta)
        offset, length = int(meta["offset"]), int(meta["length"])
        with _gc_paused():
            return pickle.loads(self._body[offset : offset + length])
