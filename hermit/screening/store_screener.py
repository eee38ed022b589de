"""The Screener of a store: its current lists and its standing
suppressions, as one picklable recipe (the CLI builds it; a bulk worker that is not
forked builds its own from the same recipe)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hermit.screening import store_facts
from hermit.screening.engine import Screener, SuppressionLookup
from hermit.screening.persisted import Notify
from hermit.screening.store_facts import StoreFacts
from hermit.store import Store


@dataclass(frozen=True, slots=True)
class StoreScreener:
    """Builds the Screener of the store at ``store_path`` (opened read-only), from the
    screening index persisted beside it (built first if it is missing or stale). One
    screen of a store unchanged since it was last read opens no database: the store's
    facts kept beside the index are enough (hermit.screening.store_facts)."""

    store_path: Path

    def build(
        self, *, lazy: bool = False, notify: Notify | None = None, rebuild: bool = False
    ) -> Screener:
        """``lazy`` for one query (only its part of the index is read); ``notify``
        hears when the index has to be built first, and why; ``rebuild`` builds it
        again (one found damaged)."""
        if lazy and not rebuild:
            kept = store_facts.cached(self.store_path)
            if kept is not None:
                found = Screener.from_index(
                    self.store_path, kept.lists, suppressions=_lookup(kept), lazy=True
                )
                if found is not None:
                    return found
        before = store_facts.signature(self.store_path)
        with Store(self.store_path, read_only=True) as store:
            facts = StoreFacts.read(store.con, store.state)
            screener = Screener.from_persisted(
                store.con,
                self.store_path,
                suppressions=_lookup(facts),
                lazy=lazy,
                notify=notify,
                rebuild=rebuild,
                lists=facts.lists,
            )
        store_facts.keep(self.store_path, before, facts)
        return screener


def _lookup(facts: StoreFacts) -> SuppressionLookup | None:
    decisions = facts.suppressions()
    return decisions.lookup if len(decisions) else None
