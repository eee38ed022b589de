"""Fetching the current official lists from their official addresses."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hermit import __version__
from hermit.errors import DownloadError

OFAC_EXPORTS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports"


OFSI_2022 = "https://ofsistorage.blob.core.windows.net/publishlive/2022format"
EU_FSF_XML = (
    "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content"
    "?token=dG9rZW4tMjAxNw"
)
#: The lists ``hermit lists download`` fetches when told nothing else.
LIST_NAMES = ("un", "ofac", "ofsi", "eu")


@dataclass(frozen=True, slots=True)
class OfficialFile:
    """One official file: the list it belongs to, its address, the name it is saved
    under, and the name a mirror serves it by (the address's last part by default)."""

    list_name: str
    url: str
    filename: str
    mirror_name: str | None = None

    @property
    def served_as(self) -> str:
        return self.mirror_name or self.url.rsplit("/", 1)[1]


#: The official addresses: UN Security Council; US Treasury OFAC Sanctions List Service;
#: HM Treasury OFSI's Consolidated List (2022 format, CSV); the EU Financial Sanctions
#: Files XML (v1.1, with the public token the EU's download page uses). The EU DPRK
#: annexes have no official machine-readable file (Official Journal text only).
OFFICIAL_FILES: tuple[OfficialFile, ...] = (
    OfficialFile(
        "un", "https://scsanctions.un.org/resources/xml/en/consolidated.xml", "un_consolidated.xml"
    ),
    OfficialFile("ofac", f"{OFAC_EXPORTS}/SDN.CSV", "sdn.csv"),
    OfficialFile("ofac", f"{OFAC_EXPORTS}/ALT.CSV", "alt.csv"),
    OfficialFile("ofac", f"{OFAC_EXPORTS}/ADD.CSV", "add.csv"),
    OfficialFile("ofac", f"{OFAC_EXPORTS}/SDN_COMMENTS.CSV", "sdn_comments.csv"),
    OfficialFile("ofsi", f"{OFSI_2022}/ConList.csv", "uk_ofsi_conlist.csv"),
    OfficialFile("eu", EU_FSF_XML, "eu_fsf.xml", "xmlFullSanctionsList_1_1.xml"),
)
#: The files to load after a download (OFAC's companions are found beside sdn.csv).
PRIMARY_FILES = ("un_consolidated.xml", "sdn.csv", "uk_ofsi_conlist.csv", "eu_fsf.xml")


def mirrored(
    base_url: str, files: tuple[OfficialFile, ...] = OFFICIAL_FILES
) -> tuple[OfficialFile, ...]:
    """The official files as served by a mirror that keeps the official file names
    (``BASE/consolidated.xml``, ``BASE/SDN.CSV``, ``BASE/ConList.csv``,
    ``BASE/xmlFullSanctionsList_1_1.xml``), e.g. an organisation's proxy."""
    base = base_url.rstrip("/")
    return tuple(OfficialFile(f.list_name, f"{base}/{f.served_as}", f.filename) for f in files)


def fetch(url: str, target: Path, *, timeout_s: float = 60.0) -> int:
    """Download ``url`` to ``target`` (written whole or not at all); returns its size."""
    import urllib.error  # here: urllib.request costs every hermit command 30 ms to import
    import urllib.request

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
    lists: tuple[str, ...] = LIST_NAMES,
    *,
    files: tuple[OfficialFile, ...] = OFFICIAL_FILES,
    timeout_s: float = 60.0,
) -> list[Path]:
    """Download the official files of ``lists`` into ``target_dir``; returns their paths."""
    wanted = [f for f in files if f.list_name in lists]
    if not wanted:
        raise DownloadError(
            f"no official files for {', '.join(lists)} (known: {', '.join(LIST_NAMES)})"
        )
    return [_fetch_one(f, target_dir, timeout_s) for f in wanted]


def _fetch_one(item: OfficialFile, target_dir: Path, timeout_s: float) -> Path:
    path = target_dir / item.filename
    fetch(item.url, path, timeout_s=timeout_s)
    return path
