"""Recognition: one Aho–Corasick automaton over the match keys of every alias
(:func:`zhen.corpora.keys.key_view`), leftmost-longest, with Latin word boundaries, and offsets
mapped back into the decoded original.

Each key knows its owner: one entity everywhere, one per document that defines it (an acronym
two documents define differently), or none (a collision, a generic short form such as "the
Bureau"); those become :class:`Unresolved` with the entities they could mean. The letter case
of a surface is checked against the alias it matched (:func:`_case_ok`), since the key folds it.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from zhen.corpora.keys import is_word_char, key_view, match_key
from zhen.glossary.entities.records import (
    ACRONYM_KINDS, SHORT_KINDS, Alias, Entity, Mention, RegistryIssue, Unresolved, acronym_like, lang_of, one_line,
)

_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_CHUNK = 1 << 17  # characters per recognition pass: small arrays are reused, not page-faulted in
_OVERLAP = 4096  # a name may start in one pass and end in the next (whitespace runs inside it)


@dataclass(slots=True)
class _KeyInfo:
    key: str
    word_start: bool
    word_end: bool
    global_eid: str | None = None
    scoped: dict[str, str] = field(default_factory=dict)
    candidates: tuple[str, ...] = ()  # when unresolved everywhere but scoped docs
    reason: str = ""
    generic_head: str = ""  # "bureau" for "the Bureau"
    aliases: dict[str, list[Alias]] = field(default_factory=dict)  # entity id → aliases with this key


class Matcher:
    """The compiled automaton over every alias key of ``entities``, and the collisions found
    compiling it (``issues``). ``generic``: the seed file's generic short forms."""

    def __init__(self, entities: Sequence[Entity], generic: Sequence[str]) -> None:
        import ahocorasick

        self.infos: list[_KeyInfo] = []
        by_key: dict[str, _KeyInfo] = {}
        issues: list[RegistryIssue] = []

        def info_for(key: str) -> _KeyInfo:
            info = by_key.get(key)
            if info is None:
                info = _KeyInfo(key, is_word_char(key[0]), is_word_char(key[-1]))
                by_key[key] = info
            return info

        declared: dict[str, dict[str, list[Alias]]] = defaultdict(lambda: defaultdict(list))
        derived: dict[str, dict[str, list[Alias]]] = defaultdict(lambda: defaultdict(list))
        scoped: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for e in entities:
            for a in e.aliases:
                if not a.key:
                    continue
                if a.scope:
                    for doc in a.scope:
                        scoped[a.key][doc].add(e.entity_id)
                    info_for(a.key).aliases.setdefault(e.entity_id, []).append(a)
                elif a.rule:
                    derived[a.key][e.entity_id].append(a)
                else:
                    declared[a.key][e.entity_id].append(a)

        def assign(key: str, owners: dict[str, list[Alias]]) -> _KeyInfo | None:
            """Give ``key`` to its one owner; with several owners it stays unresolved and the
            caller reports the collision (returns the key's info then)."""
            info = info_for(key)
            for eid, aliases in owners.items():
                info.aliases.setdefault(eid, []).extend(aliases)
            if len(owners) == 1:
                info.global_eid = next(iter(owners))
                return None
            info.candidates = tuple(sorted(owners))
            info.reason = "ambiguous-alias"
            return info

        for key, owners in declared.items():
            info = assign(key, owners)
            if info is not None:
                shown = next(iter(next(iter(owners.values())))).text
                where = tuple(sorted({s for al in owners.values() for a in al for s in a.seen}))
                issues.append(RegistryIssue("collision", shown, key, info.candidates, where,
                                            "one alias, several entities: mentions stay unresolved"))
        for key, owners in derived.items():
            if key in declared:
                others = set(owners) - set(declared[key])
                if others:
                    shown = next(iter(next(iter(owners.values())))).text
                    issues.append(RegistryIssue("derived-collision", shown, key,
                                                tuple(sorted(set(owners) | set(declared[key]))), (),
                                                "a rule-made spelling is another entity's name; dropped"))
                for eid in set(owners) & set(declared[key]):
                    by_key[key].aliases[eid].extend(owners[eid])
                continue
            info = assign(key, owners)
            if info is not None:
                shown = next(iter(next(iter(owners.values())))).text
                issues.append(RegistryIssue("derived-collision", shown, key, info.candidates, (),
                                            "a rule-made spelling fits several entities; left unresolved"))
        for key, docs in scoped.items():
            info = info_for(key)
            for doc, eids in docs.items():
                if len(eids) == 1:
                    info.scoped[doc] = next(iter(eids))
            if info.global_eid is None and not info.candidates:
                info.candidates = tuple(sorted({e for eids in docs.values() for e in eids}))
                info.reason = "conflicting-definitions"
        for phrase in generic:
            key = match_key(phrase)
            if not key:
                continue
            info = info_for(key)
            if info.global_eid is None:
                info.generic_head = key.split()[-1]
                info.reason = "generic-short-form"
        self.issues = issues
        self.klen: list[int] = []
        self.automaton = ahocorasick.Automaton()
        for key in sorted(by_key):
            info = by_key[key]
            self.automaton.add_word(key, len(self.infos))
            self.infos.append(info)
            self.klen.append(len(key))
        if self.infos:
            self.automaton.make_automaton()

    def scan(self, text: str, doc: str, by_id: dict[str, Entity]) -> tuple[list[Mention], list[Unresolved]]:
        """Mentions and the names found but left unresolved in ``text`` (document ``doc``), both
        in text order. ``by_id``: the registry's entities by id."""
        if not self.infos or not text:
            return [], []
        picked: list[tuple[int, int, _KeyInfo, str | None, Alias | None]] = []
        generic: list[tuple[int, int, _KeyInfo]] = []
        infos, klen, automaton = self.infos, self.klen, self.automaton
        word = _WORD_CHARS
        accept: dict[tuple[int, str], Alias | None] = {}  # (key, surface) → alias: text repeats names
        last_end = 0
        n = len(text)
        for a in range(0, n, _CHUNK):
            b = min(n, a + _CHUNK)
            lo = max(0, a - 1)
            hi = min(n, b + _OVERLAP)
            key, to_orig = key_view(text[lo:hi])
            klast = len(key)
            hits = [(end - klen[vid] + 1, -end - 1, vid) for end, vid in automaton.iter(key)]
            hits.sort()  # leftmost first, then longest
            last_ke = 0  # the same test as ``os_ < last_end`` below, in key offsets: cheap
            for ks, neg_ke, vid in hits:
                if ks < last_ke:
                    continue
                ke = -neg_ke
                info = infos[vid]
                if info.word_start and ks > 0:
                    c = key[ks - 1]
                    if c in word or (c > "\x7f" and is_word_char(c)):
                        continue
                if info.word_end and ke < klast:
                    c = key[ke]
                    if c in word or (c > "\x7f" and is_word_char(c)):
                        continue
                os_, oe = lo + to_orig(ks), lo + to_orig(ke - 1) + 1
                if os_ < a or os_ >= b:
                    continue
                if info.word_start and os_ >= 2 and text[os_ - 1] in "-.@/_" and text[os_ - 2].isalnum():
                    continue  # glued to the word before: "Hong Kong-Shenzhen Park", "www.innohk", "AIR@InnoHK"
                if info.word_end and oe + 1 < n and text[oe] in ".@_" and text[oe + 1].isalnum():
                    continue
                if info.generic_head and doc not in info.scoped:
                    generic.append((os_, oe, info))
                    continue
                if os_ < last_end:
                    continue
                surface = text[os_:oe]
                eid = info.scoped.get(doc) or info.global_eid
                ck = (vid, surface)
                if ck in accept:
                    alias = accept[ck]
                else:
                    pool = info.aliases.get(eid, ()) if eid else [al for als in info.aliases.values() for al in als]
                    alias = accept[ck] = _case_ok(surface, pool)
                if alias is None or (eid is None and not info.candidates):
                    continue
                picked.append((os_, oe, info, eid, alias))
                last_end = oe
                last_ke = ke
        mentions: list[Mention] = []
        unresolved: list[Unresolved] = []
        how: dict[tuple[int, str, str], tuple] = {}
        for os_, oe, info, eid, alias in picked:
            surface = text[os_:oe]
            if eid is None:
                unresolved.append(Unresolved(doc, os_, oe, surface, info.reason or "ambiguous-alias", info.candidates))
                continue
            hk = (id(info), eid, surface)
            fields = how.get(hk)
            if fields is None:
                e = by_id[eid]
                method, conf = _method(alias, surface, doc in info.scoped and info.scoped[doc] == eid and alias.scope != ())
                fields = how[hk] = (e.canonical_en, e.canonical_zh, method, conf, alias.text, lang_of(surface))
            mentions.append(Mention(doc, os_, oe, surface, eid, *fields))
        if generic:
            starts = [m.start for m in mentions] + [u.start for u in unresolved]
            spans = sorted(zip(starts, [m.end for m in mentions] + [u.end for u in unresolved]))
            span_starts = [s for s, _ in spans]
            heads = _head_candidates(by_id, mentions)
            taken_end = -1
            for os_, oe, info in sorted(generic, key=lambda g: (g[0], -g[1])):
                i = bisect.bisect_right(span_starts, os_) - 1
                if (i >= 0 and spans[i][1] > os_) or (i + 1 < len(spans) and spans[i + 1][0] < oe) or os_ < taken_end:
                    continue
                surface = text[os_:oe]
                words = surface.split()
                if not words or not words[-1][:1].isupper():
                    continue  # "the bureau" in lower case is a common noun
                if re.match(r"\s+(?:of|for|on)\s+(?:the\s+)?[A-Z]|[ \t]+[A-Z]", text[oe:oe + 40]):
                    continue  # "The Office of the Secretary for …", "the Park Company": a longer name
                unresolved.append(Unresolved(doc, os_, oe, surface, "generic-short-form", heads.get(info.generic_head, ())))
                taken_end = oe
            unresolved.sort(key=lambda u: (u.start, u.end))
        return mentions, unresolved


