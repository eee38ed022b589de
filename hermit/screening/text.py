"""Name text to comparable tokens (hermit.names.tokens, where the name modules use it;
kept here for the screening modules and tests that import it from here)."""

from __future__ import annotations

from hermit.names.tokens import _APOSTROPHES, ASCII_CATEGORIES, name_tokens

__all__ = ["ASCII_CATEGORIES", "_APOSTROPHES", "name_tokens"]
