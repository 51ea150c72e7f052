"""Word alignment inside aligned sentence pairs, and the phrase pairs consistent with it.

IBM Model 1 (Brown et al. 1993) with fast_align's diagonal prior (Dyer, Chahuneau & Smith 2013:
a word prefers partners near the diagonal of the pair, ``exp(-λ|i/m - j/n|)``, and a fixed
probability of the NULL word), trained by EM in both directions and symmetrised by
grow-diag-final-and (Koehn, Och & Marcu 2003). A dictionary (CC-CEDICT glosses) enters as
pseudo-counts on the translation table, the way a Dirichlet prior does, so that the table is
already sensible after a few dozen pairs — a glossary is often built from sixty slides, where
unsupervised EM alone has nothing to learn from.

Everything runs over flat arrays of every (source word, target word) cell of every pair, in chunks
of a few million cells, so an EM iteration is a few ``numpy.bincount`` calls per chunk however
many pairs there are (20,000 Hansard
sentence pairs, about fifteen million cells, take seconds, not the minutes of a Python loop).
Pairs longer than ``max_len`` words on either side are not word-aligned (GIZA++ stops at 100;
a whole document on one line has no word alignment worth the quadratic cells).

Shapes: ``zh[k]`` and ``en[k]`` are the word sequences of pair ``k`` (already tokenised and
lower-cased by the caller); a result is one ``frozenset`` of ``(zh index, en index)`` links per
pair. Pure functions; nothing is printed or read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

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


# Cells per chunk of the EM: memory is the limit at corpus scale (tens of millions of cells for
# 20,000 long pairs), so the cells live as 32-bit ids and weights in chunks, and each chunk's
# temporaries are freed before the next.
CHUNK_CELLS = 2_000_000


class _Chunk:
    """The cells of consecutive pairs, built at once with numpy (no array per pair): per cell its
    chunk-local type and diagonal weight; the target-word group and source position of a cell
    follow from the pairs' lengths and are rebuilt when needed. ``types`` maps local types to
    the global ones."""

    __slots__ = ("m", "n", "local", "diag", "keys", "types")

    def __init__(self, src: list, tgt: list, null: int, n_tgt: int, tension: float, p_null: float) -> None:
        from itertools import chain

        m = np.fromiter((len(s) for s in src), dtype=np.int64, count=len(src))
        n = np.fromiter((len(t) for t in tgt), dtype=np.int64, count=len(tgt))
        self.m, self.n = m, n
        src_flat = np.fromiter(chain.from_iterable((*s, null) for s in src), dtype=np.int64)
        tgt_flat = np.fromiter(chain.from_iterable(tgt), dtype=np.int64)
        src_off = np.cumsum(m + 1) - (m + 1)
        tgt_off = np.cumsum(n) - n
        i, j, pk = self.cells()
        grp = tgt_off[pk] + j
        mm = m[pk]
        # cell (j, i): target word j, source word i (i == m is NULL), target-major so that each
        # target word's cells are contiguous
        d = np.exp(-tension * np.abs((i + 0.5) / mm - (j + 0.5) / n[pk]))
        is_null = i == mm
        d[is_null] = 0.0
        d = (1.0 - p_null) * d / np.bincount(grp, weights=d, minlength=int(n.sum()))[grp]
        d[is_null] = p_null
        self.diag = d.astype(np.float32)
        del d, is_null, mm, grp
        key = src_flat[src_off[pk] + i] * (n_tgt + 1) + tgt_flat[tgt_off[pk] + j]
        if (null + 1) * (n_tgt + 1) < 2 ** 31:
            key = key.astype(np.int32)  # sorts faster; the global types are int64 again
        keys, local = np.unique(key, return_inverse=True)
        self.keys = keys.astype(np.int64)
        self.local = local.astype(np.int32)
        self.types: np.ndarray | None = None

    @property
    def n_groups(self) -> int:
        return int(self.n.sum())

    def cells(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per cell: source position ``i``, target position ``j`` and pair ``k`` in the chunk."""
        c = (self.m + 1) * self.n
        pk = np.repeat(np.arange(len(c)), c)
        r = np.arange(int(c.sum())) - np.repeat(np.cumsum(c) - c, c)
        mp = (self.m + 1)[pk]
        return r % mp, r // mp, pk

    def groups(self) -> np.ndarray:
        """Per cell its target word's index in the chunk."""
        return np.repeat(np.arange(self.n_groups), np.repeat(self.m + 1, self.n))


