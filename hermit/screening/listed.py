"""Listed entities as the scorer sees them: names prepared once, facts to compare.

Everything a pair comparison needs from the listed side is computed here when the index
is built (tokens of every reading, organization words, consonant skeletons, Korean
readings, dates of birth, countries, gender, identifiers), so scoring a query does no
work twice. Everything here is plain data (tuples, strings, numbers), so a prepared
index can be stored and read back.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from hermit.names import korean
from hermit.names.brackets import split_brackets
from hermit.names.characters import han_characters
from hermit.names.compare import fold
from hermit.names.forms import latin_forms
from hermit.names.organizations import distinctive, parse_org_name
from hermit.names.segments import joined_runs, run_keys
from hermit.names.skeleton import skeletons
from hermit.names.variants import variants
from hermit.screening.dates import ListedDate
from hermit.screening.identifiers import IdentifierKind, identifier_kind, normalize_identifier
from hermit.screening.text import name_tokens

#: Schemata that are screened (not addresses, sanctions, documents or links).
SCREENED_SCHEMATA = ("Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane")
#: How much a name counts, by the property it came from (a weak alias is a weak name;
#: an acronym in brackets after a name, "(OMM)", is a weak form of that name).
NAME_WEIGHT = {
    "name": 1.0,
    "alias": 1.0,
    "previousName": 0.97,
    "weakAlias": 0.90,
    "acronym": 0.70,
}
NATIONALITY_PROPS = ("nationality", "citizenship")
COUNTRY_PROPS = ("country", "jurisdiction", "flag", "nationality", "citizenship")


@dataclass(frozen=True, slots=True)
class ListedName:
    """One listed name with its comparable forms (Latin tokens of every reading, the
    organization words with legal forms set aside, consonant skeletons, its Korean
    readings)."""

    text: str  # as listed
    kind: str  # name | alias | weakAlias | previousName | acronym
    tokens: tuple[str, ...]
    forms: tuple[tuple[str, ...], ...]  # Latin tokens per reading (first: as written)
    org_tokens: tuple[str, ...]
    org_distinctive: tuple[str, ...]
    readings: tuple[korean.Reading, ...]
    looks_korean: bool
    #: The positions in ``tokens`` of the first given name and the surname ("SURNAME,
    #: Given Middle": around the comma; otherwise the first and the last word).
    edges: tuple[int, ...] = ()
    #: How each of ``forms`` was read ("" for as written), for the explanations.
    notes: tuple[str, ...] = ()
    #: Other readings of the organization words (numbers read: "FIRST" -> 1).
    org_alt: tuple[tuple[str, ...], ...] = ()
    #: Consonant skeletons of every reading (persons: of ``forms``; others: of the
    #: organization words), for queries in scripts that write no short vowels.
    skeletons: tuple[tuple[str, ...], ...] = ()
    #: The name itself is written in such a script.
    abjad: bool = False
    #: What the listed text had that the comparison sets aside ("acronym (OMM)").
    aside: str = ""
    #: The name in Chinese characters (traditional forms), else "".
    characters: str = ""
    #: The organization's legal forms (llc, jsc ...), set aside from its words.
    org_legal: frozenset[str] = frozenset()

    @property
    def weight(self) -> float:
        return NAME_WEIGHT.get(self.kind, 1.0)


def prepare_names(text: str, kind: str, schema: str) -> list[ListedName]:
    """A listed name, and the forms its brackets hold: an organization's acronym
    ("OCEAN MARITIME MANAGEMENT COMPANY, LIMITED (OMM)": the name without it, and OMM
    as a weak form) or the name in its original script ("Jin Tiesan (金铁三)")."""
    parts = split_brackets(text, acronyms_too=schema != "Person")
    if parts.name == text:
        return [prepare_name(text, kind, schema)]
    aside = ", ".join(f"({a})" for a in (*parts.acronyms, *parts.scripts))
    out = [prepare_name(parts.name, kind, schema, shown=text, aside=aside)]
    whole = prepare_name(text, kind, schema)  # as listed, brackets and all
    main = out[0]
    out[0] = replace(
        main,
        forms=tuple(dict.fromkeys((*main.forms, *whole.forms))),
        notes=(
            *main.notes,
            *(
                f"{n}; as listed" if n else "as listed"
                for f, n in zip(whole.forms, whole.notes, strict=True)
                if f not in main.forms
            ),
        ),
        org_alt=tuple(
            o for o in dict.fromkeys((*main.org_alt, whole.org_tokens)) if o != main.org_tokens
        ),
    )
    out += [prepare_name(other, kind, schema) for other in parts.scripts]
    out += [prepare_name(acronym, "acronym", schema) for acronym in parts.acronyms]
    return out


def _given_at(text: str, tokens: tuple[str, ...]) -> int:
    """Where the given names start in "SURNAME, Given" (0 without a comma)."""
    if "," not in text:
        return 0
    surname = len(name_tokens(text.partition(",")[0]))
    return surname if 0 < surname < len(tokens) else 0


def prepare_name(
    text: str, kind: str, schema: str, shown: str | None = None, aside: str = ""
) -> ListedName:
    is_person = schema == "Person"
    forms: dict[tuple[str, ...], str] = {}
    abjad_forms: list[tuple[str, ...]] = []
    org: tuple[str, ...] = ()
    org_alt: list[tuple[str, ...]] = []
    for form in latin_forms(text):
        tokens = tuple(name_tokens(form.text))
        if not tokens:
            continue
        if form.vowelless:
            abjad_forms.append(tokens)
        forms.setdefault(tokens, "" if form.how == "as written" else form.how)
        for variant in variants(tokens, is_person, _given_at(text, tokens)):
            forms.setdefault(variant.tokens, variant.how)
    first = next(iter(forms), ())
    legal: frozenset[str] = frozenset()
    if not is_person:
        parsed = parse_org_name(_latin(text))
        org, legal = parsed.tokens, parsed.legal
        org_alt = [v.tokens for v in variants(org, False) if v.tokens != org]
    readings = korean.readings(text) if is_person else ()
    edges: tuple[int, ...] = (0, len(first) - 1) if first else ()
    given = _given_at(text, first)
    if given:
        edges = (given, given - 1)
    sources = list(forms) if is_person else [org, *org_alt]
    return ListedName(
        text=text if shown is None else shown,
        kind=kind,
        tokens=first,
        forms=tuple(forms),
        org_tokens=org,
        org_distinctive=distinctive(org),
        readings=readings,
        looks_korean=is_person and korean.looks_korean(text),
        edges=edges if is_person else (),
        notes=tuple(forms.values()),
        org_alt=tuple(org_alt),
        skeletons=tuple(dict.fromkeys(s for s in map(skeletons, sources) if s)),
        abjad=bool(abjad_forms),
        aside=aside,
        characters=han_characters(text),
        org_legal=legal,
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
    runs_list: tuple[str, ...] = ()  # adjacent words of a name written together
    folded_runs: tuple[str, ...] = ()
    folded_list: tuple[str, ...] = ()  # the vocabulary with spelling variation folded
    folded_set: frozenset[str] = frozenset()
    joined: tuple[str, ...] = ()  # every name's tokens written together
    readable_korean: bool = False  # some name reads as a Korean personal name
    skeleton_words: tuple[str, ...] = ()  # every word of every name's skeletons
    #: What resegment looks a query word up in among the names' runs of adjacent words
    #: (segments.run_keys of every form: written together, and "~" + folded).
    run_keys: frozenset[str] = frozenset()
    #: vocabulary_list + runs_list, and folded_list + folded_runs: what the quick
    #: bound matches a query word against, as spelled and folded.
    bound_words: tuple[str, ...] = ()
    bound_folded: tuple[str, ...] = ()
    #: A folded word -> the vocabulary's words that fold to it (vocabulary order).
    by_fold: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def seal(self) -> None:
        """Compute the summaries the scorer's quick bound uses, once all names are in:
        every word of every reading, also adjacent words written together."""
        words: set[str] = set()
        joined: set[str] = set()
        runs: set[str] = set()
        keys: set[str] = set()
        for name in self.names:
            for form in (*name.forms, name.org_tokens, *name.org_alt):
                words.update(form)
                if len(form) > 1:
                    runs.update(joined_runs(form))
                    keys |= run_keys(form, fold)
                joined.add("".join(form))
        self.vocabulary = frozenset(words | runs)
        self.vocabulary_list = tuple(sorted(words))
        self.runs_list = tuple(sorted(runs - words))
        self.folded_runs = tuple(sorted({fold(r) for r in self.runs_list}))
        self.folded_set = frozenset(fold(w) for w in words)
        self.folded_list = tuple(sorted(self.folded_set))
        self.joined = tuple(sorted(j for j in joined if j))
        self.readable_korean = any(n.readings for n in self.names)
        self.skeleton_words = tuple(sorted({w for n in self.names for s in n.skeletons for w in s}))
        self.run_keys = frozenset(keys)
        self.bound_words = self.vocabulary_list + self.runs_list
        self.bound_folded = self.folded_list + self.folded_runs
        by_fold: dict[str, list[str]] = {}
        for word in self.vocabulary_list:
            by_fold.setdefault(fold(word), []).append(word)
        self.by_fold = {k: tuple(v) for k, v in by_fold.items()}

    def add_name(self, value: str, prop: str) -> None:
        """Record one listed name (and the forms its brackets hold)."""
        self.names.extend(prepare_names(value, prop, self.schema))

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
