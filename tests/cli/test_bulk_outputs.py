"""Where a bulk run writes (issue 11 section 2), through the real ``hermit screen
--file``: a killed run's temporary files are removed by the next run, which says so; two
runs on one output do not write over each other; a symbolic link loop, a directory or a
read-only folder as output is a clear error naming the path, never a traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.helpers import hermit


def _queries(path: Path, rows: int) -> Path:
    path.write_text(
        "id,name\n" + "".join(f"c{i},Person Number {i}\n" for i in range(rows)), encoding="utf-8"
    )
    return path


def _start(store: Path, source: Path, output: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            *(sys.executable, "-m", "hermit", "--store", str(store), "screen"),
            *("--file", str(source), "-o", str(output), "--workers", "1"),
        ],
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(path: Path, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 180
    while not path.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.2)


def test_a_killed_run_leaves_its_part_file_and_the_next_run_removes_it(
    lists_store: Path, tmp_path: Path
) -> None:
    """On main the next run wrote over the leftover without a word."""
    output = tmp_path / "out.csv"
    part = Path(f"{output}.part")
    run = _start(lists_store, _queries(tmp_path / "big.csv", 20_000), output)
    try:
        _wait_for(part, run)
        time.sleep(1)
    finally:
        run.send_signal(signal.SIGKILL)
        run.wait()
    assert part.exists() and not output.exists()  # SIGKILL: nothing can clean up
    small = _queries(tmp_path / "small.csv", 2)
    proc = hermit(lists_store, "screen", "--file", str(small), "-o", str(output), "--workers", "1")
    assert f"removed {part}: left by an earlier run on {output} that did not finish" in " ".join(
        proc.stderr.split()
    )
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("out")) == [
        "out.csv",
        "out.csv.rejects.csv",
        "out.csv.run.json",
    ]


def test_a_second_run_on_the_same_output_refuses(lists_store: Path, tmp_path: Path) -> None:
    """On main both runs wrote the same OUT.part."""
    output = tmp_path / "out.csv"
    first = _start(lists_store, _queries(tmp_path / "big.csv", 20_000), output)
    try:
        _wait_for(Path(f"{output}.part"), first)
        small = _queries(tmp_path / "small.csv", 2)
        proc = hermit(
            lists_store,
            "screen",
            "--file",
            str(small),
            "-o",
            str(output),
            "--workers",
            "1",
            check=False,
        )
        assert proc.returncode == 1
        assert proc.stderr.startswith(f"error: {output}: another run is writing it now")
        assert first.poll() is None  # the first run goes on
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()


def test_bad_output_and_input_paths_are_clear_errors(lists_store: Path, tmp_path: Path) -> None:
    """On main a symbolic link loop was a RuntimeError traceback, and a directory as
    output a traceback after the whole run."""
    small = _queries(tmp_path / "small.csv", 2)
    loop_a, loop_b = tmp_path / "a.csv", tmp_path / "b.csv"
    loop_a.symlink_to(loop_b)
    loop_b.symlink_to(loop_a)
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    for args, message in (
        ((small, loop_a), f"error: {loop_a}: a symbolic link loop"),
        ((loop_a, tmp_path / "o.csv"), f"error: {loop_a}: a symbolic link loop"),
        ((small, folder), f"error: {folder}: is a directory"),
    ):
        source, output = args
        proc = hermit(lists_store, "screen", "--file", str(source), "-o", str(output), check=False)
        assert proc.returncode == 1, (args, proc.stderr)
        assert proc.stderr.startswith(message), proc.stderr
        assert "Traceback" not in proc.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in a read-only folder")
def test_a_read_only_output_folder_is_a_clear_error(lists_store: Path, tmp_path: Path) -> None:
    small = _queries(tmp_path / "small.csv", 2)
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        proc = hermit(
            lists_store, "screen", "--file", str(small), "-o", str(folder / "o.csv"), check=False
        )
    finally:
        folder.chmod(0o755)
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"error: {folder / 'o.csv'}: cannot write in {folder}")
    assert "Traceback" not in proc.stderr
