"""Entity normalisation: one entity where the sources use many names.

The glossary says 新型工業加速計劃 ↔ New Industrialisation Acceleration Scheme; the sources say
NIAS, 加速計劃, "the \\$10 billion New Industrialisation Acceleration Scheme", and the Yearbook's
OCR writes "Al Subsidy Scheme". :func:`build_registry` gathers the names of bodies, programmes,
schemes and places from three places —

1. the glossary (entries that name something: a head noun such as Scheme, Fund, Park, Office),
2. what each source defines (``glossary.entities.registry.sources``: acronyms, short forms, "also known
   as", quoted and heading names),
3. a small hand-curated seed file (``glossary/data/entity_seeds.toml``) for links no string rule
   can make (Hetao Hong Kong Park = Hong Kong-Shenzhen Innovation and Technology Park) —

and merges them only where a *full name* is shared (after the safe variant rules of
``glossary.entities.registry.text``) or a seed or a source says so. Acronyms and short forms never merge
two entities; one alias claimed by two entities is reported (:class:`RegistryIssue`) and left
unresolved. A source's acronym applies everywhere unless another source defines it otherwise;
then each definition holds in its own document only. Generic short forms ("the Bureau") resolve
only where a document defines them; every other use is reported as :class:`Unresolved`.

:meth:`EntityRegistry.recognise` finds mentions with one Aho–Corasick automaton over folded keys
(leftmost-longest, Latin word boundaries), offsets into the decoded original.
:func:`normalise_documents` runs the job; :func:`write_normalisation` writes it.

Annotate markup (``mode="annotate"``) wraps each mention and keeps the original surface::

    [[NIAS|ent:c895f1a717d8a|New Industrialisation Acceleration Scheme]]

``[[surface|entity_id|canonical]]``: canonical is the English name for a Latin-script surface and
the HK Chinese name for a Chinese one; ``\\``, ``|`` and ``]`` inside surface or canonical are
escaped with a backslash. :func:`parse_annotated` reads it back to the original text exactly.
``mode="replace"`` writes the canonical name instead of the surface (a Chinese surface gets the
Chinese name, or stays as it is when the entity has none); an acronym in brackets right after
its own full name is left alone (``… Scheme (NIAS)``).
"""

from __future__ import annotations

import bisect
import hashlib
import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from zhen.corpora.errors import InputError
from zhen.corpora.keys import is_word_char, key_view, match_key as name_key
from zhen.corpora.scripts import CJK_RX
from zhen.glossary.entities.text import expand_variants

__all__ = [
    "DEFAULT_SEEDS", "MODES", "Alias", "Entity", "EntityRegistry", "Mention", "NormalisationResult",
    "RegistryIssue", "Unresolved", "alias_schema", "build_registry", "entity_schema", "issue_schema",
    "mention_schema", "normalise_documents", "normalise_job", "normalise_text", "parse_annotated",
    "read_seeds", "unresolved_schema", "write_normalisation",
]

DEFAULT_SEEDS = Path(__file__).resolve().parent / "data" / "entity_seeds.toml"
MODES = ("annotate", "replace")
#: Alias kinds: the glossary's term types, then what a source or a seed said.
ALIAS_KINDS = ("preferred", "fullForm", "acronym", "shortForm", "abbreviation", "variant", "simplified", "phrase",
               "synonym", "marked", "seed")
_ACRONYM_KINDS = {"acronym", "abbreviation"}
_SHORT_KINDS = {"shortForm"}

_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_CHUNK = 1 << 17  # characters per recognition pass: small arrays are reused, not page-faulted in
_OVERLAP = 4096  # a name may start in one pass and end in the next (whitespace runs inside it)


# --- records ----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True, order=True)
class Alias:
    """One name of an entity. ``seen``: where it came from (``glossary:<concept>``, ``seed``,
    ``<doc>:<line>``). ``scope``: documents where it applies, () everywhere. ``rule``: the
    variant rule that derived it from another alias ('' when a person or a source wrote it)."""

    text: str
    kind: str
    lang: str
    key: str
    seen: tuple[str, ...] = ()
    scope: tuple[str, ...] = ()
    rule: str = ""


@dataclass(frozen=True, slots=True)
class Entity:
    entity_id: str
    canonical_en: str
    canonical_zh: str
    aliases: tuple[Alias, ...] = ()
    concept_ids: tuple[str, ...] = ()  # glossary entries merged here
    origins: tuple[str, ...] = ()  # glossary, seed, and the documents that define it

    def names(self, lang: str | None = None) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.text for a in self.aliases if lang is None or a.lang == lang))


