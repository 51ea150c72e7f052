"""The records of entity normalisation: an entity and its aliases, a mention, a name left
unresolved, an issue the registry would not decide alone, and the polars schemas of the tables
made from them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from zhen.corpora.scripts import has_cjk

#: Alias kinds that are acronyms (the glossary's ``acronym``/``abbreviation`` term types).
ACRONYM_KINDS = frozenset({"acronym", "abbreviation"})
SHORT_KINDS = frozenset({"shortForm"})

_SPACES = re.compile(r"\s+")


def one_line(text: str) -> str:
    """Whitespace runs as one space, trimmed: a name as a person writes it in a table."""
    return _SPACES.sub(" ", text).strip()


def lang_of(text: str) -> str:
    """``zh`` for a name with any ideograph in it, else ``en``."""
    return "zh" if has_cjk(text) else "en"


def acronym_like(text: str) -> bool:
    """One Latin token with two capitals (NIAS, RAISe+, InnoHK): matched case-sensitively."""
    return " " not in text.strip() and sum(c.isupper() for c in text) >= 2 and not has_cjk(text)


@dataclass(frozen=True, slots=True, order=True)
class Alias:
    """One name of an entity. ``kind``: the glossary's term type (preferred, fullForm, acronym,
    shortForm, abbreviation, simplified, phrase), or what a source or a seed said (synonym,
    marked, seed), or ``variant`` for a rule-made spelling. ``seen``: where it came from
    (``glossary:<concept>``, ``seed``, ``<doc>:<line>``). ``scope``: documents where it
    applies, () everywhere. ``rule``: the variant rule that derived it from another alias
    ('' when a person or a source wrote it)."""

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


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    id: str
    path: str
    sha256: str
    encoding: str


# --- table schemas (polars loads on first use) ---------------------------------------------

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
