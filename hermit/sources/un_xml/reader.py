"""Reading the file safely: encoding, no DOCTYPE, well-formedness, root, date."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from lxml import etree

from hermit.errors import SourceError
from hermit.sources.un_xml.common import _PROLOG_DOCTYPE, ROOT, _Element, _Source


def _read(src: _Source) -> bytes:
    """The file's bytes, checked to be non-empty, UTF-8, XML-looking and DTD-free."""
    try:
        raw = src.path.read_bytes()
    except OSError as exc:
        raise SourceError(src.path, f"cannot read: {exc.strerror or exc}") from exc
    body = raw.removeprefix(b"\xef\xbb\xbf")
    if not body.strip():
        raise SourceError(src.path, "the file is empty")
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        raise SourceError(
            src.path,
            f"byte 0x{body[exc.start]:02x} is not valid UTF-8 (the UN list is UTF-8; "
            "wrong file or re-encoded?)",
            line,
        ) from exc
    start = len(body) - len(body.lstrip())
    if body[start : start + 1] != b"<":
        snippet = body[start : start + 30].decode("utf-8", "replace")
        raise SourceError(
            src.path, f"not XML: the file starts with {snippet!r}", body.count(b"\n", 0, start) + 1
        )
    _refuse_doctype(src, body)
    return raw


def _refuse_doctype(src: _Source, body: bytes) -> None:
    """Refuse a DOCTYPE before lxml sees it: no DTD, no entities, nothing to expand."""
    found = _PROLOG_DOCTYPE.match(body)
    if found is not None:
        line = body.count(b"\n", 0, found.end()) + 1
        raise _doctype_error(src, line, b"<!ENTITY" in body)


def _doctype_error(src: _Source, line: int | None, entities: bool) -> SourceError:
    """The error for a document that declares a DOCTYPE."""
    what = "a DOCTYPE with entity declarations" if entities else "a DOCTYPE (DTD)"
    return SourceError(
        src.path,
        f"the XML declares {what}; refused for safety (external entities/XXE, entity "
        "expansion such as 'billion laughs'); the UN list never has one",
        line,
    )


def _parse_tree(src: _Source, raw: bytes) -> _Element:
    """Parse with a hardened lxml parser; check there is no DTD and the root is right."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )
    try:
        tree = etree.parse(io.BytesIO(raw), parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        raise SourceError(src.path, f"not well-formed XML: {exc.msg}", line) from exc
    info = tree.docinfo
    if (
        getattr(info, "doctype", None)
        or info.internalDTD is not None
        or info.externalDTD is not None
    ):
        raise _doctype_error(src, None, b"<!ENTITY" in raw)  # defence in depth
    root = tree.getroot()
    if root.tag != ROOT:
        raise src.error(
            f"not a UN consolidated list: the root element is <{root.tag}>, expected <{ROOT}>",
            root,
        )
    return root


def _published(src: _Source, root: _Element) -> datetime | None:
    """The root's dateGenerated as an aware datetime (UTC where no zone is given)."""
    stamp = root.get("dateGenerated")
    if stamp is None or not stamp.strip():
        src.warn("no dateGenerated on <CONSOLIDATED_LIST>: publication date unknown", root)
        return None
    try:
        when = datetime.fromisoformat(stamp.strip())
    except ValueError as exc:
        raise src.error(f"dateGenerated {stamp!r} is not a timestamp", root) from exc
    if when.tzinfo is None:
        src.warn(f"dateGenerated {stamp!r} has no time zone: read as UTC", root)
        when = when.replace(tzinfo=UTC)
    return when


# --- element helpers ----------------------------------------------------------------
