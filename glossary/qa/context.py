"""The context every check reads, built once per :func:`~zhen.glossary.qa.check` call: the pairs,
their languages, the glossary's term indexes, and per-pair caches (key views, term occurrences,
numbers, acronym definitions) that several checks share."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from zhen.corpora.acronyms import Definition, find_definitions
from zhen.corpora.keys import match_key
from zhen.glossary.qa.direction import language_kind
from zhen.glossary.qa.index import ANY_STATUS, SOURCE_STATUSES, Occurrence, TermIndex, Text

if TYPE_CHECKING:  # pragma: no cover
    from zhen.align.formats import AlignedPair
    from zhen.glossary.model import Entry, Glossary

_TRAIL_PUNCT = " .。,，;；:：!！?？"
_SPACE = re.compile(r"\s+")


def checkable_entries(glossary: Glossary) -> list[Entry]:
    """Entries with both a Chinese and an English term that a reviewer has not rejected."""
    return [e for e in glossary.entries if e.status != "rejected" and e.en.strip() and e.zh.strip()]


def segment_key(t: Text, kind: str, acronyms: Sequence[Definition] | None = None) -> str:
    """What two renderings of one segment must share to count as the same: the match key, no
    space inside Chinese, trailing punctuation off, and "long form (ACR)" read as "ACR" (a
    repeated slide title may spell an acronym out on first use only)."""
    if acronyms:
        parts, pos = [], 0
        for d in acronyms:
            parts.append(t.text[pos:d.start])
            parts.append(d.acronym)
            pos = d.end
        parts.append(t.text[pos:])
        key = match_key("".join(parts))
    else:
        key = t.key
    key = _SPACE.sub("" if kind == "zh" else " ", key).strip()
    return key.rstrip(_TRAIL_PUNCT)


class Context:
    """Pairs, languages, glossary indexes and per-pair caches shared by the checks."""

    def __init__(self, pairs: Sequence[AlignedPair], glossary: Glossary, src_lang: str,
                 tgt_lang: str, *, spelling: Sequence[str] | None = None) -> None:
        self.pairs = pairs
        self.src_lang, self.tgt_lang = src_lang, tgt_lang
        self.src_kind, self.tgt_kind = language_kind(src_lang), language_kind(tgt_lang)
        self.entries = checkable_entries(glossary)
        self.rejected = [e for e in glossary.entries if e.status == "rejected" and e.en.strip() and e.zh.strip()]
        from zhen.corpora.spelling import SPELLING_RULES

        # Spelling rules by which English terms also match (all of them unless told).
        self.spelling = SPELLING_RULES.names() if spelling is None else tuple(spelling)
        self._src_index = TermIndex(self.entries, self.src_kind, statuses=SOURCE_STATUSES, spelling=self.spelling)
        self._tgt_index = TermIndex(self.entries, self.tgt_kind, statuses=ANY_STATUS, spelling=self.spelling)
        self.src = [Text.of(p.src_text) for p in pairs]
        self.tgt = [Text.of(p.tgt_text) for p in pairs]
        # Compared without any space, so that a copy is a copy whichever language it is read as.
        self._copies = {i for i, p in enumerate(pairs)
                        if p.src_text.strip() and segment_key(self.src[i], "zh") == segment_key(self.tgt[i], "zh")}
        self._dead = {i for i, p in enumerate(pairs) if not p.src_text.strip() or not p.tgt_text.strip()}
        self._dead |= self._copies
        self._src_occ: list[list[Occurrence]] | None = None
        self._tgt_occ: list[list[Occurrence]] | None = None
        self._numbers: list | None = None
        self._definitions: dict[str, dict[int, list[Definition]]] = {}

    def live(self, i: int) -> bool:
        """Both sides hold text and the target is not a copy of the source: null beads and
        copies get only the untranslated check (a copied target fails every other check too)."""
        return i not in self._dead

    def is_copy(self, i: int) -> bool:
        return i in self._copies

    def src_occ(self) -> list[list[Occurrence]]:
        if self._src_occ is None:
            self._src_occ = [self._src_index.find(t) if self.live(i) else [] for i, t in enumerate(self.src)]
        return self._src_occ

    def tgt_occ(self) -> list[list[Occurrence]]:
        """Target occurrences; terms of concepts the source mentions win over longer strangers."""
        if self._tgt_occ is None:
            src = self.src_occ()
            self._tgt_occ = [self._tgt_index.find(t, frozenset(e for o in src[i] for e in o.entries))
                             if self.live(i) else [] for i, t in enumerate(self.tgt)]
        return self._tgt_occ

    def numbers(self) -> list[tuple[list, list]]:
        """Each pair's (source, target) numbers (:func:`zhen.corpora.numbers.extract_numbers`)."""
        if self._numbers is None:
            from zhen.corpora.numbers import extract_numbers

            self._numbers = [
                (extract_numbers(p.src_text, self.src_kind), extract_numbers(p.tgt_text, self.tgt_kind))
                if self.live(i) else ([], []) for i, p in enumerate(self.pairs)
            ]
        return self._numbers

    def definitions(self, side: str) -> dict[int, list[Definition]]:
        """Acronym definitions on ``side`` (``src``/``tgt``), by pair, for the pairs that have any."""
        if side not in self._definitions:
            kind = self.tgt_kind if side == "tgt" else self.src_kind
            out = {}
            for i, p in enumerate(self.pairs):
                text = p.tgt_text if side == "tgt" else p.src_text
                if "(" in text or "（" in text:
                    defs = find_definitions(text, kind)
                    if defs:
                        out[i] = defs
            self._definitions[side] = out
        return self._definitions[side]

    def target_term(self, entry_index: int) -> str:
        e = self.entries[entry_index]
        return e.en if self.tgt_kind == "en" else e.zh
