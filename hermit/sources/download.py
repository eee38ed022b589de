"""Fetching the current official lists from their official addresses."""

from __future__ import annotations

import os
import shutil
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from hermit import __version__
from hermit.errors import DownloadError

OFAC_EXPORTS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports"


@dataclass(frozen=True, slots=True)
class OfficialFile:
    list_name: str
    url: str
    filename: str


#: The official addresses (UN Security Council; US Treasury OFAC Sanctions List Service).
OFFICIAL_FILES: tuple[OfficialFile, ...] = (
    OfficialFile(
        "un", "https://scsanctions.un.org/resources/xml/en/consolidated.xml", "un_consolidated.xml"
    ),
    OfficialFile("ofac", f"{OFAC_EXPORTS}/SDN.CSV", "sdn.csv"),
    OfficialFile("ofac", f"{OFAC_EXPORTS}/ALT.CSV", "alt.csv"),
    OfficialFile("ofac", f"{OFAC_EXPORTS}/ADD.CSV", "add.csv"),
    OfficialFile("ofac", f"{OFAC_EXPORTS}/SDN_COMMENTS.CSV", "sdn_comments.csv"),
)


def mirrored(
    base_url: str, files: tuple[OfficialFile, ...] = OFFICIAL_FILES
) -> tuple[OfficialFile, ...]:
    """The official files as served by a mirror that keeps the official file names
    (``BASE/consolidated.xml``, ``BASE/SDN.CSV`` ...), e.g. an organisation's proxy."""
    base = base_url.rstrip("/")
    return tuple(
        OfficialFile(f.list_name, f"{base}/{f.url.rsplit('/', 1)[1]}", f.filename) for f in files
    )


def fetch(url: str, target: Path, *, timeout_s: float = 60.0) -> int:
    """Download ``url`` to ``target`` (written whole or not at all); returns its size."""
    request = urllib.request.Request(url, headers={"User-Agent": f"hermit/{__version__}"})
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(request, timeout=timeout_s) as resp:
            shutil.copyfileobj(resp, out, length=1 << 20)
        size = Path(tmp_name).stat().st_size
        if size == 0:
            raise DownloadError(f"{url}: the server sent an empty file")
        os.replace(tmp_name, target)
        return size
    except urllib.error.HTTPError as exc:
        raise DownloadError(f"{url}: the server answered HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise DownloadError(
            f"{url}: cannot reach the server ({exc.reason}); are you offline? "
            "Load local copies with 'hermit lists load FILE' instead."
        ) from exc
    except TimeoutError as exc:
        raise DownloadError(f"{url}: no answer within {timeout_s:.0f} s") from exc
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)


def download_official(
    target_dir: Path,
    lists: tuple[str, ...] = ("un", "ofac"),
    *,
    files: tuple[OfficialFile, ...] = OFFICIAL_FILES,
    timeout_s: float = 60.0,
) -> list[Path]:
    """Download the official files of ``lists`` into ``target_dir``; returns their paths."""
    wanted = [f for f in files if f.list_name in lists]
    if not wanted:
        raise DownloadError(f"no official files for {', '.join(lists)} (known: un, ofac)")
    return [_fetch_one(f, target_dir, timeout_s) for f in wanted]


def _fetch_one(item: OfficialFile, target_dir: Path, timeout_s: float) -> Path:
    path = target_dir / item.filename
    fetch(item.url, path, timeout_s=timeout_s)
    return path
