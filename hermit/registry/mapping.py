"""Tabular registry files read through FollowTheMoney mappings.

A mapping file is FollowTheMoney's mapping format (what Aleph users write): either one
query (``entities:``), a list of them under ``queries:``, or ``{dataset: {queries:
[...]}}``. FollowTheMoney parses and checks it (schemata, properties, entity links,
keys); ``csv_url`` in it is ignored, the file is named on the command line. hermit
reads these extra keys, which FollowTheMoney leaves alone:

- on a query: ``registry`` (the name records are kept under; default: the mapping
  file's name), ``delimiter`` (CSV; default ``,``), ``detect`` (columns by which a
  built-in mapping knows its file);
- on an entity: ``id_template`` (the entity's id from a template of columns, e.g.
  ``ru-co-{{ОГРН ЮЛ}}``, so that a relation points at the id its registry gives the
  company; the FtM ``keys`` stay, FtM requires them) and ``link_only: true`` (the entity
  only gives a relation its end: it is not kept as a record of its own);
- on a property: ``scheme`` (an identifier scheme of hermit/resources/ids/schemes.yaml
  the value is checked under), or ``scheme_column`` with ``schemes`` (the scheme named
  by another column's value, e.g. ``registration_number_type: {OGRN: ogrn}``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from followthemoney import model
from followthemoney.exc import InvalidMapping
from followthemoney.mapping.entity import EntityMapping
from followthemoney.mapping.property import PropertyMapping
from followthemoney.mapping.query import QueryMapping

from hermit.errors import HermitError, SourceError
from hermit.ids.schemes import Scheme, get_scheme
from hermit.registry.builder import Draft
from hermit.registry.records import Item, Refused, Rejected
from hermit.registry.tables import Record


@dataclass(frozen=True, slots=True)
class SchemeRule:
    """Which scheme a mapped property's values are checked under."""

    scheme: Scheme | None = None
    column: str | None = None
    by_value: tuple[tuple[str, Scheme], ...] = ()

    def pick(self, record: Record) -> Scheme | None:
        if self.column is None:
            return self.scheme
        found = record.get(self.column)
        return dict(self.by_value).get(found or "")


@dataclass(frozen=True, slots=True)
class TableMapping:
    """One query of a mapping file, ready to map rows."""

    source: str
    registry: str
    delimiter: str
    detect: tuple[str, ...]
    query: QueryMapping
    rules: dict[tuple[str, str], SchemeRule]
    id_templates: dict[str, str]
    filters: tuple[tuple[str, frozenset[str]], ...]
    filters_not: tuple[tuple[str, frozenset[str]], ...]
    link_only: frozenset[str]

    @property
    def columns(self) -> set[str]:
        """Every column the query reads."""
        refs: set[str] = set()
        for entity in self.query.entities:
            refs.update(entity.refs)
        refs |= {r.column for r in self.rules.values() if r.column is not None}
        return refs | {c for c, _ in self.filters} | {c for c, _ in self.filters_not}

    def accepts(self, record: Record) -> bool:
        """FtM's ``filters`` / ``filters_not``: whether this query maps the row."""
        if any(record.get(col, "") not in values for col, values in self.filters):
            return False
        return not any(record.get(col, "") in values for col, values in self.filters_not)


def _queries(data: Any, source: str) -> list[dict[str, Any]]:
    if isinstance(data, dict) and "entities" in data:
        return [data]
    if isinstance(data, dict) and isinstance(data.get("queries"), list):
        return list(data["queries"])
    if isinstance(data, dict) and len(data) == 1:
        inner = next(iter(data.values()))
        if isinstance(inner, dict) and isinstance(inner.get("queries"), list):
            return list(inner["queries"])
    raise SourceError(source, "not a FollowTheMoney mapping: no 'entities' or 'queries' at the top")


def _rules(query: dict[str, Any], source: str) -> dict[tuple[str, str], SchemeRule]:
    rules: dict[tuple[str, str], SchemeRule] = {}
    for ename, edata in (query.get("entities") or {}).items():
        for pname, pdata in ((edata or {}).get("properties") or {}).items():
            if not isinstance(pdata, dict):
                continue
            try:
                if "scheme" in pdata:
                    rules[(ename, pname)] = SchemeRule(scheme=get_scheme(str(pdata["scheme"])))
                elif "scheme_column" in pdata:
                    by_value = tuple(
                        (str(k), get_scheme(str(v)))
                        for k, v in (pdata.get("schemes") or {}).items()
                    )
                    rules[(ename, pname)] = SchemeRule(
                        column=str(pdata["scheme_column"]), by_value=by_value
                    )
            except HermitError as exc:
                raise SourceError(source, f"entity {ename}, property {pname}: {exc}") from None
    return rules


