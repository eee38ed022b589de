"""Build one FtM entity value by value, keeping what the model refuses.

FollowTheMoney cleans every value it is given and drops, without a word, one that does
not fit its type (a date that is no date, an INN whose check digit fails). Here each
value goes in through ``add``: an identifier is checked under its scheme first (valid:
kept as the strong property; invalid: kept as weak text in ``notes`` with the reason),
any other value the model refuses is kept as a Refused item. Nothing is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from followthemoney.property import Property
from followthemoney.proxy import EntityProxy

from hermit.ids.check import IdCheck, check_identifier
from hermit.ids.schemes import Scheme, scheme_for_property
from hermit.registry.countries import country_aliases
from hermit.registry.records import RegistryProvenance, RegistryRecord

_FROM = ("incorporationDate", "startDate", "date")
_TO = ("dissolutionDate", "endDate")
_COUNTRY = ("country", "nationality", "citizenship", "jurisdiction")


#: FtM keeps these as strings (a share can be "1/2" or "25-50"); read as numbers here
_NUMBERS_AS_TEXT = frozenset({"percentage", "sharesValue", "sharesCount"})
_DECIMAL_COMMA = re.compile(r"\d+,\d+")


def _number_as_written(value: str) -> str:
    """A number, fraction or band as written, without its per-cent sign and with a
    decimal point for a decimal comma (``33,33%`` -> ``33.33``, ``25-50%`` -> ``25-50``)."""
    value = value.removesuffix("%").strip()
    return value.replace(",", ".") if _DECIMAL_COMMA.fullmatch(value) else value


@dataclass
class Draft:
    """An entity being built, with its identifier checks and refused values."""

    proxy: EntityProxy
    checks: list[IdCheck] = field(default_factory=list)
    refused: list[tuple[str, str, str]] = field(default_factory=list)

    def country(self) -> str | None:
        for name in _COUNTRY:
            if self.proxy.schema.get(name) is not None:
                values = self.proxy.get(name)
                if values:
                    return str(values[0])
        return None

    def add(
        self,
        prop: Property,
        value: str,
        *,
        fmt: str | None = None,
        fuzzy: bool = False,
        scheme: Scheme | None = None,
    ) -> None:
        """Add one raw value of ``prop`` (see the module's docstring)."""
        value = value.strip()
        if not value:
            return
        scheme = scheme or scheme_for_property(prop.name)
        if scheme is not None:
            self._add_identifier(prop, value, scheme)
            return
        if prop.type.name == "number" or prop.name in _NUMBERS_AS_TEXT:
            value = _number_as_written(value)
        added = self.proxy.unsafe_add(prop, value, fuzzy=fuzzy, format=fmt)
        if added is None and prop.type.name == "country":
            code = country_aliases().get(" ".join(value.split()).casefold())
            added = None if code is None else self.proxy.unsafe_add(prop, code)
        if added is None:
            hint = f" in the format {fmt}" if fmt else ""
            self.refused.append((prop.name, value, f"not a valid {prop.type.name}{hint}"))

    def _add_identifier(self, prop: Property, value: str, scheme: Scheme) -> None:
        check = check_identifier(scheme, value, self.country())
        self.checks.append(check)
        if check.valid:
            own = [p for p in scheme.properties if p != prop.name and self.proxy.schema.get(p)]
            for name in own:  # an OGRN given as registrationNumber is also the ogrnCode
                self.proxy.unsafe_add(self.proxy.schema.properties[name], check.value)
            if self.proxy.unsafe_add(prop, check.value) is None:
                # hermit's check passes, FtM's own format does not: keep it as text
                self._note(f"{prop.name}: {value}")
            return
        self._note(f"{scheme.name} {value} (weak: {check.reason})")

    def _note(self, text: str) -> None:
        notes = self.proxy.schema.get("notes")
        if notes is not None:
            self.proxy.unsafe_add(notes, text)

    def record(
        self, registry: str, file: str, row: int, extra: dict[str, Any] | None = None
    ) -> RegistryRecord:
        """The finished record; ``extra`` adds top-level keys (an FtM file's datasets)."""
        entity: dict[str, Any] = self.proxy.to_dict()
        entity.update(extra or {})
        return RegistryRecord(
            entity=entity,
            provenance=RegistryProvenance(registry, file, row, str(self.proxy.id)),
            valid_from=self._first(_FROM),
            valid_to=self._first(_TO),
            identifiers=tuple(self.checks),
        )

    def _first(self, names: tuple[str, ...]) -> str | None:
        for name in names:
            if self.proxy.schema.get(name) is not None:
                values = sorted(self.proxy.get(name))
                if values:
                    return str(values[0])
        return None
