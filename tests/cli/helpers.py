"""Run the real ``hermit`` program in a subprocess, as a user would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / "hermit" / "resources" / "samples"


def hermit(
    store: Path,
    *args: str,
    check: bool = True,
    columns: int = 200,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``hermit --store STORE ARGS`` on a terminal ``columns`` wide (no colours), with
    ``env`` added to the environment."""
    proc = subprocess.run(
        [sys.executable, "-m", "hermit", "--store", str(store), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={"COLUMNS": str(columns), "PATH": "/usr/bin:/bin", "NO_COLOR": "1", **(env or {})},
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"hermit {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc
