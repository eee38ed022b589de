"""What ``hermit lists load`` is given besides a plain file: ``-`` (standard input), a
named pipe, gzip; and what it refuses at once: a socket, a device, a directory, a pipe
nobody writes to (after ``--input-timeout``), a truncated gzip file. Never a wait for
ever, never a traceback, the store unchanged by a refusal. Before, ``-`` was "no such
file", a pipe nobody wrote to hung the load, /dev/zero was read for ever, a directory
with ``--kind`` was a traceback and gzip files were "a binary file"."""

from __future__ import annotations

import gzip
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

import orjson
import pytest

from tests.cli.helpers import SAMPLES, hermit

EU = "eu_fsf_sample_2020-04-15.xml"


def run(
    store: Path, *args: str, stdin: IO[bytes] | int | None = subprocess.DEVNULL, timeout: float = 90
) -> subprocess.CompletedProcess[str]:
    """``hermit --store STORE ARGS`` with ``stdin``; fails the test if it hangs."""
    return subprocess.run(
        [sys.executable, "-m", "hermit", "--store", str(store), *args],
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
    )


def entities(store: Path) -> list[dict[str, object]]:
    """The store's entities as exported, without their provenance's file name."""
    out = hermit(store, "export").stdout.splitlines()
    rows = [orjson.loads(line) for line in out if line.startswith("{")]
    for row in rows:
        row["hermit"]["provenance"].pop("file")
        row["hermit"]["provenance"].pop("list_version", None)
    return sorted(rows, key=lambda r: str(r["id"]))


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory, shared_lists: Path) -> list[dict[str, object]]:
    """The EU file's entities, loaded from the file itself."""
    store = tmp_path_factory.mktemp("clean") / "store.duckdb"
    hermit(store, "lists", "load", "--no-index", str(shared_lists / EU))
    return entities(store)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, shared_lists: Path) -> Path:
    """A store holding the EU file, for refusals to leave unchanged."""
    path = tmp_path_factory.mktemp("inputs") / "store.duckdb"
    hermit(path, "lists", "load", "--no-index", str(shared_lists / EU))
    return path


def _refused(store: Path, given: str, expected: str, *more: str, within: float = 60) -> None:
    before = hermit(store, "lists", "history").stdout
    started = time.monotonic()
    proc = run(store, "lists", "load", "--no-index", *more, given, timeout=within)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    message = " ".join(proc.stderr.split())
    assert f"error: {given}: {expected}" in message, message
    assert time.monotonic() - started < within
    assert hermit(store, "lists", "history").stdout == before


def test_standard_input_is_read(
    tmp_path: Path, shared_lists: Path, clean: list[dict[str, object]]
) -> None:
    store = tmp_path / "store.duckdb"
    with (shared_lists / EU).open("rb") as fh:
        proc = run(store, "lists", "load", "--no-index", "-", stdin=fh)
    assert proc.returncode == 0, proc.stderr
    assert "loaded eu_fsf v1" in proc.stdout
    assert entities(store) == clean
    assert "<stdin>" in hermit(store, "export").stdout  # provenance names standard input


def test_standard_input_with_kind_and_a_pipe_from_a_process(
    tmp_path: Path, shared_lists: Path, clean: list[dict[str, object]]
) -> None:
    store = tmp_path / "store.duckdb"
    cat = subprocess.Popen(["cat", str(shared_lists / EU)], stdout=subprocess.PIPE)
    proc = run(store, "lists", "load", "--no-index", "--kind", "eu-fsf-xml", "-", stdin=cat.stdout)
    cat.wait()
    assert proc.returncode == 0, proc.stderr
    assert entities(store) == clean


def test_empty_standard_input_and_a_terminal_are_refused(store: Path) -> None:
    before = hermit(store, "lists", "history").stdout
    proc = run(store, "lists", "load", "--no-index", "-")  # stdin is /dev/null
    assert proc.returncode == 1 and "error: <stdin>: the file is empty" in proc.stderr
    leader, follower = os.openpty()
    try:
        proc = run(store, "lists", "load", "--no-index", "-", stdin=follower, timeout=60)
    finally:
        os.close(follower)
        os.close(leader)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "error: <stdin>: standard input is a terminal" in " ".join(proc.stderr.split())
    assert hermit(store, "lists", "history").stdout == before


