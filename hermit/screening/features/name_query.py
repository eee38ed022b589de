"""The query's name prepared once for all its candidates: every Latin reading (as
written, look-alike letters undone, transliterated, romanized), the other readings of
each (titles set aside, numbers read), organization words, consonant skeletons and
Korean readings."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from hermit.names import korean
from hermit.names.brackets import split_brackets
from hermit.names.characters import han_characters
from hermit.names.chinese import to_pinyin
from hermit.names.forms import Form, latin_forms
from hermit.names.organizations import distinctive, parse_org_name
from hermit.names.script import HAN, detect_script
from hermit.names.skeleton import skeletons
from hermit.names.variants import variants
from hermit.screening.text import name_tokens


@dataclass(frozen=True, slots=True)
class QueryForm:
    tokens: tuple[str, ...]
    org_tokens: tuple[str, ...]
    org_distinctive: tuple[str, ...]
    how: str
    legal: frozenset[str] = frozenset()  # legal forms (llc, jsc ...) set aside


def _join(*hows: str) -> str:
    return "; ".join(h for h in hows if h)


def _given_at(text: str, tokens: tuple[str, ...]) -> int:
    if "," not in text:
        return 0
    surname = len(name_tokens(text.partition(",")[0]))
    return surname if 0 < surname < len(tokens) else 0


@dataclass(frozen=True, slots=True)
class PreparedName:
    """The query's name with everything the comparisons need, computed once."""

    text: str
    tokens: tuple[str, ...]
    forms: tuple[QueryForm, ...]
    readings: tuple[korean.Reading, ...]
    #: Consonant skeletons of every reading, of the words and of the organization words.
    skeletons: tuple[tuple[str, ...], ...] = ()
    org_skeletons: tuple[tuple[str, ...], ...] = ()
    #: Written in a script without short vowels (Arabic, Hebrew): compared on skeletons.
    abjad: bool = False
    #: Written in Chinese characters: read as Korean and in pinyin, both compared.
    han: bool = False
    #: Those characters, traditional forms (hermit.names.characters), else "".
    characters: str = ""
    #: Read as Korean with a known surname (not a lone word read as syllables).
    korean: bool = False
    #: The pinyin reading of a name in Chinese characters, syllable by syllable.
    pinyin: tuple[str, ...] = ()

    @classmethod
    def of(cls, text: str, person: bool = False) -> PreparedName:
        """``person``: the query is a person, so organization words are not needed."""
        return _prepare(text, person)

    def all_tokens(self) -> set[str]:
        out: set[str] = set()
        for form in self.forms:
            out.update(form.tokens)
            out.update(form.org_tokens)
        return out

    def skeleton_words(self) -> set[str]:
        """The skeletons' words, for the candidate index (abjad queries only)."""
        if not self.abjad:
            return set()
        return {w for form in (*self.skeletons, *self.org_skeletons) for w in form}


@lru_cache(maxsize=4096)
def _prepare(text: str, person: bool) -> PreparedName:
    forms: dict[tuple[tuple[str, ...], tuple[str, ...]], QueryForm] = {}
    skels: list[tuple[str, ...]] = []
    org_skels: list[tuple[str, ...]] = []
    abjad = False

    def add(tokens: tuple[str, ...], org: tuple[str, ...], how: str, legal: frozenset[str]) -> None:
        forms.setdefault((tokens, org), QueryForm(tokens, org, distinctive(org), how, legal))

    parts = split_brackets(text, acronyms_too=not person)
    readings = list(latin_forms(text))
    aside = ", ".join(f"({a})" for a in (*parts.acronyms, *parts.scripts))
    for other in (parts.name, *parts.scripts) if parts.name != text else ():
        for found in latin_forms(other):
            note = f"{aside} set aside" if other == parts.name else f"{other} from brackets"
            readings.append(Form(found.text, _join(note, found.how), found.vowelless))
    for form in readings:
        tokens = tuple(name_tokens(form.text))
        if not tokens:
            continue
        how = "" if form.how == "as written" else f"{form.how}: {form.text!r}"
        parsed = None if person else parse_org_name(form.text)
        org = () if parsed is None else parsed.tokens
        legal = frozenset() if parsed is None else parsed.legal
        skels.append(skeletons(tokens))
        if org:
            org_skels.append(skeletons(org))
        abjad = abjad or form.vowelless
        add(tokens, org, how, legal)
        for variant in variants(tokens, True if person else None, _given_at(form.text, tokens)):
            add(variant.tokens, org, _join(how, variant.how), legal)
        for variant in variants(org, False):
            add(tokens, variant.tokens, _join(how, variant.how), legal)
    return PreparedName(
        text,
        tuple(name_tokens(text)),
        tuple(forms.values()),
        korean.readings(text),
        tuple(dict.fromkeys(s for s in skels if s)),
        tuple(dict.fromkeys(s for s in org_skels if s)),
        abjad,
        detect_script(text.replace(" ", "")) == HAN,
        han_characters(text),
        any(r.surname is not None for r in korean.readings(text)),
        tuple(name_tokens(to_pinyin(text))) if detect_script(text.replace(" ", "")) == HAN else (),
    )
