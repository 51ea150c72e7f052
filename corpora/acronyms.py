"""Acronyms, one finder for every layer: what an acronym looks like, and the long form it
abbreviates (Schwartz & Hearst 2003).

Term extraction (``glossary.candidates``), entity names (``glossary.entities.sources``) and
terminology QA (``glossary.qa``) all ask these functions, so an acronym defined in a document
reads the same to each of them. :func:`find_definitions` finds "long form (ACR)" in running text
with offsets, for callers that mark or rewrite the definition in place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zhen.corpora.keys import match_key
from zhen.corpora.scripts import CJK_RX, has_cjk
from zhen.corpora.words import is_stop

# An acronym: two or more capitals in a short Latin token, & and + allowed (AI, I&T, R&D,
# LegCo, InnoHK, RAISe+, LHTRIs). ASCII look-arounds, since \w would also match ideographs.
ACRONYM_RX = re.compile(r"(?<![A-Za-z0-9&+'’])([A-Z][A-Za-z0-9]*(?:&[A-Za-z0-9]+)*\+?)(?![A-Za-z0-9&'’])")


def is_acronym(token: str) -> bool:
    """Two capitals at least, at most 12 characters, not a number."""
    caps = sum(1 for c in token if c.isupper())
    return caps >= 2 and len(token) <= 12 and not token.isdigit()


def schwartz_hearst(short: str, before: str) -> str | None:
    """The long form of ``short`` at the end of ``before`` (Schwartz & Hearst 2003, Fig. 2):
    match the short form's letters right to left, the first one at a word start."""
    letters = [c.lower() for c in short if c.isalnum()]
    if not letters or not short[0].isalnum():
        return None
    words = before.split()
    limit = min(len(words), len(letters) + 5, 2 * len(letters))
    cand = " ".join(words[-limit:]) if limit else ""
    s = len(letters) - 1
    i = len(cand) - 1
    while s >= 0:
        c = letters[s]
        while i >= 0 and (cand[i].lower() != c or (s == 0 and i > 0 and cand[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return None
        i -= 1
        s -= 1
    start = cand.rfind(" ", 0, i + 1) + 1
    long = cand[start:].strip(" ,;:")
    lw = long.split()
    if not lw or is_stop(lw[0]) or len(long) <= len(short):
        return None
    return long


# "long form (ACR)" / 長名稱（ACR）: the bracketed acronym that ends a definition.
_PAREN_ACRONYM = re.compile(r"\s*[(（]\s*([A-Z][A-Za-z0-9]*(?:&[A-Za-z0-9]+)*\+?)\s*[)）]")
# A long form never reaches back over the end of a clause or another bracket.
_CLAUSE_END = re.compile(r"[.:;!?()（）：；。！？\"“”「」]")
# The words an acronym's initials skip ("Innovation and Technology" is I&T, "Office of the
# Government Chief Information Officer" OGCIO): connectives only, not all of STOP_WORDS, since
# "One plus" or "Two-way" may well give the acronym a letter.
_SKIPPED = frozenset({"and", "of", "the", "for", "&", "on", "in", "at", "to", "a", "an", "by", "with"})


@dataclass(frozen=True, slots=True)
class Definition:
    """An acronym defined in a text: ``text[start:paren_start]`` is ``long_form`` (with any
    quotes round it) and ``text[paren_start:end]`` the bracketed acronym."""

    acronym: str
    long_form: str
    start: int
    paren_start: int
    end: int


def find_definitions(text: str, lang: str) -> list[Definition]:
    """Every "long form (ACR)" (``lang`` ``"en"``) or 長名稱（ACR） (``"zh"``) in ``text``, in order.
    A bracket whose words do not spell the acronym, or that repeats it, is not a definition."""
    out = []
    for m in _PAREN_ACRONYM.finditer(text):
        acronym = m.group(1)
        if not is_acronym(acronym):
            continue
        found = _long_form_zh(text, m.start()) if lang == "zh" else _long_form_en(text, m.start(), acronym)
        if found is None:
            continue
        start, long_form = found
        if match_key(long_form) == match_key(acronym):
            continue
        out.append(Definition(acronym, long_form, start, m.start(), m.end()))
    return out


# How far back from "(ACR)" a long form is looked for: a clause longer than this before an
# acronym is no definition, and a bounded look-back keeps a long line linear.
_LOOKBACK = 600
_WORD_OR_SIGN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*|[&+]")


def _long_form_en(text: str, paren: int, acronym: str) -> tuple[int, str] | None:
    """The words before "(ACR)" that it stands for: walk back over words, matching the
    acronym's capitals to initials (connectives skipped); failing that, for a mixed-case name
    (InnoHK, RAISe+), every word back to the clause boundary; else None."""
    lo = max(0, paren - _LOOKBACK)
    cut = max((m.end() for m in _CLAUSE_END.finditer(text, lo, paren)), default=lo)
    words = [(m.start(), m.group()) for m in _WORD_OR_SIGN.finditer(text, cut, paren)]
    if not words:
        return None
    caps = [c for c in acronym if c.isupper()]
    k = len(caps) - 1
    j = len(words) - 1
    start = None
    while j >= 0 and k >= 0:
        w = words[j][1]
        if w.lower() in _SKIPPED or w in "&+":
            j -= 1
            continue
        if w[0].upper() == caps[k]:
            start = words[j][0]
            k -= 1
            j -= 1
            continue
        break
    if k >= 0:
        if not any(c.islower() for c in acronym):
            # Capitals that the words' initials do not spell: a heading in capitals ("ROAD
            # TRAFFIC (AMENDMENT) BILL"), not a definition.
            return None
        # A name like InnoHK or RAISe+ need not spell its long form: take the whole clause.
        start = words[0][0]
        while start < paren and text[start:paren].split(" ", 1)[0].lower() in _SKIPPED:
            start += len(text[start:paren].split(" ", 1)[0]) + 1
    long_form = text[start:paren].strip()
    return (start, long_form) if long_form else None


def _long_form_zh(text: str, paren: int) -> tuple[int, str] | None:
    """The Chinese run before （ACR）, quotes off: 「產學研1+計劃」（RAISe+）."""
    j = paren
    while j > 0 and text[j - 1] in "」』”\" ":
        j -= 1
    k = j
    while k > 0 and (CJK_RX.match(text[k - 1]) or text[k - 1].isalnum() or text[k - 1] in "+&"):
        k -= 1
    start = k
    while start > 0 and text[start - 1] in "「『“\"":
        start -= 1
    long_form = text[k:j]
    return (start, long_form) if long_form and has_cjk(long_form) else None
