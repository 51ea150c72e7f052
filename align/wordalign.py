"""Word alignment inside aligned sentence pairs, and the phrase pairs consistent with it.

IBM Model 1 (Brown et al. 1993) with fast_align's diagonal prior (Dyer, Chahuneau & Smith 2013:
a word prefers partners near the diagonal of the pair, ``exp(-λ|i/m - j/n|)``, and a fixed
probability of the NULL word), trained by EM in both directions and symmetrised by
grow-diag-final-and (Koehn, Och & Marcu 2003). A dictionary (CC-CEDICT glosses) enters as
pseudo-counts on the translation table, the way a Dirichlet prior does, so that the table is
already sensible after a few dozen pairs — a glossary is often built from sixty slides, where
unsupervised EM alone has nothing to learn from.

Everything runs over one flat array of every (source word, target word) cell of every pair, so an
EM iteration is a few ``numpy.bincount`` calls however many pairs there are (20,000 Hansard
sentence pairs, about fifteen million cells, take seconds, not the minutes of a Python loop).
Pairs longer than ``max_len`` words on either side are not word-aligned (GIZA++ stops at 100;
a whole document on one line has no word alignment worth the quadratic cells).

Shapes: ``zh[k]`` and ``en[k]`` are the word sequences of pair ``k`` (already tokenised and
lower-cased by the caller); a result is one ``frozenset`` of ``(zh index, en index)`` links per
pair. Pure functions; nothing is printed or read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

__all__ = ["align_words", "consistent_phrases"]

# fast_align's defaults (Dyer et al. 2013, section 3): diagonal tension 4, p(NULL) 0.08.
DIAGONAL_TENSION = 4.0
P_NULL = 0.08
ITERATIONS = 5
MAX_LEN = 80
# Pseudo-counts a dictionary link adds to the expected counts each iteration: one gloss link is
# worth two observed co-occurrences, so a domain word seen three times can overrule it.
PRIOR_WEIGHT = 2.0


def _direction(src: Sequence[Sequence[int]], tgt: Sequence[Sequence[int]], n_src: int, n_tgt: int,
               prior: Callable[[np.ndarray, np.ndarray], np.ndarray] | None, iterations: int,
               tension: float, p_null: float) -> list[np.ndarray]:
    """Viterbi links of one direction: for every target word the source position that generated
    it (-1 for NULL), per pair."""
    null = n_src  # the NULL word's id
    cs, ct, grp, diag, pos = [], [], [], [], []
    g0 = 0
    for s, t in zip(src, tgt):
        m, n = len(s), len(t)
        if not m or not n:
            continue
        s_ids = np.asarray(list(s) + [null], dtype=np.int64)
        t_ids = np.asarray(t, dtype=np.int64)
        # cell (j, i): target word j, source word i (i == m is NULL), target-major so that each
        # target word's cells are contiguous
        i = np.tile(np.arange(m + 1), n)
        j = np.repeat(np.arange(n), m + 1)
        d = np.exp(-tension * np.abs((i + 0.5) / m - (j + 0.5) / n))
        d[i == m] = 0.0
        d = d.reshape(n, m + 1)
        d = (1.0 - p_null) * d / d.sum(axis=1, keepdims=True)
        d[:, m] = p_null
        cs.append(s_ids[i])
        ct.append(t_ids[j])
        grp.append(j + g0)
        diag.append(d.ravel())
        pos.append(i)
        g0 += n
    if not cs:
        return [np.zeros(0, dtype=np.int64) for _ in src]
    cs_a, ct_a = np.concatenate(cs), np.concatenate(ct)
    grp_a = np.concatenate(grp)
    diag_a = np.concatenate(diag).astype(np.float32)
    key = cs_a * (n_tgt + 1) + ct_a
    types, typ = np.unique(key, return_inverse=True)
    t_src = (types // (n_tgt + 1)).astype(np.int64)
    t_tgt = (types % (n_tgt + 1)).astype(np.int64)
    boost = np.zeros(len(types), dtype=np.float64)
    if prior is not None:
        real = t_src != null
        boost[real] = PRIOR_WEIGHT * prior(t_src[real], t_tgt[real])
    # initial table: uniform per source word, dictionary links favoured
    count = 1.0 + boost
    for _ in range(iterations + 1):
        total = np.bincount(t_src, weights=count, minlength=n_src + 1)
        table = (count / total[t_src]).astype(np.float32)
        p = table[typ] * diag_a
        z = np.bincount(grp_a, weights=p, minlength=g0)
        post = p / np.maximum(z[grp_a], 1e-30)
        count = np.bincount(typ, weights=post, minlength=len(types)) + boost
    # Viterbi: per target word the best source cell (cells of a group are contiguous)
    starts = np.flatnonzero(np.r_[True, grp_a[1:] != grp_a[:-1]])
    best = np.maximum.reduceat(p, starts)
    is_best = p >= best[grp_a]
    first = np.full(g0, -1, dtype=np.int64)
    idx = np.flatnonzero(is_best)
    # the first best cell of each group
    _, at = np.unique(grp_a[idx], return_index=True)
    first[grp_a[idx[at]]] = idx[at]
    src_of = np.concatenate(pos)[first]
    src_of[cs_a[first] == null] = -1
    out, g = [], 0
    for s, t in zip(src, tgt):
        if not len(s) or not len(t):
            out.append(np.full(len(t), -1, dtype=np.int64))
            continue
        out.append(src_of[g:g + len(t)])
        g += len(t)
    return out


def _grow_diag_final_and(zh_to_en: np.ndarray, en_to_zh: np.ndarray, m: int, n: int) -> frozenset[tuple[int, int]]:
    """Koehn et al. (2003): the intersection, grown by neighbours (diagonals too) that the union
    holds and that link a word not yet linked, then union links whose both words are unlinked."""
    e2f = {(int(i), j) for j, i in enumerate(zh_to_en) if i >= 0}  # en j generated by zh i
    f2e = {(i, int(j)) for i, j in enumerate(en_to_zh) if j >= 0}  # zh i generated by en j
    union = e2f | f2e
    links = e2f & f2e
    zh_done = {i for i, _ in links}
    en_done = {j for _, j in links}
    grew = True
    while grew:
        grew = False
        for i, j in sorted(links):
            for di in (-1, 0, 1):
                for dj in (-1, 0, 1):
                    c = (i + di, j + dj)
                    if (di or dj) and c in union and c not in links and (c[0] not in zh_done or c[1] not in en_done):
                        links.add(c)
                        zh_done.add(c[0])
                        en_done.add(c[1])
                        grew = True
    for c in sorted(union - links):
        if c[0] not in zh_done and c[1] not in en_done:
            links.add(c)
            zh_done.add(c[0])
            en_done.add(c[1])
    return frozenset(links)


def align_words(zh: Sequence[Sequence[str]], en: Sequence[Sequence[str]], *,
                linked: Callable[[str, str], bool] | None = None, iterations: int = ITERATIONS,
                tension: float = DIAGONAL_TENSION, p_null: float = P_NULL, max_len: int = MAX_LEN
                ) -> list[frozenset[tuple[int, int]]]:
    """Symmetrised word links ``(zh index, en index)`` for each pair.

    ``linked(zh_word, en_word)`` — the dictionary prior: True where a gloss of the Chinese word
    is the English word (asked once per distinct word pair that co-occurs).
    """
    if len(zh) != len(en):
        raise ValueError(f"align_words: {len(zh)} Chinese sides but {len(en)} English sides")
    zv: dict[str, int] = {}
    ev: dict[str, int] = {}
    keep = [0 < len(a) <= max_len and 0 < len(b) <= max_len for a, b in zip(zh, en)]
    zi = [[zv.setdefault(w, len(zv)) for w in a] if k else [] for a, k in zip(zh, keep)]
    ei = [[ev.setdefault(w, len(ev)) for w in b] if k else [] for b, k in zip(en, keep)]
    zwords, ewords = list(zv), list(ev)
    prior_fwd = prior_bwd = None
    if linked is not None:
        cache: dict[tuple[int, int], float] = {}

        def ask(z: int, e: int) -> float:
            k = (z, e)
            v = cache.get(k)
            if v is None:
                v = cache[k] = 1.0 if linked(zwords[z], ewords[e]) else 0.0
            return v

        def prior_fwd(s: np.ndarray, t: np.ndarray) -> np.ndarray:  # zh -> en
            return np.fromiter((ask(int(a), int(b)) for a, b in zip(s, t)), dtype=np.float64, count=len(s))

        def prior_bwd(s: np.ndarray, t: np.ndarray) -> np.ndarray:  # en -> zh
            return np.fromiter((ask(int(b), int(a)) for a, b in zip(s, t)), dtype=np.float64, count=len(s))

    en_src = _direction(zi, ei, len(zv), len(ev), prior_fwd, iterations, tension, p_null)  # per en word: zh index
    zh_src = _direction(ei, zi, len(ev), len(zv), prior_bwd, iterations, tension, p_null)  # per zh word: en index
    out = []
    for k, (a, b) in enumerate(zip(zi, ei)):
        if not a or not b:
            out.append(frozenset())
            continue
        out.append(_grow_diag_final_and(en_src[k], zh_src[k], len(a), len(b)))
    return out


def consistent_phrases(links: frozenset[tuple[int, int]], m: int, n: int, *, max_zh: int = 4, max_en: int = 6,
                       zh_ok: Callable[[int, int], bool] | None = None) -> list[tuple[int, int, int, int]]:
    """Phrase pairs ``(i1, i2, j1, j2)`` (inclusive) consistent with the links (Och & Ney 2004):
    no word inside either span is linked outside the other; at least one link; the English span
    tight (its first and last words linked — unlinked edge words are function words a term does
    not start or end with). ``zh_ok(i1, i2)`` may veto a Chinese span before it is looked at."""
    zh_to = [[] for _ in range(m)]
    en_to = [[] for _ in range(n)]
    for i, j in links:
        zh_to[i].append(j)
        en_to[j].append(i)
    out = []
    for i1 in range(m):
        if not zh_to[i1]:
            continue
        lo, hi = n, -1
        for i2 in range(i1, min(m, i1 + max_zh)):
            for j in zh_to[i2]:
                lo, hi = min(lo, j), max(hi, j)
            if hi < 0 or not zh_to[i2] or hi - lo + 1 > max_en:
                continue
            if zh_ok is not None and not zh_ok(i1, i2):
                continue
            if all(i1 <= i <= i2 for j in range(lo, hi + 1) for i in en_to[j]):
                out.append((i1, i2, lo, hi))
    return out
