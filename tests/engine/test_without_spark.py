"""``import hermit`` and every command work where PySpark cannot be imported (issue 17:
the CI step that checks it): a Python whose ``pyspark`` and ``py4j`` imports fail runs
``hermit --help``, ``hermit screen --help`` and a bulk run on this machine, and
``--engine spark`` there is one clear line, not a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

#: Makes ``import pyspark`` (and py4j) raise ImportError in the child process.
BLOCK = "import sys; sys.modules['pyspark'] = None; sys.modules['py4j'] = None; "


def _hermit(*args: str) -> subprocess.CompletedProcess[str]:
    code = BLOCK + "from hermit.cli import main; sys.argv = ['hermit', *sys.argv[1:]]; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "COLUMNS": "200"},
    )


def test_the_block_works() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", BLOCK + "import pyspark"], capture_output=True, text=True
    )
    assert proc.returncode == 1 and "ModuleNotFoundError" in proc.stderr


def test_import_hermit_and_help_without_pyspark() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", BLOCK + "import hermit, hermit.engine, hermit.cli; print('ok')"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr
    assert _hermit("--help").returncode == 0
    screen = _hermit("screen", "--help")
    assert (
        screen.returncode == 0 and "--engine" in screen.stdout and "--spark-master" in screen.stdout
    )


def test_a_local_bulk_run_and_a_clear_error_for_spark_without_pyspark(
    lists_store: Path, tmp_path: Path
) -> None:
    """On main there was no --engine: the last command was a usage error."""
    source = tmp_path / "q.csv"
    source.write_text("id,name\nc1,Kim Yong Chol\nc2,Anna Berger\n", encoding="utf-8")
    store = ("--store", str(lists_store))
    out = tmp_path / "out.csv"
    local = _hermit(*store, "screen", "--file", str(source), "-o", str(out), "--workers", "1")
    assert local.returncode == 0, local.stderr
    assert out.read_text(encoding="utf-8").count("\n") >= 3
    spark = _hermit(
        *store,
        "screen",
        "--file",
        str(source),
        "--engine",
        "spark",
        "--out",
        str(tmp_path / "s.parquet"),
    )
    assert spark.returncode == 1, spark.stderr
    assert "Traceback" not in spark.stderr
    assert "needs PySpark" in spark.stderr and "pip install 'hermit[spark]'" in spark.stderr
    assert not (tmp_path / "s.parquet").exists()
