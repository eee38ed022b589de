"""What a benchmark reports about the machine it ran on, and /proc readings it samples."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def proc_kb(path: str, field: str) -> int:
    """A ``field: N kB`` value of a /proc file (0 when the file or field is gone)."""
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def machine() -> str:
    """OS, cores, CPU model, RAM, Python, and the load average when the run started."""
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_gb = proc_kb("/proc/meminfo", "MemTotal:") / 1024 / 1024
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{platform.system()} {platform.release()} {platform.machine()}, {os.cpu_count()} cores "
        f"({model}), {mem_gb:.0f} GiB, Python {platform.python_version()}; "
        f"load average at start {load}"
    )
