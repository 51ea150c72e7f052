"""Lexical translation evidence for the aligner: CC-CEDICT glosses plus a word table learned on
the document's own confident anchors.

Sentence encoders are weak on free (literary) translation, where a sentence is paraphrased but
its content words still translate: 韦小宝大怒 … 双腿 / "Trinket was furious … the boy's legs".
Hunalign (Varga et al. 2005) and Champollion (Ma 2006) score sentence pairs by dictionary
translations; Hunalign also bootstraps a dictionary from its own first-pass alignment. We do
both: a Chinese content word (jieba over a Simplified view) is *covered* by an English sentence
when one of its CC-CEDICT gloss stems, or a stem the anchors taught us, occurs in it. Names
that no dictionary holds (韦小宝 = Trinket, 小玄子 = Misty) are exactly what the anchor table
learns.

Shapes: a pair matrix is computed only over the sentence pairs a bead in the DP band can
cover, one window of target sentences per source sentence (``clo[r]..chi[r]``), and kept as
row-wise prefix sums so a bead's evidence is a few lookups (see :class:`PairEvidence`).
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from zhen.corpora.words import en_words, is_stop, stem

__all__ = ["LexicalSides", "PairEvidence", "lexical_sides", "learn_table", "pair_evidence"]

_HAN = re.compile(r"[\u3400-\u9fff]")
_lock = threading.Lock()
_TOKENIZER = None

# Function words whose CC-CEDICT glosses ("of", "I", "is") are English stop words anyway or
# match almost any sentence; they carry no evidence of which sentence translates which.
_ZH_STOP = frozenset("的 了 是 在 和 与 也 都 就 又 还 而 但 着 过 把 被 让 给 对 从 向 以 之 其 这 那 此 个 一 不 没 有 "
                     "我 你 他 她 它 们 我们 你们 他们 她们 自己 什么 怎么 这个 那个 一个 这样 那样 道 说 便 却 才 "
                     "吗 呢 吧 啊 呀 么 得 地 所 为 于 将 已 已经 很 太 最 更 再 只 要 会 能 可 可以 去 来 上 下 中 里".split())

# A word whose glosses span more stems than this (打: beat, make, issue, play, fight, type …)
# matches unrelated English too often to count as evidence.
MAX_GLOSS_STEMS = 12


def _tokenizer():
    global _TOKENIZER
    if _TOKENIZER is None:
        with _lock:
            if _TOKENIZER is None:
                from zhen.corpora.zhtext import ZhTokenizer

                _TOKENIZER = ZhTokenizer()
    return _TOKENIZER


@dataclass(frozen=True)
class LexicalSides:
    """Content words of the Chinese side (Simplified, per sentence, in order, unique) and
    content stems of the English side (per sentence, unique)."""

    zh_words: tuple[tuple[str, ...], ...]
    en_stems: tuple[frozenset[str], ...]


def lexical_sides(zh_texts: Sequence[str], en_texts: Sequence[str]) -> LexicalSides:
    from zhen.corpora.zhtext import to_simplified

    tok = _tokenizer()
    zh_words = []
    for t in zh_texts:
        words = [w for w in tok.words(to_simplified(t)) if _HAN.search(w) and w not in _ZH_STOP]
        zh_words.append(tuple(dict.fromkeys(words)))
    en_stems = tuple(frozenset(stem(w) for w in en_words(t) if not is_stop(w) and len(w) > 1) for t in en_texts)
    return LexicalSides(tuple(zh_words), en_stems)


def learn_table(sides: LexicalSides, pairs: Sequence[tuple[int, int]], *, min_count: int = 2,
                min_dice: float = 0.5) -> dict[str, frozenset[str]]:
    """Word → English stems that co-occur with it across the confident 1-1 ``pairs`` (zh index,
    en index): Dice ``2c(w,e) / (c(w) + c(e)) >= min_dice`` over at least ``min_count`` pairs
    (Hunalign's bootstrapped dictionary, Smadja et al. 1996 Dice association)."""
    cw: Counter = Counter()
    ce: Counter = Counter()
    cwe: Counter = Counter()
    for i, j in pairs:
        ws, es = sides.zh_words[i], sides.en_stems[j]
        cw.update(ws)
        ce.update(es)
        cwe.update((w, e) for w in ws for e in es)
    table: dict[str, set[str]] = {}
    for (w, e), c in cwe.items():
        if c >= min_count and 2 * c / (cw[w] + ce[e]) >= min_dice:
            table.setdefault(w, set()).add(e)
    return {w: frozenset(v) for w, v in table.items()}


def _gloss_sets(sides: LexicalSides, table: dict[str, frozenset[str]]) -> list[list[frozenset[str]]]:
    from zhen.corpora.cedict import load_cedict

    lex = load_cedict()
    cache: dict[str, frozenset[str]] = {}
    out = []
    for words in sides.zh_words:
        row = []
        for w in words:
            g = cache.get(w)
            if g is None:
                g = lex.stems(w)
                if len(g) > MAX_GLOSS_STEMS:
                    g = frozenset()
                g = g | table.get(w, frozenset())
                cache[w] = g
            row.append(g)
        out.append(row)
    return out


def _block(gloss, en_stems, zi: Sequence[int], ej: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """(covered Chinese words, covered English stems) for every pair of zh ``zi`` x en ``ej``."""
    vocab: dict[str, int] = {}
    for j in ej:
        for s in en_stems[j]:
            vocab.setdefault(s, len(vocab))
    nz, ne = len(zi), len(ej)
    if not vocab:
        return np.zeros((nz, ne), np.float32), np.zeros((nz, ne), np.float32)
    E = np.zeros((ne, len(vocab)), np.float32)
    for c, j in enumerate(ej):
        E[c, [vocab[s] for s in en_stems[j]]] = 1.0
    rows, owner = [], []
    U = np.zeros((nz, len(vocab)), np.float32)
    for r, i in enumerate(zi):
        for g in gloss[i]:
            ids = [vocab[s] for s in g if s in vocab]
            if ids:
                rows.append(ids)
                owner.append(r)
                U[r, ids] = 1.0
    if not rows:
        return np.zeros((nz, ne), np.float32), np.zeros((nz, ne), np.float32)
    G = np.zeros((len(rows), len(vocab)), np.float32)
    for k, ids in enumerate(rows):
        G[k, ids] = 1.0
    hits = (G @ E.T > 0).astype(np.float32)                     # (word occurrences, en sentences)
    ind = np.zeros((nz, len(rows)), np.float32)
    ind[owner, np.arange(len(rows))] = 1.0
    return ind @ hits, U @ E.T


@dataclass
class PairEvidence:
    """Row-wise prefix sums of covered-word counts over each source sentence's target window.

    ``pz[r, c]`` = covered Chinese words summed over target sentences ``clo[r] .. clo[r]+c-1``
    paired with source sentence ``r`` (``pe`` likewise for English stems); ``nz`` / ``ne`` =
    content words per source and target sentence (whichever side is Chinese), cumulated."""

    clo: np.ndarray
    width: np.ndarray
    pz: np.ndarray
    pe: np.ndarray
    cz_src: np.ndarray   # cumulative Chinese content words per source sentence (0 if source is English)
    cz_tgt: np.ndarray
    ce_src: np.ndarray   # cumulative English content stems per source sentence (0 if source is Chinese)
    ce_tgt: np.ndarray
    mu: float
    sd: float
    typical: float       # mean content words of a random sentence pair (both sides)

    def block(self, ps: np.ndarray, I: np.ndarray, pt: np.ndarray, J: np.ndarray) -> np.ndarray:
        """Covered words of beads src[ps:I] x tgt[pt:J] beyond what chance covers (broadcast
        arrays, already clipped to valid indices), in units of a typical random pair's spread.

        Extensive rather than a ratio: a sentence that joins a bead adds its covered words and
        costs its chance share, so splitting a 1-2 bead into 1-1 + 0-1 loses exactly the evidence
        the second sentence carried (a Dice ratio would instead reward the smaller bead)."""
        mz = np.zeros(np.broadcast(ps, pt).shape, np.float64)
        me = np.zeros_like(mz)
        a_max = int(np.max(I - ps)) if np.size(I) else 0
        for k in range(a_max):
            r = ps + k
            inside = r < I
            rc = np.clip(r, 0, len(self.clo) - 1)
            off = self.clo[rc]
            hi = np.clip(J - off, 0, self.width[rc])
            lo_ = np.clip(pt - off, 0, self.width[rc])
            mz += np.where(inside, self.pz[rc, hi] - self.pz[rc, lo_], 0.0)
            me += np.where(inside, self.pe[rc, hi] - self.pe[rc, lo_], 0.0)
        nz = (self.cz_src[I] - self.cz_src[ps]) + (self.cz_tgt[J] - self.cz_tgt[pt])
        ne = (self.ce_src[I] - self.ce_src[ps]) + (self.ce_tgt[J] - self.ce_tgt[pt])
        covered = np.minimum(mz, nz) + np.minimum(me, ne)
        return (covered - self.mu * (nz + ne)) / (self.sd * self.typical)


def pair_evidence(sides: LexicalSides, table: dict[str, frozenset[str]], src_is_zh: bool,
                  clo: np.ndarray, chi: np.ndarray, *, seed: int = 0, sample: int = 200,
                  block: int = 64) -> PairEvidence:
    """Pair matrix over the windows ``[clo[r], chi[r])`` of target sentences per source sentence."""
    gloss = _gloss_sets(sides, table)
    nzh, nen = len(sides.zh_words), len(sides.en_stems)
    n = nzh if src_is_zh else nen
    width = (chi - clo).astype(np.int64)
    W = int(width.max()) if n else 0
    pz = np.zeros((n, W + 1), np.float32)
    pe = np.zeros((n, W + 1), np.float32)
    for r0 in range(0, n, block):
        r1 = min(n, r0 + block)
        c0, c1 = int(clo[r0:r1].min()), int(chi[r0:r1].max())
        rows, cols = list(range(r0, r1)), list(range(c0, c1))
        if not cols:
            continue
        if src_is_zh:
            mz, me = _block(gloss, sides.en_stems, rows, cols)
        else:
            mz, me = _block(gloss, sides.en_stems, cols, rows)
            mz, me = mz.T, me.T
        for r in rows:
            a, b = int(clo[r]) - c0, int(chi[r]) - c0
            w = b - a
            pz[r, 1:w + 1] = np.cumsum(mz[r - r0, a:b])
            pe[r, 1:w + 1] = np.cumsum(me[r - r0, a:b])
            pz[r, w + 1:] = pz[r, w]
            pe[r, w + 1:] = pe[r, w]
    zcount = np.array([sum(1 for g in row if g) for row in gloss], np.float64)
    ecount = np.array([len(s) for s in sides.en_stems], np.float64)
    cz = np.concatenate([[0.0], np.cumsum(zcount)])
    ce = np.concatenate([[0.0], np.cumsum(ecount)])
    zero_s = np.zeros(n + 1)
    zero_t = np.zeros((nen if src_is_zh else nzh) + 1)
    # chance level: every pair of a random sample of sentences from each side
    rng = np.random.default_rng(seed)
    zi = rng.choice(nzh, size=min(sample, nzh), replace=False)
    ej = rng.choice(nen, size=min(sample, nen), replace=False)
    mz, me = _block(gloss, sides.en_stems, list(zi), list(ej))
    nzs, nes = zcount[zi][:, None], ecount[ej][None, :]
    dice = (np.minimum(mz, nzs) + np.minimum(me, nes)) / np.maximum(1.0, nzs + nes)
    mu, sd = float(dice.mean()), float(dice.std()) or 0.05
    typical = max(1.0, float((nzs + nes).mean()))
    if src_is_zh:
        return PairEvidence(clo.astype(np.int64), width, pz, pe, cz, zero_t, zero_s, ce, mu, sd, typical)
    return PairEvidence(clo.astype(np.int64), width, pz, pe, zero_s, cz, ce, zero_t, mu, sd, typical)
