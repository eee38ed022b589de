"""Help that reads well at any width, with flags shown as flags.

typer 0.29 prints a type for every option in ``--help``, flags included: ``--json
<bool>`` and ``--help <bool>`` read as if they took a value (hermit is now bounded below
0.29 for its start-up time, see pyproject.toml, and 0.28 prints flags bare; this keeps
them bare whichever typer renders them).
``Group`` (the class of every ``typer.Typer`` of the CLI) gives each flag of its own and
of its commands an empty metavar before help is shown, so a flag appears bare
(``--json``, ``--load/--no-load``), and options that take a value keep theirs (``--dob
<str>``).

In its rich mode typer also keeps the line breaks of a docstring, so a paragraph wrapped
at 88 columns in the source came out broken in two on an 80-column terminal. ``Group``
joins the lines of each paragraph of its commands' help (paragraphs stay apart, and a
paragraph marked ``\\b`` stays as written) and lets the terminal wrap them.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import TYPE_CHECKING

from typer.core import TyperGroup, TyperOption

if TYPE_CHECKING:  # typer's own copy of click (typer 0.28 and later vendor it)
    from typer._click.core import Command, Context, Parameter


def joined_paragraphs(text: str) -> str:
    """``text`` with the lines of each paragraph joined by spaces (``\\b`` paragraphs,
    verbatim in click's convention, are kept as they are)."""
    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(p if p.startswith("\b") else " ".join(p.split()) for p in paragraphs)


def bare_flags(params: Iterable[Parameter]) -> None:
    """Give every flag among ``params`` an empty metavar (its help shows no type)."""
    for param in params:
        if isinstance(param, TyperOption) and param.is_flag and param.metavar is None:
            param.metavar = ""


class Group(TyperGroup):
    """A typer group whose help, and its commands' help, show flags without a type."""

    def get_params(self, ctx: Context) -> list[Parameter]:
        params = super().get_params(ctx)
        bare_flags(params)
        return params

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None and not isinstance(command, TyperGroup):
            bare_flags(command.get_params(ctx))  # also makes and keeps its --help option
        if command is not None and command.help is not None:
            command.help = joined_paragraphs(command.help)
        return command
