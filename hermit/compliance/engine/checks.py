"""The three main checks of hermit-compliance@1 as queries through the engine seam
(written once in DuckDB's SQL, transpiled for Spark), for record sets too large for
the in-process interpreter: UNSCR 2375 para 17 on permits, 2371 para 11 (the national
and regional counts against the baseline) and 2397 para 8 (people earning and present
after the deadline, and oversight attaches). The queries find the records and their
evidence; the findings' lines are written here, from the few rows they return, by the
same code on either engine.

Readings are those of the predicates in hermit.compliance.checks, with one difference,
stated in ``ALGORITHM_NOTE``: people are linked by document number, permit, contract
and the same birth date with the same spelling of a name (the in-process linker also
joins names that hermit's Korean name comparison finds alike).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import numpy as np

from hermit.compliance.checks.work_authorization_cap import NATIONAL, runs_above
from hermit.compliance.engine.components import (
    Ints,
    component_labels_of,
    number_edges,
    persons,
)
from hermit.compliance.provisions import Provision
from hermit.compliance.violations import RecordRef, Violation
from hermit.engine.base import Engine, Frame

ALGORITHM_NOTE = (
    "people linked by document, permit, contract, and birth date with an identical name "
    "spelling (no fuzzy name comparison)"
)

#: The record kinds a person's history is linked from, in the interpreter's order.
PERSON_KINDS = (
    "work_permits",
    "permit_extensions",
    "employment_notifications",
    "visas",
    "border_crossings",
    "status_decisions",
)
#: kind -> the table name the queries use.
TABLES = {
    "work_permits": "wp",
    "permit_extensions": "wx",
    "employment_notifications": "en",
    "employers": "em",
    "committee_exemptions": "ce",
    "visas": "vs",
    "border_crossings": "bc",
    "status_decisions": "sd",
    "diplomatic_staff": "ds",
}


def _day(d: dt.date) -> str:
    return f"DATE '{d.isoformat()}'"


def _rows(engine: Engine, query: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = engine.collect(engine.sql(query)).to_pylist()
    return rows


def _same_person(a: str, b: str, unknown: bool) -> str:
    """hermit.compliance.contracts.same_person as SQL over aliases ``a`` and ``b``."""
    missing = "TRUE" if unknown else "FALSE"
    return (
        f"(({a}.id_doc_number IS NOT NULL AND {a}.id_doc_number = {b}.id_doc_number) OR "
        f"(CASE WHEN {a}.birth_date IS NULL OR {b}.birth_date IS NULL THEN {missing} "
        f"ELSE {a}.birth_date = {b}.birth_date END))"
    )


def prepare(engine: Engine) -> None:
    """Views every check reads (``raw_<table>`` registered for every kind, empty where
    its file is absent): the records kept (rows rejected left out), and the evidence
    keyed. Each ``raw_<table>`` is let go once its view is made (an empty frame of its
    columns in its place), so the rows are not held twice while the checks run."""
    for table in TABLES.values():
        engine.register(table, engine.sql(f"SELECT * FROM raw_{table} WHERE NOT _rejected"))
        engine.register(f"raw_{table}", engine.sql(f"SELECT * FROM raw_{table} LIMIT 0"))
    # notices of contracts (conclusion or termination) with their key
    engine.register(
        "notice",
        engine.sql(
            "SELECT *, contract_no_key AS number_key FROM en "
            "WHERE employer_inn IS NOT NULL AND contract_no IS NOT NULL "
            "AND notification_type_term IN ('conclusion', 'termination')"
        ),
    )
    # one employer per INN and one approval per reference: the last in the file, as
    # the interpreter's dictionaries keep them
    engine.register(
        "employer",
        engine.sql(
            "SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY inn ORDER BY _line DESC) "
            "AS rn FROM em WHERE inn IS NOT NULL) t WHERE rn = 1"
        ),
    )
    engine.register(
        "approval",
        engine.sql(
            "SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY reference_key "
            "ORDER BY _line DESC) AS rn FROM ce WHERE reference_key IS NOT NULL) t WHERE rn = 1"
        ),
    )
    engine.register(
        "extended",
        engine.sql(
            "SELECT permit_series AS s, permit_number AS n, max(valid_to_new) AS until FROM wx "
            "WHERE permit_series IS NOT NULL AND permit_number IS NOT NULL GROUP BY 1, 2"
        ),
    )
    # each permit's validity (hermit.compliance.validity)
    engine.register(
        "span",
        engine.sql(
            "SELECT * FROM (SELECT p.*, p.issue_date AS first_day, "
            "CASE WHEN p.annul_date IS NOT NULL AND p.annul_date - INTERVAL 1 DAY < e.stop "
            "THEN CAST(p.annul_date - INTERVAL 1 DAY AS DATE) ELSE e.stop END AS last_day "
            "FROM wp p JOIN (SELECT p2._id AS pid, CASE WHEN x.until IS NOT NULL AND "
            "x.until > p2.valid_to THEN x.until ELSE p2.valid_to END AS stop FROM wp p2 "
            "LEFT JOIN extended x ON x.s = p2.series AND x.n = p2.number) e ON e.pid = p._id) t "
            "WHERE last_day >= first_day"
        ),
    )


def _committee(engine: Engine, name: str, since: dt.date) -> None:
    """``name``: each permit issued from ``since`` that cites a Committee reference, with
    what the approval says of it (permit_after_ban._exemption_finding): ``c_pattern``
    null when the approval covers it, approvals counted in order of issue."""
    engine.register(
        f"{name}_cited",
        engine.sql(
            "SELECT p._id, p._line, p.issue_date, p.committee_ref, a._id AS a_id, "
            "a._line AS a_line, a.scope AS a_scope, a.employer_inn AS a_inn, "
            "a.date_approved AS a_from, a.valid_until AS a_until, a.max_persons AS a_cap, "
            "CASE WHEN a._id IS NULL THEN 'missing' "
            "WHEN coalesce(a.scope, '') <> 'work_authorizations' "
            "OR a.employer_inn IS DISTINCT FROM p.employer_inn THEN 'scope' "
            "WHEN (a.date_approved IS NOT NULL AND p.issue_date < a.date_approved) OR "
            "(a.valid_until IS NOT NULL AND p.issue_date > a.valid_until) THEN 'dates' "
            "ELSE NULL END AS c_fault "
            f"FROM wp p LEFT JOIN approval a ON a.reference_key = p.committee_ref_key "
            f"WHERE p.committee_ref IS NOT NULL AND p.issue_date >= {_day(since)}"
        ),
    )
    engine.register(
        name,
        engine.sql(
            "SELECT *, CASE WHEN c_fault IS NOT NULL THEN 'bogus_exemption' "
            "WHEN a_cap IS NOT NULL AND c_nth > a_cap THEN 'exemption_overused' "
            "ELSE NULL END AS c_pattern FROM (SELECT *, CASE WHEN c_fault IS NULL THEN "
            f"row_number() OVER (PARTITION BY a_line, c_fault ORDER BY issue_date, _line) "
            f"END AS c_nth FROM {name}_cited) t"
        ),
    )


def _first(engine: Engine, name: str, query: str) -> None:
    """``name``: the first row (by ``ev_line``) of ``query`` per permit ``pid``."""
    engine.register(
        name,
        engine.sql(
            f"SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY pid ORDER BY ev_line) "
            f"AS rn FROM ({query}) q) t WHERE rn = 1"
        ),
    )


def permits_after_ban(
    rule: Provision, engine: Engine, files: dict[str, str]
) -> Iterator[Violation]:
    """UNSCR 2375 para 17 on permits (permit_after_ban.permit_findings)."""
    ban, cutoff = rule.date("ban_from"), rule.date("contract_finalized_before")
    engine.register("late", engine.sql(f"SELECT * FROM wp WHERE issue_date >= {_day(ban)}"))
    _committee(engine, "late_committee", ban)
    conclusion = (
        "SELECT l._id AS pid, n._line AS ev_line, n._id AS ev_id, n.contract_date AS ev_signed, "
        "n.contract_end AS ev_end FROM late l JOIN notice n ON n.employer_inn = l.employer_inn "
        "AND n.number_key = l.contract_no_key AND n.notification_type_term = 'conclusion' "
        f"WHERE {_same_person('l', 'n', True)}"
    )
    engine.register("own", engine.sql(conclusion))
    _first(
        engine,
        "elsewhere",
        "SELECT l._id AS pid, n._line AS ev_line, n._id AS ev_id, n.employer_inn AS ev_inn "
        "FROM late l JOIN notice n ON n.number_key = l.contract_no_key "
        "AND n.employer_inn <> l.employer_inn AND n.contract_date = l.contract_date "
        f"WHERE l.employer_inn IS NOT NULL AND {_same_person('l', 'n', False)}",
    )
    _first(
        engine,
        "backdated",
        "SELECT o.pid, o.ev_line, o.ev_id, o.ev_signed FROM own o JOIN late l ON l._id = o.pid "
        "WHERE o.ev_signed > l.contract_date",
    )
    _first(
        engine,
        "ended",
        "SELECT o.pid, o.ev_line, o.ev_id, o.ev_end FROM own o JOIN late l ON l._id = o.pid "
        "WHERE o.ev_end < l.issue_date",
    )
    _first(
        engine,
        "terminated",
        "SELECT l._id AS pid, n._line AS ev_line, n._id AS ev_id, "
        "n.termination_date AS ev_ended FROM late l JOIN notice n "
        "ON n.employer_inn = l.employer_inn AND n.number_key = l.contract_no_key "
        "AND n.notification_type_term = 'termination' "
        f"WHERE {_same_person('l', 'n', True)} AND n.termination_date < l.issue_date",
    )
    rows = _rows(
        engine,
        "SELECT l._id, l._line, l.series, l.number, l.issue_date, l.contract_no, "
        "l.contract_date, l.employer_inn, l.committee_ref, "
        "c.c_pattern, c.c_fault, c.c_nth, c.a_id, c.a_line, c.a_scope, c.a_inn, c.a_from, "
        "c.a_until, c.a_cap, "
        "(SELECT count(*) FROM own o WHERE o.pid = l._id AND o.ev_signed = l.contract_date) "
        "AS same_date, "
        "x.ev_id AS x_id, x.ev_line AS x_line, x.ev_inn AS x_inn, "
        "e._id AS e_id, e._line AS e_line, e.reg_date AS e_reg, "
        "b.ev_id AS b_id, b.ev_line AS b_line, b.ev_signed AS b_signed, "
        "t.ev_id AS t_id, t.ev_line AS t_line, t.ev_ended AS t_ended, "
        "d.ev_id AS d_id, d.ev_line AS d_line, d.ev_end AS d_end "
        "FROM late l LEFT JOIN late_committee c ON c._id = l._id "
        "LEFT JOIN elsewhere x ON x.pid = l._id "
        "LEFT JOIN employer e ON e.inn = l.employer_inn "
        "LEFT JOIN backdated b ON b.pid = l._id "
        "LEFT JOIN terminated t ON t.pid = l._id "
        "LEFT JOIN ended d ON d.pid = l._id "
        "WHERE NOT (l.committee_ref IS NOT NULL AND c.c_pattern IS NULL) "
        "AND (l.contract_date IS NULL OR l.contract_date >= "
        f"{_day(cutoff)} OR x.ev_id IS NOT NULL OR "
        "(e._id IS NOT NULL AND e.reg_date > l.contract_date) OR b.ev_id IS NOT NULL "
        "OR t.ev_id IS NOT NULL OR d.ev_id IS NOT NULL)",
    )
    for r in rows:
        found = _permit_finding(r, cutoff, files)
        if found is None:
            continue
        pattern, reason, evidence = found
        yield Violation(
            rule.id,
            rule.kind,
            pattern,
            "work_permits",
            r["_id"],
            r["issue_date"],
            (RecordRef("work_permits", files["work_permits"], r["_line"], r["_id"]), *evidence),
            reason,
        )


def _permit_label(r: dict[str, Any]) -> str:
    return f"permit {r['series'] or '?'} {r['number'] or r['_id']}"


def _permit_finding(
    r: dict[str, Any], cutoff: dt.date, files: dict[str, str]
) -> tuple[str, str, tuple[RecordRef, ...]] | None:
    """The finding of one late permit, worded as permit_after_ban words it."""
    head = f"{_permit_label(r)} issued {r['issue_date']}"
    number, signed, inn = r["contract_no"] or "(no number)", r["contract_date"], r["employer_inn"]

    def ref(kind: str, line: int, rid: str) -> RecordRef:
        return RecordRef(kind, files[kind], line, rid)

    notice = "employment_notifications"
    contract: tuple[str, str, tuple[RecordRef, ...]] | None
    if signed is None:
        contract = ("no_contract_date", f"{head}: no contract date stated", ())
    elif signed >= cutoff:
        contract = (
            "new_contract_after_ban",
            f"{head} on contract {number} dated {signed}, on or after {cutoff}",
            (),
        )
    elif not r["same_date"] and r["x_id"] is not None:
        contract = (
            "contract_of_other_employer",
            f"{head} for employer {inn} cites contract {number} of {signed}, "
            f"a contract another employer ({r['x_inn'] or '?'}) notified",
            (ref(notice, r["x_line"], r["x_id"]),),
        )
    elif r["e_id"] is not None and r["e_reg"] is not None and r["e_reg"] > signed:
        contract = (
            "backdated_contract",
            f"{head} cites contract {number} as dated {signed}; the employer was "
            f"registered on {r['e_reg']}",
            (ref("employers", r["e_line"], r["e_id"]),),
        )
    elif r["b_id"] is not None:
        contract = (
            "backdated_contract",
            f"{head} cites contract {number} as dated {signed}; the employer's "
            f"notification shows it concluded on {r['b_signed']}",
            (ref(notice, r["b_line"], r["b_id"]),),
        )
    elif r["t_id"] is not None:
        contract = (
            "contract_terminated_before_permit",
            f"{head} cites contract {number} of {signed}, terminated on {r['t_ended']}",
            (ref(notice, r["t_line"], r["t_id"]),),
        )
    elif r["d_id"] is not None:
        contract = (
            "contract_ended_before_permit",
            f"{head} cites contract {number} of {signed}, whose term ended {r['d_end']}",
            (ref(notice, r["d_line"], r["d_id"]),),
        )
    else:
        contract = None
    if contract is None:
        return None
    if r["committee_ref"] is None:
        return contract[0], contract[1] + "; no 1718 Committee approval", contract[2]
    committee = _committee_finding(r, files)
    return (
        committee[0],
        committee[1] + f"; and {contract[1].split('; ', 1)[-1]}",
        committee[2],
    )


def _committee_finding(
    r: dict[str, Any], files: dict[str, str]
) -> tuple[str, str, tuple[RecordRef, ...]]:
    head = f"{_permit_label(r)} issued {r['issue_date']} cites {r['committee_ref']}"
    if r["c_fault"] == "missing":
        return "bogus_exemption", f"{head}, not a 1718 Committee approval on record", ()
    approval = (
        RecordRef("committee_exemptions", files["committee_exemptions"], r["a_line"], r["a_id"]),
    )
    if r["c_fault"] == "scope":
        return (
            "bogus_exemption",
            f"{head}, which approves {r['a_inn']} for {r['a_scope']}, not this employer's "
            "work authorizations",
            approval,
        )
    if r["c_fault"] == "dates":
        return "bogus_exemption", f"{head}, valid {r['a_from']} to {r['a_until']} only", approval
    return (
        "exemption_overused",
        f"{head}, which approves {r['a_cap']:g} persons: this is permit {r['c_nth']} citing it",
        approval,
    )


def national_cap(rule: Provision, engine: Engine, files: dict[str, str]) -> Iterator[Violation]:
    """UNSCR 2371 para 11 (work_authorization_cap): national and per-region counts of
    valid permits on each day after the baseline, those a Committee approval covers
    left out."""
    base = rule.date("baseline")
    _committee(engine, "base_committee", base)
    engine.register(
        "counted",
        engine.sql(
            "SELECT s._id, s._line, s.series, s.region, s.issue_date, s.first_day, s.last_day "
            "FROM span s LEFT JOIN base_committee c ON c._id = s._id "
            "WHERE NOT (c._id IS NOT NULL AND c.c_pattern IS NULL)"
        ),
    )
    (top,) = _rows(engine, "SELECT max(last_day) AS last FROM counted")
    last: dt.date | None = top["last"]
    if last is None:
        return
    b, lst = _day(base), _day(last)
    deltas = _rows(
        engine,
        "SELECT scope, day, sum(d) AS d FROM ("
        f"SELECT coalesce(series, '?') AS scope, CASE WHEN first_day < {b} THEN {b} "
        f"ELSE first_day END AS day, 1 AS d FROM counted WHERE last_day >= {b} AND "
        f"first_day <= {lst} UNION ALL SELECT coalesce(series, '?') AS scope, "
        f"CAST(last_day + INTERVAL 1 DAY AS DATE) AS day, -1 AS d FROM counted "
        f"WHERE last_day >= {b} AND first_day <= {lst} AND last_day < {lst}) t "
        "GROUP BY scope, day",
    )
    names = {
        r["scope"]: r["region"] or r["scope"]
        for r in _rows(
            engine,
            "SELECT scope, region FROM (SELECT coalesce(series, '?') AS scope, region, "
            "row_number() OVER (PARTITION BY coalesce(series, '?') ORDER BY _line) AS rn "
            "FROM counted) t WHERE rn = 1",
        )
    }
    size = (last - base).days + 1
    per: dict[str, list[int]] = defaultdict(lambda: [0] * (size + 1))
    national = [0] * (size + 1)
    for r in deltas:
        i = (r["day"] - base).days
        per[r["scope"]][i] += int(r["d"])
        national[i] += int(r["d"])
    scopes = [(NATIONAL, rule.kind, "national count", national)]
    scopes += [(code, "analytic", names[code], per[code]) for code in sorted(per)]
    allowed_over = rule.threshold("max_above_baseline")
    found: list[tuple[str, str, str, Any, int]] = []
    for scope, kind, name, delta in scopes:
        counts, running = [], 0
        for d in delta[:size]:
            running += d
            counts.append(running)
        baseline = counts[0]
        for run in runs_above(counts[1:], base + dt.timedelta(days=1), baseline + allowed_over):
            found.append((scope, kind, name, run, baseline))
    if not found:
        return
    engine.register(
        "cap_runs",
        engine.from_arrow(_arrow_runs([(s, r.first, r.last) for s, _, _, r, _ in found])),
    )
    contributors: dict[tuple[str, dt.date], list[RecordRef]] = defaultdict(list)
    file = files["work_permits"]
    for r in _rows(
        engine,
        "SELECT r.scope, r.first, c._line, c._id FROM cap_runs r JOIN counted c "
        f"ON (r.scope = '{NATIONAL}' OR coalesce(c.series, '?') = r.scope) "
        f"WHERE c.issue_date > {b} AND c.first_day <= r.last AND c.last_day >= r.first "
        "ORDER BY r.scope, r.first, c._line",
    ):
        contributors[(r["scope"], r["first"])].append(
            RecordRef("work_permits", file, r["_line"], r["_id"])
        )
    for scope, kind, name, run, baseline in found:
        refs = tuple(contributors[(scope, run.first)])
        days = (run.last - run.first).days + 1
        pattern = "national_cap_exceeded" if scope == NATIONAL else "regional_cap_exceeded"
        yield Violation(
            rule.id,
            kind,
            pattern,
            "stats",
            f"cap:{scope}:{run.first}",
            run.first,
            refs,
            f"{name}: valid DPRK work permits exceeded the {base} baseline of {baseline} "
            f"on {days} days {run.first}..{run.last} (peak {run.peak} on {run.peak_day}); "
            f"{len(refs)} permits issued after {base} were valid in that period",
        )


def _arrow_runs(runs: list[tuple[str, dt.date, dt.date]]) -> Any:
    import pyarrow as pa

    return pa.table(
        {
            "scope": pa.array([r[0] for r in runs], pa.string()),
            "first": pa.array([r[1] for r in runs], pa.date32()),
            "last": pa.array([r[2] for r in runs], pa.date32()),
        }
    )


#: kind -> (its number in the interpreter's order of a person's records, the fields
#: keying it to other records of the same person)
NODE_NAMES = ("fio_lat", "name_lat", "fio")
_PERMIT_KEY = {
    "work_permits": ("series", "number"),
    "permit_extensions": ("permit_series", "permit_number"),
}
_CONTRACT_KINDS = ("work_permits", "permit_extensions", "employment_notifications")
_NODE_SHIFT = 4_294_967_296


def _link(engine: Engine, names: dict[str, set[str]]) -> int:
    """``person``: each record of PERSON_KINDS with the person it belongs to (the
    smallest node of its linked records): on DuckDB by connected components in this
    process (hermit.compliance.engine.components), elsewhere by min-label propagation
    over shared keys (a round of joins per hop, the data left where it is); both give
    the smallest node of each component. The number of rounds it took."""
    parts = []
    #: family (document, permit, contract, birth date and name) -> (node, key, source)
    keys: dict[str, list[tuple[str, str, str]]] = {"d": [], "p": [], "c": [], "n": []}
    for number, kind in enumerate(PERSON_KINDS):
        t = TABLES[kind]
        node = f"CAST({number} AS BIGINT) * {_NODE_SHIFT} + _line"
        parts.append(
            f"SELECT {node} AS node, '{kind}' AS kind, {number} AS kind_no, _line, _id FROM {t}"
        )
        keys["d"].append((node, "id_doc_number", f"{t} WHERE id_doc_number IS NOT NULL"))
        if kind in _PERMIT_KEY:
            s, n = _PERMIT_KEY[kind]
            keys["p"].append(
                (node, f"{s} || '|' || {n}", f"{t} WHERE {s} IS NOT NULL AND {n} IS NOT NULL")
            )
        if kind in _CONTRACT_KINDS:
            keys["c"].append(
                (
                    node,
                    "employer_inn || '|' || contract_no_key",
                    f"{t} WHERE employer_inn IS NOT NULL AND contract_no_key IS NOT NULL",
                )
            )
        for name in NODE_NAMES:
            if name in names.get(kind, set()):
                keys["n"].append(
                    (
                        node,
                        f"CAST(birth_date AS VARCHAR) || '|' || {name}_key",
                        f"{t} WHERE birth_date IS NOT NULL AND {name}_key IS NOT NULL",
                    )
                )
    node = engine.persist(engine.sql(" UNION ALL ".join(parts)))
    if engine.name == "duckdb":
        # a family's keys at a time (the families never share a key)
        return _link_in_process(
            engine,
            node,
            [
                " UNION ALL ".join(f"SELECT {n} AS node, {k} AS k FROM {src}" for n, k, src in sql)
                for sql in keys.values()
                if sql
            ],
        )
    node_key = engine.persist(
        engine.sql(
            " UNION ALL ".join(
                f"SELECT {n} AS node, '{family}|' || {k} AS k FROM {src}"
                for family, sql in keys.items()
                for n, k, src in sql
            )
        )
    )
    engine.register("node", node)
    engine.register("node_key", node_key)
    label = engine.persist(engine.sql("SELECT node, node AS label FROM node"))
    rounds = 0
    while True:
        rounds += 1
        engine.register("label_was", label)
        engine.register(
            "key_label",
            engine.sql(
                "SELECT k.k, min(l.label) AS label FROM node_key k JOIN label_was l "
                "ON l.node = k.node GROUP BY k.k"
            ),
        )
        new = engine.persist(
            engine.sql(
                "SELECT l.node, least(l.label, coalesce(m.label, l.label)) AS label "
                "FROM label_was l LEFT JOIN (SELECT k.node, min(kl.label) AS label "
                "FROM node_key k JOIN key_label kl ON kl.k = k.k GROUP BY k.node) m "
                "ON m.node = l.node"
            )
        )
        engine.register("label_new", new)
        (changed,) = _rows(
            engine,
            "SELECT count(*) AS n FROM label_new n JOIN label_was w ON w.node = n.node "
            "WHERE n.label <> w.label",
        )
        engine.unpersist(label)
        label = new
        if not changed["n"]:
            break
    engine.register(
        "person",
        engine.persist(
            engine.sql("SELECT n.*, l.label AS person FROM node n JOIN label_new l USING (node)")
        ),
    )
    engine.unpersist(label)
    return rounds


def _link_in_process(engine: Engine, node: Frame, families: list[str]) -> int:
    """``person`` from the connected components of the edges the queries ``families``
    give (node, key; no key shared between two queries), found in this process (a node
    of no key is its own person). A query's keys are numbered and let go before the
    next query runs."""
    places: list[Ints] = []
    numbers: list[Ints] = []
    seen = 0
    for query in families:
        edges = engine.collect(engine.sql(query))
        place, number, distinct = number_edges(edges.column("node"), edges.column("k"))
        del edges
        places.append(place)
        numbers.append(number + seen)
        seen += distinct
    labels = component_labels_of(np.concatenate(places), np.concatenate(numbers))
    del places, numbers
    nodes = engine.collect(node)
    people = nodes.append_column("person", persons(nodes.column("node"), labels))
    engine.register("person", engine.from_arrow(people))
    return 1


def repatriation(
    rule: Provision,
    engine: Engine,
    files: dict[str, str],
    present: set[str],
    names: dict[str, set[str]],
) -> Iterator[Violation]:
    """UNSCR 2397 para 8 (checks.repatriation): people with income records valid after
    the deadline whose crossings have them in Russia after it, no exception applying;
    and oversight attaches accredited after it."""
    deadline = rule.date("repatriate_by")
    d = _day(deadline)
    if any(k in present for k in PERSON_KINDS):
        yield from _persons(rule, engine, files, present, names, deadline, d)
    if "diplomatic_staff" in present:
        for r in _rows(
            engine,
            "SELECT _id, _line, name_lat, fio, accredited_to FROM ds "
            "WHERE title_term = 'oversight_attache' AND "
            f"(accredited_to IS NULL OR accredited_to > {d}) ORDER BY _line",
        ):
            until = r["accredited_to"]
            yield Violation(
                rule.id,
                rule.kind,
                "attache_after_deadline",
                "diplomatic_staff",
                r["_id"],
                deadline + dt.timedelta(days=1),
                (RecordRef("diplomatic_staff", files["diplomatic_staff"], r["_line"], r["_id"]),),
                f"DPRK oversight attache {r['name_lat'] or r['fio']} still accredited after "
                f"{deadline} ("
                + ("no end of accreditation" if until is None else f"to {until}")
                + ")",
            )


def _persons(
    rule: Provision,
    engine: Engine,
    files: dict[str, str],
    present: set[str],
    names: dict[str, set[str]],
    deadline: dt.date,
    d: str,
) -> Iterator[Violation]:
    number = PERSON_KINDS.index("employment_notifications")
    income = [
        f"SELECT CAST(0 AS BIGINT) * {_NODE_SHIFT} + _line AS node FROM span WHERE last_day > {d}",
        (
            f"SELECT CAST({number} AS BIGINT) * {_NODE_SHIFT} + c._line AS node FROM en c "
            "LEFT JOIN (SELECT employer_inn, contract_no_key, min(termination_date) AS stop "
            "FROM en WHERE notification_type_term = 'termination' AND employer_inn IS NOT "
            "NULL AND contract_no_key IS NOT NULL AND termination_date IS NOT NULL "
            "GROUP BY 1, 2) t ON t.employer_inn = c.employer_inn AND "
            "t.contract_no_key = c.contract_no_key WHERE c.notification_type_term = "
            f"'conclusion' AND c.contract_end > {d} AND (t.stop IS NULL OR t.stop > {d})"
        ),
    ]
    if "border_crossings" not in present:
        return
    _link(engine, names)
    engine.register("income", engine.sql(" UNION ALL ".join(income)))
    bc_no = PERSON_KINDS.index("border_crossings")
    engine.register(
        "crossing",
        engine.sql(
            "SELECT p.person, b._line, b._id, b.crossed_at, b.crossed_at_day AS day, "
            "b.direction_term AS direction FROM person p JOIN bc b "
            f"ON p.node = CAST({bc_no} AS BIGINT) * {_NODE_SHIFT} + b._line"
        ),
    )
    engine.register(
        "entered",
        engine.sql(
            "SELECT person, _line, _id, day FROM (SELECT *, row_number() OVER (PARTITION BY "
            "person ORDER BY crossed_at DESC, _line DESC) AS rn FROM crossing "
            f"WHERE day <= {d}) t WHERE rn = 1 AND direction = 'entry' UNION ALL "
            "SELECT person, _line, _id, day FROM (SELECT *, row_number() OVER (PARTITION BY "
            "person ORDER BY crossed_at, _line) AS rn FROM crossing "
            f"WHERE day > {d} AND direction = 'entry') t WHERE rn = 1"
        ),
    )
    engine.register(
        "entry",
        engine.sql(
            "SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY person ORDER BY "
            "CASE WHEN day <= " + d + " THEN 0 ELSE 1 END) AS rn FROM entered) t WHERE rn = 1"
        ),
    )
    sd_no = PERSON_KINDS.index("status_decisions")
    engine.register(
        "excepted",
        engine.sql(
            "SELECT DISTINCT p.person FROM person p JOIN sd s ON p.node = "
            f"CAST({sd_no} AS BIGINT) * {_NODE_SHIFT} + s._line WHERE "
            f"(s.decision_type_term = 'citizenship' AND s.decision_date <= {d}) OR "
            "(s.decision_type_term IN ('temporary_asylum', 'refugee') AND "
            f"(s.valid_until IS NULL OR s.valid_until > {d}))"
        ),
    )
    rows = _rows(
        engine,
        "SELECT p.person, p.kind, p.kind_no, p._line, p._id, e._line AS e_line, "
        "e._id AS e_id, e.day AS e_day FROM person p JOIN (SELECT DISTINCT node FROM income) i "
        "ON i.node = p.node JOIN entry e ON e.person = p.person "
        "LEFT JOIN excepted x ON x.person = p.person "
        "WHERE x.person IS NULL ORDER BY p.person, p.kind_no, p._line",
    )
    by_person: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_person[r["person"]].append(r)
    for group in by_person.values():
        first, entry = group[0], group[0]
        by_permit = any(r["kind"] == "work_permits" for r in group)
        kinds = ", ".join(sorted({r["kind"] for r in group}))
        yield Violation(
            rule.id,
            rule.kind,
            "present_after_deadline_" + ("permit" if by_permit else "contract"),
            "persons",
            f"person:{first['_id']}",
            deadline + dt.timedelta(days=1),
            (
                *(RecordRef(r["kind"], files[r["kind"]], r["_line"], r["_id"]) for r in group),
                RecordRef(
                    "border_crossings", files["border_crossings"], entry["e_line"], entry["e_id"]
                ),
            ),
            f"DPRK national in Russia after {deadline} (last entry {entry['e_day']}, "
            f"no exit by the deadline) with income records valid after it ({kinds})",
        )


#: The fields the queries read, per kind (the frames carry only these).
FIELDS = {
    "work_permits": (
        "series",
        "number",
        "issue_date",
        "valid_to",
        "region",
        "fio",
        "fio_lat",
        "birth_date",
        "id_doc_number",
        "employer_inn",
        "contract_no",
        "contract_date",
        "committee_ref",
        "annul_date",
    ),
    "permit_extensions": (
        "permit_series",
        "permit_number",
        "valid_to_new",
        "id_doc_number",
        "employer_inn",
        "contract_no",
    ),
    "employment_notifications": (
        "notification_type",
        "employer_inn",
        "fio",
        "birth_date",
        "id_doc_number",
        "contract_no",
        "contract_date",
        "contract_end",
        "termination_date",
    ),
    "employers": ("inn", "reg_date"),
    "committee_exemptions": (
        "reference",
        "date_approved",
        "valid_until",
        "scope",
        "employer_inn",
        "max_persons",
    ),
    "visas": ("name_lat", "fio", "birth_date", "id_doc_number"),
    "border_crossings": ("crossed_at", "direction", "name_lat", "birth_date", "id_doc_number"),
    "status_decisions": (
        "decision_type",
        "decision_date",
        "valid_until",
        "fio",
        "birth_date",
        "id_doc_number",
    ),
    "diplomatic_staff": ("title", "name_lat", "fio", "accredited_to"),
}
