"""Acronyms, one finder for every layer: what an acronym looks like, and the long form it
abbreviates (Schwartz & Hearst 2003).

Term extraction (``glossary.candidates``), entity names (``glossary.entities.sources``) and
terminology QA (``glossary.qa``) all ask these functions, so an acronym defined in a document
reads the same to each of them.
"""

from __future__ import annotations

import re

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
