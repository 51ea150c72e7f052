"""Finding glossary terms in a text: one Aho–Corasick automaton (pyahocorasick) per language over
every term's match key (:func:`zhen.corpora.keys.match_key`), run over each text's key view
(:func:`zhen.corpora.keys.key_view`) so that spans found in the key are spans of the original.

So 數據/数据, ＡＩ/AI, 「人工智能」+/人工智能+, "New"/"new" and Industry–Oriented/Industry-Oriented
match. Matches are chosen longest first and never overlap (新型工業化資助計劃 hides 新型工業化);
English terms match on word boundaries, also in the plural (R&D centre/centres) and in the
other spelling (:mod:`zhen.corpora.spelling`: Industrialisation/Industrialization,
programme/program, Co-operation/Cooperation; the rules are a parameter). A match through another
spelling carries refs marked ``variant``, so a check can tell it from the glossary's own.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from zhen.corpora.keys import KeyMap, is_word_char, key_view, match_key

#: Term types that are short forms of the concept: never inflected, and not "the full term" when
#: comparing which rendering a file uses.
ABBREVIATED_TYPES = frozenset({"acronym", "abbreviation", "shortForm"})
#: Term statuses looked for in a source (a deprecated term there is no reason to expect its
#: translation) and in a target (where a deprecated one is exactly what deprecated-term reports).
SOURCE_STATUSES = frozenset({"preferred", "admitted"})
ANY_STATUS = SOURCE_STATUSES | {"deprecated"}


@dataclass(frozen=True, slots=True)
class Text:
    """A pair's text with its match key and the map from key offsets back into it."""

    text: str
    key: str
    to_orig: KeyMap

    @classmethod
    def of(cls, text: str) -> Text:
        key, to_orig = key_view(text)
        return cls(text, key, to_orig)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Key offsets to offsets into the original text."""
        return self.to_orig(start), self.to_orig(end - 1) + 1


@dataclass(frozen=True, slots=True)
class TermRef:
    entry: int  # index into the entries the index was built from
    text: str  # the term as the glossary writes it
    type: str  # "preferred" for the entry's own term, else the variant's TBX termType
    status: str  # preferred / admitted / deprecated
    variant: bool = False  # matched through a spelling rule, not as the glossary writes it


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One occurrence of glossary terms in a text: original offsets and the refs it stands for
    (two occurrences of one concept written ``X (Y)`` are merged into one)."""

    start: int
    end: int
    refs: tuple[TermRef, ...]
    # Computed once: every check asks for it, several times a pair.
    entries: frozenset[int] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "entries", frozenset(r.entry for r in self.refs))


def _english_inflections(key: str) -> list[str]:
    """Plural (and singular) forms of an English term's last word, so the glossary's "R&D
    centre" finds "R&D centres". Words under three letters are left alone (and the caller
    leaves acronyms alone: LHTRIs is not the plural of anything)."""
    m = re.search(r"([a-z]+)$", key)
    if not m or len(m.group(1)) < 3:
        return []
    word = m.group(1)
    stem = key[: m.start(1)]
    out = [key + "s", key + "es"]
    if word.endswith("y") and word[-2] not in "aeiou":
        out.append(stem + word[:-1] + "ies")
    if word.endswith("ies"):
        out.append(stem + word[:-3] + "y")
    elif word.endswith("s") and not word.endswith("ss"):
        out.append(key[:-1])
    return out


_DEFINITION_GAP = re.compile(r"^[\s\"'「」『』“”]*[(（][\s\"'「」『』“”]*$")
_CLOSING = re.compile(r"[\s\"'」』”]*[)）]")


