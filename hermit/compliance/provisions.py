"""The sanctions provisions as reviewed data (``resources/compliance/provisions.yaml``),
read into typed objects and validated on load: a missing or ill-typed field is a
ProvisionError naming the file, the rule and the field."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from hermit.errors import HermitError

KINDS = frozenset({"violation", "indicator", "analytic", "designation_basis"})


class ProvisionError(HermitError):
    """A provisions file that cannot be used: names the file, the rule and the field."""

    def __init__(self, source: str, rule: str | None, field: str | None, problem: str) -> None:
        where = source
        if rule is not None:
            where += f", rule {rule}"
        if field is not None:
            where += f", field {field}"
        self.source, self.rule, self.field, self.problem = source, rule, field, problem
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True, slots=True)
class NamedDate:
    date: dt.date
    meaning: str


@dataclass(frozen=True, slots=True)
class Threshold:
    value: float
    unit: str
    source: str


@dataclass(frozen=True, slots=True)
class RuleException:
    id: str
    summary: str
    verified: bool


@dataclass(frozen=True, slots=True)
class Wording:
    verified: bool
    against: str
    quote: str | None


@dataclass(frozen=True, slots=True)
class Provision:
    """One rule: its source, dates, thresholds, exceptions and the predicate checking it."""

    id: str
    instrument: str
    adopted: dt.date | None
    paragraph: str
    kind: str
    summary: str
    citation: str
    wording: Wording
    dates: dict[str, NamedDate]
    thresholds: dict[str, Threshold]
    exceptions: tuple[RuleException, ...]
    check: str | None
    applies_to: tuple[str, ...]

    def date(self, name: str) -> dt.date:
        """The named date (KeyError if the rule has none: checked at load time)."""
        return self.dates[name].date

    def threshold(self, name: str) -> float:
        return self.thresholds[name].value

    def has_exception(self, name: str) -> bool:
        return any(e.id == name for e in self.exceptions)


@dataclass(frozen=True, slots=True)
class Provisions:
    source: str
    version: int
    rules: tuple[Provision, ...]

    def get(self, rule_id: str) -> Provision:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


class _Fields:
    """Typed access to one mapping of the file, errors naming where they are."""

    def __init__(self, data: Any, source: str, rule: str | None, prefix: str = "") -> None:
        if not isinstance(data, dict):
            raise ProvisionError(source, rule, prefix.rstrip(".") or None, "not a mapping")
        self.data, self.source, self.rule, self.prefix = data, source, rule, prefix

    def fail(self, name: str, problem: str) -> ProvisionError:
        return ProvisionError(self.source, self.rule, self.prefix + name, problem)

    def text(self, name: str, *, optional: bool = False) -> str | None:
        value = self.data.get(name)
        if value is None:
            if optional:
                return None
            raise self.fail(name, "missing")
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise self.fail(name, f"must be text, not {type(value).__name__}")
        text = str(value).strip()
        if not text and not optional:
            raise self.fail(name, "empty")
        return text or None

    def required_text(self, name: str) -> str:
        value = self.text(name)
        assert value is not None
        return value

    def flag(self, name: str) -> bool:
        value = self.data.get(name)
        if not isinstance(value, bool):
            raise self.fail(name, "must be true or false")
        return value

    def day(self, name: str, *, optional: bool = False) -> dt.date | None:
        value = self.data.get(name)
        if value is None and optional:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise self.fail(name, f"must be an ISO date (YYYY-MM-DD), not {value!r}")

    def number(self, name: str) -> float:
        value = self.data.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(name, f"must be a number, not {value!r}")
        return float(value)

    def mapping(self, name: str) -> dict[str, Any]:
        value = self.data.get(name, {})
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(name, "must be a mapping")
        return value

    def sub(self, name: str, key: str | None = None) -> _Fields:
        path = f"{self.prefix}{name}." if key is None else f"{self.prefix}{name}.{key}."
        value = self.data.get(name) if key is None else self.mapping(name).get(key)
        if value is None:
            raise self.fail(name if key is None else f"{name}.{key}", "missing")
        return _Fields(value, self.source, self.rule, path)


def _provision(raw: Any, source: str, index: int) -> Provision:
    if not isinstance(raw, dict):
        raise ProvisionError(source, f"#{index}", None, "not a mapping")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not rule_id.strip():
        raise ProvisionError(source, f"#{index}", "id", "missing")
    f = _Fields(raw, source, rule_id)
    kind = f.required_text("kind")
    if kind not in KINDS:
        raise f.fail("kind", f"{kind!r} is not one of {', '.join(sorted(KINDS))}")
    w = f.sub("wording")
    dates = {}
    for name in f.mapping("dates"):
        d = f.sub("dates", name)
        day = d.day("date")
        assert day is not None
        dates[str(name)] = NamedDate(day, d.required_text("meaning"))
    thresholds = {}
    for name in f.mapping("thresholds"):
        t = f.sub("thresholds", name)
        thresholds[str(name)] = Threshold(
            t.number("value"), t.required_text("unit"), t.required_text("source")
        )
    raw_exc = raw.get("exceptions") or []
    if not isinstance(raw_exc, list):
        raise f.fail("exceptions", "must be a list")
    exceptions = []
    for i, item in enumerate(raw_exc):
        e = _Fields(item, source, rule_id, f"exceptions[{i}].")
        exceptions.append(
            RuleException(e.required_text("id"), e.required_text("summary"), e.flag("verified"))
        )
    applies = raw.get("applies_to") or []
    if not isinstance(applies, list) or not all(isinstance(a, str) for a in applies):
        raise f.fail("applies_to", "must be a list of record kinds")
    return Provision(
        id=rule_id.strip(),
        instrument=f.required_text("instrument"),
        adopted=f.day("adopted", optional=True),
        paragraph=f.required_text("paragraph"),
        kind=kind,
        summary=f.required_text("summary"),
        citation=f.required_text("citation"),
        wording=Wording(
            w.flag("verified"), w.required_text("against"), w.text("quote", optional=True)
        ),
        dates=dates,
        thresholds=thresholds,
        exceptions=tuple(exceptions),
        check=f.text("check", optional=True),
        applies_to=tuple(applies),
    )


def parse_provisions(data: Any, source: str) -> Provisions:
    """Provisions from the parsed YAML ``data`` (ProvisionError naming the rule and field)."""
    if not isinstance(data, dict) or not isinstance(data.get("provisions"), list):
        raise ProvisionError(source, None, "provisions", "missing: no list of provisions")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ProvisionError(source, None, "version", "must be an integer")
    rules = [_provision(raw, source, i) for i, raw in enumerate(data["provisions"], start=1)]
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise ProvisionError(source, rule.id, "id", "appears twice")
        seen.add(rule.id)
    return Provisions(source, version, tuple(rules))


def load_provisions(path: Path | None = None) -> Provisions:
    """The provisions of ``path`` (default: the built-in, reviewed file)."""
    if path is None:
        ref = resources.files("hermit") / "resources" / "compliance" / "provisions.yaml"
        source, text = "built-in provisions.yaml", ref.read_text(encoding="utf-8")
    else:
        source = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ProvisionError(source, None, None, "no such file") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ProvisionError(source, None, None, f"not YAML: {exc}") from None
    return parse_provisions(data, source)
