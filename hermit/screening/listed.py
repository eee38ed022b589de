"""Listed entities as the scorer sees them: names prepared once, facts to compare.

Everything a pair comparison needs from the listed side is computed here when the index
is built (tokens, organization words, Korean readings, dates of birth, countries,
gender, identifiers), so scoring a query does no work twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hermit.names import korean
from hermit.names.compare import fold
from hermit.names.forms import latin_forms
from hermit.names.organizations import distinctive, parse_org_name
from hermit.screening.dates import ListedDate
from hermit.screening.identifiers import IdentifierKind, identifier_kind, normalize_identifier
from hermit.screening.text import name_tokens

#: Schemata that are screened (not addresses, sanctions, documents or links).
SCREENED_SCHEMATA = ("Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane")
#: How much a name counts, by the property it came from (a weak alias is a weak name).
NAME_WEIGHT = {"name": 1.0, "alias": 1.0, "previousName": 0.97, "weakAlias": 0.90}
NATIONALITY_PROPS = ("nationality", "citizenship")
COUNTRY_PROPS = ("country", "jurisdiction", "flag", "nationality", "citizenship")


@dataclass(frozen=True, slots=True)
class ListedName:
    """One listed name with its comparable forms (Latin tokens of every reading, the
    organization words with legal forms set aside, its Korean readings)."""

    text: str
    kind: str  # name | alias | weakAlias | previousName
    tokens: tuple[str, ...]
    forms: tuple[tuple[str, ...], ...]  # Latin tokens per reading (first: as written)
    org_tokens: tuple[str, ...]
    org_distinctive: tuple[str, ...]
    readings: tuple[korean.Reading, ...]
    looks_korean: bool
    #: The positions in ``tokens`` of the first given name and the surname ("SURNAME,
    #: Given Middle": around the comma; otherwise the first and the last word).
    edges: tuple[int, ...] = ()

    @property
    def weight(self) -> float:
        return NAME_WEIGHT.get(self.kind, 1.0)


def prepare_name(text: str, kind: str, schema: str) -> ListedName:
    forms = tuple(dict.fromkeys(tuple(name_tokens(f.text)) for f in latin_forms(text)))
    is_person = schema == "Person"
    org: tuple[str, ...] = ()
    if not is_person:
        org = parse_org_name(_latin(text)).tokens
    readings = korean.readings(text) if is_person else ()
    tokens = forms[0] if forms else ()
    edges: tuple[int, ...] = (0, len(tokens) - 1) if tokens else ()
    surname = len(name_tokens(text.partition(",")[0])) if "," in text else 0
    if 0 < surname < len(tokens):
        edges = (surname, surname - 1)
    return ListedName(
        text=text,
        kind=kind,
        tokens=tokens,
        forms=tuple(f for f in forms if f),
        org_tokens=org,
        org_distinctive=distinctive(org),
        readings=readings,
        looks_korean=is_person and korean.looks_korean(text),
        edges=edges if is_person else (),
    )


def _latin(text: str) -> str:
    forms = latin_forms(text)
    return forms[1].text if len(forms) > 1 and not text.isascii() else text


@dataclass(slots=True)
class ListedEntity:
    """A screened entity: its names and the facts the features compare."""

    entity_id: str
    schema: str
    caption: str
    dataset: str
    names: list[ListedName] = field(default_factory=list)
    birth_dates: list[ListedDate] = field(default_factory=list)
    nationalities: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    genders: set[str] = field(default_factory=set)
    identifiers: dict[IdentifierKind, dict[str, str]] = field(default_factory=dict)
    vocabulary: frozenset[str] = frozenset()  # every token of every name (after seal)
    vocabulary_list: tuple[str, ...] = ()
    folded_list: tuple[str, ...] = ()  # the vocabulary with spelling variation folded
    joined: tuple[str, ...] = ()  # every name's tokens written together
    readable_korean: bool = False  # some name reads as a Korean personal name

    def seal(self) -> None:
        """Compute the summaries the scorer's quick bound uses, once all names are in."""
        words: set[str] = set()
        joined: set[str] = set()
        for name in self.names:
            for form in name.forms:
                words.update(form)
                joined.add("".join(form))
            words.update(name.org_tokens)
            joined.add("".join(name.org_tokens))
        self.vocabulary = frozenset(words)
        self.vocabulary_list = tuple(sorted(words))
        self.folded_list = tuple(sorted({fold(w) for w in words}))
        self.joined = tuple(sorted(j for j in joined if j))
        self.readable_korean = any(n.readings for n in self.names)

    def add_value(self, prop: str, value: str, qualifier: str | None = None) -> None:
        """Record one listed value the features use (other properties are ignored)."""
        if prop == "birthDate":
            self.birth_dates.append(ListedDate(value, qualifier))
        elif prop == "gender":
            self.genders.add(value)
        if prop in NATIONALITY_PROPS:
            self.nationalities.add(value)
        if prop in COUNTRY_PROPS:
            self.countries.add(value)
        kind = identifier_kind(self.schema, prop)
        if kind is not None:
            self.add_identifier(kind, value)

    def add_identifier(self, kind: IdentifierKind, value: str) -> None:
        key = normalize_identifier(kind, value)
        if key:
            self.identifiers.setdefault(kind, {}).setdefault(key, value)
