"""Realistic damage to names and dates of birth, as screening input carries it.

Pure functions over text and a ``random.Random``; each returns the damaged value, or
None when the damage does not apply (a name too short for a typo, a name without a
middle part to drop). They are written from how names are mistyped and respelled, not
from hermit's own tables, so the benchmark does not test hermit against itself.
"""

from __future__ import annotations

import calendar
import random
import re
import string
from datetime import date, timedelta

#: Spelling variants of romanized names in general (Latin script, any language).
GENERAL_VARIANTS = (
    ("ou", "u"),
    ("kh", "h"),
    ("ie", "i"),
    ("ee", "i"),
    ("oo", "u"),
    ("dzh", "j"),
    ("ph", "f"),
    ("q", "k"),
    ("mohammed", "muhammad"),
    ("mohammad", "muhammad"),
    ("abdul", "abdel"),
)
#: Known spellings of Korean name syllables (North and South Korean, informal).
KOREAN_VARIANTS = {
    "chol": "chul",
    "chul": "chol",
    "yong": "young",
    "jong": "chong",
    "chong": "jong",
    "pak": "park",
    "choe": "choi",
    "ri": "lee",
    "o": "oh",
    "un": "eun",
    "song": "sung",
    "hyon": "hyun",
    "kyong": "kyung",
    "myong": "myung",
    "sok": "suk",
    "gwang": "kwang",
    "kwang": "gwang",
    "il": "ill",
    "ho": "hoh",
    "kum": "keum",
    "ryong": "ryung",
    "hyok": "hyuk",
    "chon": "chun",
}
#: Legal forms a company name may carry at its end (Latin), longest first.
LEGAL_FORM_END = re.compile(
    r"[\s,]+(CO\.?,?\s*LTD\.?|COMPANY\s+LIMITED|CO\.?\s+LIMITED|LIMITED|LTD\.?|L\.?L\.?C\.?"
    r"|O?JSC|CJSC|PJSC|INC\.?|CORPORATION|CORP\.?|COMPANY|CO\.?|GMBH|S\.?A\.?|FZE|FZCO"
    r"|PTE\.?\s+LTD\.?|SDN\.?\s+BHD\.?)$",
    re.IGNORECASE,
)
LEGAL_FORM_START = re.compile(r"^(OOO|ООО|ZAO|ЗАО|OAO|ОАО|AO|АО)\s+", re.IGNORECASE)
#: Legal forms put on a company name instead: ``{}`` is the name.
LEGAL_FORMS = (
    "{} Co., Ltd",
    "{} Company Limited",
    "{} LLC",
    "OOO {}",
    "{} JSC",
    "{} Ltd",
)
CYRILLIC_LLC = "ООО {}"
#: Words of organizations that are not companies: no legal form is added to them.
NOT_COMPANIES = frozenset(
    {
        *("department", "bureau", "committee", "ministry", "army", "front", "foundation"),
        *("organization", "organisation", "brigade", "brigades", "movement", "party"),
        *("group", "battalion", "network", "state", "council", "academy", "university"),
        *("institute", "office", "unit", "commission", "force", "forces", "guard", "corps"),
        *("association", "society", "charity", "relief", "jihad", "mujahideen", "emirate"),
        *("al-qaida", "qaida", "taliban", "militia", "government", "administration"),
        *("ngo", "center", "centre", "hospital", "school", "church", "mosque"),
    }
)


def letters(text: str) -> int:
    return sum(c.isalpha() for c in text)