@dataclass(frozen=True, slots=True)
class RegistryIssue:
    """Something the registry would not decide alone. ``kind``: ``collision`` (one alias
    declared for two entities), ``conflicting-definitions`` (sources define one acronym
    differently), ``derived-collision`` (a rule-made spelling of one entity is another's name;
    dropped), ``ambiguous-definition`` (a source's name fits two entities; skipped)."""

    kind: str
    alias: str
    key: str
    entity_ids: tuple[str, ...]
    where: tuple[str, ...]
    detail: str


@dataclass(frozen=True, slots=True)
class Mention:
    doc: str
    start: int  # offsets into the decoded original: original[start:end] == surface
    end: int
    surface: str
    entity_id: str
    canonical_en: str
    canonical_zh: str
    method: str  # name | acronym | short-form | defined-in-document | variant:<rule> | ocr
    confidence: float
    alias: str  # the alias it matched
    lang: str  # script of the surface: zh or en

    def to_dict(self) -> dict:
        return {f: getattr(self, f) for f in self.__slots__}


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A name found but not resolved: ``reason`` is ``generic-short-form`` ("the Bureau" in a
    document that does not define it), ``ambiguous-alias`` (a collision) or
    ``conflicting-definitions`` (an acronym other documents define differently). ``candidates``:
    entity ids it could mean, most likely first."""

    doc: str
    start: int
    end: int
    surface: str
    reason: str
    candidates: tuple[str, ...] = ()


# --- seeds -------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Seed:
    names: tuple[str, ...]
    en: str
    zh: str
    where: str


@dataclass(frozen=True, slots=True)
class _Seeds:
    entities: tuple[_Seed, ...] = ()
    ignore: frozenset[str] = frozenset()  # keys
    generic: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    sha256: tuple[str, ...] = ()


def read_seeds(paths: Sequence[str | Path] | None = None) -> _Seeds:
    """Read seed files (default: the bundled one). Errors name the file, the line and the fix."""
    paths = [DEFAULT_SEEDS] if paths is None else list(paths)
    entities: list[_Seed] = []
    ignore: set[str] = set()
    generic: list[str] = []
    names, shas = [], []
    for path in paths:
        p = Path(path)
        try:
            data_bytes = p.read_bytes()
        except FileNotFoundError:
            raise InputError(p, "no such seed file", hint="check the path or drop --seeds") from None
        try:
            data = tomllib.loads(data_bytes.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise InputError(p, "is not UTF-8", byte=exc.start, hint="save the seed file as UTF-8") from None
        except tomllib.TOMLDecodeError as exc:
            m = re.search(r"line (\d+)", str(exc))
            raise InputError(p, f"is not valid TOML ({exc})", line=int(m.group(1)) if m else None,
                             hint="fix the syntax; see glossary/data/entity_seeds.toml for the format") from None
        for i, item in enumerate(data.get("entity", []), 1):
            seed_names = item.get("names")
            if not isinstance(seed_names, list) or not seed_names or not all(isinstance(n, str) and n.strip() for n in seed_names):
                raise InputError(p, f"[[entity]] #{i} needs names = [\"…\", …] (non-empty strings)",
                                 hint="list every name of the entity")
            entities.append(_Seed(tuple(n.strip() for n in seed_names), str(item.get("en", "")).strip(),
                                  str(item.get("zh", "")).strip(), f"seed:{p.name}#{i}"))
        ignore.update(name_key(n) for n in data.get("ignore", {}).get("names", []))
        generic.extend(data.get("short_forms", {}).get("generic", []))
        names.append(p.name)
        shas.append(hashlib.sha256(data_bytes).hexdigest()[:16])
    return _Seeds(tuple(entities), frozenset(ignore), tuple(dict.fromkeys(generic)), tuple(names), tuple(shas))


# --- building -----------------------------------------------------------------------------------

def _lang(text: str) -> str:
    return "zh" if CJK_RX.search(text) else "en"


def _acronym_like(text: str) -> bool:
    return " " not in text.strip() and sum(c.isupper() for c in text) >= 2 and not CJK_RX.search(text)


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
        text = re.sub(r"\s+", " ", text).strip()
        if not text:
            return
        k = (text, kind, scope)
        if k not in self.aliases:
            self.aliases[k] = (_lang(text), set())
        self.aliases[k][1].add(seen)


class _Builder:
    def __init__(self, seeds: _Seeds) -> None:
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
        keys = {name_key(name)}
        if _lang(name) == "en":
            keys.update(name_key(v) for v, rule in expand_variants(name) if rule != "ocr")
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
        from zhen.glossary.entities.sources import is_name_like

        for e in glossary.entries:
            if e.status == "rejected":
                continue
            en_names = [e.en, *(t.text for t in e.en_variants if t.type == "fullForm")]
            if not any(is_name_like(n) for n in en_names if n) or name_key(e.en) in self.seeds.ignore:
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
            g.seed_en = seed.en or next((n for n in seed.names if _lang(n) == "en" and not _acronym_like(n)), "")
            g.seed_zh = seed.zh or next((n for n in seed.names if _lang(n) == "zh"), "")
            g.origins.add("seed")
            for name in seed.names:
                for o in self.find(name):
                    g = self.merge(g, self.groups[o])
            for name in seed.names:
                g.add(name, "acronym" if _acronym_like(name) else "seed", seed.where)
                self.anchor(g, name)

    # sources ------------------------------------------------------------------------------
    def _group_for(self, name: str, where: str, *, create: bool) -> _Group | None:
        found = self.find(name)
        if len(found) == 1:
            return self.root(self.groups[found.pop()])
        if len(found) > 1:
            ids = tuple(sorted(_provisional_id(self.root(self.groups[o])) for o in found))
            self.issues.append(RegistryIssue("ambiguous-definition", name, name_key(name), ids, (where,),
                                             "the name fits more than one entity; not attached"))
            return None
        if not create:
            return None
        g = self.new()
        self.anchor(g, name)
        return g

    def add_definitions(self, defs) -> None:
        ignore = self.seeds.ignore
        for d in defs:
            if name_key(d.long) in ignore or (d.short and name_key(d.short) in ignore):
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
                g.add(extra, "acronym" if _acronym_like(extra.split()[0]) and len(extra.split()) <= 2 else "fullForm", where)
                self.anchor(g, extra)
            if not d.short:
                continue
            kind = "acronym" if (d.kind == "acronym" or _acronym_like(d.short)) else "shortForm"
            if d.generic:
                g.add(d.short, kind, where, scope=(d.doc,))
            else:
                self.doc_shorts[name_key(d.short)][g.order].add(where)
                g.add(d.short, kind, where, scope=("?",))  # resolved in finish(): global or per document

    # finishing ----------------------------------------------------------------------------
    def finish(self) -> tuple[list[Entity], list[RegistryIssue]]:
        from zhen.corpora.zhtext import to_hk

        roots = [g for g in self.groups if g.parent is None]
        # Acronyms and short forms the sources define: global unless two entities claim them.
        declared: dict[str, set[int]] = defaultdict(set)
        for g in roots:
            for text, _kind, scope in g.aliases:
                if scope != ("?",):
                    declared[name_key(text)].add(g.order)
        resolved_scope: dict[tuple[int, str], tuple[str, ...] | None] = {}
        for key, by_group in self.doc_shorts.items():
            owners = {self.root(self.groups[o]).order: set() for o in by_group}
            for o, wheres in by_group.items():
                owners[self.root(self.groups[o]).order].update(wheres)
            global_owners = {self.root(self.groups[o]).order for o in declared.get(key, ())}
            if len(owners) == 1 and (not global_owners or global_owners == set(owners)):
                resolved_scope[(next(iter(owners)), key)] = ()
                continue
            for o, wheres in owners.items():
                if o in global_owners:
                    resolved_scope[(o, key)] = ()
                else:
                    resolved_scope[(o, key)] = tuple(sorted({w.rsplit(":", 1)[0] for w in wheres}))
            ids = tuple(sorted(_provisional_id(self.groups[o]) for o in owners | dict.fromkeys(global_owners)))
            where = tuple(sorted(w for ws in owners.values() for w in ws))
            self.issues.append(RegistryIssue("conflicting-definitions", key, key, ids, where,
                                             "each definition holds only in the document that makes it"))
        entities: list[Entity] = []
        for g in roots:
            en = g.en or g.seed_en or _best_long(g)
            zh = g.zh or g.seed_zh or next((t for (t, k, s), (lang, _) in g.aliases.items()
                                            if lang == "zh" and k in ("fullForm", "preferred", "seed", "synonym")), "")
            if not en and not zh:
                continue
            eid = _provisional_id(g, en, zh)
            aliases: list[Alias] = []
            for (text, kind, scope), (lang, seen) in g.aliases.items():
                key = name_key(text)
                if scope == ("?",):
                    scope = resolved_scope.get((g.order, key), ())
                aliases.append(Alias(text, kind, lang, key, tuple(sorted(seen)), scope))
            declared_texts = {a.text for a in aliases}
            for a in list(aliases):
                if a.lang != "en" or a.kind in _ACRONYM_KINDS or _acronym_like(a.text):
                    continue
                for variant, rule in expand_variants(a.text):
                    if variant not in declared_texts:
                        declared_texts.add(variant)
                        aliases.append(Alias(variant, "variant", "en", name_key(variant), a.seen, a.scope, rule))
            entities.append(Entity(eid, en, to_hk(zh) if zh else "", tuple(sorted(set(aliases))),
                                   tuple(sorted(g.concept_ids)), tuple(sorted(g.origins))))
        entities.sort(key=lambda e: (name_key(e.canonical_en or e.canonical_zh), e.entity_id))
        return entities, self.issues


def _best_long(g: _Group) -> str:
    cands = [t for (t, k, s), (lang, _) in g.aliases.items()
             if lang == "en" and k in ("fullForm", "marked", "synonym", "seed", "preferred") and not _acronym_like(t)]
    if not cands:
        return ""
    return max(cands, key=lambda t: (t[:1].isupper(), k_count(g, t), len(t), t))


def k_count(g: _Group, text: str) -> int:
    return sum(len(seen) for (t, _, _), (_, seen) in g.aliases.items() if t == text)


def _provisional_id(g: _Group, en: str = "", zh: str = "") -> str:
    """Stable ids: the glossary concept (so a mention links back to its glossary entry), else a
    hash of the canonical name."""
    if g.concept_ids:
        return "ent:" + min(g.concept_ids)
    basis = name_key(en or g.en or g.seed_en or _best_long(g) or zh or g.seed_zh or
                     next(iter(g.aliases), ("?",))[0])
    return "ent:x" + hashlib.sha1(basis.encode()).hexdigest()[:12]


# --- the matcher --------------------------------------------------------------------------------

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


class _Matcher:
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
            key = name_key(phrase)
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


def _case_ok(surface: str, aliases: Iterable[Alias]) -> Alias | None:
    """The alias that accepts this surface's letter case, best first, or None. Acronyms want
    two capitals (RAISE+ or RAISe+, never the "itib" of www.itib.gov.hk); a capitalised name
    wants a capital first letter ("Hong Kong park" yes, "quantum technology" no)."""
    flat = re.sub(r"\s+", " ", surface).strip()
    first = next((c for c in flat if c.isalpha()), "")
    best = None
    for a in aliases:
        if a.text == flat:
            return a
        if a.lang == "zh" and not re.search(r"[A-Za-z]", a.text):
            ok = True
        elif a.kind in _ACRONYM_KINDS or _acronym_like(a.text):
            ok = sum(c.isupper() for c in flat) >= 2
        else:
            alias_first = next((c for c in a.text if c.isalpha()), "")
            ok = not alias_first.isupper() or first.isupper()
        if ok and best is None:
            best = a
    return best


def _method(alias: Alias, surface: str, scoped: bool) -> tuple[str, float]:
    exact = re.sub(r"\s+", " ", surface).strip() == alias.text
    if scoped:
        return "defined-in-document", 0.9
    if alias.rule == "ocr":
        return "ocr", 0.7
    if alias.rule:
        return f"variant:{alias.rule}", 0.9
    if alias.kind in _ACRONYM_KINDS:
        return "acronym", 0.95 if exact else 0.85
    if alias.kind in _SHORT_KINDS:
        return "short-form", 0.9
    return "name", 1.0 if exact else 0.95


@dataclass(frozen=True)
class EntityRegistry:
    """Entities with their aliases, the issues found building them, and a compiled matcher."""

    entities: tuple[Entity, ...]
    issues: tuple[RegistryIssue, ...] = ()
    settings: dict = field(default_factory=dict, compare=False)
    _matcher: _Matcher | None = field(default=None, compare=False, repr=False)
    _by_id: dict = field(default_factory=dict, compare=False, repr=False)

    def __len__(self) -> int:
        return len(self.entities)

    def get(self, entity_id: str) -> Entity | None:
        return self._by_id.get(entity_id)

    def lookup(self, name: str) -> list[Entity]:
        """Entities that carry ``name`` (compared through the key, variants included)."""
        key = name_key(name)
        return [e for e in self.entities if any(a.key == key for a in e.aliases)]

    def recognise(self, text: str, *, doc: str = "") -> list[Mention]:
        """Mentions of registered entities in ``text``, leftmost-longest, in text order."""
        return self.scan(text, doc=doc)[0]

    def scan(self, text: str, *, doc: str = "") -> tuple[list[Mention], list[Unresolved]]:
        """Mentions and the names found but left unresolved, both in text order."""
        matcher = self._matcher
        if matcher is None or not matcher.infos or not text:
            return [], []
        picked: list[tuple[int, int, _KeyInfo, str | None, Alias | None]] = []
        generic: list[tuple[int, int, _KeyInfo]] = []
        infos, klen, automaton = matcher.infos, matcher.klen, matcher.automaton
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
                e = self._by_id[eid]
                method, conf = _method(alias, surface, doc in info.scoped and info.scoped[doc] == eid and alias.scope != ())
                fields = how[hk] = (e.canonical_en, e.canonical_zh, method, conf, alias.text,
                                    "zh" if CJK_RX.search(surface) else "en")
            mentions.append(Mention(doc, os_, oe, surface, eid, *fields))
        if generic:
            starts = [m.start for m in mentions] + [u.start for u in unresolved]
            spans = sorted(zip(starts, [m.end for m in mentions] + [u.end for u in unresolved]))
            span_starts = [s for s, _ in spans]
            heads = _head_candidates(self, mentions)
            taken_end = -1
            for os_, oe, info in sorted(generic, key=lambda g: (g[0], -g[1])):
                i = bisect.bisect_right(span_starts, os_) - 1
                if (i >= 0 and spans[i][1] > os_) or (i + 1 < len(spans) and spans[i + 1][0] < oe) or os_ < taken_end:
                    continue
                surface = text[os_:oe]
                words = surface.split()
                if not words or not words[-1][:1].isupper():
                    continue  # "the bureau" in lower case is a common noun
                if re.match(r"\s+(?:of|for|on)\s+(?:the\s+)?[A-Z]", text[oe:oe + 40]):
                    continue  # "The Office of the Secretary for …" opens a longer name
                unresolved.append(Unresolved(doc, os_, oe, surface, "generic-short-form", heads.get(info.generic_head, ())))
                taken_end = oe
            unresolved.sort(key=lambda u: (u.start, u.end))
        return mentions, unresolved


def _head_candidates(registry: EntityRegistry, mentions: Sequence[Mention]) -> dict[str, tuple[str, ...]]:
    """For "the Bureau": the entities this document mentions whose English name ends in Bureau,
    the most mentioned first."""
    counts = Counter(m.entity_id for m in mentions)
    out: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for eid, n in counts.items():
        e = registry.get(eid)
        heads = {a.key.split()[-1] for a in e.aliases if a.lang == "en" and a.key}
        for h in heads:
            out[h].append((-n, eid))
    return {h: tuple(eid for _, eid in sorted(v)[:5]) for h, v in out.items()}


def build_registry(glossary=None, docs: Sequence = (), *, seeds: Sequence[str | Path] | None = None) -> EntityRegistry:
    """The entity registry: glossary entries that name bodies, programmes, schemes and places,
    plus what ``docs`` (``corpora.Document``) define, plus the seed files (default: the bundled
    one; ``seeds=[]`` for none). ``glossary`` may be a :class:`~glossary.Glossary`, a path, or None."""
    from zhen.glossary.entities.sources import source_definitions

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
    matcher = _Matcher(entities, seed_data.generic)
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


# --- normalised text ----------------------------------------------------------------------------

def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("]", "\\]")


def _unesc(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text, flags=re.DOTALL)


_MARKUP = re.compile(r"\[\[((?:[^\\|\]]|\\.)*)\|(ent:[0-9a-z]+)\|((?:[^\\|\]]|\\.)*)\]\]", re.DOTALL)


def _canonical_for(m: Mention) -> str:
    if m.lang == "zh":
        return m.canonical_zh or m.surface
    return m.canonical_en or m.surface


def normalise_text(text: str, mentions: Sequence[Mention], mode: str = "annotate") -> tuple[str, list[tuple[int, int]]]:
    """``text`` with its mentions annotated or replaced, and each mention's span in the result."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}: use one of {', '.join(MODES)}")
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    size = 0
    prev: Mention | None = None
    for m in sorted(mentions, key=lambda m: m.start):
        if m.start < pos:
            raise ValueError(f"overlapping mentions at {m.start} in {m.doc!r}")
        out.append(text[pos:m.start])
        size += m.start - pos
        if mode == "annotate":
            piece = f"[[{_esc(m.surface)}|{m.entity_id}|{_esc(_canonical_for(m))}]]"
        elif (prev is not None and prev.entity_id == m.entity_id and re.fullmatch(r"\s*[(（]\s*", text[prev.end:m.start])
              and re.match(r"\s*[)）]", text[m.end:m.end + 3])):
            piece = m.surface  # "… Scheme (NIAS)": the bracket keeps its acronym
        else:
            piece = _canonical_for(m)
        out.append(piece)
        spans.append((size, size + len(piece)))
        size += len(piece)
        pos = m.end
        prev = m
    out.append(text[pos:])
    return "".join(out), spans


