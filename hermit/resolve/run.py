"""One resolution: organizations, then people, each through Splink (DuckDB) on hermit's
comparison columns; clusters are the connected components of the links at or above the
configured probability, negative evidence enforced (cluster.py). Every link keeps its
reasons: each comparison's level and match weight (log2 of its Bayes factor), and the
prior's."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from hermit.engine.base import Engine
from hermit.resolve import judgements as jg
from hermit.resolve import model
from hermit.resolve.backend import SplinkBackend
from hermit.resolve.cluster import cluster, consistency, exclusive_ids
from hermit.resolve.config import ResolveConfig, resolve_config
from hermit.resolve.features import COLUMNS, LIST_COLUMNS, bound_blocks, features
from hermit.resolve.links import POSSIBLE, SAME, Link, Reason
from hermit.resolve.records import ORGANIZATION, PERSON, Record
from hermit.resolve.udf import register

#: hermit-resolve@1 (cdbcce7): the first slice; @2 (3bb58d7 on): a shared valid
#: identifier's u fixed, Chinese names read two syllables a word, address-number
#: blocking, people's EM on name and company, links at 0.95 and a "possible" tier; @3:
#: blocks bounded (max_block_records; the first two words of the readings instead of the
#: first letters), people also blocked on consonant keys, the prior kept from the
#: near-certain rules (people's also by name and company), clusters refusing links
#: between different exclusive identifiers; @4: people also compared by gender and by
#: the regions and districts of the companies they are attached to (the region codes
#: of those companies' identifiers, resolve.yaml ``region_codes``); @5: people's prior
#: by EM on the same-name block (model.PRIOR_EM_RULES, _prior_em) instead of the
#: near-certain rules' count, the company comparison no longer trained on the block
#: of pairs that share a company, and clusters refusing links between entities of two
#: genders or of regions with none in common (cluster.py); @6: organizations' kind words
#: read in the name's own script (hermit.names.kind_words: rigour's symbols and
#: resources/names/org_kind_words.yaml; Торговая, 贸易 and TRADING all ``trading``) as
#: extra readings (their keys and the name scorer's readings), organizations also
#: blocked on their names without the kind words (features ``name_cores``) and on those
#: words' consonant keys (``name_sounds``, final ng as n).
ALGORITHM = "hermit-resolve@6"
_log = logging.getLogger(__name__)


@dataclass(slots=True)
class Resolution:
    algorithm: str
    clusters: dict[str, str]  # record id -> cluster id
    links: list[Link]
    models: dict[str, Any] = field(default_factory=dict)  # kind -> Splink model (JSON)
    settings: dict[str, Any] = field(default_factory=dict)
    #: The comparison columns of its records (blocking keys not bounded), kept in the
    #: store for incremental runs (feature_store.py); an incremental run's hold only the
    #: records it added or changed, those of ``rows_from`` stand for the others.
    rows: list[dict[str, Any]] = field(default_factory=list)
    rows_from: int | None = None


#: The keys used only for blocking, whose blocks are bounded (features.bound_blocks).
BOUNDED = ("name_starts", "name_sounds", "name_cores", "address_key")

#: People's columns of the regions of the entities they are attached to (person_rows).
RELATED_REGIONS = ("related_regions", "related_districts")
#: The columns of the table each kind is compared on.
ORGANIZATION_COLUMNS = (*COLUMNS, "id_first")
PERSON_COLUMNS = (*ORGANIZATION_COLUMNS, "related_entities", "related_first", *RELATED_REGIONS)

Settings = Callable[[], dict[str, Any]]
Force = dict[tuple[str, str], jg.Judgement]


def arrow_table(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> Any:
    """``rows``' ``columns`` as a pyarrow table (features.LIST_COLUMNS as lists of
    strings, the others strings): the table Splink compares."""
    import pyarrow as pa

    fields = [
        pa.field(c, pa.list_(pa.string()) if c in LIST_COLUMNS else pa.string()) for c in columns
    ]
    schema = pa.schema(fields)
    return pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in rows], schema=schema)


def _labels(linker: Any) -> dict[str, dict[int, str]]:
    out: dict[str, dict[int, str]] = {}
    for comparison in linker._settings_obj.comparisons:
        out[comparison.output_column_name] = {
            level.comparison_vector_value: level.label_for_charts
            for level in comparison.comparison_levels
        }
    return out


def link_table(
    rows: list[dict[str, Any]],
    kind: str,
    settings: dict[str, Any],
    config: ResolveConfig,
    columns: tuple[str, ...],
    em_rules: list[str],
    prior_rules: list[str],
    *,
    prior_em_rule: str | None = None,
    region_column: str = "regions",
    force: Force | None = None,
    engine: Engine | None = None,
) -> tuple[dict[str, str], list[Link], dict[str, Any]]:
    """Train, score and cluster one table of records (one kind): clusters, links at or
    above the keep probability (with their reasons and tier) and the trained model.
    ``prior_rules`` give the prior a first value; with ``prior_em_rule`` it is then
    estimated by EM on that rule's pairs (_train). ``rows`` are kept apart by their
    exclusive identifiers (an ``ids`` column), their ``gender`` and the region codes of
    ``region_column`` (cluster.py), and clustered with the analysts' judgements in
    ``force`` (judgements.py): accepted pairs join (scored for their evidence when the
    predictions did not keep them), rejected pairs never end in one entity. Splink runs
    on ``engine`` (default: DuckDB in this process; hermit.engine's Spark engine:
    Splink's Spark backend, backend.py)."""
    ids = [str(r["unique_id"]) for r in rows]
    if len(rows) < 2:
        return {i: i for i in ids}, [], {}
    from splink import Linker

    backend = SplinkBackend(engine)
    try:
        db_api = backend.db_api
        sdf = db_api.register(arrow_table(rows, columns), table_name=f"hermit_{kind}_records")
        linker = Linker(sdf, backend.settings(settings), log_level=logging.WARNING)
        _train(
            linker,
            sdf,
            config,
            [backend.rule(r) for r in em_rules],
            [backend.rule(r) for r in prior_rules],
            None if prior_em_rule is None else backend.rule(prior_em_rule),
        )
        predictions = linker.inference.predict(threshold_match_probability=config.keep_probability)
        links = prediction_links(linker, predictions, kind, config.link_probability)
        force = force or {}
        unlinked = jg.accepted_unlinked(links, force, set(ids))
        links += pair_links(linker, db_api, rows, columns, unlinked, kind, config)
        trained = backend.stored(linker.misc.save_model_to_json(), settings)
    finally:
        backend.close()
    links = jg.apply(links, force)
    held = held_by(rows, config, region_column)
    clusters, links = cluster(ids, links, held, apart=jg.rejected(force, set(ids)))
    return clusters, links, trained


def held_by(
    rows: list[dict[str, Any]], config: ResolveConfig, region_column: str
) -> dict[str, dict[str, frozenset[str]]]:
    """record id -> what it holds for cluster.py: its exclusive identifiers, gender and
    the region codes of ``region_column``."""
    schemes = frozenset(config.exclusive_schemes)
    return {
        str(r["unique_id"]): {
            **exclusive_ids(r.get("ids") or (), schemes),
            **consistency(r.get("gender"), r.get(region_column) or ()),
        }
        for r in rows
    }


def score_pairs(
    trained: dict[str, Any],
    rows: list[dict[str, Any]],
    columns: tuple[str, ...],
    pairs: list[tuple[str, str]],
    kind: str,
    config: ResolveConfig,
) -> list[Link]:
    """pair_links with a stored model (incremental.py), over the pairs' records only."""
    if not pairs or not trained:
        return []
    import duckdb
    from splink import DuckDBAPI, Linker

    wanted = {i for pair in pairs for i in pair}
    subset = [r for r in rows if str(r["unique_id"]) in wanted]
    con = duckdb.connect()
    try:
        register(con)
        db_api = DuckDBAPI(con)
        sdf = db_api.register(arrow_table(subset, columns), table_name=f"hermit_{kind}_judged")
        linker = Linker(sdf, trained, log_level=logging.WARNING)
        return pair_links(linker, db_api, subset, columns, pairs, kind, config)
    finally:
        con.close()


def pair_links(
    linker: Any,
    db_api: Any,
    rows: list[dict[str, Any]],
    columns: tuple[str, ...],
    pairs: list[tuple[str, str]],
    kind: str,
    config: ResolveConfig,
) -> list[Link]:
    """The links of given pairs of records, each scored by the linker's model whatever
    its probability (Splink's score_pair): the evidence of a pair an analyst joined
    that the predictions did not keep."""
    if not pairs:
        return []
    by_id = {str(r["unique_id"]): r for r in rows}
    out: list[Link] = []
    for n, (a, b) in enumerate(pairs):
        left = db_api.register(arrow_table([by_id[a]], columns), table_name=f"hermit_pair_{n}_l")
        right = db_api.register(arrow_table([by_id[b]], columns), table_name=f"hermit_pair_{n}_r")
        out += prediction_links(
            linker, linker.inference.score_pair(left, right), kind, config.link_probability
        )
    return out


def _em(training: Any, rule: str) -> None:
    """One EM session on ``rule``'s pairs, the prior kept as it is: EM on a block of
    nearly all true matches (people with one name and one company) carried back gives
    a prior near 1, and every person of the full dev registry in one entity
    (hermit-resolve@2)."""
    training.estimate_parameters_using_expectation_maximisation(
        rule,
        estimate_without_term_frequencies=True,
        populate_probability_two_random_records_match_from_trained_values=False,
    )


def _prior_em(linker: Any, records: Any, rule: str) -> None:
    """The prior by EM on ``rule``'s pairs (a broad block: the same person and
    namesakes), carried back to all pairs by Splink (the share of matches among the
    rule's pairs divided by the Bayes factor of the level the rule fixes).

    The session runs in a linker of its own, on the trained model, with the u
    probabilities free: the block's non-matches are not random pairs (two namesakes
    share a country and a region far more often than two random people), and with u
    fixed at the random sample's EM explains that agreement by matches (on the full
    dev registry: 84 % matches among same-name pairs where the labels give 40 %, a
    prior 20 times the labelled one). Only the prior is kept: the m and u of the
    model stay those of the other sessions and of the random sample."""
    from splink import Linker

    probe = Linker(records, linker.misc.save_model_to_json(), log_level=logging.WARNING)
    probe.training.estimate_parameters_using_expectation_maximisation(
        rule,
        estimate_without_term_frequencies=True,
        fix_u_probabilities=False,
        populate_probability_two_random_records_match_from_trained_values=True,
    )
    prior = probe._settings_obj._probability_two_random_records_match
    linker._settings_obj._probability_two_random_records_match = prior


def _train(
    linker: Any,
    records: Any,
    config: ResolveConfig,
    em_rules: list[str],
    prior_rules: list[str],
    prior_em_rule: str | None = None,
) -> None:
    """A first prior from the near-certain rules, u from a seeded random sample, m by
    EM on each training rule, then (with ``prior_em_rule``) the prior by EM on that
    rule's pairs, carried back to all pairs. A step the data cannot support (no pair a
    rule finds, too few records) is left out and the model keeps the values it had.
    ``records``: the table the linker reads (Splink's frame)."""
    from splink.internals.exceptions import SplinkException

    training = linker.training
    steps: list[tuple[str, Callable[[], object]]] = [
        (
            "prior",
            lambda: training.estimate_probability_two_random_records_match(
                prior_rules, recall=config.deterministic_recall
            ),
        ),
        (
            "u",
            lambda: training.estimate_u_using_random_sampling(
                max_pairs=config.u_max_pairs, seed=config.u_seed
            ),
        ),
    ]
    for rule in em_rules:
        steps.append((f"EM {rule}", partial(_em, training, rule)))
    if prior_em_rule is not None:
        prior_step = partial(_prior_em, linker, records, prior_em_rule)
        steps.append((f"prior by EM {prior_em_rule}", prior_step))
    settings = linker._settings_obj
    for name, step in steps:
        before = settings._probability_two_random_records_match
        try:
            step()
        except (SplinkException, ValueError, ZeroDivisionError) as exc:
            _log.warning("resolve: training step %s left out: %s", name, exc)
        prior = settings._probability_two_random_records_match
        if not 0 < prior < 1:
            settings._probability_two_random_records_match = before


def prediction_links(linker: Any, predictions: Any, kind: str, threshold: float) -> list[Link]:
    """Splink's predictions as links with their reasons (each comparison's level and
    match weight, the prior's, a rare value's adjustment); at or above ``threshold``
    "the same", below it "possibly the same"."""
    labels = _labels(linker)
    prior = linker._settings_obj._probability_two_random_records_match
    prior_weight = math.log2(prior / (1 - prior))
    out: list[Link] = []
    for row in predictions.as_record_list():
        tier = SAME if float(row["match_probability"]) >= threshold else POSSIBLE
        reasons = [Reason("prior", "two random records are the same", round(prior_weight, 3))]
        for name, levels in labels.items():
            gamma = int(row[f"gamma_{name}"])
            weight = float(row[f"mw_{name}"])
            reasons.append(Reason(name, levels.get(gamma, str(gamma)), round(weight, 3)))
            adjusted = row.get(f"mw_tf_adj_{name}")  # a rare value says more (Splink's tf)
            if adjusted:
                how = "how rare the agreeing value is"
                reasons.append(Reason(f"{name} frequency", how, round(float(adjusted), 3)))
        left, right = sorted((str(row["unique_id_l"]), str(row["unique_id_r"])))
        out.append(
            Link(
                left,
                right,
                kind,
                round(float(row["match_weight"]), 3),
                float(row["match_probability"]),
                tuple(reasons),
                tier,
            )
        )
    return out


def person_rows(
    records: dict[str, Record],
    rows: list[dict[str, Any]],
    org_clusters: dict[str, str],
    org_rows: list[dict[str, Any]],
) -> None:
    """People's columns from the organizations as resolved: the entities they are
    attached to, and those entities' regions (of all their records)."""
    held: dict[str, dict[str, set[str]]] = {"regions": {}, "districts": {}}
    for org in org_rows:
        entity = org_clusters.get(str(org["unique_id"]))
        for column, codes in held.items():
            if entity is not None and org.get(column):
                codes.setdefault(entity, set()).update(org[column])
    for row in rows:
        related = records[row["unique_id"]].related
        entities = sorted({org_clusters[r] for r in related if r in org_clusters})
        row["related_entities"] = entities or None
        row["related_first"] = entities[0] if entities else None
        for column, codes in held.items():
            found = sorted({code for e in entities for code in codes.get(e, ())})
            row[f"related_{column}"] = found or None


def resolve(
    records: dict[str, Record],
    config: ResolveConfig | None = None,
    *,
    organization_settings: Settings = model.organization_settings,
    person_settings: Settings = model.person_settings,
    judgements: Force | None = None,
    engine: Engine | None = None,
) -> Resolution:
    """Resolve every record: organizations first, then people (also compared by the
    organizations they are attached to, as just resolved), with the analysts'
    judgements in force (judgements.in_force) honoured in both. Splink runs on
    ``engine`` (default: DuckDB in this process), with the same answer on each."""
    config = config or resolve_config()
    rows = [features(r, config.region_codes) for r in records.values()]
    for row in rows:
        row["id_first"] = row["ids"][0] if row["ids"] else None
    kept = [dict(r) for r in rows]  # bound_blocks replaces values, never changes them
    orgs = [r for r in rows if r["kind"] == ORGANIZATION]
    people = [r for r in rows if r["kind"] == PERSON]
    for table in (orgs, people):
        bound_blocks(table, BOUNDED, config.max_block_records)
    org_settings = organization_settings()
    org_clusters, org_links, org_model = link_table(
        orgs,
        ORGANIZATION,
        org_settings,
        config,
        ORGANIZATION_COLUMNS,
        model.EM_RULES[ORGANIZATION],
        model.PRIOR_RULES[ORGANIZATION],
        force=judgements,
        engine=engine,
    )
    person_rows(records, people, org_clusters, orgs)
    related = ("related_entities", "related_first", *RELATED_REGIONS)
    for row, person in zip((k for k in kept if k["kind"] == PERSON), people, strict=True):
        row.update((c, person[c]) for c in related)
        row["related_records"] = sorted(records[str(row["unique_id"])].related) or None
    people_settings = person_settings()
    person_clusters, person_links, person_model = link_table(
        people,
        PERSON,
        people_settings,
        config,
        PERSON_COLUMNS,
        model.EM_RULES[PERSON],
        model.PRIOR_RULES[PERSON],
        prior_em_rule=model.PRIOR_EM_RULES.get(PERSON),
        region_column="related_regions",
        force=judgements,
        engine=engine,
    )
    return Resolution(
        algorithm=ALGORITHM,
        clusters={**org_clusters, **person_clusters},
        links=sorted(org_links + person_links, key=lambda k: (k.left, k.right)),
        models={ORGANIZATION: org_model, PERSON: person_model},
        settings={
            "link_probability": config.link_probability,
            **config.as_dict(),
            **({"judgements": len(judgements)} if judgements else {}),
        },
        rows=kept,
    )
