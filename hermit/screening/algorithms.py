"""The screening algorithms by name and version, and what else their output rests on.

A versioned name is a promise: while an algorithm keeps its name, its output on the same
input does not move. tests/screening/test_golden.py holds each algorithm to the golden
output recorded for its current version (tests/screening/golden/, written by
scripts/make_golden.py), so a change that moves a score without a new version fails.

Besides the code, the output rests on reviewed tables (those of hermit/resources that
screening reads: fingerprint.SCREENING_RESOURCES) and on the libraries that carry
tables of their own (rigour's name and organization data, ICU's transliterators,
normality). ``resources_digest`` and ``library_versions`` name them, and every run
records both, so two runs with the same algorithm names but different tables can be
told apart.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path

import hermit
from hermit.names import compare, korean
from hermit.screening import candidates, dates, scorer
from hermit.screening.fingerprint import library_versions as installed_versions
from hermit.screening.fingerprint import screening_resources

#: Libraries whose data or behaviour the scores depend on.
SCORING_LIBRARIES = ("rapidfuzz", "normality", "rigour", "pyicu", "anyascii", "pypinyin", "hanja")


def algorithms() -> dict[str, str]:
    """Every named algorithm screening uses, family -> ``name@version``."""
    found = {
        "screen": scorer.ALGORITHM,
        "candidates": candidates.ALGORITHM,
        "tokens": compare.ALGORITHM,
        "korean": korean.ALGORITHM,
        "dob": dates.ALGORITHM,
    }
    return dict(sorted(found.items()))


@cache
def resources_digest() -> str:
    """SHA-256 over every reviewed table screening reads under hermit/resources
    (fingerprint.SCREENING_RESOURCES: each file's path relative to hermit/resources and
    its bytes, in path order)."""
    package = Path(hermit.__file__).parent
    digest = hashlib.sha256()
    files = [
        (p.relative_to(package / "resources").as_posix(), p) for p in screening_resources(package)
    ]
    for rel, path in sorted(files):
        digest.update(rel.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@cache
def library_versions() -> dict[str, str]:
    """The installed version of each library in SCORING_LIBRARIES ("missing" if not)."""
    # read from the dist-info folders' names (fingerprint.library_versions, a
    # millisecond), importlib.metadata (a few milliseconds each) only for the others
    found = installed_versions()
    out: dict[str, str] = {}
    for name in SCORING_LIBRARIES:
        version = found.get(name, "")
        if version[:1].isdigit():
            out[name] = version
            continue
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "missing"
    return out


def fingerprint() -> dict[str, object]:
    """What a run records of the scoring it used: algorithms, table digest, libraries."""
    return {
        "algorithms": algorithms(),
        "resources_sha256": resources_digest(),
        "libraries": library_versions(),
    }
