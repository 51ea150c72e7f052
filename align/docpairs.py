"""Pairing documents of two collections (Chinese and English) that are not yet paired.

The method follows the field's document-alignment recipe (WMT16 bilingual document alignment;
Thompson & Koehn 2020, "Exploiting Sentence Order in Document Alignment"; BiMax 2025):

1. **Order-aware document vectors** (Thompson & Koehn's positionally weighted embeddings): a
   document's sentence embeddings are pooled into ``bins`` position bins with a triangular weight
   over each sentence's relative position, each bin L2-normalised, the bins concatenated. Two
   translations put the same content at the same relative position, so this separates documents
   with the same vocabulary but a different order (two Bible chapters, two Hansards).
2. **Candidates** by nearest neighbours over those vectors, after removing each language's mean
   vector (multilingual encoders put every Chinese document near every other Chinese one; the
   mean is the shared language direction). Exact blockwise search here; see docs/scaling.md for
   approximate search over millions of documents.
3. **Rescoring** with a sentence-level score, a windowed BiMax: every sentence's best cosine
   among the other side's sentences near its own relative position, averaged both ways.
4. **A 1-1 assignment** by competitive linking (Melamed 2000): best-scoring candidate first,
   each document used once. Pairs whose confidence falls below ``min_confidence`` are dropped
   and both documents are reported unpaired: most real collections hold untranslated documents.

Pure functions over arrays: float32 ``(n, d)`` sentence matrices with L2-normalised rows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class DocPair:
    zh: int            # index into the Chinese documents
    en: int            # index into the English documents
    score: float       # rescored similarity (windowed BiMax)
    confidence: float  # 0..1, calibrated against the collection's non-matching candidates


def doc_vector(sentences: np.ndarray, *, bins: int = 4) -> np.ndarray:
    """Order-aware document vector: ``bins`` triangularly weighted position bins, each
    L2-normalised, concatenated and normalised again. ``sentences`` is ``(n, d)``."""
    n, d = sentences.shape
    if n == 0:
        return np.zeros(bins * d, np.float32)
    pos = (np.arange(n) + 0.5) / n                      # relative position of each sentence
    centres = (np.arange(bins) + 0.5) / bins
    w = np.maximum(0.0, 1.0 - np.abs(pos[None, :] - centres[:, None]) * bins)  # (bins, n)
    w[:, w.sum(axis=0) == 0] = 1.0 / bins
    pooled = w @ sentences                               # (bins, d)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    pooled = pooled / np.where(norms == 0, 1.0, norms)
    v = pooled.reshape(-1)
    return (v / (np.linalg.norm(v) or 1.0)).astype(np.float32)


def _centred(vectors: np.ndarray) -> np.ndarray:
    x = vectors - vectors.mean(axis=0, keepdims=True)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms == 0, 1.0, norms)


def candidates(zh_docs: np.ndarray, en_docs: np.ndarray, *, k: int = 4, block: int = 4096) -> set[tuple[int, int]]:
    """Candidate (zh, en) pairs: each document's ``k`` nearest neighbours on the other side,
    both directions, over language-centred document vectors. Memory is ``block × len(en)``."""
    if len(zh_docs) == 0 or len(en_docs) == 0:
        return set()
    z, e = _centred(zh_docs), _centred(en_docs)
    out: set[tuple[int, int]] = set()
    kz, ke = min(k, len(e)), min(k, len(z))
    best_for_en = np.full((len(e), ke), -np.inf)
    best_for_en_idx = np.zeros((len(e), ke), np.int64)
    for b0 in range(0, len(z), block):
        sims = z[b0:b0 + block] @ e.T
        top = np.argpartition(-sims, kz - 1, axis=1)[:, :kz]
        for r, row in enumerate(top):
            out.update((b0 + r, int(j)) for j in row)
        # running top-k of each English document over the Chinese blocks
        kk = min(ke, sims.shape[0])
        part = np.argpartition(-sims, kk - 1, axis=0)[:kk]          # (kk, len(e))
        vals = np.take_along_axis(sims, part, axis=0).T             # (len(e), kk)
        allv = np.concatenate([best_for_en, vals], axis=1)
        alli = np.concatenate([best_for_en_idx, (part + b0).T], axis=1)
        keep = np.argsort(-allv, axis=1)[:, :ke]
        best_for_en = np.take_along_axis(allv, keep, axis=1)
        best_for_en_idx = np.take_along_axis(alli, keep, axis=1)
    for j in range(len(e)):
        out.update((int(i), j) for i, v in zip(best_for_en_idx[j], best_for_en[j]) if np.isfinite(v))
    return out


def windowed_bimax(x: np.ndarray, y: np.ndarray, *, window: float = 0.1, min_window: int = 5) -> float:
    """BiMax restricted to a diagonal window: for each sentence of ``x``, its best cosine among
    the sentences of ``y`` within ``window`` (share of the length, at least ``min_window``
    sentences) of its own relative position; averaged over both sides."""
    n, m = len(x), len(y)
    if n == 0 or m == 0:
        return 0.0
    sims = x @ y.T
    pi = (np.arange(n) + 0.5) / n
    pj = (np.arange(m) + 0.5) / m
    dist = np.abs(pi[:, None] - pj[None, :])
    wx = max(window, min_window / m)
    wy = max(window, min_window / n)
    a = np.where(dist <= wx, sims, -1.0).max(axis=1).mean()
    b = np.where(dist <= wy, sims, -1.0).max(axis=0).mean()
    return float((a + b) / 2)


def pair_documents(zh_sents: Sequence[np.ndarray], en_sents: Sequence[np.ndarray], *,
                   zh_docvecs: np.ndarray | None = None, en_docvecs: np.ndarray | None = None,
                   k: int = 4, bins: int = 4, min_confidence: float = 0.5,
                   calibration: tuple[float, float, float] = (1.5, 1.0, 0.0)) -> list[DocPair]:
    """1-1 document pairs of two collections; documents in no pair have no partner.

    ``zh_sents[i]`` / ``en_sents[j]`` are the sentence matrices (loaded lazily by the caller if it
    passes a sequence that reads on access). Confidence is a logistic of the pair's score in robust
    standard deviations above the median of all other candidates' scores (the collection's own
    non-matching level, as Vecalign normalises sentence scores per document), scaled by
    ``calibration = (z at confidence 0.5, slope, margin at 0.5)``, and discounted by the same
    logistic of the margin over the runner-up of either document (in the same robust standard
    deviations): an ambiguous pair is not a sure one. The defaults were set on the development
    crawl (bench/crawl.py), so its pairing figures are tuned-on figures.
    """
    zv = zh_docvecs if zh_docvecs is not None else np.stack([doc_vector(s, bins=bins) for s in zh_sents])
    ev = en_docvecs if en_docvecs is not None else np.stack([doc_vector(s, bins=bins) for s in en_sents])
    cands = sorted(candidates(zv, ev, k=k))
    if not cands:
        return []
    scores: dict[tuple[int, int], float] = {}
    zi, zm = -1, None
    for i, j in cands:  # sorted: a Chinese document's candidates come together, read it once
        if i != zi:
            zi, zm = i, np.asarray(zh_sents[i], np.float32)
        scores[(i, j)] = windowed_bimax(zm, np.asarray(en_sents[j], np.float32))
    best_zh: dict[int, list[float]] = {}
    best_en: dict[int, list[float]] = {}
    for (i, j), s in scores.items():
        best_zh.setdefault(i, []).append(s)
        best_en.setdefault(j, []).append(s)
    # Each document's best candidate is its possible partner; every other candidate is a
    # non-match, and those give the collection's chance level.
    others = [s for lst in list(best_zh.values()) + list(best_en.values()) for s in sorted(lst)[:-1]]
    if len(others) < 3:
        others = list(scores.values())
    med = float(np.median(others))
    mad = float(1.4826 * np.median(np.abs(np.array(others) - med))) or 0.02
    z0, slope, m0 = calibration
    used_zh: set[int] = set()
    used_en: set[int] = set()
    out: list[DocPair] = []
    for (i, j), s in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])):
        if i in used_zh or j in used_en:
            continue
        runner = max([t for t in sorted(best_zh[i])[:-1]] + [t for t in sorted(best_en[j])[:-1]] + [med])
        z = (s - med) / mad
        margin = (s - runner) / mad
        conf = 1.0 / (1.0 + math.exp(-slope * (z - z0)))
        conf *= 1.0 / (1.0 + math.exp(-slope * (margin - m0)))
        conf = round(conf, 4)
        if conf < min_confidence:
            continue
        used_zh.add(i)
        used_en.add(j)
        out.append(DocPair(i, j, round(s, 6), conf))
    return sorted(out, key=lambda p: (p.zh, p.en))