def _direction(src: Sequence[Sequence[int]], tgt: Sequence[Sequence[int]], n_src: int, n_tgt: int,
               prior: Callable[[np.ndarray, np.ndarray], np.ndarray] | None, iterations: int,
               tension: float, p_null: float) -> list[np.ndarray]:
    """Viterbi links of one direction: for every target word the source position that generated
    it (-1 for NULL), per pair."""
    null = n_src  # the NULL word's id
    chunks: list[_Chunk] = []
    cs: list = []
    ct: list = []
    cells = 0
    for s, t in zip(src, tgt):
        if not len(s) or not len(t):
            continue
        cs.append(s)
        ct.append(t)
        cells += (len(s) + 1) * len(t)
        if cells >= CHUNK_CELLS:
            chunks.append(_Chunk(cs, ct, null, n_tgt, tension, p_null))
            cs, ct, cells = [], [], 0
    if cs:
        chunks.append(_Chunk(cs, ct, null, n_tgt, tension, p_null))
    del cs, ct
    if not chunks:
        return [np.zeros(0, dtype=np.int64) for _ in src]
    # The chunks' keys are sorted runs: a stable sort (timsort, which merges runs) and a mask
    # give the global types faster than hashing them again.
    types = np.concatenate([c.keys for c in chunks])
    types.sort(kind="stable")
    types = types[np.r_[True, types[1:] != types[:-1]]]
    for c in chunks:
        c.types = np.searchsorted(types, c.keys).astype(np.int32)
        c.keys = None
    t_src = (types // (n_tgt + 1)).astype(np.int64)
    t_tgt = (types % (n_tgt + 1)).astype(np.int64)
    del types
    boost = np.zeros(len(t_src), dtype=np.float64)
    if prior is not None:
        real = t_src != null
        boost[real] = PRIOR_WEIGHT * prior(t_src[real], t_tgt[real])
    del t_tgt

    def probabilities(table: np.ndarray, c: _Chunk) -> np.ndarray:
        return table[c.types][c.local] * c.diag

    # initial table: uniform per source word, dictionary links favoured
    count = 1.0 + boost
    for it in range(iterations + 1):
        total = np.bincount(t_src, weights=count, minlength=n_src + 1)
        table = (count / total[t_src]).astype(np.float32)
        if it == iterations:
            break
        count = boost.copy()
        for c in chunks:
            p = probabilities(table, c)
            grp = c.groups()
            z = np.bincount(grp, weights=p, minlength=c.n_groups).astype(np.float32)
            post = p / np.maximum(z[grp], np.float32(1e-30))
            count[c.types] += np.bincount(c.local, weights=post, minlength=len(c.types))
            del p, z, post, grp
    # Viterbi: per target word the best source cell (cells of a group are contiguous)
    src_parts = []
    for c in chunks:
        p = probabilities(table, c)
        grp = c.groups()
        starts = np.flatnonzero(np.r_[True, grp[1:] != grp[:-1]])
        best = np.maximum.reduceat(p, starts)
        idx = np.flatnonzero(p >= best[grp])
        first = np.full(c.n_groups, -1, dtype=np.int64)
        # the first best cell of each group
        _, at = np.unique(grp[idx], return_index=True)
        first[grp[idx[at]]] = idx[at]
        part = c.cells()[0][first].astype(np.int64)
        part[t_src[c.types[c.local[first]]] == null] = -1
        src_parts.append(part)
    src_of = np.concatenate(src_parts)
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
                linked: Callable[[str, str], bool] | None = None,
                glosses: Callable[[str], Iterable[str]] | None = None,
                en_forms: Callable[[str], Iterable[str]] | None = None, iterations: int = ITERATIONS,
                tension: float = DIAGONAL_TENSION, p_null: float = P_NULL, max_len: int = MAX_LEN
                ) -> list[frozenset[tuple[int, int]]]:
    """Symmetrised word links ``(zh index, en index)`` for each pair.

    ``linked(zh_word, en_word)`` — the dictionary prior: True where a gloss of the Chinese word
    is the English word (asked once per distinct word pair that co-occurs). ``glosses(zh_word)``
    gives the same prior faster at corpus scale: the English words a Chinese word may translate
    as, matched against each English word and its ``en_forms`` (a stem, say); a pair is linked
    when a gloss is one of them.
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
    pairs_linked: np.ndarray | None = None
    if glosses is not None:
        # The dictionary's links among the words present, found from the Chinese side: each
        # word's glosses looked up in an index of the English words (and their forms), not
        # every co-occurring word pair asked in turn.
        by_form: dict[str, list[int]] = {}
        for e, w in enumerate(ewords):
            for f in {w, *(en_forms(w) if en_forms else ())}:
                by_form.setdefault(f, []).append(e)
        found = {z * len(ev) + e for z, w in enumerate(zwords) for g in glosses(w) for e in by_form.get(g, ())}
        pairs_linked = np.fromiter(sorted(found), dtype=np.int64, count=len(found))

        def prior_fwd(s: np.ndarray, t: np.ndarray) -> np.ndarray:  # zh -> en
            return np.isin(s * len(ev) + t, pairs_linked).astype(np.float64)

        def prior_bwd(s: np.ndarray, t: np.ndarray) -> np.ndarray:  # en -> zh
            return np.isin(t * len(ev) + s, pairs_linked).astype(np.float64)
    elif linked is not None:
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