def typo(name: str, rng: random.Random) -> str | None:
    """One edit (substitution, deletion, insertion or swap of neighbours) inside one
    token of four letters or more, never its first letter; None for names of fewer
    than eight letters."""
    if letters(name) < 8:
        return None
    tokens = name.split()
    choices = [i for i, t in enumerate(tokens) if letters(t) >= 4]
    if not choices:
        return None
    index = rng.choice(choices)
    token = tokens[index]
    positions = [p for p in range(1, len(token)) if token[p].isalpha()]
    pos = rng.choice(positions)
    pool = string.ascii_uppercase if token.isupper() else string.ascii_lowercase
    op = rng.choice(("substitute", "delete", "insert", "swap"))
    if op == "swap" and pos + 1 < len(token) and token[pos + 1].isalpha():
        if token[pos] != token[pos + 1]:
            damaged = token[:pos] + token[pos + 1] + token[pos] + token[pos + 2 :]
            return _replace(tokens, index, damaged)
        op = "substitute"
    if op == "delete" and len(token) > 4:
        return _replace(tokens, index, token[:pos] + token[pos + 1 :])
    if op == "insert":
        return _replace(tokens, index, token[:pos] + rng.choice(pool) + token[pos:])
    other = rng.choice([c for c in pool if c.lower() != token[pos].lower()])
    return _replace(tokens, index, token[:pos] + other + token[pos + 1 :])


def _replace(tokens: list[str], index: int, token: str) -> str:
    return " ".join([*tokens[:index], token, *tokens[index + 1 :]])


def swap_parts(surname_first: list[str]) -> str | None:
    """The surname moved to the other end (``Kim Yong Chol`` -> ``Yong Chol Kim``)."""
    if len(surname_first) < 2:
        return None
    return " ".join([*surname_first[1:], surname_first[0]])


def drop_middle(tokens: list[str], rng: random.Random) -> str | None:
    """One part between the first and the last dropped (three parts or more)."""
    if len(tokens) < 3:
        return None
    drop = rng.randrange(1, len(tokens) - 1)
    return " ".join(t for i, t in enumerate(tokens) if i != drop)


def _first_letter(word: str) -> str:
    return next((c for c in word if c.isalpha()), word[0])


def initials(surname: str, given: list[str], surname_first: bool) -> str | None:
    """Given names as initials (``Kim Y. C.``, ``E. Badege``)."""
    if not given or not surname:
        return None
    parts = [piece for name in given for piece in name.split("-") if piece]
    short = " ".join(f"{_first_letter(piece).upper()}." for piece in parts)
    return f"{surname} {short}" if surname_first else f"{short} {surname}"


#: Name particles written apart, hyphenated or joined (Abd al-Rahman, Abdalrahman).
PARTICLES = frozenset(
    {
        *("abd", "abdel", "abdul", "abu", "al", "el", "bin", "ibn", "ul", "ud"),
        *("van", "von", "de", "di", "da", "le", "la", "mac", "mc"),
    }
)


def _joinable(left: str, right: str) -> bool:
    """Two parts written apart or together in practice: syllables of an East Asian
    given name (``Jong Un``, ``Yung Yuan``) or a particle and its word (``Al Rahman``)."""
    if left.lower() in PARTICLES:
        return True
    return max(letters(left), letters(right)) <= 4 and left.isalpha() and right.isalpha()


def join_or_split(tokens: list[str], rng: random.Random) -> list[str] | None:
    """Parts of a name joined or split: ``Jong Un`` -> ``Jong-un`` / ``Jongun``;
    ``Ho-Jin`` -> ``Ho Jin`` / ``Hojin``; ``Al Rahman`` -> ``Al-rahman``. None when
    nothing is written either way (``Irina Igorevna`` is not joined)."""
    options: list[tuple[int, int, str]] = []  # first index, parts replaced, new text
    for index, part in enumerate(tokens):
        pieces = [p for p in part.split("-") if p]
        if len(pieces) > 1:
            whole = pieces[0] + "".join(p.lower() for p in pieces[1:])
            options.append((index, 1, " ".join(pieces) if rng.random() < 0.5 else whole))
    for index in range(len(tokens) - 1):
        left, right = tokens[index], tokens[index + 1]
        if "-" not in left + right and _joinable(left, right):
            glue = rng.choice(("-", ""))
            right = right.upper() if left.isupper() else right.lower()
            options.append((index, 2, left + glue + right))
    if not options:
        return None
    index, width, new = rng.choice(options)
    return [*tokens[:index], new, *tokens[index + width :]]