def parse_annotated(text: str) -> tuple[str, list[tuple[int, int, str, str]]]:
    """Annotated text back to the original: ``(original, [(start, end, entity_id, canonical)])``."""
    out: list[str] = []
    spans = []
    pos = 0
    size = 0
    for m in _MARKUP.finditer(text):
        out.append(text[pos:m.start()])
        size += m.start() - pos
        surface = _unesc(m.group(1))
        spans.append((size, size + len(surface), m.group(2), _unesc(m.group(3))))
        out.append(surface)
        size += len(surface)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), spans


# --- the job ------------------------------------------------------------------------------------

def mention_schema():
    import polars as pl

    return {"doc": pl.String, "start": pl.Int64, "end": pl.Int64, "surface": pl.String, "entity_id": pl.String,
            "canonical_en": pl.String, "canonical_zh": pl.String, "method": pl.String, "confidence": pl.Float64}


def entity_schema():
    import polars as pl

    return {"entity_id": pl.String, "canonical_en": pl.String, "canonical_zh": pl.String,
            "aliases": pl.List(pl.String), "alias_kinds": pl.List(pl.String), "concept_ids": pl.List(pl.String),
            "origins": pl.List(pl.String), "mentions": pl.Int64, "docs": pl.List(pl.String),
            "doc_counts": pl.List(pl.Int64)}


