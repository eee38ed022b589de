"""XML parsed safely for the list readers: no DOCTYPE (refused before lxml sees the
bytes), no entity resolution, no network; errors name the file and line."""

from __future__ import annotations

import io
import re
from pathlib import Path

from lxml import etree

from hermit.errors import SourceError

#: An XML prolog (declaration, comments, PIs, space) followed by a DOCTYPE.
_PROLOG_DOCTYPE = re.compile(rb"(?:\s|<\?.*?\?>|<!--.*?-->)*<!DOCTYPE", re.DOTALL)
#: The first element's name after the prolog (``<export xmlns=...`` -> ``export``).
_ROOT = re.compile(rb"(?:\s|<\?.*?\?>|<!--.*?-->)*<(?:[\w.-]+:)?([\w.-]+)", re.DOTALL)


def root_name(head: bytes) -> str | None:
    """The local name of the root element in a file's first bytes, if it shows."""
    found = _ROOT.match(head.removeprefix(b"\xef\xbb\xbf"))
    return None if found is None else found.group(1).decode("ascii", "replace")


def read_xml(path: Path, what: str) -> tuple[bytes, etree._Element]:
    """The file's bytes and root element; SourceError for an unreadable, empty,
    non-UTF-8, non-XML, DOCTYPE-declaring or malformed file. ``what`` names the list
    in messages ("the EU financial sanctions file")."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(path, f"cannot read: {exc.strerror or exc}") from None
    body = raw.removeprefix(b"\xef\xbb\xbf")
    if not body.strip():
        raise SourceError(path, "the file is empty")
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        raise SourceError(
            path,
            f"byte 0x{body[exc.start]:02x} is not valid UTF-8 ({what} is UTF-8; wrong file "
            "or re-encoded?)",
            line,
        ) from None
    start = len(body) - len(body.lstrip())
    if body[start : start + 1] != b"<":
        snippet = body[start : start + 30].decode("utf-8", "replace")
        raise SourceError(
            path, f"not XML: the file starts with {snippet!r}", body.count(b"\n", 0, start) + 1
        )
    found = _PROLOG_DOCTYPE.match(body)
    if found is not None or b"<!ENTITY" in body[:65536]:
        at = None if found is None else body.count(b"\n", 0, found.end()) + 1
        declares = "a DOCTYPE with entity declarations" if b"<!ENTITY" in body else "a DOCTYPE"
        raise SourceError(
            path,
            f"the XML declares {declares}; refused for safety (external entities/XXE, "
            f"entity expansion such as 'billion laughs'); {what} never has one",
            at,
        )
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        tree = etree.parse(io.BytesIO(raw), parser)
    except etree.XMLSyntaxError as exc:
        raise SourceError(path, f"not well-formed XML: {exc.msg}", exc.lineno or None) from None
    info = tree.docinfo
    if info.internalDTD is not None or info.externalDTD is not None:
        raise SourceError(path, f"the XML declares a DTD; refused for safety ({what})")
    return raw, tree.getroot()


def local(tag: object) -> str:
    """``{namespace}name`` -> ``name`` (comments and PIs: "")."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def line_of(el: etree._Element) -> int | None:
    """The element's line in the file (lxml keeps it for every element)."""
    line = el.sourceline
    return line if isinstance(line, int) else None
