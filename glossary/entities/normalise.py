"""Normalised copies of the sources: each mention annotated in place or replaced by its
canonical name, and :func:`normalise_documents`, which runs registry, recognition and rewriting
over a set of documents.

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

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from zhen import corpora
from zhen.corpora.errors import InputError
from zhen.glossary.entities.records import (
    DocumentInfo, Mention, Unresolved, alias_schema, entity_schema, issue_schema, mention_schema, unresolved_schema,
)
from zhen.glossary.entities.registry import EntityRegistry, build_registry

MODES = ("annotate", "replace")


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise InputError(None, f"unknown mode {mode!r}", hint=f"use one of {', '.join(MODES)}")


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("]", "\\]")


def _unesc(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text, flags=re.DOTALL)


_ANNOTATION = re.compile(r"\[\[((?:[^\\|\]]|\\.)*)\|(ent:[0-9a-z]+)\|((?:[^\\|\]]|\\.)*)\]\]", re.DOTALL)


def _canonical_for(m: Mention) -> str:
    if m.lang == "zh":
        return m.canonical_zh or m.surface
    return m.canonical_en or m.surface


def normalise_text(text: str, mentions: Sequence[Mention], mode: str = "annotate") -> tuple[str, list[tuple[int, int]]]:
    """``text`` with its mentions annotated or replaced, and each mention's span in the result."""
    _check_mode(mode)
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
    for m in _ANNOTATION.finditer(text):
        out.append(text[pos:m.start()])
        size += m.start() - pos
        surface = _unesc(m.group(1))
        spans.append((size, size + len(surface), m.group(2), _unesc(m.group(3))))
        out.append(surface)
        size += len(surface)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), spans


def _per_document(order: Sequence[str], counts: Counter) -> dict:
    """Mentions in all, and per document in document order (the documents with any)."""
    docs = [d for d in order if counts.get(d)]
    return {"mentions": sum(counts.values()), "docs": docs, "doc_counts": [counts[d] for d in docs]}


def _frame(rows: list[dict], schema: dict):
    import polars as pl

    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


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
            declared = [a for a in e.aliases if not a.rule]
            rows.append({
                "entity_id": e.entity_id, "canonical_en": e.canonical_en, "canonical_zh": e.canonical_zh,
                "aliases": [a.text for a in declared], "alias_kinds": [a.kind for a in declared],
                "concept_ids": list(e.concept_ids), "origins": list(e.origins),
                **_per_document(order, per_entity.get(e.entity_id, Counter())),
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
                rows.append({"entity_id": e.entity_id, "alias": a.text, "kind": a.kind, "lang": a.lang, "rule": a.rule,
                             "scope": list(a.scope), "seen": list(a.seen), **_per_document(order, c)})
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
        per_entity, _ = self._counts()
        linked = sum(len(docs) >= 2 for docs in per_entity.values())
        lines = [f"{d.id}: {per_doc.get(d.id, 0)} mentions" for d in self.documents]
        lines.append(f"entities: {len(self.registry)} ({linked} seen in two or more documents)")
        lines.append(f"unresolved: {len(self.unresolved)}; registry issues: {len(self.registry.issues)}")
        return lines


def normalise_documents(docs: Sequence, glossary=None, *, mode: str = "annotate",
                        seeds: Sequence[str | Path] | None = None, registry: EntityRegistry | None = None,
                        encoding: str | None = None) -> NormalisationResult:
    """Build the registry from ``glossary`` and the documents themselves (or use
    ``registry``), find every mention, and write each document annotated or with canonical
    names. ``docs``: ``corpora.Document`` objects, bundled source ids or paths."""
    _check_mode(mode)
    documents = [corpora.as_document(d, encoding=encoding) for d in docs]
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

