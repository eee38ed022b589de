"""The screening engine: candidate index, pair scorer and suppressions behind one call.

``Screener.from_store`` builds everything from the current lists in a store;
``Screener.screen`` answers one query with the listed entities it may be, best first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from hermit.model.schema import NAME_PROPS
from hermit.screening import algorithms, persisted, scorer
from hermit.screening.candidates import DEFAULT_LIMIT, CandidateIndex
from hermit.screening.listed import SCREENED_SCHEMATA, ListedEntity
from hermit.screening.memo import ScreenMemo, row_key
from hermit.screening.query import Query
from hermit.screening.result import ListVersion, Match, Review, RunInfo
from hermit.screening.scorer import PreparedQuery
from hermit.store import read

if TYPE_CHECKING:
    import duckdb

    from hermit.model import Entity

#: Looks up analysts' decisions on a (query, entity id) pair: the one that applies or the
#: one that no longer does (a Review), or None when the pair was never reviewed.
SuppressionLookup = Callable[[Query, str], Review | None]
#: Properties the features read (besides names).
FEATURE_PROPS = (
    "birthDate",
    "gender",
    "nationality",
    "citizenship",
    "country",
    "jurisdiction",
    "flag",
    "passportNumber",
    "idNumber",
    "taxNumber",
    "registrationNumber",
    "imoNumber",
    "mmsi",
    "swiftBic",
    "serialNumber",
    "callSign",
)


def list_versions(con: duckdb.DuckDBPyConnection) -> tuple[ListVersion, ...]:
    """The latest version of every list in the store."""
    latest: dict[str, ListVersion] = {}
    for v in read.versions(con):
        latest[v.dataset] = ListVersion(v.dataset, v.seq, v.title, v.content_sha256)
    return tuple(sorted(latest.values(), key=lambda v: v.dataset))


def listed_from_store(con: duckdb.DuckDBPyConnection) -> dict[str, ListedEntity]:
    """Every current screened entity of the store, prepared for scoring."""
    entities: dict[str, ListedEntity] = {}
    for eid, schema, caption, dataset in con.execute(
        "SELECT entity_id, schema, caption, dataset FROM current_entities "
        f"WHERE schema IN {SCREENED_SCHEMATA} ORDER BY entity_id"
    ).fetchall():
        entities[eid] = ListedEntity(eid, schema, caption, dataset)
    for eid, prop, value, qualifier in con.execute(
        "SELECT entity_id, prop, value, qualifier FROM current_statements "
        f"WHERE prop IN {tuple(NAME_PROPS) + FEATURE_PROPS} ORDER BY entity_id, prop, value"
    ).fetchall():
        entity = entities.get(eid)
        if entity is None:
            continue
        if prop in NAME_PROPS:
            entity.add_name(value, prop)
        else:
            entity.add_value(prop, value, qualifier)
    return entities


def listed_from_entities(entities: Iterable[Entity]) -> dict[str, ListedEntity]:
    """The same from model entities (benchmarks, tests, FtM files)."""
    out: dict[str, ListedEntity] = {}
    for e in entities:
        if e.schema not in SCREENED_SCHEMATA:
            continue
        listed = ListedEntity(e.id, e.schema, e.caption, e.dataset)
        for value in e.values:
            if value.prop in NAME_PROPS:
                listed.add_name(value.value, value.prop)
            elif value.prop in FEATURE_PROPS:
                listed.add_value(value.prop, value.value, value.qualifier)
        out[e.id] = listed
    return out


class Screener:
    """Screens queries against the lists one index was built from."""

    def __init__(
        self,
        entities: Mapping[str, ListedEntity],
        lists: tuple[ListVersion, ...] = (),
        suppressions: SuppressionLookup | None = None,
        candidate_limit: int = DEFAULT_LIMIT,
        index: CandidateIndex | None = None,
    ) -> None:
        """``index`` is the CandidateIndex of ``entities`` when it was built already (a
        persisted one); without it, it is built here (``entities`` a dict)."""
        if index is None:
            assert isinstance(entities, dict)
            index = CandidateIndex(entities)
        self.entities = entities
        self.index = index
        self.info = RunInfo(
            scorer.ALGORITHM,
            scorer.THRESHOLD,
            scorer.REPORT_FLOOR,
            lists,
            algorithms.fingerprint(),
        )
        self.suppressions = suppressions
        self.candidate_limit = candidate_limit
        #: Remembered answers (hermit.screening.memo): None (the default) screens every
        #: query afresh; a bulk run sets one per process.
        self.memo: ScreenMemo | None = None

    @classmethod
    def from_store(
        cls, con: duckdb.DuckDBPyConnection, suppressions: SuppressionLookup | None = None
    ) -> Screener:
        """Built afresh from the store's current lists (seconds: see from_persisted)."""
        return cls(listed_from_store(con), list_versions(con), suppressions)

    @classmethod
    def from_persisted(
        cls,
        con: duckdb.DuckDBPyConnection,
        store_path: Path,
        suppressions: SuppressionLookup | None = None,
        *,
        lazy: bool = False,
        notify: persisted.Notify | None = None,
        rebuild: bool = False,
        lists: tuple[ListVersion, ...] | None = None,
    ) -> Screener:
        """The same Screener from the index persisted beside the store at
        ``store_path`` (built and saved first when missing, stale or damaged: see
        hermit.screening.persisted). ``lazy`` reads only what each query needs (one
        screen; a damaged part then raises IndexFileError when a query reads it: see
        ``rebuild``); otherwise everything is read, and checked, at once (many queries).
        ``rebuild`` builds and persists it again whatever is there. ``lists``: the
        store's current list versions, when the caller read them already."""
        if lists is None:
            lists = list_versions(con)
        entities, index = persisted.prepared(
            con, store_path, lists, lazy=lazy, notify=notify, rebuild=rebuild
        )
        return cls(entities, lists, suppressions, index=index)

    @classmethod
    def from_index(
        cls,
        store_path: Path,
        lists: tuple[ListVersion, ...],
        suppressions: SuppressionLookup | None = None,
        *,
        lazy: bool = False,
    ) -> Screener | None:
        """The Screener of ``lists`` from the index persisted beside the store, without
        the store; None when there is no valid index for them (from_persisted builds
        one)."""
        found = persisted.persisted_only(store_path, lists, lazy=lazy)
        if found is None:
            return None
        entities, index = found
        return cls(entities, lists, suppressions, index=index)

    def _candidates(self, prepared: PreparedQuery, limit: int | None = None) -> list[str]:
        query = prepared.query
        person = query.schema in (None, "Person", "LegalEntity")
        keys = self.index.query_keys(
            prepared.name.all_tokens(),
            prepared.name.readings if person else (),
            [key for ident in prepared.identifiers for key in ident.keys],
            [t for form in prepared.name.forms for t in (form.tokens, form.org_tokens) if t],
            prepared.name.skeleton_words(),
        )
        return self.index.candidates(keys, limit or self.candidate_limit)

    def candidates(self, query: Query, limit: int | None = None) -> list[str]:
        """The ids of the listed entities the index retrieves for ``query`` (the only
        ones the scorer looks at), pinned identifier hits first, then by weight."""
        return self._candidates(PreparedQuery.of(query, self.index.word_weights.get), limit)

    def score(self, query: Query, entity_ids: list[str]) -> list[Match]:
        """The scorer alone on given entities: one Match per id (even below the floor)."""
        prepared = PreparedQuery.of(query, self.index.word_weights.get)
        return [scorer.score(prepared, self.entities[eid]) for eid in entity_ids]

    def screen(
        self, query: Query, limit: int = 10, keep: Callable[[ListedEntity], bool] | None = None
    ) -> list[Match]:
        """Listed entities that may be ``query``, best first, down to the report floor.
        ``keep`` narrows the listed entities screened (one list, some schemata); the
        index then retrieves three times as many candidates before narrowing, so a
        narrowed screen still sees its own list's best candidates. With a memo, a query
        screened before (its id aside) is answered as it was then."""
        memo = self.memo
        if memo is None or keep is not None:
            found = self._screen(query, limit, keep)
        else:
            key = row_key(query, limit)
            remembered = memo.rows.get(key)
            if remembered is None:
                remembered = tuple(self._screen(query, limit, None))
                memo.rows.put(key, remembered)
            found = list(remembered)
        if self.suppressions is None:
            return found
        return [self._suppress(query, m) for m in found]

    def _remembered_candidates(self, prepared: PreparedQuery, limit: int | None) -> list[str]:
        memo = self.memo
        if memo is None:
            return self._candidates(prepared, limit)
        query = prepared.query  # what retrieval reads of a query: its name, kind and ids
        key = (query.name, query.schema, prepared.identifiers, limit)
        found = memo.candidates.get(key)
        if found is None:
            found = self._candidates(prepared, limit)
            memo.candidates.put(key, found)
        return found

    def _screen(
        self, query: Query, limit: int, keep: Callable[[ListedEntity], bool] | None
    ) -> list[Match]:
        weight = self.index.word_weights.get
        memo = self.memo
        if memo is None:
            prepared = PreparedQuery.of(query, weight)
        else:  # the name prepared only when needed: see hermit.screening.memo
            prepared = PreparedQuery.of(query, weight, lazy=True, bounds=memo.name_bounds(query))
        found: list[Match] = []
        if keep is None:
            candidates = self._remembered_candidates(prepared, None)
        else:
            candidates = [
                eid
                for eid in self._remembered_candidates(prepared, 3 * self.candidate_limit)
                if keep(self.entities[eid])
            ][: self.candidate_limit]
        for eid in candidates:
            match = scorer.screen_pair(prepared, self.entities[eid])
            if match is not None:
                found.append(match)
        found.sort(key=lambda m: m.rank_key)
        return found[:limit]

    def _suppress(self, query: Query, match: Match) -> Match:
        assert self.suppressions is not None
        review = self.suppressions(query, match.entity_id)
        if review is None:
            return match
        return replace(match, suppressed=review.suppressed, lapsed=review.lapsed)
