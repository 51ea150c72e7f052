"""Entity names across sources: one registry from the glossary, the sources' own definitions
and a seed file; recognition and normalisation (``zhen normalise``).

>>> from zhen.glossary.entities import normalise_documents, write_normalisation
>>> res = normalise_documents(["budget-slides-2026"], "out/glossary.csv")  # doctest: +SKIP
>>> write_normalisation(res, "out/")                                        # doctest: +SKIP

The modules, in the order the work happens: :mod:`.sources` (what a document defines),
:mod:`.variants` (spellings that are the same name), :mod:`.seeds` (hand-curated links),
:mod:`.registry` (merging them into entities), :mod:`.matcher` (finding mentions),
:mod:`.normalise` (annotated or canonical copies), :mod:`.output` (the files);
:mod:`.records` holds the records and table schemas they share.
"""

from __future__ import annotations

from zhen.glossary.entities.normalise import MODES, NormalisationResult, normalise_documents, normalise_text, parse_annotated
from zhen.glossary.entities.output import write_normalisation
from zhen.glossary.entities.records import (
    Alias, DocumentInfo, Entity, Mention, RegistryIssue, Unresolved, alias_schema, entity_schema, issue_schema,
    mention_schema, unresolved_schema,
)
from zhen.glossary.entities.registry import EntityRegistry, build_registry
from zhen.glossary.entities.seeds import DEFAULT_SEEDS, read_seeds

__all__ = [
    "DEFAULT_SEEDS", "MODES", "Alias", "DocumentInfo", "Entity", "EntityRegistry", "Mention", "NormalisationResult",
    "RegistryIssue", "Unresolved", "alias_schema", "build_registry", "entity_schema", "issue_schema",
    "mention_schema", "normalise_documents", "normalise_text", "parse_annotated", "read_seeds",
    "unresolved_schema", "write_normalisation",
]