def _filters(raw: Any) -> tuple[tuple[str, frozenset[str]], ...]:
    if not isinstance(raw, dict):
        return ()
    return tuple(
        (str(col), frozenset(str(v) for v in (vals if isinstance(vals, list) else [vals])))
        for col, vals in raw.items()
    )


def load_mapping(path: Path, *, source: str | None = None) -> list[TableMapping]:
    """The queries of a mapping file (SourceError naming the file if it is not one)."""
    name = source or str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceError(name, "no such mapping file") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise SourceError(name, f"not a YAML mapping file: {exc}") from None
    found: list[TableMapping] = []
    for index, query in enumerate(_queries(data, name), start=1):
        if not isinstance(query, dict):
            raise SourceError(name, f"query {index} is not a mapping")
        spec = dict(query)
        if not any(k in spec for k in ("csv_url", "csv_urls", "database")):
            spec["csv_url"] = "file:///dev/null"  # FtM wants a source; hermit reads the file
        try:
            parsed = model.make_mapping(spec)
        except InvalidMapping as exc:
            raise SourceError(name, f"query {index}: invalid mapping: {exc}") from None
        found.append(
            TableMapping(
                source=name,
                registry=str(spec.get("registry") or path.stem.split(".")[0]),
                delimiter=str(spec.get("delimiter") or ","),
                detect=tuple(str(c) for c in spec.get("detect") or ()),
                query=parsed,
                rules=_rules(spec, name),
                filters=_filters(spec.get("filters")),
                filters_not=_filters(spec.get("filters_not")),
                id_templates={
                    str(k): str(v["id_template"])
                    for k, v in (spec.get("entities") or {}).items()
                    if isinstance(v, dict) and v.get("id_template")
                },
                link_only=frozenset(
                    str(k)
                    for k, v in (spec.get("entities") or {}).items()
                    if isinstance(v, dict) and v.get("link_only")
                ),
            )
        )
    return found


def _values(pm: PropertyMapping, record: Record) -> list[str]:
    values = [v for v in pm.record_values(record) if v is not None]
    if pm.join is not None:
        values = [pm.join.join(values)]
    if pm.split is not None:
        values = [part for v in values for part in v.split(pm.split)]
    return values


_REF = re.compile(r"{{([^}]*)}}")


def _fill(template: str, record: Record) -> str | None:
    """The template with the row's values, or None if one of them is empty."""
    values = {ref: record.get(ref.strip()) for ref in _REF.findall(template)}
    if any(v is None for v in values.values()):
        return None
    return _REF.sub(lambda m: values[m.group(1)] or "", template)


def _key_columns(em: EntityMapping) -> str:
    return em.id_column or ", ".join(em.keys)


def map_row(tm: TableMapping, record: Record, file: str, row: int) -> Iterator[Item]:
    """The records (and refused values) one row gives; a Rejected item if none."""
    made: dict[str, Draft] = {}
    missing: list[EntityMapping] = []
    for em in tm.query.entities:
        draft = Draft(model.make_entity(em.schema))
        proxy = draft.proxy
        links: list[tuple[PropertyMapping, str]] = []
        for pm in em.properties:
            if pm.entity is not None:
                ref = made.get(pm.entity)
                if ref is None:
                    links.append((pm, pm.entity))
                else:
                    proxy.unsafe_add(pm.prop, ref.proxy.id, cleaned=True)
                continue
            rule = tm.rules.get((em.name, pm.prop.name))
            scheme = None if rule is None else rule.pick(record)
            for value in _values(pm, record):
                draft.add(pm.prop, value, fmt=pm.format, fuzzy=pm.fuzzy, scheme=scheme)
        template = tm.id_templates.get(em.name)
        proxy.id = em.compute_key(record) if template is None else _fill(template, record)
        if proxy.id is None:
            missing.append(em)
            continue
        if any(pm.required and not proxy.has(pm.prop) for pm in em.properties):
            continue  # the mapping says: rows without this value do not map this entity
        for pm, name in links:
            draft.refused.append(
                (pm.prop.name, "", f"no {name} in this row (its key columns are empty)")
            )
        made[em.name] = draft
    if not made:
        named = [em for em in missing if em.name not in tm.link_only] or missing
        keys = "; ".join(f"{em.name}: {_key_columns(em)}" for em in named)
        yield Rejected(file, row, f"no record: every key column is empty ({keys})")
        return
    for name, draft in made.items():
        if name in tm.link_only:
            continue
        record_id = str(draft.proxy.id)
        for prop, value, reason in draft.refused:
            yield Refused(file, row, record_id, prop, value, reason)
        yield draft.record(tm.registry, file, row)
