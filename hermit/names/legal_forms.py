"""Legal forms of organization names from rigour's organization-type database
(rigour.names.org_types: ISO 20275, the OCCRP legal-form sheet, Wikipedia), in any
language and script: AG = Aktiengesellschaft, OAO = ОАО = Open Joint Stock Company,
LLC = OOO = ООО = Limited Liability Company, GmbH, Sp. z o.o., S.A., SRL = Societatea cu
Răspundere Limitată, Co., Ltd, 有限公司, 株式会社 ...

Each form found is set aside with rigour's generic label (llc, jsc, lp, ...), so both
sides of a pair drop it the same way. Where a form is found matters: a short plain form
(AS, AG, SA, KG, PE, SPA: also Arabic articles and ordinary words) is one only at the
end of a name ("AL SAQR AS SAMAWI" keeps its AS), at the start too when written in
another script or listed in organizations.yaml ``leading_forms`` (ООО Ромашка, OOO
ROMASHKA, PT ...), longer or dotted forms anywhere ("ABC LIMITED (HONG KONG)"). Names in
Chinese or Japanese characters have no spaces: a form there is a whole leading or
trailing run of characters (华为技术有限公司).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from rigour._core import extract_org_types as _core_org_types

from hermit.names.script import dense_script
from hermit.names.tables import load

#: Plain forms of at most this many letters are legal forms only at an end of a name.
SHORT_FORM = 3
#: Generic labels of company legal forms, read inside a name too; others only at an end.
COMPANY_FORMS = frozenset({"llc", "jsc", "lp", "gp", "llp", "plc"})
#: rigour's labels for kinds of body rather than legal forms: cooperation, charity,
#: state enterprise stay words of the name ("KOREA SOUTH-SOUTH COOPERATION
#: CORPORATION", "AL-HARAMAIN CHARITY").
KINDS = frozenset({"coop", "ngo", "soe"})
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
#: A Roman numeral ends many names (BOWNE GLOBAL SOLUTIONS II): not a legal form (IĮ).
_ROMAN = re.compile(r"(?=[ivx])x{0,3}(ix|iv|v?i{0,3})")
_DENSE_MAX = 6
#: rigour.text.normalize's Normalize.CASEFOLD and Cleanup.Noop, the defaults of
#: rigour.names.org_types.extract_org_types (called through rigour's core: importing
#: rigour.names loads rigour.text, normality and ICU, a tenth of a second of a single
#: screen; tests/names/test_organizations.py holds these to rigour's enums).
CASEFOLD = 4
CLEANUP_NOOP = 0


def _org_types(text: str) -> list[tuple[str, str]]:
    """rigour's extract_org_types(text, generic=True): (alias, generic label) pairs."""
    found: list[tuple[str, str]] = _core_org_types(text, CASEFOLD, CLEANUP_NOOP, True)
    return found


@cache
def _leading() -> frozenset[str]:
    return frozenset(str(f) for f in load("organizations")["leading_forms"])


def _found(text: str) -> dict[str, str]:
    """Matched alias -> generic label. Only forms rigour gives a generic label are read
    (llc, jsc, lp ...): its specific-only ones ("joint venture" -> jv, "pe") are words
    of names as often as forms, and so are the kinds of body in KINDS."""
    found = _org_types(text)
    return {
        alias: label
        for alias, label in found
        if label and label not in KINDS and not _ROMAN.fullmatch(alias)
    }


def _strip_edges(text: str, found: dict[str, str], legal: list[str]) -> str:
    changed = True
    while changed:
        changed = False
        for matched in sorted(found, key=len, reverse=True):
            core = _EDGE.sub("", text)
            label = found[matched]
            alias = _EDGE.sub("", matched)  # "co., ltd." ends a name as "co., ltd"
            if not alias:
                continue
            short = alias.isalpha() and len(alias) <= SHORT_FORM
            if core.endswith(alias) and len(core) > len(alias):
                before = core[: -len(alias)]
                if not before[-1:].isalnum() or not alias[0].isalnum():
                    text, changed = before, True
            elif core.startswith(alias) and len(core) > len(alias):
                after = core[len(alias) :]
                leading = not short or not alias.isascii() or alias in _leading()
                if leading and (not after[:1].isalnum() or not alias[-1].isalnum()):
                    text, changed = after, True
            if changed:
                legal.append(label)
                break
    return text


def _cut(text: str, alias: str) -> str:
    """``text`` without the occurrences of ``alias`` that stand as words."""
    out, start = [], 0
    while (at := text.find(alias, start)) >= 0:
        end = at + len(alias)
        before_ok = at == 0 or not (text[at - 1].isalnum() and alias[0].isalnum())
        after_ok = end == len(text) or not (text[end].isalnum() and alias[-1].isalnum())
        if before_ok and after_ok:
            out.append(text[start:at] + " ")
        else:
            out.append(text[start:end])
        start = end
    out.append(text[start:])
    return "".join(out)


def _strip_inside(text: str, found: dict[str, str], legal: list[str]) -> str:
    for alias, label in found.items():
        if (alias.isalpha() and len(alias) <= SHORT_FORM) or label not in COMPANY_FORMS:
            continue
        stripped = _cut(text, alias)
        if stripped != text and any(c.isalnum() for c in stripped):
            text = stripped
            legal.append(label)
    return text


def _strip_dense(text: str, legal: list[str]) -> str:
    """A leading or trailing run of characters that is a legal form, longest first."""
    core = _EDGE.sub("", text)
    for size in range(min(_DENSE_MAX, len(core) - 1), 1, -1):
        for piece, rest in ((core[-size:], core[:-size]), (core[:size], core[size:])):
            if not dense_script(piece):
                continue
            found = _org_types(piece)
            if len(found) == 1 and found[0][0] == piece:
                legal.append(found[0][1] or piece)
                return rest
    return text


_GLUED = re.compile(r"(?<=[a-z])(?=[A-Z][A-Za-z.&]*$)")


def _unglue(name: str) -> str:
    """A legal form glued to the last word in its own case ("SiemensAG", "AcmeGmbH",
    "FooLLC") written apart."""
    match = _GLUED.search(name)
    if match is None:
        return name
    tail = name[match.start() :]
    found = _org_types(tail.casefold())
    if len(found) == 1 and found[0][0] == tail.casefold() and found[0][1]:
        return f"{name[: match.start()]} {tail}"
    return name


@lru_cache(maxsize=65536)
def split_legal_forms(name: str) -> tuple[str, tuple[str, ...]]:
    """(the name without its legal forms, their labels in the order found). The name
    is case-folded; a name that is only a legal form is kept whole."""
    text = _unglue(name).casefold()
    legal: list[str] = []
    found = _found(text)
    if found:
        text = _strip_edges(text, found, legal)
        text = _strip_inside(text, _found(text), legal)
    if dense_script(text):
        text = _strip_dense(text, legal)
    if not re.search(r"\w", text):
        return name.casefold(), ()
    return text, tuple(legal)
