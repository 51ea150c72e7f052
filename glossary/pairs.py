"""Aligned pairs for the glossary from what is bundled or published: the slide deck aligned by the
aligner, any bilingual document under a gold ladder, and the Champollion Hansards under their
gold alignment.

Every function returns :class:`~zhen.align.formats.AlignedPair` records with the Chinese as the
source side, the orientation :func:`~zhen.glossary.build.build_glossary` reads.
"""

from __future__ import annotations

from pathlib import Path

from zhen.align.formats import AlignedPair, pairs_from_beads
from zhen.align.types import Bead

DECK = "budget-slides-2026"


def pairs_from_deck(*, encoder="use-m") -> list[AlignedPair]:
    """The bundled slide deck aligned by the bilingual aligner, as ``zhen glossary build`` does
    with no input (an encoder spec or object)."""
    from zhen import corpora
    from zhen.align.document import align_documents

    return align_documents(corpora.load_source(DECK), encoder=encoder).pairs


def bundled_sources() -> list[tuple[str, str, str]]:
    """The bundled corpus's one-language documents as ``(id, lang, text)``, for
    ``build_glossary(sources=...)``: the Estimates, the overview and the Yearbook chapter spell
    out the acronyms the deck only uses."""
    from zhen import corpora

    out = []
    for s in corpora.list_sources():
        if len(s.languages) == 1:
            out.append((s.id, s.languages[0].split("-")[0], corpora.load_source(s.id).text))
    return out


def pairs_from_ladder(doc, ladder: str | Path) -> list[AlignedPair]:
    """Pairs of a bilingual document (a Document, a bundled source id or a path) under a ladder
    over its Chinese and English segments (``[zh ids]:[en ids]``, 0-based, each side in document
    order), checked to cover every segment once."""
    from zhen import corpora
    from zhen.align.document import document_pairs, split_sides
    from zhen.align.evaluate import read_gold

    doc = corpora.as_document(doc)
    zh, en = split_sides(corpora.segment_document(doc))
    return document_pairs(doc, zh, en, read_gold(ladder, len(zh), len(en)))


def pairs_from_gold_align(en_path: str | Path, zh_path: str | Path, align_path: str | Path,
                          doc: str | None = None) -> list[AlignedPair]:
    """Pairs of one-sentence-a-line files under a Champollion gold (``EN ids <=> ZH ids``)."""
    from zhen.align.evaluate import read_gold
    from zhen.corpora.textio import read_document

    en_lines = [line.strip() for line in read_document(en_path).text.splitlines()]
    zh_lines = [line.strip() for line in read_document(zh_path).text.splitlines()]
    beads = read_gold(align_path, len(en_lines), len(zh_lines))
    return pairs_from_beads([Bead(b.tgt, b.src, b.score) for b in beads], zh_lines, en_lines,
                            doc=doc or Path(align_path).name.split(".")[0])


def pairs_from_champollion(eval_dir: str | Path, docs: tuple[str, ...] = ("890621f", "921008f", "930422f")) -> list[AlignedPair]:
    """The aligned HK Hansards of the Champollion evaluation set (``…/champollion/eval``)."""
    d = Path(eval_dir)
    out: list[AlignedPair] = []
    for name in docs:
        out += pairs_from_gold_align(d / f"{name}e.txt", d / f"{name}c.txt", d / f"{name}.gold.align", doc=name)
    return out