def alias_schema():
    import polars as pl

    return {"entity_id": pl.String, "alias": pl.String, "kind": pl.String, "lang": pl.String, "rule": pl.String,
            "scope": pl.List(pl.String), "seen": pl.List(pl.String), "mentions": pl.Int64,
            "docs": pl.List(pl.String), "doc_counts": pl.List(pl.Int64)}


def unresolved_schema():
    import polars as pl

    return {"doc": pl.String, "start": pl.Int64, "end": pl.Int64, "surface": pl.String, "reason": pl.String,
            "candidates": pl.List(pl.String)}


def issue_schema():
    import polars as pl

    return {"kind": pl.String, "alias": pl.String, "key": pl.String, "entity_ids": pl.List(pl.String),
            "where": pl.List(pl.String), "detail": pl.String}


def _frame(rows: list[dict], schema: dict):
    import polars as pl

    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    id: str
    path: str
    sha256: str
    encoding: str


@dataclass(frozen=True)
class NormalisationResult:
    """What :func:`normalise_documents` found: the registry, every mention and unresolved name,
    and the normalised text of each document (with each mention's span in it)."""

    registry: EntityRegistry
    mode: str
    documents: tuple[DocumentInfo, ...]
    mentions: tuple[Mention, ...]
    unresolved: tuple[Unresolved, ...]
    texts: tuple[tuple[str, str], ...]  # (doc id, normalised text)
    spans: tuple[tuple[int, int], ...]  # per mention, its span in the normalised text
    settings: dict = field(default_factory=dict, compare=False)

    def normalised(self, doc: str) -> str:
        for d, t in self.texts:
            if d == doc:
                return t
        raise KeyError(doc)

    def mentions_frame(self):
        return _frame([{k: getattr(m, k) for k in mention_schema()} for m in self.mentions], mention_schema())

    def _counts(self) -> tuple[dict[str, Counter], dict[tuple[str, str], Counter]]:
        per_entity: dict[str, Counter] = defaultdict(Counter)
        per_alias: dict[tuple[str, str], Counter] = defaultdict(Counter)
        for m in self.mentions:
            per_entity[m.entity_id][m.doc] += 1
            per_alias[(m.entity_id, m.alias)][m.doc] += 1
        return per_entity, per_alias

    def entities_frame(self):
        """The cross-source index: one row an entity, its aliases and its mentions per document."""
        per_entity, _ = self._counts()
        order = [d.id for d in self.documents]
        rows = []
        for e in self.registry.entities:
            c = per_entity.get(e.entity_id, Counter())
            docs = [d for d in order if c.get(d)]
            declared = [a for a in e.aliases if not a.rule]
            rows.append({
                "entity_id": e.entity_id, "canonical_en": e.canonical_en, "canonical_zh": e.canonical_zh,
                "aliases": [a.text for a in declared], "alias_kinds": [a.kind for a in declared],
                "concept_ids": list(e.concept_ids), "origins": list(e.origins), "mentions": sum(c.values()),
                "docs": docs, "doc_counts": [c[d] for d in docs],
            })
        return _frame(rows, entity_schema())

    def aliases_frame(self):
        _, per_alias = self._counts()
        order = [d.id for d in self.documents]
        rows = []
        for e in self.registry.entities:
            for a in e.aliases:
                c = per_alias.get((e.entity_id, a.text), Counter())
                if a.rule and not c:
                    continue  # rule-made spellings nobody used: noise in a review table
                docs = [d for d in order if c.get(d)]
                rows.append({"entity_id": e.entity_id, "alias": a.text, "kind": a.kind, "lang": a.lang, "rule": a.rule,
                             "scope": list(a.scope), "seen": list(a.seen), "mentions": sum(c.values()),
                             "docs": docs, "doc_counts": [c[d] for d in docs]})
        return _frame(rows, alias_schema())

    def unresolved_frame(self):
        return _frame([{"doc": u.doc, "start": u.start, "end": u.end, "surface": u.surface, "reason": u.reason,
                        "candidates": list(u.candidates)} for u in self.unresolved], unresolved_schema())

    def issues_frame(self):
        return _frame([{"kind": i.kind, "alias": i.alias, "key": i.key, "entity_ids": list(i.entity_ids),
                        "where": list(i.where), "detail": i.detail} for i in self.registry.issues], issue_schema())

    def summary(self) -> list[str]:
        """Short report lines (the CLI shows them)."""
        per_doc = Counter(m.doc for m in self.mentions)
        linked = Counter(len({m.doc for m in self.mentions if m.entity_id == e.entity_id}) for e in self.registry.entities)
        lines = [f"{d.id}: {per_doc.get(d.id, 0)} mentions" for d in self.documents]
        lines.append(f"entities: {len(self.registry)} ({sum(v for k, v in linked.items() if k >= 2)} seen in two or more documents)")
        lines.append(f"unresolved: {len(self.unresolved)}; registry issues: {len(self.registry.issues)}")
        return lines