def _case_ok(surface: str, aliases: Iterable[Alias]) -> Alias | None:
    """The alias that accepts this surface's letter case, best first, or None. Acronyms want
    two capitals (RAISE+ or RAISe+, never the "itib" of www.itib.gov.hk); a capitalised name
    wants a capital first letter ("Hong Kong park" yes, "quantum technology" no)."""
    flat = one_line(surface)
    first = next((c for c in flat if c.isalpha()), "")
    best = None
    for a in aliases:
        if a.text == flat:
            return a
        if a.lang == "zh" and not re.search(r"[A-Za-z]", a.text):
            ok = True
        elif a.kind in ACRONYM_KINDS or acronym_like(a.text):
            ok = sum(c.isupper() for c in flat) >= 2
        else:
            alias_first = next((c for c in a.text if c.isalpha()), "")
            ok = not alias_first.isupper() or first.isupper()
        if ok and best is None:
            best = a
    return best


def _method(alias: Alias, surface: str, scoped: bool) -> tuple[str, float]:
    exact = one_line(surface) == alias.text
    if scoped:
        return "defined-in-document", 0.9
    if alias.rule == "ocr":
        return "ocr", 0.7
    if alias.rule:
        return f"variant:{alias.rule}", 0.9
    if alias.kind in ACRONYM_KINDS:
        return "acronym", 0.95 if exact else 0.85
    if alias.kind in SHORT_KINDS:
        return "short-form", 0.9
    return "name", 1.0 if exact else 0.95


def _head_candidates(by_id: dict[str, Entity], mentions: Sequence[Mention]) -> dict[str, tuple[str, ...]]:
    """For "the Bureau": the entities this document mentions whose English name ends in Bureau,
    the most mentioned first."""
    counts = Counter(m.entity_id for m in mentions)
    out: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for eid, n in counts.items():
        e = by_id[eid]
        heads = {a.key.split()[-1] for a in e.aliases if a.lang == "en" and a.key}
        for h in heads:
            out[h].append((-n, eid))
    return {h: tuple(eid for _, eid in sorted(v)[:5]) for h, v in out.items()}