def general_variant(name: str, rng: random.Random) -> str | None:
    """One known respelling (ou/u, kh/h, ie/i, Y/J at a word start: Yusuf/Jusuf ...)."""
    low = name.lower()
    options = [(a, b) for a, b in GENERAL_VARIANTS if a in low]
    options += [(b, a) for a, b in GENERAL_VARIANTS if b in low and len(b) > 1]
    words = name.split()
    starts_y = [i for i, w in enumerate(words) if w[:1] in "Yy" and len(w) > 2]
    if not options and not starts_y:
        return None
    if starts_y and (not options or rng.random() < 0.3):
        i = rng.choice(starts_y)
        words[i] = ("J" if words[i][0] == "Y" else "j") + words[i][1:]
        return " ".join(words)
    old, new = rng.choice(options)
    start = low.index(old)
    piece = name[start : start + len(old)]
    new = new.upper() if piece.isupper() else new.capitalize() if piece[0].isupper() else new
    return name[:start] + new + name[start + len(old) :]


def korean_variant(tokens: list[str], rng: random.Random) -> str | None:
    """One syllable of a romanized Korean name in another known spelling
    (Chol/Chul, Yong/Young, Pak/Park, Ri/Lee ...)."""
    options: list[tuple[int, int, str]] = []  # token index, piece index, new piece
    pieces = [t.split("-") for t in tokens]
    for i, token_pieces in enumerate(pieces):
        for j, piece in enumerate(token_pieces):
            new = KOREAN_VARIANTS.get(piece.lower())
            if new is not None:
                options.append((i, j, new))
    if not options:
        return None
    i, j, new = rng.choice(options)
    old = pieces[i][j]
    pieces[i][j] = new.upper() if old.isupper() else new.capitalize() if old[0].isupper() else new
    return " ".join("-".join(p) for p in pieces)


def legal_form(name: str, rng: random.Random, cyrillic: bool = False) -> str | None:
    """The company's legal form changed or dropped, or one added when it has none; None
    for what is not a company (a ministry, an armed group, a foundation)."""
    end = LEGAL_FORM_END.search(name)
    start = LEGAL_FORM_START.match(name)
    if not (end or start) and NOT_COMPANIES & set(re.split(r"[^a-z]+", name.lower())):
        return None
    core = name
    if end:
        core = name[: end.start()]
    elif start:
        core = name[start.end() :]
    core = core.strip(" ,")
    if not core:
        return None
    forms = [*LEGAL_FORMS, CYRILLIC_LLC] if cyrillic else list(LEGAL_FORMS)
    if (end or start) and rng.random() < 0.4:
        return core
    for form in rng.sample(forms, len(forms)):
        damaged = form.format(core)
        if damaged.lower() != name.lower():
            return damaged
    return None


# Dates of birth ----------------------------------------------------------------------

DOB_KINDS = ("exact", "day", "month", "year", "missing")


def shift_date(iso: str, kind: str, rng: random.Random) -> str | None:
    """``iso`` (YYYY, YYYY-MM or YYYY-MM-DD) with damage ``kind``: as is (exact),
    shifted by a day / a month / a year either way, or left out (missing: None).
    applicable_dob says which kinds fit a date's precision."""
    sign = rng.choice((-1, 1))
    if kind == "exact":
        return iso
    if kind == "missing":
        return None
    if kind == "year":
        year = int(iso[:4]) + sign
        rest = iso[4:]
        if rest == "-02-29":
            rest = "-02-28"
        return f"{year:04d}{rest}"
    if kind == "month":
        year, month = int(iso[:4]), int(iso[5:7]) + sign
        if month == 0:
            year, month = year - 1, 12
        elif month == 13:
            year, month = year + 1, 1
        last = calendar.monthrange(year, month)[1]
        day = f"-{min(int(iso[8:10]), last):02d}" if len(iso) == 10 else ""
        return f"{year:04d}-{month:02d}{day}"
    if kind == "day":
        return (date.fromisoformat(iso) + timedelta(days=sign)).isoformat()
    raise ValueError(kind)


def applicable_dob(iso: str) -> tuple[str, ...]:
    """The damage kinds that make sense for a listed date of this precision."""
    if len(iso) == 10:
        return DOB_KINDS
    if len(iso) == 7:
        return ("exact", "month", "year", "missing")
    return ("exact", "year", "missing")
