"""Analysts' decisions that a screening hit was reviewed and is not a match.

A decision covers one listed entity and either a query id (a customer number: the same
customer screened again) or a query name, compared normalised (case, spacing, accents
and scripts folded by ``name_tokens``), so ``KIM, Yong-chol`` and ``kim yong chol`` are
one key. It records the facts of the query that was reviewed (date of birth,
nationality, identifiers ...: facts.py) and the listed entity's state at the time
(entity_state.py), and suppresses a later hit only while both are unchanged; otherwise
the hit alerts again and says which decision no longer applies and why (index.py).
Decisions live in the store's ``suppressions`` table, outside the list versions;
replacing or removing one keeps its row (records.py). The Screener reads them through
``SuppressionIndex.lookup``, loaded when the Screener is built.
"""

from hermit.screening.suppressions.facts import describe, differences, fact_text, query_facts
from hermit.screening.suppressions.index import SuppressionIndex
from hermit.screening.suppressions.records import (
    Suppression,
    SuppressionError,
    add,
    listed,
    name_key,
    remove,
)

__all__ = [
    "Suppression",
    "SuppressionError",
    "SuppressionIndex",
    "add",
    "describe",
    "differences",
    "fact_text",
    "listed",
    "name_key",
    "query_facts",
    "remove",
]