def _as_document(item, encoding: str | None = None):
    from zhen import corpora
    if isinstance(item, corpora.Document):
        return item
    key = str(item)
    if any(s.id == key for s in corpora.list_sources()):
        return corpora.load_source(key)
    return corpora.load_document(key, encoding=encoding)


def normalise_documents(docs: Sequence, glossary=None, *, mode: str = "annotate",
                        seeds: Sequence[str | Path] | None = None, registry: EntityRegistry | None = None,
                        encoding: str | None = None) -> NormalisationResult:
    """The job: build the registry from ``glossary`` and the documents themselves (or use
    ``registry``), find every mention, and write each document annotated or with canonical
    names. ``docs``: ``corpora.Document`` objects, bundled source ids or paths."""
    if mode not in MODES:
        raise InputError(None, f"unknown mode {mode!r}", hint=f"use one of {', '.join(MODES)}")
    documents = [_as_document(d, encoding) for d in docs]
    seen_ids: dict[str, str] = {}
    for d in documents:
        if d.id in seen_ids:
            raise InputError(d.path, f"has the same document id {d.id!r} as {seen_ids[d.id]}",
                             hint="rename one of the files; outputs are named after the id")
        seen_ids[d.id] = d.path
    if registry is None:
        registry = build_registry(glossary, documents, seeds=seeds)
    mentions: list[Mention] = []
    unresolved: list[Unresolved] = []
    texts = []
    spans: list[tuple[int, int]] = []
    for d in documents:
        found, unres = registry.scan(d.text, doc=d.id)
        text, doc_spans = normalise_text(d.text, found, mode)
        mentions += found
        unresolved += unres
        spans += doc_spans
        texts.append((d.id, text))
    infos = tuple(DocumentInfo(d.id, str(d.path), d.sha256, d.encoding) for d in documents)
    settings = {"mode": mode, **registry.settings}
    return NormalisationResult(registry, mode, infos, tuple(mentions), tuple(unresolved), tuple(texts),
                               tuple(spans), settings)


