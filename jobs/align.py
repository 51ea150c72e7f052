"""File-level alignment jobs behind `zhen align` and `zhen align-eval` (the CLI stays thin)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from zhen.align.document import Alignment, align_documents
from zhen.corpora.errors import InputError


def load_glossary_pairs(path: str | None) -> list[tuple[str, str]]:
    """(zh, en) term pairs of a glossary file, every admitted variant included."""
    if not path:
        return []
    from zhen.glossary import read_glossary

    pairs: list[tuple[str, str]] = []
    for entry in read_glossary(path).entries:
        if entry.status == "rejected":
            continue
        zh_terms = [entry.zh, *(t.text for t in entry.zh_variants if t.status != "deprecated")]
        en_terms = [entry.en, *(t.text for t in entry.en_variants if t.status != "deprecated")]
        pairs.extend((z, e) for z in zh_terms if z for e in en_terms if e)
    if not pairs:
        raise InputError(path, "has no zh-en term pairs", hint="give a glossary with Chinese and English terms")
    return pairs


def load_glossary_expansions(path: str | None) -> dict[str, str]:
    """Acronym → full English name from a glossary (NIAS → New Industrialisation Acceleration
    Scheme): the bilingual aligner spells acronyms out for the encoder."""
    if not path:
        return {}
    from zhen.glossary import read_glossary

    out: dict[str, str] = {}
    for entry in read_glossary(path).entries:
        if entry.status == "rejected":
            continue
        for t in entry.en_variants:
            if t.type == "acronym" and t.text not in entry.en:
                out.setdefault(t.text, entry.en)
    return out


def align_files(files: list[str], *, presplit: bool = False, encoding: str | None = None, encoder: str = "use-m",
                glossary: str | None = None, max_bead: int = 5, cache: bool = True) -> Alignment:
    from zhen import corpora
    from zhen.align.encoders import check_encoder, get_encoder

    check_encoder(encoder)
    docs = corpora.load_documents(files, encoding=encoding, bilingual=True)[:2 if files else 1]
    enc = get_encoder(encoder, cache=cache)
    result = align_documents(docs[0], docs[1] if len(docs) > 1 else None, presplit=presplit, encoder=enc,
                             glossary=load_glossary_pairs(glossary), max_bead=max_bead,
                             expansions=load_glossary_expansions(glossary))
    meta = dict(result.meta)
    meta["encoder"] = encoder
    meta["inputs"] = {d.id: {"path": Path(d.path).name, "sha256": d.sha256, "encoding": d.encoding} for d in docs}
    return Alignment(result.pairs, result.src_lang, result.tgt_lang, meta)


def render_alignment(result: Alignment, fmt: str) -> bytes:
    """The alignment in one of :data:`zhen.align.PAIR_FORMATS`; TMX carries the signature."""
    from zhen.align import PAIR_FORMATS
    from zhen.corpora.output import signature

    name = PAIR_FORMATS.check(fmt)
    write = PAIR_FORMATS.get(name)
    if name == "tmx":
        buf = io.BytesIO()
        prov = {k: (json.dumps(v, ensure_ascii=False, sort_keys=True) if isinstance(v, (dict, list)) else v)
                for k, v in signature(**result.meta).items()}
        write(result.pairs, buf, srclang=result.src_lang, tgtlang=result.tgt_lang, provenance=prov)
        return buf.getvalue()
    text = io.StringIO()
    write(result.pairs, text)
    return text.getvalue().encode("utf-8")


def evaluate_files(gold: str | Path, pred: str | Path, *, swap: bool = False) -> dict:
    from zhen.align.evaluate import read_gold, score_all
    from zhen.align.formats import read_ladder
    from zhen.align.types import Bead

    for p in (gold, pred):
        if not Path(p).is_file():
            raise InputError(p, "no such file", hint="check the path")
    gold_beads = read_gold(gold)
    pred_beads = read_ladder(Path(pred))
    if swap:
        pred_beads = [Bead(b.tgt, b.src, b.score) for b in pred_beads]
    g_src = {i for b in gold_beads for i in b.src}
    g_tgt = {i for b in gold_beads for i in b.tgt}
    p_src = {i for b in pred_beads for i in b.src}
    p_tgt = {i for b in pred_beads for i in b.tgt}
    if g_src != p_src or g_tgt != p_tgt:
        missing = sorted((g_src - p_src) | (g_tgt - p_tgt))[:5]
        extra = sorted((p_src - g_src) | (p_tgt - g_tgt))[:5]
        raise InputError(pred, "does not cover the same sentences as the gold "
                         f"(gold-only ids {missing}, prediction-only ids {extra})",
                         hint="check the files belong together, or try --swap")
    return score_all(gold_beads, pred_beads)
