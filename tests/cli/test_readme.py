"""The README stays true: its two set-up commands exist and every hermit command it
shows is a real command (checked through --help, without touching any store)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.cli.helpers import hermit

README = Path(__file__).resolve().parents[2] / "README.md"


def _shown_commands() -> list[list[str]]:
    text = README.read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            words = line.split("#")[0].split()
            if words[:1] == ["hermit"]:
                commands.append([w for w in words[1:3] if not w.startswith(("-", '"', "../"))])
    return commands


def test_setup_commands_open_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    first_block = re.search(r"```sh\n(.*?)```", text, flags=re.S)
    assert first_block is not None
    lines = [line.split("#")[0].strip() for line in first_block.group(1).splitlines()]
    assert lines == ["./run demo", "./run test"]
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "exec ./run test" in ci


def test_every_command_shown_exists(tmp_path: Path) -> None:
    commands = _shown_commands()
    assert len(commands) >= 8
    for words in commands:
        path = [w for w in words if w.isidentifier() or w.isalpha()]
        path = path[:2] if path and path[0] == "lists" else path[:1]
        proc = hermit(tmp_path / "unused.duckdb", *path, "--help", check=False)
        assert proc.returncode == 0, (path, proc.stderr)