class TermIndex:
    """Terms of one language (``zh``/``en``) of a set of entries, found through one automaton."""

    def __init__(self, entries: Sequence, lang: str, *, statuses: frozenset[str],
                 spelling: Sequence[str] = ()) -> None:
        """``spelling``: rule names of :data:`zhen.corpora.spelling.SPELLING_RULES` by which
        English terms also match (none: only as written, and in the plural)."""
        import ahocorasick

        from zhen.corpora.spelling import spelling_variants

        self.lang = lang
        by_key: dict[str, list[TermRef]] = defaultdict(list)
        for k, entry in enumerate(entries):
            preferred = entry.en if lang == "en" else entry.zh
            variants = entry.en_variants if lang == "en" else entry.zh_variants
            terms = [TermRef(k, preferred, "preferred", "preferred")]
            terms += [TermRef(k, t.text, t.type, t.status) for t in variants]
            # A spelling the entry writes out itself (even as deprecated) says what it means;
            # a rule never adds it again under another status.
            written = {match_key(r.text) for r in terms} if lang == "en" and spelling else set()
            for ref in terms:
                if ref.status not in statuses or not ref.text.strip():
                    continue
                key = match_key(ref.text)
                if not key:
                    continue
                inflect = lang == "en" and ref.type not in ABBREVIATED_TYPES
                forms = [(key, ref)]
                if inflect and spelling:
                    variant = TermRef(ref.entry, ref.text, ref.type, ref.status, True)
                    forms += [(vk, variant) for vk in dict.fromkeys(
                        match_key(v) for v in spelling_variants(ref.text, spelling)) if vk and vk not in written]
                for form_key, form_ref in forms:
                    for kk in [form_key] + (_english_inflections(form_key) if inflect else []):
                        if form_ref not in by_key[kk]:
                            by_key[kk].append(form_ref)
        self._refs: list[tuple[TermRef, ...]] = []
        self._automaton = None
        if by_key:
            automaton = ahocorasick.Automaton()
            for key in sorted(by_key):  # sorted: the same glossary builds the same automaton
                automaton.add_word(key, (len(key), len(self._refs)))
                self._refs.append(tuple(by_key[key]))
            automaton.make_automaton()
            self._automaton = automaton

    def _hits(self, t: Text) -> list[tuple[int, int, int]]:
        """Every (key start, key end, refs id) occurrence, overlapping ones included, that sits on
        word boundaries where the term begins or ends with a Latin letter or digit."""
        if self._automaton is None or not t.key:
            return []
        key = t.key
        out = []
        n = len(key)
        for end, (length, rid) in self._automaton.iter(key):
            start = end - length + 1
            if is_word_char(key[start]) and start > 0 and is_word_char(key[start - 1]):
                continue
            if is_word_char(key[end]) and end + 1 < n and is_word_char(key[end + 1]):
                continue
            out.append((start, end + 1, rid))
        return out

    def find(self, t: Text, prefer: frozenset[int] = frozenset()) -> list[Occurrence]:
        """Non-overlapping occurrences in ``t``: terms of entries in ``prefer`` first, then the
        longest, then the leftmost."""
        cands = []
        for s, e, rid in self._hits(t):
            rr = self._refs[rid]
            first = 0 if prefer and any(r.entry in prefer for r in rr) else 1
            cands.append((first, s - e, s, e, rr))
        cands.sort(key=lambda c: c[:4])
        taken = bytearray(len(t.key))
        chosen = []
        for _, _, s, e, rr in cands:
            if taken.find(1, s, e) >= 0:
                continue
            taken[s:e] = b"\x01" * (e - s)
            chosen.append((s, e, rr))
        chosen.sort(key=lambda c: c[0])
        occs: list[Occurrence] = []
        for s, e, rr in chosen:
            os_, oe = t.span(s, e)
            if occs:
                prev = occs[-1]
                gap = t.text[prev.end:os_]
                shared = prev.entries & {r.entry for r in rr}
                # "人工智能(AI)", "InnoHK Research Clusters (InnoHK)": a term and its short form in
                # brackets are one mention, written once in the other language.
                if shared and _DEFINITION_GAP.match(gap):
                    merged = tuple(r for r in prev.refs if r.entry in shared)
                    close = _CLOSING.match(t.text, oe)
                    occs[-1] = Occurrence(prev.start, close.end() if close else oe, merged)
                    continue
            occs.append(Occurrence(os_, oe, rr))
        return occs
