"""Kind words of organization names in any script, read before transliteration: the
words that say what kind of organization a name is (Торговая, 贸易, TRADING;
корпорация, КОРПОРАШН, CORPORATION; Корейская, 朝鲜, KOREA), each replaced by one
canonical token, so that one company's Cyrillic, Chinese and English names carry the
same tokens for them and the same words besides (Торговая корпорация Тангун: trading
corporation Тангун; KOREA TANGUN TRADING CORPORATION: korea tangun trading
corporation).

rigour's symbol tagger (rigour.names.analyze_names: its org-symbol, domain and
org-class tables) finds most of them; resources/names/org_kind_words.yaml holds what
rigour 2.6 does not tag (with organizations.yaml's words: Korean romanizations such as
HOESA and MUYOK; Cyrillic transcriptions of English words, some Russian
adjectives, Chinese words), how rigour's symbols are written as tokens, the endings of
Russian adjectives (a form rigour does not know is looked up in its other forms) and how
a Chinese name, which has no spaces, is cut into words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from rigour.names import NameTypeTag, SymbolCategory, analyze_names

from hermit.names.script import dense_script
from hermit.names.tables import load

#: rigour's symbol categories that say what kind of organization (not its initials,
#: numbers, places or sounds; nor its org classes, the legal forms that
#: hermit.names.legal_forms sets aside first).
KIND_CATEGORIES = frozenset({SymbolCategory.SYMBOL, SymbolCategory.DOMAIN})
_CYRILLIC_WORD = re.compile(r"[а-яё]+")


@dataclass(frozen=True, slots=True)
class Word:
    text: str  # the word as written (lower case), or its canonical token when ``kind``
    kind: bool


@cache
def _table() -> dict[str, object]:
    data: dict[str, object] = load("org_kind_words")
    return data


@cache
def _symbol_tokens() -> dict[str, str]:
    tokens = _table()["symbol_tokens"]
    assert isinstance(tokens, dict)
    return {str(k): str(v) for k, v in tokens.items()}


@cache
def _words() -> dict[str, str]:
    """Word as written -> token: this file's words and organizations.yaml's (HOESA,
    MUYOK, CHOSON ...)."""
    out: dict[str, str] = {}
    for table in (load("organizations")["words"], _table()["words"]):
        assert isinstance(table, dict)
        out.update({str(w).lower(): str(token) for token, ws in table.items() for w in ws})
    return out


@cache
def _endings() -> tuple[str, ...]:
    endings = _table()["adjective_endings"]
    assert isinstance(endings, list)
    return tuple(sorted((str(e) for e in endings), key=len, reverse=True))


@cache
def _han_lengths() -> tuple[int, ...]:
    lengths = _table()["han_word_lengths"]
    assert isinstance(lengths, list)
    return tuple(sorted((int(n) for n in lengths), reverse=True))


def _token(symbols: set[str]) -> str:
    """One canonical token for a part's symbols (the file's order first)."""
    for symbol, token in _symbol_tokens().items():
        if symbol in symbols:
            return token
    return sorted(symbols)[0].lower()


def _tagged(text: str) -> list[tuple[str, set[str]]]:
    """rigour's parts of ``text`` with the kind symbols of each."""
    out: list[tuple[str, set[str]]] = []
    for name in analyze_names(
        NameTypeTag.ORG, [text], consolidate=False, phonetics=False, numerics=False, rewrite=False
    ):
        symbols: dict[int, set[str]] = {}
        for span in name.spans:
            if span.symbol.category in KIND_CATEGORIES:
                for part in span.parts:
                    symbols.setdefault(part.index, set()).add(span.symbol.id)
        out = [(p.form, symbols.get(p.index, set())) for p in name.parts]
        break
    return out


@lru_cache(maxsize=1 << 16)
def word_token(word: str) -> str | None:
    """The canonical token of one word (lower case) when it is a kind word: the table's,
    rigour's, or for a Russian adjective rigour's or the table's of another of its
    forms; else None."""
    known = _words().get(word)
    if known is not None:
        return known
    tagged = _tagged(word)
    if len(tagged) == 1 and tagged[0][1]:
        return _token(tagged[0][1])
    if _CYRILLIC_WORD.fullmatch(word):
        for ending in _endings():
            if word.endswith(ending) and len(word) > len(ending) + 2:
                stem = word[: -len(ending)]
                for other in _endings():
                    if other == ending:
                        continue
                    form = stem + other
                    found = _words().get(form)
                    if found is None:
                        tagged = _tagged(form)
                        found = _token(tagged[0][1]) if len(tagged) == 1 and tagged[0][1] else None
                    if found is not None:
                        return found
                break
    return None


def _han_words(text: str) -> list[Word]:
    """A Chinese run of characters as words: a kind word of the lengths of the file
    where one is found, longest first, two characters a word elsewhere."""
    out: list[Word] = []
    i = 0
    while i < len(text):
        for n in _han_lengths():
            if i + n <= len(text):
                token = word_token(text[i : i + n])
                if token is not None:
                    out.append(Word(token, True))
                    i += n
                    break
        else:
            out.append(Word(text[i : i + 2], False))
            i += 2
    return out


@lru_cache(maxsize=1 << 17)
def kind_words(name: str) -> tuple[Word, ...]:
    """The words of an organization name (legal forms already set aside), each kind
    word as its canonical token."""
    out: list[Word] = []
    for form, symbols in _tagged(name):
        if dense_script(form):
            out.extend(_han_words(form))
        elif symbols:
            out.append(Word(_token(symbols), True))
        else:
            token = word_token(form)
            out.append(Word(token, True) if token is not None else Word(form, False))
    return tuple(out)
