"""Glossary jobs behind the CLI: where the aligned pairs come from, build-and-merge, convert.

Inputs to a build are either *pairs* (zhen TSV/JSONL or TMX, as `zhen align` writes them) or
*documents* (a bilingual file such as the slide deck, aligned here first). With no input the
bundled bilingual deck is aligned and used.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from zhen.align.formats import AlignedPair
from zhen.corpora.errors import InputError, OutputError
from zhen.glossary.model import Glossary

PAIR_SUFFIXES = (".tsv", ".jsonl", ".tmx")


def _pairs_file(path: str) -> list[AlignedPair]:
    from zhen.align.formats import read_pairs
    from zhen.corpora.scripts import text_lang

    pairs = read_pairs(path)
    out: list[AlignedPair] = []
    zh_first = None
    for p in pairs:
        if not p.src_text or not p.tgt_text:
            continue
        if zh_first is None:
            zh_first = text_lang(p.src_text) == "zh"
        out.append(replace(p if zh_first else p.swapped(), doc=p.doc or Path(path).stem))
    if not out:
        raise InputError(path, "holds no aligned pairs with text on both sides", hint="align the documents first")
    return out


def aligned_pairs(inputs: list[str], *, encoder="use-m", encoding: str | None = None) -> list[AlignedPair]:
    """Aligned zh/en pairs from pair files and bilingual documents (default: the bundled deck),
    the Chinese as source."""
    from zhen import corpora
    from zhen.align.document import align_bilingual, document_pairs

    pair_files = [item for item in inputs if Path(item).suffix.lower() in PAIR_SUFFIXES]
    documents = [item for item in inputs if item not in pair_files]
    pairs: list[AlignedPair] = [p for item in pair_files for p in _pairs_file(item)]
    docs = corpora.load_documents(documents, encoding=encoding, bilingual=True) if documents or not inputs else []
    for doc in docs:
        segs = corpora.segment_document(doc)
        if not any(s.lang == "zh" for s in segs) or not any(s.lang == "en" for s in segs):
            raise InputError(doc.path, "is not bilingual (needs Chinese and English lines)",
                             hint="give aligned pairs (TSV/JSONL/TMX) or a bilingual file")
        zh, en, beads = align_bilingual(segs, encoder=encoder)
        pairs.extend(document_pairs(doc, zh, en, beads))
    return pairs


def build(inputs: list[str], *, merge: str | None = None, min_score: float | None = None,
          encoder="use-m", embed: bool = False, encoding: str | None = None) -> Glossary:
    """Build a glossary from inputs; with ``merge`` the reviewed entries of that glossary win."""
    from zhen.glossary import build_glossary, read_glossary

    existing = read_glossary(merge) if merge else None
    pairs = aligned_pairs(inputs, encoder=encoder, encoding=encoding)
    kwargs = {} if min_score is None else {"min_score": min_score}
    if not inputs:
        # The bundled deck: the corpus's English-only documents spell out its acronyms.
        from zhen.glossary.pairs import bundled_sources

        kwargs["sources"] = bundled_sources()
    return build_glossary(pairs, existing=existing, encoder=encoder if embed else None, **kwargs)


def check_output(output: str | Path, *inputs: str | Path | None, fmt: str | None = None,
                 date: str | None = None, force: bool = False) -> None:
    """Everything about a glossary output that can be wrong, checked before any work: its
    format, the --date, a writable place, and that it is neither an input nor a file a person
    edited (unless ``force``)."""
    from zhen.corpora.output import check_replaceable, check_writable
    from zhen.glossary.formats import check_date, guess_format

    guess_format(output, fmt)
    if date is not None:
        check_date(date)
    check_writable(output)
    out = Path(output).resolve()
    for item in inputs:
        if not force and item and Path(item).exists() and Path(item).resolve() == out:
            raise OutputError(output, "is also an input; zhen never writes over a glossary it reads",
                              hint="write to a new file and review it, or --force to replace it")
    check_replaceable(output, force=force, what="glossary", merge_hint=f"merge it with --merge {output} into a new file")
