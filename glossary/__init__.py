"""Term glossaries from aligned Chinese (HK) / English text: extraction, review-safe merging,
and the exchange formats (zhen CSV, TBX v3 and 2008, JSON, OmegaT, other people's tables).

>>> from zhen.glossary import build_glossary, pairs_from_deck, write_glossary
>>> g = build_glossary(pairs_from_deck())          # doctest: +SKIP
>>> write_glossary(g, "deck.tbx", date="2026-02-26")  # doctest: +SKIP

Importing this package is cheap: jieba, OpenCC, CC-CEDICT and lxml load on first use.
"""

from __future__ import annotations

from zhen.corpora.registry import Registry
from zhen.glossary.model import (
    ENTRY_STATUSES, TERM_STATUSES, TERM_TYPES, Entry, Evidence, Glossary, Term, concept_id,
    glossary_schema, show_entry,
)

__all__ = [
    "ENTRY_STATUSES", "GLOSSARY_FORMATS", "TERM_STATUSES", "TERM_TYPES", "WRITABLE_GLOSSARY_FORMATS", "Entry", "Evidence", "Glossary", "Term",
    "build_glossary", "concept_id", "glossary_schema", "merge_glossaries", "pairs_from_champollion",
    "pairs_from_deck", "pairs_from_gold_align", "pairs_from_ladder", "parse_columns", "read_glossary", "read_table",
    "show_entry", "write_glossary",
]


# Glossary formats: name -> (extensions it is guessed from, whether zhen writes it).
GLOSSARY_FORMATS: Registry = Registry("glossary format")
GLOSSARY_FORMATS.add("csv", ((".csv",), True), "zhen CSV (UTF-8 with BOM) + .meta.json")
GLOSSARY_FORMATS.add("tbx", ((".tbx",), True), "TBX v3, TBX-Basic dialect (DCA); reads TBX 2008 too")
GLOSSARY_FORMATS.add("tbx2008", ((), True), "TBX 2008 (martif)")
GLOSSARY_FORMATS.add("json", ((".json",), True), "zhen JSON")
GLOSSARY_FORMATS.add("omegat", ((".tsv", ".txt", ".utf8"), True), "OmegaT glossary TSV")
GLOSSARY_FORMATS.add("table", ((), False), "another tool's CSV/TSV, read with --columns")
WRITABLE_GLOSSARY_FORMATS = tuple(c.name for c in GLOSSARY_FORMATS if c.value[1])


def build_glossary(pairs, **kwargs) -> Glossary:
    from zhen.glossary.build import build_glossary as _build

    return _build(pairs, **kwargs)


def merge_glossaries(existing: Glossary, rebuilt: Glossary) -> Glossary:
    from zhen.glossary.merge import merge_glossaries as _merge

    return _merge(existing, rebuilt)


def read_glossary(path, fmt=None, *, columns=None) -> Glossary:
    from zhen.glossary.formats import read_glossary as _read

    return _read(path, fmt, columns=columns)


def write_glossary(glossary: Glossary, path, fmt=None, *, date=None, source_lang="zh", force=False) -> None:
    from zhen.glossary.formats import write_glossary as _write

    _write(glossary, path, fmt, date=date, source_lang=source_lang, force=force)


def read_table(path, columns, *, delimiter=None) -> Glossary:
    from zhen.glossary.formats import read_table as _read_table

    return _read_table(path, columns, delimiter=delimiter)


def parse_columns(spec: str) -> dict[str, str]:
    from zhen.glossary.formats import parse_columns as _parse

    return _parse(spec)


def pairs_from_deck(*, encoder="use-m") -> list:
    from zhen.glossary.pairs import pairs_from_deck as _deck

    return _deck(encoder=encoder)


def pairs_from_ladder(doc, ladder) -> list:
    from zhen.glossary.pairs import pairs_from_ladder as _ladder

    return _ladder(doc, ladder)


def pairs_from_gold_align(en_path, zh_path, align_path, doc=None) -> list:
    from zhen.glossary.pairs import pairs_from_gold_align as _gold

    return _gold(en_path, zh_path, align_path, doc)


def pairs_from_champollion(eval_dir, docs=("890621f", "921008f", "930422f")) -> list:
    from zhen.glossary.pairs import pairs_from_champollion as _champ

    return _champ(eval_dir, docs)
