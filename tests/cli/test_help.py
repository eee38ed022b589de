"""``--help`` of every command as a user reads it: flags without a value type, and
paragraphs that wrap to the terminal instead of breaking where the source did."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main
from typer.core import TyperGroup, TyperOption

from hermit.cli import app
from tests.cli.helpers import hermit


def commands() -> list[tuple[list[str], list[TyperOption]]]:
    """Every command path of the CLI (groups too) with its flag options."""
    out: list[tuple[list[str], list[TyperOption]]] = []

    def walk(command: object, path: list[str]) -> None:
        params = getattr(command, "params", [])
        flags = [p for p in params if isinstance(p, TyperOption) and p.is_flag]
        out.append((path, flags))
        if isinstance(command, TyperGroup):
            for name, sub in command.commands.items():
                walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return out


COMMANDS = commands()


def test_the_walk_finds_the_commands_and_their_flags() -> None:
    paths = {" ".join(path) for path, _ in COMMANDS}
    assert {"", "screen", "show", "lists diff", "lists download", "suppress list"} <= paths
    assert len(paths) >= 19
    flags = {opt for _, found in COMMANDS for p in found for opt in p.opts}
    assert {"--json", "--keep", "--load", "--open-reads", "--all"} <= flags


@pytest.mark.parametrize("path", [path for path, _ in COMMANDS], ids=" ".join)
def test_help_shows_flags_without_a_value(tmp_path: Path, path: list[str]) -> None:
    proc = hermit(tmp_path / "s.duckdb", *path, "--help", columns=80)
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert "<bool>" not in text
    assert "--help " in text
    flags = next(found for p, found in COMMANDS if p == path)
    lines = text.splitlines()
    for flag in flags:
        opt = flag.opts[0]
        line = next(line for line in lines if f"{opt} " in line)
        # the flag's line holds its names, then straight away its help: no type column
        after = line.split(opt, 1)[1]
        for other in flag.secondary_opts:
            after = after.replace(other, "")
        words = after.strip(" │").split()
        assert words and not words[0].startswith("<"), line
    assert max(len(line) for line in lines) <= 80


def test_a_paragraph_wraps_to_the_terminal_not_to_the_source(tmp_path: Path) -> None:
    text = hermit(tmp_path / "s.duckdb", "--help", columns=80).stdout
    # screen's docstring breaks after "or with": the listing keeps reading on
    assert "or with --file a whole file" in text
    wide = hermit(tmp_path / "s.duckdb", "serve", "--help", columns=160).stdout
    assert "reconciliation, batch jobs) and the web interface" in wide