def _joined(values) -> str:
    return " | ".join(str(v) for v in values)


def write_normalisation(result: NormalisationResult, out_dir: str | Path) -> list[str]:
    """Write the outputs into ``out_dir`` atomically; returns the file names written.

    mentions.csv (doc,start,end,surface,entity_id,canonical_en,canonical_zh,method,confidence),
    mentions.jsonl (the same plus alias, lang and the span in the normalised text), entities.csv
    (one row an entity: aliases, mentions per document), entity-aliases.csv, entity-unresolved.csv,
    entity-issues.csv, normalised/<doc>.txt, and normalise.meta.json (what made them)."""
    from zhen.corpora.output import render_records, signature, write_meta, write_text

    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    write_text(folder / "mentions.csv", render_records(result.mentions_frame().to_dicts(), "csv", mention_schema()))
    rows = []
    for m, (ns, ne) in zip(result.mentions, result.spans):
        rows.append({**{k: getattr(m, k) for k in mention_schema()}, "alias": m.alias, "lang": m.lang,
                     "mode": result.mode, "norm_start": ns, "norm_end": ne})
    write_text(folder / "mentions.jsonl", render_records(rows, "jsonl"))
    ent = result.entities_frame()
    ent_rows = [{
        "entity_id": r["entity_id"], "canonical_en": r["canonical_en"], "canonical_zh": r["canonical_zh"],
        "aliases": _joined(f"{a}{{{k}}}" for a, k in zip(r["aliases"], r["alias_kinds"])),
        "mentions": r["mentions"], "per_source": "; ".join(f"{d}={n}" for d, n in zip(r["docs"], r["doc_counts"])),
        "concept_ids": " ".join(r["concept_ids"]), "origins": " ".join(r["origins"]),
    } for r in ent.iter_rows(named=True)]
    import polars as pl

    ent_csv = {"entity_id": pl.String, "canonical_en": pl.String, "canonical_zh": pl.String, "aliases": pl.String,
               "mentions": pl.Int64, "per_source": pl.String, "concept_ids": pl.String, "origins": pl.String}
    write_text(folder / "entities.csv", render_records(ent_rows, "csv", ent_csv))
    al_rows = [{
        "entity_id": r["entity_id"], "alias": r["alias"], "kind": r["kind"], "lang": r["lang"], "rule": r["rule"],
        "scope": " ".join(r["scope"]), "seen": " ".join(r["seen"]), "mentions": r["mentions"],
        "per_source": "; ".join(f"{d}={n}" for d, n in zip(r["docs"], r["doc_counts"])),
    } for r in result.aliases_frame().iter_rows(named=True)]
    al_csv = {k: pl.String for k in ("entity_id", "alias", "kind", "lang", "rule", "scope", "seen")}
    al_csv.update({"mentions": pl.Int64, "per_source": pl.String})
    write_text(folder / "entity-aliases.csv", render_records(al_rows, "csv", al_csv))
    un_rows = [{**r, "candidates": " ".join(r["candidates"])} for r in result.unresolved_frame().iter_rows(named=True)]
    un_csv = {**unresolved_schema(), "candidates": pl.String}
    write_text(folder / "entity-unresolved.csv", render_records(un_rows, "csv", un_csv))
    is_rows = [{**r, "entity_ids": " ".join(r["entity_ids"]), "where": " ".join(r["where"])}
               for r in result.issues_frame().iter_rows(named=True)]
    is_csv = {**issue_schema(), "entity_ids": pl.String, "where": pl.String}
    write_text(folder / "entity-issues.csv", render_records(is_rows, "csv", is_csv))
    written += ["mentions.csv", "mentions.jsonl", "entities.csv", "entity-aliases.csv", "entity-unresolved.csv",
                "entity-issues.csv"]
    for doc_id, text in result.texts:
        write_text(folder / "normalised" / f"{doc_id}.txt", text)
        written.append(f"normalised/{doc_id}.txt")
    meta = signature(
        command="normalise", mode=result.mode,
        inputs={d.id: {"path": Path(d.path).name, "sha256": d.sha256, "encoding": d.encoding} for d in result.documents},
        outputs=written,
        counts={"entities": len(result.registry), "mentions": len(result.mentions),
                "unresolved": len(result.unresolved), "issues": len(result.registry.issues)},
        markup="[[surface|entity_id|canonical]] (\\ escapes \\, | and ])" if result.mode == "annotate" else None,
        **{k: v for k, v in result.settings.items() if k not in ("mode", "documents")},
    )
    write_meta(folder / "normalise.meta.json", meta)
    written.append("normalise.meta.json")
    return written


def normalise_job(files: Sequence[str], *, glossary: str | Path | None = None, out: str | Path = "out",
                  mode: str = "annotate", seeds: Sequence[str | Path] | None = None,
                  encoding: str | None = None) -> list[str]:
    """``zhen normalise [FILE...] --glossary G --out DIR --mode M``: the bundled sources when no
    file is given. Returns report lines; raises InputError for bad input."""
    from zhen import corpora
    docs = list(files) if files else [s.id for s in corpora.list_sources()]
    result = normalise_documents(docs, glossary, mode=mode, seeds=seeds, encoding=encoding)
    write_normalisation(result, out)
    return result.summary()
