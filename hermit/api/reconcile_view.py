"""What OpenRefine shows around reconciliation: suggestions while a user types a name,
a type or a property, and the small HTML card it previews a candidate with."""

from __future__ import annotations

from html import escape

from followthemoney import model as ftm_model
from followthemoney.types import registry

from hermit.api.deps import Scope
from hermit.api.reconcile import (
    GENERAL_FIRST,
    OFFERED_PROPERTIES,
    QUERY_TYPES,
    label,
    recon_type,
    scope_filter,
)
from hermit.api.state import Snapshot
from hermit.api.wire_reconcile import ReconPropertyDoc, ReconType
from hermit.model import Entity
from hermit.screening.listed import ListedEntity
from hermit.screening.query import QueryError, make_query
from hermit.screening.text import name_tokens

PREVIEW_WIDTH = 430
PREVIEW_HEIGHT = 300
MAX_ALIASES = 6


def _prefix_rank(tokens: tuple[str, ...], head: list[str], last: str) -> int | None:
    """0 when the name starts with the typed words (the last one possibly unfinished), 1
    when it has them in another order, None when it does not have them."""
    n = len(head)
    if tokens[:n] == tuple(head) and len(tokens) > n and tokens[n].startswith(last):
        return 0
    rest = list(tokens)
    for word in head:
        if word not in rest:
            return None
        rest.remove(word)
    return 1 if any(t.startswith(last) for t in rest) else None


def _rank(listed: ListedEntity, head: list[str], last: str) -> tuple[int, int] | None:
    best: tuple[int, int] | None = None
    for name in listed.names:
        for form in name.forms:
            rank = _prefix_rank(form, head, last)
            if rank is not None and (best is None or (rank, len(form)) < best):
                best = (rank, len(form))
    return best


def suggest_entities(snapshot: Snapshot, scope: Scope, prefix: str, limit: int) -> list[Entity]:
    """Listed entities with a name starting with ``prefix`` (any script, word order
    free, the last word possibly unfinished), those whose name begins with it first; when
    fewer than ``limit``, the screening engine's own hits for ``prefix`` (typos,
    romanizations) after them."""
    words = name_tokens(prefix)
    if not words:
        return []
    head, last = words[:-1], words[-1]
    keep = scope_filter(scope)
    ranked: list[tuple[tuple[int, int], str, str]] = []
    for listed in snapshot.screener.entities.values():
        if keep is not None and not keep(listed):
            continue
        rank = _rank(listed, head, last)
        if rank is not None:
            ranked.append((rank, listed.caption.casefold(), listed.entity_id))
    ranked.sort()
    ids = [eid for _, _, eid in ranked[:limit]]
    if len(ids) < limit:
        try:
            query = make_query({"name": prefix}).query
        except QueryError:
            query = None
        if query is not None:
            for m in snapshot.screener.screen(query, limit, keep):
                if m.entity_id not in ids:
                    ids.append(m.entity_id)
    entities = [snapshot.entities.get(eid) for eid in ids[:limit]]
    return [e for e in entities if e is not None]


def _countries(codes: list[str]) -> str:
    return ", ".join(registry.country.caption(c) or c for c in codes)


def _prop_label(schema: str, prop: str) -> str:
    found = ftm_model.get(schema)
    described = None if found is None else found.get(prop)
    return prop if described is None else str(described.label)


def _row(label: str, value: str) -> str:
    return f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>" if value else ""


def preview_html(entity: Entity, snapshot: Snapshot, entity_url: str) -> str:
    """A self-contained card (no scripts, no outside assets): name, type, lists, birth
    dates, nationality or flag, programs, aliases, identifiers, and a link to the
    entity's page. Every value is escaped."""
    titles = {v.dataset: v.title for v in snapshot.versions}
    kind = recon_type(entity.schema).name
    aliases = [n for n, k in entity.names() if n != entity.caption and k != "name"]
    more = f" (+{len(aliases) - MAX_ALIASES})" if len(aliases) > MAX_ALIASES else ""
    identifiers = [
        f"{_prop_label(entity.schema, prop)} {value}"
        for prop in ("passportNumber", "idNumber", "registrationNumber", "imoNumber", "mmsi")
        for value in entity.get(prop)
    ]
    rows = "".join(
        [
            _row("List", titles.get(entity.dataset, entity.dataset)),
            _row("Born", ", ".join(entity.get("birthDate"))),
            _row("Nationality", _countries(entity.get("nationality"))),
            _row("Country", _countries(entity.get("country") or entity.get("flag"))),
            _row("Programs", ", ".join(entity.get("program"))),
            _row("Also known as", "; ".join(aliases[:MAX_ALIASES]) + more),
            _row("Identifiers", "; ".join(identifiers[:6])),
        ]
    )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(entity.caption)}</title><style>"
        "body{font:13px/1.4 system-ui,sans-serif;margin:10px;color:#1c2128}"
        "h1{font-size:16px;margin:0}.kind{color:#57606a;margin:2px 0 8px}"
        "dl{display:grid;grid-template-columns:max-content 1fr;gap:3px 12px;margin:0 0 10px}"
        "dt{color:#57606a}dd{margin:0}a{color:#0b5cad}"
        "</style></head><body>"
        f"<h1>{escape(entity.caption)}</h1>"
        f"<div class='kind'>{escape(kind)} · {escape(entity.id)}</div>"
        f"<dl>{rows}</dl>"
        f"<a href='{escape(entity_url, quote=True)}' target='_blank' rel='noopener'>"
        "Open the entity page</a></body></html>"
    )


def _matches_prefix(prefix: str, *texts: str) -> bool:
    want = prefix.strip().casefold()
    return not want or any(t.casefold().startswith(want) for t in texts)


def suggest_types(prefix: str) -> list[ReconType]:
    return [recon_type(t) for t in QUERY_TYPES if _matches_prefix(prefix, t, label(t))]


def property_doc(name: str) -> ReconPropertyDoc:
    for schema in GENERAL_FIRST:
        found = ftm_model.get(schema)
        prop = None if found is None else found.get(name)
        if prop is not None:
            return ReconPropertyDoc(id=name, name=str(prop.label), description=prop.description)
    return ReconPropertyDoc(id=name, name=name)  # pragma: no cover - all are FtM properties


def suggest_properties(prefix: str) -> list[ReconPropertyDoc]:
    docs = [property_doc(p) for p in OFFERED_PROPERTIES]
    return [d for d in docs if _matches_prefix(prefix, d.id, d.name)]
