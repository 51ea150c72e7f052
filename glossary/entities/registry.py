"""The entity registry: one entity where the sources use many names.

The glossary says 新型工業加速計劃 ↔ New Industrialisation Acceleration Scheme; the sources say
NIAS, 加速計劃, "the \\$10 billion New Industrialisation Acceleration Scheme", and the Yearbook's
OCR writes "Al Subsidy Scheme". :func:`build_registry` gathers the names of bodies, programmes,
schemes and places from three places —

1. the glossary (entries that name something: a head noun such as Scheme, Fund, Park, Office),
2. what each source defines (:mod:`~zhen.glossary.entities.sources`: acronyms, short forms,
   "also known as", quoted and heading names),
3. the seed files (:mod:`~zhen.glossary.entities.seeds`) for links no string rule can make
   (Hetao Hong Kong Park = Hong Kong-Shenzhen Innovation and Technology Park) —

and merges them (a union–find over growing groups) only where a *full name* is shared (after
the safe rules of :mod:`~zhen.glossary.entities.variants`) or a seed or a source says so.
Acronyms and short forms never merge two entities; one alias claimed by two entities is reported
(:class:`RegistryIssue`) and left unresolved. A source's acronym applies everywhere unless another
source defines it otherwise; then each definition holds in its own document only. Generic short
forms ("the Bureau") resolve only where a document defines them.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from zhen.corpora.errors import InputError
from zhen.corpora.keys import match_key
from zhen.corpora.zhtext import to_hk
from zhen.glossary.entities.matcher import Matcher
from zhen.glossary.entities.records import (
    ACRONYM_KINDS, Alias, Entity, Mention, RegistryIssue, Unresolved, acronym_like, lang_of, one_line,
)
from zhen.glossary.entities.seeds import Seeds, read_seeds
from zhen.glossary.entities.sources import Definition, is_name_like, source_definitions
from zhen.glossary.entities.variants import expand_variants


class _Group:
    """A growing entity while the registry is built (mutable; never leaves this module)."""

    __slots__ = ("aliases", "concept_ids", "en", "order", "origins", "parent", "seed_en", "seed_zh", "zh")

    def __init__(self, order: int) -> None:
        self.aliases: dict[tuple[str, str, tuple[str, ...]], tuple[str, set[str]]] = {}
        self.concept_ids: list[str] = []
        self.en = self.zh = self.seed_en = self.seed_zh = ""
        self.origins: set[str] = set()
        self.parent: _Group | None = None
        self.order = order

    def add(self, text: str, kind: str, seen: str, scope: tuple[str, ...] = ()) -> None:
        text = one_line(text)
        if not text:
            return
        k = (text, kind, scope)
        if k not in self.aliases:
            self.aliases[k] = (lang_of(text), set())
        self.aliases[k][1].add(seen)


class _Builder:
    """The registry while it grows: groups merged union–find style (``root``/``merge``) through
    the keys of their full names (``anchors``)."""

    def __init__(self, seeds: Seeds) -> None:
        self.seeds = seeds
        self.groups: list[_Group] = []
        self.anchors: dict[str, set[int]] = defaultdict(set)  # name key → group orders
        self.doc_shorts: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.issues: list[RegistryIssue] = []

    def root(self, g: _Group) -> _Group:
        while g.parent is not None:
            g = g.parent
        return g

    def new(self) -> _Group:
        g = _Group(len(self.groups))
        self.groups.append(g)
        return g

    @staticmethod
    def keys_of(name: str) -> set[str]:
        keys = {match_key(name)}
        if lang_of(name) == "en":
            keys.update(match_key(v) for v, rule in expand_variants(name) if rule != "ocr")
        keys.discard("")
        return keys

    def anchor(self, g: _Group, name: str) -> None:
        for k in self.keys_of(name):
            self.anchors[k].add(g.order)

    def find(self, name: str) -> set[int]:
        found: set[int] = set()
        for k in self.keys_of(name):
            found.update(self.root(self.groups[o]).order for o in self.anchors.get(k, ()))
        return found

    def merge(self, a: _Group, b: _Group) -> _Group:
        a, b = self.root(a), self.root(b)
        if a is b:
            return a
        if b.order < a.order:
            a, b = b, a
        for k, (lang, seen) in b.aliases.items():
            if k in a.aliases:
                a.aliases[k][1].update(seen)
            else:
                a.aliases[k] = (lang, set(seen))
        a.concept_ids += [c for c in b.concept_ids if c not in a.concept_ids]
        a.en, a.zh = a.en or b.en, a.zh or b.zh
        a.seed_en, a.seed_zh = a.seed_en or b.seed_en, a.seed_zh or b.seed_zh
        a.origins |= b.origins
        b.parent = a
        return a

    # glossary -----------------------------------------------------------------------------
    def add_glossary(self, glossary) -> None:
        for e in glossary.entries:
            if e.status == "rejected":
                continue
            en_names = [e.en, *(t.text for t in e.en_variants if t.type == "fullForm")]
            if not any(is_name_like(n) for n in en_names if n) or match_key(e.en) in self.seeds.ignore:
                continue
            g = self.new()
            g.concept_ids.append(e.concept_id)
            g.en, g.zh = e.en, e.zh
            g.origins.add("glossary")
            seen = f"glossary:{e.concept_id}"
            for text, kind in ((e.en, "preferred"), (e.zh, "preferred")):
                if text:
                    g.add(text, kind, seen)
                    self.anchor(g, text)
            for t in (*e.en_variants, *e.zh_variants):
                g.add(t.text, t.type, seen)
                if t.type == "fullForm":
                    self.anchor(g, t.text)

    # seeds --------------------------------------------------------------------------------
    def add_seeds(self) -> None:
        for seed in self.seeds.entities:
            g = self.new()
            g.seed_en = seed.en or next((n for n in seed.names if lang_of(n) == "en" and not acronym_like(n)), "")
            g.seed_zh = seed.zh or next((n for n in seed.names if lang_of(n) == "zh"), "")
            g.origins.add("seed")
            for name in seed.names:
                for o in self.find(name):
                    g = self.merge(g, self.groups[o])
            for name in seed.names:
                g.add(name, "acronym" if acronym_like(name) else "seed", seed.where)
                self.anchor(g, name)

    # sources ------------------------------------------------------------------------------
    def _group_for(self, name: str, where: str, *, create: bool) -> _Group | None:
        found = self.find(name)
        if len(found) == 1:
            return self.root(self.groups[found.pop()])
        if len(found) > 1:
            ids = tuple(sorted(_provisional_id(self.root(self.groups[o])) for o in found))
            self.issues.append(RegistryIssue("ambiguous-definition", name, match_key(name), ids, (where,),
                                             "the name fits more than one entity; not attached"))
            return None
        if not create:
            return None
        g = self.new()
        self.anchor(g, name)
        return g

    def add_definitions(self, defs: Sequence[Definition]) -> None:
        ignore = self.seeds.ignore
        for d in defs:
            if match_key(d.long) in ignore or (d.short and match_key(d.short) in ignore):
                continue
            where = d.where
            if d.kind == "synonym":
                a = self._group_for(d.long, where, create=False)
                b = self._group_for(d.short, where, create=False)
                g = a if a is not None else (b if b is not None else self._group_for(d.long, where, create=True))
                if g is None:
                    continue
                if a is not None and b is not None:
                    g = self.merge(a, b)
                g.origins.add(d.doc)
                for name in (d.long, d.short):
                    g.add(name, "synonym", where)
                    self.anchor(g, name)
                continue
            create = d.lang == "en"
            long = d.long
            if d.alt_long and not self.find(long) and self.find(d.alt_long):
                long = d.alt_long  # "Microelectronics … Institute (MRDI)" is the glossary's "Hong Kong Microelectronics …"
            g = self._group_for(long, where, create=create)
            if g is None:
                continue
            g.origins.add(d.doc)
            g.add(long, "marked" if d.kind == "marked" else "fullForm", where)
            self.anchor(g, long)
            for extra in d.extra:
                g.add(extra, "acronym" if acronym_like(extra.split()[0]) and len(extra.split()) <= 2 else "fullForm", where)
                self.anchor(g, extra)
            if not d.short:
                continue
            kind = "acronym" if (d.kind == "acronym" or acronym_like(d.short)) else "shortForm"
            if d.generic:
                g.add(d.short, kind, where, scope=(d.doc,))
            else:
                self.doc_shorts[match_key(d.short)][g.order].add(where)
                g.add(d.short, kind, where, scope=("?",))  # resolved in finish(): global or per document

    # finishing ----------------------------------------------------------------------------
    def finish(self) -> tuple[list[Entity], list[RegistryIssue]]:
        roots = [g for g in self.groups if g.parent is None]
        scopes = self._short_form_scopes(roots)
        entities = [e for e in (self._entity(g, scopes) for g in roots) if e is not None]
        entities.sort(key=lambda e: (match_key(e.canonical_en or e.canonical_zh), e.entity_id))
        return entities, self.issues

    def _short_form_scopes(self, roots: Sequence[_Group]) -> dict[tuple[int, str], tuple[str, ...]]:
        """Where each acronym and short form a source defines applies, by (group, key):
        everywhere (``()``) unless two entities claim it, then only in the documents that define
        it for each (reported as ``conflicting-definitions``)."""
        declared: dict[str, set[int]] = defaultdict(set)
        for g in roots:
            for text, _kind, scope in g.aliases:
                if scope != ("?",):
                    declared[match_key(text)].add(g.order)
        scopes: dict[tuple[int, str], tuple[str, ...]] = {}
        for key, by_group in self.doc_shorts.items():
            owners = {self.root(self.groups[o]).order: set() for o in by_group}
            for o, wheres in by_group.items():
                owners[self.root(self.groups[o]).order].update(wheres)
            global_owners = {self.root(self.groups[o]).order for o in declared.get(key, ())}
            if len(owners) == 1 and (not global_owners or global_owners == set(owners)):
                scopes[(next(iter(owners)), key)] = ()
                continue
            for o, wheres in owners.items():
                if o in global_owners:
                    scopes[(o, key)] = ()
                else:
                    scopes[(o, key)] = tuple(sorted({w.rsplit(":", 1)[0] for w in wheres}))
            ids = tuple(sorted(_provisional_id(self.groups[o]) for o in owners | dict.fromkeys(global_owners)))
            where = tuple(sorted(w for ws in owners.values() for w in ws))
            self.issues.append(RegistryIssue("conflicting-definitions", key, key, ids, where,
                                             "each definition holds only in the document that makes it"))
        return scopes

    @staticmethod
    def _entity(g: _Group, scopes: dict[tuple[int, str], tuple[str, ...]]) -> Entity | None:
        """The finished entity of a root group, with the rule-made spellings of its English
        names; None for a group with no name to show."""
        en = g.en or g.seed_en or _best_long(g)
        zh = g.zh or g.seed_zh or next((t for (t, k, s), (lang, _) in g.aliases.items()
                                        if lang == "zh" and k in ("fullForm", "preferred", "seed", "synonym")), "")
        if not en and not zh:
            return None
        aliases: list[Alias] = []
        for (text, kind, scope), (lang, seen) in g.aliases.items():
            key = match_key(text)
            if scope == ("?",):
                scope = scopes.get((g.order, key), ())
            aliases.append(Alias(text, kind, lang, key, tuple(sorted(seen)), scope))
        declared_texts = {a.text for a in aliases}
        for a in list(aliases):
            if a.lang != "en" or a.kind in ACRONYM_KINDS or acronym_like(a.text):
                continue
            for variant, rule in expand_variants(a.text):
                if variant not in declared_texts:
                    declared_texts.add(variant)
                    aliases.append(Alias(variant, "variant", "en", match_key(variant), a.seen, a.scope, rule))
        return Entity(_provisional_id(g, en, zh), en, to_hk(zh) if zh else "", tuple(sorted(set(aliases))),
                      tuple(sorted(g.concept_ids)), tuple(sorted(g.origins)))


def _best_long(g: _Group) -> str:
    cands = [t for (t, k, s), (lang, _) in g.aliases.items()
             if lang == "en" and k in ("fullForm", "marked", "synonym", "seed", "preferred") and not acronym_like(t)]
    if not cands:
        return ""
    return max(cands, key=lambda t: (t[:1].isupper(), _times_seen(g, t), len(t), t))


def _times_seen(g: _Group, text: str) -> int:
    return sum(len(seen) for (t, _, _), (_, seen) in g.aliases.items() if t == text)


def _provisional_id(g: _Group, en: str = "", zh: str = "") -> str:
    """Stable ids: the glossary concept (so a mention links back to its glossary entry), else a
    hash of the canonical name."""
    if g.concept_ids:
        return "ent:" + min(g.concept_ids)
    basis = match_key(en or g.en or g.seed_en or _best_long(g) or zh or g.seed_zh
                      or next(iter(g.aliases), ("?",))[0])
    return "ent:x" + hashlib.sha1(basis.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class EntityRegistry:
    """Entities with their aliases, the issues found building them, and a compiled matcher."""

    entities: tuple[Entity, ...]
    issues: tuple[RegistryIssue, ...] = ()
    settings: dict = field(default_factory=dict, compare=False)
    _matcher: Matcher | None = field(default=None, compare=False, repr=False)
    _by_id: dict = field(default_factory=dict, compare=False, repr=False)

    def __len__(self) -> int:
        return len(self.entities)

    def get(self, entity_id: str) -> Entity | None:
        return self._by_id.get(entity_id)

    def lookup(self, name: str) -> list[Entity]:
        """Entities that carry ``name`` (compared through the key, variants included)."""
        key = match_key(name)
        return [e for e in self.entities if any(a.key == key for a in e.aliases)]

    def recognise(self, text: str, *, doc: str = "") -> list[Mention]:
        """Mentions of registered entities in ``text``, leftmost-longest, in text order."""
        return self.scan(text, doc=doc)[0]

    def scan(self, text: str, *, doc: str = "") -> tuple[list[Mention], list[Unresolved]]:
        """Mentions and the names found but left unresolved, both in text order."""
        if self._matcher is None:
            return [], []
        return self._matcher.scan(text, doc, self._by_id)


def build_registry(glossary=None, docs: Sequence = (), *, seeds: Sequence[str | Path] | None = None) -> EntityRegistry:
    """The entity registry: glossary entries that name bodies, programmes, schemes and places,
    plus what ``docs`` (``corpora.Document``) define, plus the seed files (default: the bundled
    one; ``seeds=[]`` for none). ``glossary`` may be a :class:`~zhen.glossary.Glossary`, a path,
    or None."""
    if isinstance(glossary, (str, Path)):
        from zhen.glossary import read_glossary

        glossary = read_glossary(glossary)
    seed_data = read_seeds(seeds)
    builder = _Builder(seed_data)
    if glossary is not None:
        builder.add_glossary(glossary)
    builder.add_seeds()
    for doc in docs:
        builder.add_definitions(source_definitions(doc.text, doc.id))
    entities, issues = builder.finish()
    matcher = Matcher(entities, seed_data.generic)
    by_id = {}
    for e in entities:
        if e.entity_id in by_id:  # two entities with one canonical name and no glossary id
            raise InputError(None, f"two entities share the id {e.entity_id} ({e.canonical_en or e.canonical_zh})",
                             hint="merge them in the seed file")
        by_id[e.entity_id] = e
    all_issues = sorted(set(issues) | set(matcher.issues), key=lambda i: (i.kind, i.key, i.entity_ids))
    settings = {
        "seeds": list(seed_data.files), "seeds_sha256": list(seed_data.sha256),
        "glossary_entries": len(glossary.entries) if glossary is not None else 0,
        "documents": [d.id for d in docs], "entities": len(entities),
        "aliases": sum(len(e.aliases) for e in entities),
    }
    return EntityRegistry(tuple(entities), tuple(all_issues), settings, matcher, by_id)
