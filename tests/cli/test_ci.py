""".ci/run fails, never skips, when a part the tests need is missing: here Java (for
PySpark) and poppler-utils (for the PDF stack), with PATH cut down to what the script
needs before it gets to them (bash, dirname; no apt-get, so nothing is installed)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO

CI = REPO / ".ci" / "run"


def _ci_with(tmp_path: Path, *tools: str) -> subprocess.CompletedProcess[str]:
    """``.ci/run`` with only ``tools`` (and bash, dirname) on PATH."""
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("without chromium .ci/run stops at installing it, before these checks")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "dirname", *tools):
        found = next(
            (Path(d) / tool for d in ("/usr/bin", "/bin") if (Path(d) / tool).exists()), None
        )
        assert found is not None, f"{tool} not found in /usr/bin or /bin"
        os.symlink(found, bin_dir / tool)
    return subprocess.run(
        [str(CI)], capture_output=True, text=True, timeout=60, env={"PATH": str(bin_dir)}
    )


def test_ci_fails_clearly_without_java(tmp_path: Path) -> None:
    if not Path("/usr/bin/pdftoppm").exists():
        pytest.skip("without pdftoppm .ci/run stops at installing it, before the Java check")
    proc = _ci_with(tmp_path, "pdftoppm")
    assert proc.returncode == 1, proc.stderr
    assert "ci: Java is missing ('java -version' failed)" in proc.stderr


def test_ci_fails_clearly_when_pdftoppm_cannot_be_installed(tmp_path: Path) -> None:
    proc = _ci_with(tmp_path)  # no pdftoppm, and no apt-get to install it with
    assert proc.returncode == 1, proc.stderr
    assert "ci: poppler-utils (pdftoppm) could not be installed" in proc.stderr
