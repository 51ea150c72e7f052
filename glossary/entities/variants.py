"""The variant rules that are safe for names (the matching key itself is
:mod:`zhen.corpora.keys`).

:func:`expand_variants` adds spellings a reader accepts for the *same* name and
nothing looser: -isation/-ization, centre/center, programme/program, Co-operation/Cooperation,
"&"/"and", an acronym written inside a name (``One plus (RAISe+) Scheme``), ``AI`` ↔
``Artificial Intelligence`` inside a multi-word name, and the OCR slip the Yearbook really
contains (``Al`` for ``AI``), again only inside a multi-word name so a bare "Al" never matches.
"""

from __future__ import annotations

import re

from zhen.corpora.spelling import spelling_toggles
from zhen.glossary.entities.records import one_line

_EMBEDDED = re.compile(r"^(?P<head>.+?)\s*\((?P<acr>[^()\s]{2,12})\)\s*(?P<tail>.*)$")


def _without_embedded_acronym(name: str) -> str | None:
    """``Research, … One plus (RAISe+) Scheme`` → the name without its acronym. None when the
    brackets are not inside a name (no capitalised words after them)."""
    m = _EMBEDDED.match(name)
    if not m or not m.group("tail")[:1].isupper():
        return None
    acronym = m.group("acr")
    if not re.search(r"[A-Z]", acronym) or sum(c.isupper() for c in acronym) < 2:
        return None
    return f"{m.group('head')} {m.group('tail')}".strip()


_AI_ANY = re.compile(r"\bArtificial Intelligence(?:\s*\(AI\))?(?![\w+])|(?<![\w&+])AI(?![\w+])", re.IGNORECASE)
_AI_FORMS = (("AI", "ai"), ("Artificial Intelligence", "ai"), ("Artificial Intelligence (AI)", "ai"), ("Al", "ocr"))


def expand_variants(name: str, *, limit: int = 32) -> list[tuple[str, str]]:
    """Spellings of an English name a reader takes for the same name: ``[(variant, rule)]``,
    the name itself excluded. Chinese names need none (the key folds script and width).

    Three stages, so the rules never feed on each other's output: the acronym written inside a
    name; spelling and hyphenation toggles (a finite closure); then every ``AI`` /
    ``Artificial Intelligence`` / ``Artificial Intelligence (AI)`` in a multi-word name written
    each of those ways, and as the OCR slip ``Al``."""
    if not re.search(r"[A-Za-z]", name):
        return []
    name = one_line(name)
    forms: dict[str, str] = {name: ""}

    def add(text: str, rule: str) -> bool:
        text = one_line(text)
        if text and text not in forms and len(forms) <= limit:
            forms[text] = rule
            return True
        return False

    plain = _without_embedded_acronym(name)
    if plain:
        add(plain, "embedded-acronym")
    queue = list(forms)
    while queue:
        text = queue.pop(0)
        rule = forms[text]
        for variant, r in spelling_toggles(text):
            if add(variant, rule or r):
                queue.append(variant)
    if len(name.split()) > 1:
        for text, rule in list(forms.items()):
            if not _AI_ANY.search(text):
                continue
            for form, r in _AI_FORMS:
                add(_AI_ANY.sub(form, text), "ocr" if r == "ocr" else (rule or r))
    return [(t, r) for t, r in forms.items() if t != name]