def test_a_named_pipe_is_read(
    tmp_path: Path, shared_lists: Path, clean: list[dict[str, object]]
) -> None:
    fifo = tmp_path / "eu.xml"
    os.mkfifo(fifo)

    def write() -> None:
        time.sleep(1)  # the load is waiting by then
        with fifo.open("wb") as out:
            out.write((shared_lists / EU).read_bytes())

    writer = threading.Thread(target=write)
    writer.start()
    store = tmp_path / "store.duckdb"
    proc = run(store, "lists", "load", "--no-index", str(fifo))
    writer.join()
    assert proc.returncode == 0, proc.stderr
    assert entities(store) == clean


def test_a_named_pipe_nobody_writes_to_is_refused_after_the_timeout(
    store: Path, tmp_path: Path
) -> None:
    fifo = tmp_path / "nobody.xml"
    os.mkfifo(fifo)
    _refused(store, str(fifo), "nothing to read for 1 s", "--input-timeout", "1", within=60)


def test_socket_device_and_directory_are_refused_at_once(store: Path, tmp_path: Path) -> None:
    path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen()
    try:
        _refused(store, str(path), "is a socket, not a list file")
    finally:
        server.close()
    _refused(store, "/dev/zero", "is a device, not a list file", "--kind", "ftm-json")
    folder = tmp_path / "folder"
    folder.mkdir()
    _refused(store, str(folder), "is a directory, not a list file", "--kind", "ftm-json")


def test_gzip_is_read_and_a_truncated_one_refused(
    store: Path, tmp_path: Path, shared_lists: Path, clean: list[dict[str, object]]
) -> None:
    packed = gzip.compress((shared_lists / EU).read_bytes())
    good = tmp_path / "eu.xml.gz"
    good.write_bytes(packed)
    fresh = tmp_path / "store.duckdb"
    hermit(fresh, "lists", "load", "--no-index", str(good))
    assert entities(fresh) == clean
    cut = tmp_path / "cut.xml.gz"
    cut.write_bytes(packed[: len(packed) // 2])
    _refused(store, str(cut), "truncated gzip file: the compressed data ends before its end marker")
    flipped = bytearray(packed)
    flipped[-6] ^= 0xFF  # the CRC
    bad = tmp_path / "crc.xml.gz"
    bad.write_bytes(bytes(flipped))
    _refused(store, str(bad), "damaged gzip file")


def test_gzipped_ofac_set_keeps_its_companions(tmp_path: Path) -> None:
    names = ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")  # the bundled OFAC set
    plain, packed = tmp_path / "plain", tmp_path / "packed"
    plain.mkdir()
    packed.mkdir()
    for name in names:
        shutil.copyfile(SAMPLES / name, plain / name)
        (packed / f"{name}.gz").write_bytes(gzip.compress((SAMPLES / name).read_bytes()))
    mixed = tmp_path / "mixed"  # only sdn.csv gzipped
    shutil.copytree(plain, mixed)
    (mixed / "sdn.csv").unlink()
    (mixed / "sdn.csv.gz").write_bytes((packed / "sdn.csv.gz").read_bytes())
    a, b, c = (tmp_path / f"{x}.duckdb" for x in "abc")
    hermit(a, "lists", "load", "--no-index", str(plain / "sdn.csv"))
    proc = hermit(b, "lists", "load", "--no-index", str(packed / "sdn.csv.gz"))
    assert "loaded us_ofac_sdn v1" in proc.stdout
    hermit(c, "lists", "load", "--no-index", str(mixed / "sdn.csv.gz"))
    clean = entities(a)
    assert entities(b) == clean and entities(c) == clean  # aliases and addresses too
    assert "hermit-input-" not in hermit(b, "export").stdout
