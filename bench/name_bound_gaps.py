"""Is the quick name bound an upper bound? Every candidate pair of a query mix, bound
against full name score, on a real store of every list hermit reads (UN, OFAC, UK OFSI,
EU FSF, EU annexes).

The scorer dismisses a pair before its full name comparison when the bound
(hermit.screening.features.name_bound) is below what the report floor needs, so a bound
below the full score can hide a listed party. Two counts per mix:

- entity bounds: the bound of the query against the whole entity (as the scorer uses
  it) below the entity's full name score;
- single-name bounds: for each listed name of each candidate, the bound against an
  entity whose only name is that one, below that name's own full score (an entity with
  only such a name would be dismissed wrongly; a many-named entity's wide vocabulary
  hides such gaps).

Mixes (each a fixed seed, printed):

- ``bulk``: the query generator of bench/bulk/run.py (listed names with one small
  damage, plain names on no list);
- ``variants``: another seed and other damage: letters doubled, words joined and
  split, hyphens put in and taken out, transliteration variants (ou/u, ee/i, kh/h,
  j/y, ph/f, q/k ...), two at a time on some names.

``--time`` also times the bounds alone (CPU seconds of ``name_bound`` over the mix's
entity pairs, best of three), to compare a change with the code before it: run the same
command with ``--src`` pointing at another checkout (its ``hermit`` is imported).

    .venv/bin/python bench/name_bound_gaps.py [--mix bulk|variants] [--queries 2000]
        [--seed N] [--limit 30] [--workdir /tmp/hermit-bound] [--time] [--src DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mix", choices=("bulk", "variants"), default="bulk")
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--limit", type=int, default=30, help="candidates per query")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/hermit-bound"))
    shared = Path(os.environ.get("HERMIT_SHARED_DATA", REPO.parent / "shared" / "data"))
    parser.add_argument("--lists", type=Path, default=shared / "lists")
    parser.add_argument("--time", action="store_true", help="time the bounds alone")
    parser.add_argument("--src", type=Path, default=None, help="import hermit from here")
    parser.add_argument("--show", type=int, default=25, help="gaps to print")
    return parser.parse_args()


ARGS = _args()
sys.path.insert(0, str(ARGS.src.resolve() if ARGS.src else REPO))
sys.path.insert(1, str(REPO))

from hermit.screening.engine import Screener  # noqa: E402
from hermit.screening.features.names import compare_name, name_bound, name_feature  # noqa: E402
from hermit.screening.features.schema import schema_feature  # noqa: E402
from hermit.screening.listed import ListedEntity  # noqa: E402
from hermit.screening.query import make_query  # noqa: E402
from hermit.screening.scorer import PreparedQuery  # noqa: E402

#: The lists of the store (tests/conftest.py ALL_LISTS).
LISTS = (
    "un_consolidated.xml",
    "ofac_sdn.csv",
    "uk_ofsi_conlist_2025-04-14.xlsx",
    "eu_fsf_sample_2020-04-15.xml",
    "eu_dprk_annexes_2017-1509_opensanctions.csv",
)
VARIANTS_SEED = 20261203
#: Spellings that romanizations and transliterations of one name differ by (both ways).
SPELLINGS = (
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("kh", "h"),
    ("j", "y"),
    ("ph", "f"),
    ("q", "k"),
    ("dh", "z"),
    ("sh", "ch"),
    ("ei", "ai"),
    ("y", "i"),
    ("w", "v"),
    ("c", "k"),
    ("ae", "a"),
    ("eo", "o"),
    ("ch", "j"),
)


def store(workdir: Path, lists: Path) -> Path:
    """The store of LISTS with its persisted index, made once in ``workdir``."""
    from hermit.screening.engine import list_versions
    from hermit.screening.persisted import ensure_index
    from hermit.sources.detect import read_list_files
    from hermit.store import Store

    path = workdir / "store.duckdb"
    if path.exists():
        return path
    workdir.mkdir(parents=True, exist_ok=True)
    with Store(path) as st:
        for snap in read_list_files([lists / name for name in LISTS]):
            st.load(snap)
        assert ensure_index(st.con, path, list_versions(st.con)) is not None
    return path


def _respell(rng: random.Random, name: str) -> str:
    lower = name.lower()
    found = [(a, b) for a, b in SPELLINGS if a in lower]
    found += [(b, a) for a, b in SPELLINGS if b in lower]
    if not found:
        return name
    old, new = rng.choice(found)
    at = [i for i in range(len(lower)) if lower.startswith(old, i)]
    i = rng.choice(at)
    piece = name[i : i + len(old)]
    new = new.upper() if piece.isupper() else new
    return name[:i] + new + name[i + len(old) :]


def variant(rng: random.Random, name: str) -> str:
    """One damage of the ``variants`` mix."""
    kind = rng.randrange(8)
    words = name.replace(",", "").split()
    letters = [i for i, ch in enumerate(name) if ch.isalpha()]
    if len(letters) < 4:
        return name
    if kind == 0:  # a letter doubled
        i = rng.choice(letters)
        return name[:i] + name[i] + name[i:]
    if kind == 1 and len(words) > 1:  # two adjacent words joined
        i = rng.randrange(len(words) - 1)
        return " ".join([*words[:i], words[i] + words[i + 1].lower(), *words[i + 2 :]])
    if kind == 2:  # a long word split
        long = [k for k, w in enumerate(words) if len(w) >= 6]
        if long:
            k = rng.choice(long)
            cut = rng.randint(2, len(words[k]) - 2)
            return " ".join([*words[:k], words[k][:cut], words[k][cut:], *words[k + 1 :]])
    if kind == 3 and len(words) > 1:  # two words hyphenated
        i = rng.randrange(len(words) - 1)
        return " ".join([*words[:i], f"{words[i]}-{words[i + 1]}", *words[i + 2 :]])
    if kind == 4 and "-" in name:  # hyphens taken out: joined or spaced
        return name.replace("-", "" if rng.random() < 0.5 else " ")
    if kind == 5:
        return _respell(rng, name)
    if kind == 6:  # two damages
        return variant(rng, variant(rng, name))
    return _respell(rng, name) if rng.random() < 0.5 else name.upper()


def mix(kind: str, n: int, seed: int, path: Path) -> Iterator[dict[str, str]]:
    sys.path.insert(0, str(REPO / "bench" / "bulk"))
    import run as bulk  # bench/bulk/run.py

    listed = bulk.listed_names(path)
    rng = random.Random(seed)
    if kind == "bulk":
        yield from (q for q in bulk.queries(rng, listed, n) if q["name"] != "Pat Doe")
        return
    for k in range(n):
        name, schema = rng.choice(listed)
        row = {"id": f"V{k}", "name": variant(rng, name)}
        if rng.random() < 0.5:
            row["schema"] = schema
        yield row


def single(entity: ListedEntity, index: int) -> ListedEntity:
    one = ListedEntity(entity.entity_id, entity.schema, entity.caption, entity.dataset)
    one.names = [entity.names[index]]
    one.seal()
    return one


def main() -> None:
    seed = ARGS.seed
    if seed is None:
        seed = 20261123 if ARGS.mix == "bulk" else VARIANTS_SEED
    path = store(ARGS.workdir, ARGS.lists)
    from hermit.screening.store_screener import StoreScreener

    screener: Screener = StoreScreener(path).build()
    weight = screener.index.word_weights.get
    load = os.getloadavg()
    start = time.process_time()
    pairs: list[tuple[PreparedQuery, ListedEntity]] = []
    entity_gaps: list[tuple[float, str, str, float, float]] = []
    name_gaps: list[tuple[float, str, str, str, float, float]] = []
    singles = 0
    for row in mix(ARGS.mix, ARGS.queries, seed, path):
        query = make_query(row).query
        prepared = PreparedQuery.of(query, weight)
        for eid in screener.candidates(query, ARGS.limit):
            entity = screener.entities[eid]
            if schema_feature(query.schema, entity.schema) is not None:
                continue
            pairs.append((prepared, entity))
            full = name_feature(prepared.name, entity, weight).value
            bound = name_bound(prepared.name, entity, weight)
            if bound < full - 1e-9:
                entity_gaps.append((full - bound, query.name, eid, bound, full))
            for k, listed in enumerate(entity.names):
                one = single(entity, k)
                full = compare_name(prepared.name, listed, entity.schema, weight).value
                bound = name_bound(prepared.name, one, weight)
                singles += 1
                if bound < full - 1e-9:
                    name_gaps.append((full - bound, query.name, eid, listed.text, bound, full))
    cpu = time.process_time() - start
    print(f"mix {ARGS.mix}, seed {seed}, {ARGS.queries} queries, {ARGS.limit} candidates each")
    print(f"src {ARGS.src or REPO}; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print(f"entity bounds: {len(entity_gaps)} of {len(pairs)} below the full name score")
    print(f"single-name bounds: {len(name_gaps)} of {singles} below the name's own score")
    print(f"({cpu:.0f} CPU-s)")
    for gap, name, eid, bound, full in sorted(entity_gaps, reverse=True)[: ARGS.show]:
        print(f"  entity {name!r} / {eid}: bound {bound:.3f} < {full:.3f} (by {gap:.3f})")
    for gap, name, eid, text, bound, full in sorted(name_gaps, reverse=True)[: ARGS.show]:
        print(f"  name {name!r} / {eid} {text!r}: bound {bound:.3f} < {full:.3f} (by {gap:.3f})")
    kinds = Counter(eid.split("-")[0] for _, _, eid, _, _, _ in name_gaps)
    if kinds:
        print("  by list:", dict(kinds))
    if ARGS.time:
        best = float("inf")
        for _ in range(3):
            t0 = time.process_time()
            for prepared, entity in pairs:
                name_bound(prepared.name, entity, weight)
            best = min(best, time.process_time() - t0)
        per = best / len(pairs) * 1e6
        print(f"name_bound, {len(pairs)} entity pairs: {best:.2f} CPU-s ({per:.1f} us a pair)")
        t0 = time.process_time()
        for prepared, entity in pairs:
            name_feature(prepared.name, entity, weight)
        full_cpu = time.process_time() - t0
        print(f"(the full name feature over the same pairs: {full_cpu:.2f} CPU-s)")


if __name__ == "__main__":
    main()
