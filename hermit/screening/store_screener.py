"""The Screener of a store: its current lists and its standing
suppressions, as one picklable recipe (the CLI builds it; a bulk worker that is not
forked builds its own from the same recipe)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hermit.screening.engine import Screener
from hermit.screening.persisted import Notify
from hermit.screening.suppressions import SuppressionIndex
from hermit.store import Store


@dataclass(frozen=True, slots=True)
class StoreScreener:
    """Builds the Screener of the store at ``store_path`` (opened read-only), from the
    screening index persisted beside it (built first if it is missing or stale)."""

    store_path: Path

    def build(
        self, *, lazy: bool = False, notify: Notify | None = None, rebuild: bool = False
    ) -> Screener:
        """``lazy`` for one query (only its part of the index is read); ``notify``
        hears when the index has to be built first, and why; ``rebuild`` builds it
        again (one found damaged)."""
        with Store(self.store_path, read_only=True) as store:
            decisions = SuppressionIndex.from_store(store.con)
            lookup = decisions.lookup if len(decisions) else None
            return Screener.from_persisted(
                store.con,
                self.store_path,
                suppressions=lookup,
                lazy=lazy,
                notify=notify,
                rebuild=rebuild,
            )
