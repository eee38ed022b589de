"""What a persisted screening index was prepared with, as one digest.

An index prepared by other code or other tables gives other results, so it must never
be served: the digest covers the source of every module that prepares or reads it
(hermit/screening without bulk/, hermit/names, hermit/ids, hermit/model), every
reference table screening reads under hermit/resources (SCREENING_RESOURCES: name
tables, identifiers, screening's own tables, countries, limits, programs; not the
samples, nor the registry, compliance, maritime and load tables of other jobs), the
versions of the libraries that turn names into tokens (normality with PyICU, pypinyin,
hanja, rapidfuzz, PyYAML, rigour, anyascii, python-stdnum, followthemoney), Python's version and
its Unicode database. Reading it costs a few milliseconds (no library is imported).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import sys
import unicodedata
from functools import cache
from pathlib import Path

import hermit

#: Package folders whose Python source is digested (relative to hermit/).
CODE_DIRS = ("screening", "screening/features", "names", "ids", "model")
#: The reference tables screening reads (folders digested recursively, and files;
#: relative to hermit/). A table of another job (registry mappings, compliance
#: provisions, maritime tables, load limits) changing must not rebuild the index nor
#: move the resources digest that screening results report.
SCREENING_RESOURCES = (
    "resources/names",
    "resources/ids",
    "resources/screening",
    "resources/countries.tsv",
    "resources/limits.yaml",
    "resources/programs.yaml",
)
#: Libraries (import name, distribution name) whose version is part of the digest.
LIBRARIES = (
    ("normality", "normality"),
    ("icu", "pyicu"),
    ("pypinyin", "pypinyin"),
    ("hanja", "hanja"),
    ("rapidfuzz", "rapidfuzz"),
    ("yaml", "pyyaml"),
    ("rigour", "rigour"),
    ("anyascii", "anyascii"),
    ("stdnum", "python_stdnum"),
    ("followthemoney", "followthemoney"),
)
_DIST_INFO = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+)\.(dist|egg)-info$")


def _package_root() -> Path:
    return Path(hermit.__file__).parent


def _files(root: Path) -> list[Path]:
    found: list[Path] = []
    for rel in CODE_DIRS:
        found.extend(sorted((root / rel).glob("*.py")))
    found.extend(screening_resources(root))
    return found


def screening_resources(root: Path) -> list[Path]:
    """The files of SCREENING_RESOURCES under the package folder ``root``, in order."""
    found: list[Path] = []
    for rel in SCREENING_RESOURCES:
        path = root / rel
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file()))
        elif path.is_file():
            found.append(path)
    return found


@cache
def _installed(folder: str) -> dict[str, str]:
    """Distribution name (lower case, ``_`` for ``-``) to version, in a site folder."""
    versions: dict[str, str] = {}
    try:
        entries = os.listdir(folder)
    except OSError:
        return versions
    for entry in entries:
        found = _DIST_INFO.match(entry)
        if found is not None:
            versions[found["name"].lower().replace("-", "_")] = found["version"]
    return versions


def library_versions() -> dict[str, str]:
    """Each library's installed version, read from its dist-info folder name next to
    it (not imported); ``absent`` when it is not installed, else where it lives."""
    out: dict[str, str] = {}
    for module, dist in LIBRARIES:
        spec = importlib.util.find_spec(module)
        if spec is None or spec.origin is None:
            out[dist] = "absent"
            continue
        origin = Path(spec.origin)
        site = origin.parent.parent if origin.name == "__init__.py" else origin.parent
        out[dist] = _installed(str(site)).get(dist, f"at {origin}")
    return out


def code_digest() -> str:
    """The SHA-256 (hex) of everything a prepared index depends on besides the lists.
    Computed once per process: a process keeps the code it imported even if the files
    change under it (an upgrade while a service runs), and an index it builds must
    carry the digest of that code, not of the new files."""
    return _digest(_package_root())


@cache
def _digest(root: Path) -> str:
    digest = hashlib.sha256()
    digest.update(f"python {sys.version_info[:3]} unicode {unicodedata.unidata_version}\n".encode())
    for dist, version in sorted(library_versions().items()):
        digest.update(f"{dist} {version}\n".encode())
    for path in _files(root):
        data = path.read_bytes()
        digest.update(f"{path.relative_to(root).as_posix()} {len(data)}\n".encode())
        digest.update(data)
    return digest.hexdigest()
