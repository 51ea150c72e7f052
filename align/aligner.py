"""Sentence aligner for Chinese <-> English documents: two passes over sentence embeddings.

Design (what is borrowed, what is new)
--------------------------------------
1. **Anchors** (after Bertalign, Liu & Zhu 2022): every source sentence looks up its top-k
   target sentences by cosine inside a wide diagonal window; similarities are margin-normalised
   (CSLS-style, Artetxe & Schwenk 2019: ``cos - (r_x + r_y)/2`` with ``r`` the mean top-k cosine)
   so that encoders whose cosines all sit near 0.8 (e5) work unchanged. The heaviest monotonic
   chain through these candidates (a weighted longest-increasing-subsequence, O(N log N) with a
   Fenwick tree, not Bertalign's O(n x window) DP) gives confident 1-1 anchors.
2. **Banded many-to-many DP** between and around the anchors (Bertalign's second pass; band
   width and memory stay linear in document length). Beads 1-1, 1-2, 2-1, ..., up to
   ``max_bead`` sentences in all (and ``max_side`` per side), one sentence against up to
   ``max_fan`` (1-6: a long sentence a translator cut into many), plus 1-0 and 0-1.
   Span embeddings of 2..K consecutive sentences come from :func:`align.encoders.encode_spans`
   (Vecalign's "overlaps"; for USE-m computed from pooled token sums at ~1.5x single cost).
3. **Bead score** (a sum of log-odds-like terms, larger is better):

   * ``sim_weight * z``: cosine normalised per span vector by its mean cosine to random
     sentences of the other side (Vecalign's normalisation, Thompson & Koehn 2019) and divided
     by the document's spread of random-pair cosines, so the scale is encoder-independent;
   * ``- length_weight * r^2 / 2``: ``r`` = log char-length ratio, centred and scaled by the
     median and spread measured on the anchors (a per-document Gale-Church prior; Chinese
     characters vs English characters differ ~3x), its variance widened by the counting noise
     of beads much shorter than the anchors (a heading ``AI+`` / 「人工智能」+);
   * numbers matched across languages (``2.2億元`` = ``$220 million``, ``一九八九年六月`` = ``June
     1989``; read by :func:`zhen.corpora.numbers.extract_numbers`), Latin tokens inside Chinese
     (``LegCo``, ``J.P.``) found in the English and optional glossary term pairs: ``+w`` per
     match, ``-w`` per unmatched item - evidence neither Bertalign nor Vecalign uses;
   * ``- many_penalty`` per sentence beyond 1-1, and, in a bead of three or more sentences,
     ``- chance_weight`` per standard deviation that a member's own similarity to the bead's
     other side falls below the document's chance level (the median random pair): a sentence
     whose translation was deleted must not ride along in its neighbour's bead;
   * recurring lines (slide headers, "(Continued)", boilerplate) whose recurring translation is
     a mutual nearest neighbour among the distinct texts: ``+repeat_weight`` for a 1-1 bead of
     two occurrences, ``-repeat_weight`` for a many-bead that holds one.

   Null beads (1-0, 0-1) score ``-null_penalty`` per sentence, less for "debris" lines (page
   numbers, bare numbers/punctuation; not a short Latin line such as ``AI+`` whose token the
   other side uses too).
4. **Confidence**: each bead's score is turned into a probability with a logistic function of
   its margin over the best local alternative, Platt-scaled on the Champollion beads; a null
   bead's confidence is that of "no partner" (its best possible pairing is poor).

Everything is a keyword parameter of :func:`align_segments`; the defaults were tuned on the LDC
Champollion zh-en evaluation set (see ``bench/bench_champollion.py``); the chance, repeat and
short-length terms were chosen on the split-file deck fixtures (``bench/bench_splitdeck.py``)
under the constraint of leaving Champollion and MAC-dev where they were.
"""

from __future__ import annotations

import math
import re
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from zhen.align.encoders import Encoder, encode_spans, get_encoder
from zhen.align.types import Bead
from zhen.corpora.clean import strip_continued
from zhen.corpora.errors import InvalidArgument
from zhen.corpora.numbers import extract_numbers
from zhen.corpora.scripts import CJK_RX, side_lang

__all__ = ["align_segments", "latin_tokens"]


# --------------------------------------------------------------------------- tokens

_LATIN_RE = re.compile(r"[A-Za-z][A-Za-z0-9&'.\-]*[A-Za-z0-9]|[A-Z]")


def latin_tokens(text: str) -> list[str]:
    """Latin-script tokens, lower-cased, dots removed (``K.C.M.G`` -> ``kcmg``, ``LegCo`` -> ``legco``)."""
    toks = []
    for t in _LATIN_RE.findall(unicodedata.normalize("NFKC", text)):
        t = t.replace(".", "").lower()
        if t:
            toks.append(t)
    return toks


# --------------------------------------------------------------------------- helpers

def _char_len(t: str) -> int:
    return sum(1 for c in t if not c.isspace())


def _bucket(key: str, dim: int) -> int:
    return zlib.crc32(key.encode("utf-8")) % dim


# Page furniture in either language: "第3頁", "- 12 -", "Page 4", "p. 7", "3/12".
_PAGE_MARK = re.compile(r"^(?:第\s*[\d一二三四五六七八九十百]+\s*[頁页]|[-–—]\s*\d+\s*[-–—]|(?:page|p\.)\s*\d+(?:\s*(?:of|/)\s*\d+)?|\d+\s*/\s*\d+)$", re.I)


def _is_debris(t: str) -> bool:
    """Lines that carry no translatable content: page numbers, bare numbers/punctuation, very short."""
    s = t.strip()
    if not s or _PAGE_MARK.match(s):
        return True
    letters = sum(1 for c in s if c.isalpha())
    return letters == 0 or (len(s) <= 3 and not CJK_RX.search(s))


def _keep_named_lines(S: "_Side", T: "_Side") -> None:
    """Un-flag short Latin lines ("AI+", "5G", "IT") that name something the other side names
    too: a slide heading like 「人工智能」+ / AI+ is content, though as short as a page mark."""
    for X, Y in ((S, T), (T, S)):
        short = [i for i in np.flatnonzero(X.debris)
                 if not _PAGE_MARK.match(X.texts[i].strip()) and any(c.isalpha() for c in X.texts[i])]
        if not short:
            continue
        other = {tok for t in Y.texts for tok in latin_tokens(t) if len(tok) >= 2}
        for i in short:
            if any(len(tok) >= 2 and tok in other for tok in latin_tokens(X.texts[i])):
                X.debris[i] = False


@dataclass
class _Side:
    texts: list[str]
    zh: bool
    lens: np.ndarray          # char length per sentence (float64)
    clen: np.ndarray          # cumulative lengths, len n+1
    num_bag: np.ndarray       # (n, H) float32 hashed number counts
    tok_bag: np.ndarray       # (n, H) float32 hashed Latin-token / glossary counts
    debris: np.ndarray        # bool per sentence


def _span_sum(x: np.ndarray, a: int) -> np.ndarray:
    """``out[p] = x[p:p+a].sum(0)`` for p = 0..n-a."""
    c = np.concatenate([np.zeros((1,) + x.shape[1:], x.dtype), np.cumsum(x, axis=0, dtype=np.float64).astype(x.dtype)])
    return c[a:] - c[:-a]


# --------------------------------------------------------------------------- anchors

def _knn_anchors(xs: np.ndarray, ys: np.ndarray, *, k: int, window: int, block: int = 512) -> list[tuple[int, int, float]]:
    """Top-k candidates per source sentence (within ``window`` of the scaled diagonal) scored by a
    CSLS-style margin, then the heaviest monotonic chain through the positive ones."""
    n, m = len(xs), len(ys)
    k = max(1, min(k, m))
    ratio = m / n
    rx = np.zeros(n, np.float32)
    ry_top = np.full((m, k), -np.inf, np.float32)
    cand_j = np.zeros((n, k), np.int64)
    cand_c = np.zeros((n, k), np.float32)
    for r0 in range(0, n, block):
        r1 = min(n, r0 + block)
        c0 = max(0, int(r0 * ratio) - window)
        c1 = min(m, int(r1 * ratio) + window + 1)
        sims = xs[r0:r1] @ ys[c0:c1].T
        rows = np.arange(r0, r1)
        centre = (rows * ratio).astype(np.int64)[:, None]
        cols = np.arange(c0, c1)[None, :]
        sims = np.where(np.abs(cols - centre) <= window, sims, -np.inf).astype(np.float32)
        kk = min(k, sims.shape[1])
        top = np.argpartition(-sims, kk - 1, axis=1)[:, :kk]
        topv = np.take_along_axis(sims, top, axis=1)
        cand_j[r0:r1, :kk] = top + c0
        cand_c[r0:r1, :kk] = topv
        if kk < k:
            cand_c[r0:r1, kk:] = -np.inf
        fin = np.where(np.isfinite(topv), topv, np.nan)
        rx[r0:r1] = np.nan_to_num(np.nanmean(fin, axis=1), nan=0.0)
        # running top-k per target column
        colk = min(k, sims.shape[0])
        ctop = -np.partition(-sims, colk - 1, axis=0)[:colk].T  # (cols, colk)
        merged = np.concatenate([ry_top[c0:c1], ctop], axis=1)
        ry_top[c0:c1] = -np.partition(-merged, k - 1, axis=1)[:, :k]
    fin = np.where(np.isfinite(ry_top), ry_top, np.nan)
    with np.errstate(all="ignore"):
        ry = np.nan_to_num(np.nanmean(fin, axis=1), nan=0.0)
    margin = cand_c - 0.5 * (rx[:, None] + ry[cand_j])
    pts = [(i, int(cand_j[i, t]), float(margin[i, t]))
           for i in range(n) for t in range(k) if np.isfinite(cand_c[i, t]) and margin[i, t] > 0]
    return _heaviest_chain(pts, m)


def _heaviest_chain(points: list[tuple[int, int, float]], m: int) -> list[tuple[int, int, float]]:
    """Maximum-weight chain strictly increasing in both coordinates (Fenwick tree of prefix maxima)."""
    if not points:
        return []
    points.sort()
    size = m + 1
    tree_v = [0.0] * (size + 1)
    tree_p = [-1] * (size + 1)
    best = [0.0] * len(points)
    prev = [-1] * len(points)
    idx = 0
    while idx < len(points):
        i = points[idx][0]
        end = idx
        while end < len(points) and points[end][0] == i:
            end += 1
        for q in range(idx, end):  # queries for the whole row first: strictly increasing i
            j = points[q][1]
            v, p = 0.0, -1
            pos = j  # prefix over columns < j  (Fenwick index j covers 1..j -> column j-1)
            while pos > 0:
                if tree_v[pos] > v:
                    v, p = tree_v[pos], tree_p[pos]
                pos -= pos & -pos
            best[q] = v + points[q][2]
            prev[q] = p
        for q in range(idx, end):
            pos = points[q][1] + 1
            while pos <= size:
                if best[q] > tree_v[pos]:
                    tree_v[pos], tree_p[pos] = best[q], q
                pos += pos & -pos
        idx = end
    q = max(range(len(points)), key=best.__getitem__)
    chain = []
    while q >= 0:
        chain.append(points[q])
        q = prev[q]
    return chain[::-1]


# --------------------------------------------------------------------------- band

# Rectangles between consecutive anchors wider and taller than this become diagonal bands.
_MAX_RECT = 64


def _band(anchors: list[tuple[int, int, float]], n: int, m: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    """Per DP row i (0..n) the allowed column range [lo, hi]: Bertalign's rectangles between
    consecutive anchors, widened by ``w``; made monotone and connected."""
    lo = np.full(n + 1, m, np.int64)
    hi = np.zeros(n + 1, np.int64)
    pts = [(0, 0)] + [(i + 1, j + 1) for i, j, _ in anchors] + [(n, m)]
    for (i0, j0), (i1, j1) in zip(pts[:-1], pts[1:]):
        a, b = min(i0, i1), max(i0, i1)
        if b - a > _MAX_RECT and abs(j1 - j0) > _MAX_RECT:
            # A long stretch with no confident anchor (repetitive text, a document that is one
            # line): the whole rectangle would make the DP quadratic in its length, so take a
            # diagonal band from one anchor to the next instead.
            rows = np.arange(a, b + 1)
            centre = j0 + (rows - i0) * (j1 - j0) / max(1, i1 - i0)
            half = w + _MAX_RECT // 2
            lo[a:b + 1] = np.minimum(lo[a:b + 1], np.clip(np.floor(centre) - half, 0, m).astype(np.int64))
            hi[a:b + 1] = np.maximum(hi[a:b + 1], np.clip(np.ceil(centre) + half, 0, m).astype(np.int64))
            continue
        lo[a:b + 1] = np.minimum(lo[a:b + 1], max(0, min(j0, j1) - w))
        hi[a:b + 1] = np.maximum(hi[a:b + 1], min(m, max(j0, j1) + w))
    lo[0], hi[n] = 0, m
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    for i in range(1, n + 1):
        if lo[i] > hi[i - 1]:
            lo[i] = hi[i - 1]
    return lo, hi


# --------------------------------------------------------------------------- main

# Largest side of a bead by default, and of a one-to-many bead (one sentence rendered as up to
# MAX_FAN on the other side: MAC-dev's gold has 1-5 and 1-6 beads, which 1..4 could not hold).
# Span embeddings of 1..MAX_SPAN sentences are what the DP reads (`jobs.corpus` computes them in
# its first stage, so the align stage finds them cached).
MAX_SIDE = 4
MAX_FAN = 6
MAX_SPAN = max(MAX_SIDE, MAX_FAN)

# Bead confidence, second step (after the per-bead margin calibration, _CALIB_*): weights of the
# bead's logit and of its document's mean logit, and an intercept; fitted by
# bench/fit_align_confidence.py on the development documents (Champollion and MAC-dev), which
# prints the held-out figures.
DOC_CALIBRATION = (0.8407, 1.9575, -5.8951)
# A short document's mean is shrunk towards about the development documents' mean logit (3.3),
# as if it had 20 more beads there (three beads say little about a document's difficulty).
_DOC_PRIOR = (20, 3.3)


def align_segments(
    src_texts: Sequence[str],
    tgt_texts: Sequence[str],
    *,
    encoder: str | Encoder = "use-m",
    max_bead: int = 5,
    max_side: int = MAX_SIDE,
    max_fan: int | None = None,
    anchor_k: int = 3,
    anchor_window: int = 400,
    band: int = 16,
    sim_weight: float = 1.0,
    length_weight: float = 0.25,
    length_short: float = 1.0,
    null_penalty: float = 1.0,
    debris_bonus: float = 1.0,
    many_penalty: float = 0.25,
    number_weight: float = 0.75,
    token_weight: float = 0.5,
    glossary: Sequence[tuple[str, str]] | None = None,
    lexical_weight: float = 0.15,
    lexical_learn: bool = True,
    quote_weight: float = 1.0,
    chance_weight: float = 1.0,
    chance_quantile: float = 0.5,
    repeat_weight: float = 1.0,
    random_sample: int = 200,
    seed: int = 0,
    doc_calibration: tuple[float, float, float] | None = DOC_CALIBRATION,
) -> list[Bead]:
    """Align two lists of segments monotonically; every index of both sides is in exactly one bead.

    Parameters (defaults tuned on the Champollion zh-en set with USE-m, except ``number_weight``,
    set on the Bible set, ``bench/bench_bible.py``, and ``lexical_weight``, ``quote_weight``,
    ``many_penalty`` and ``max_fan``, chosen on MAC-dev by ``bench/bench_mac.py``'s
    cross-validation):

    * ``encoder``: an :class:`~align.encoders.Encoder` or a spec for
      :func:`~align.encoders.get_encoder` (``"use-m"``, ``"e5-small"``, ``"st:PATH"``, ``"hash"``).
    * ``max_bead`` / ``max_side``: largest bead (sentences on both sides together) and largest side.
      5 / 4 admits 4-1 and 2-3 (Bertalign's ``max_align=5``).
    * ``max_fan``: largest other side of a bead with one sentence on one side (1-5, 6-1 with 6),
      beyond ``max_bead``: a long sentence split into many is the translator's commonest large
      bead; general large beads (3-4) stay out, they cost DP time and rarely win. ``None``:
      ``MAX_FAN`` (6) when ``max_bead`` is 5 or more, else nothing beyond ``max_bead`` (a
      narrower ``max_bead`` is a cap). Chosen on MAC-dev by ``bench/bench_mac.py``'s
      cross-validation.
    * ``anchor_k`` / ``anchor_window``: candidates per source sentence for the anchor chain and the
      half-width (in target sentences) of the diagonal window they are searched in.
    * ``band``: extra target sentences either side of the anchor rectangles in the DP.
    * ``sim_weight``: weight of the normalised similarity (in random-pair standard deviations).
    * ``length_weight``: weight of the squared, anchor-standardised log length ratio.
    * ``length_short``: share of the counting noise of a log ratio of short lengths
      (``1/(l_s+1) + 1/(l_t+1)`` beyond twice its median over the anchors, i.e. for beads about
      half the anchors' length or shorter) added to the ratio's variance; 0 scores every bead
      with the anchors' spread, so a three-letter heading (AI+) against its seven-character
      Chinese is a seven-sigma length mismatch.
    * ``null_penalty``: cost of leaving one sentence unaligned; ``debris_bonus`` is refunded
      for lines with no letters (page numbers, "H M,0,0," debris).
    * ``many_penalty``: cost per sentence beyond 1-1 in a bead.
    * ``number_weight`` / ``token_weight``: reward per matched (penalty per unmatched) number /
      Latin token or glossary term across the bead.
    * ``glossary``: ``[(zh_term, en_term), ...]`` pairs; a pair found on both sides counts like a
      matched Latin token.
    * ``lexical_weight``: weight of the lexical translation evidence (:mod:`align.lexical`: share
      of content words covered by CC-CEDICT glosses, in random-pair standard deviations);
      ``lexical_learn`` adds a word table learned on the confident anchors.
    * ``quote_weight``: cost of a bead that ends inside quoted speech on one side only
      (:mod:`align.structure`; used when both sides quote in at least 5 % of their sentences).
    * ``chance_weight`` / ``chance_quantile``: cost, per random-pair standard deviation, of a
      sentence inside a bead of three or more sentences whose own similarity to the other side
      of the bead is below chance level; chance level is the ``chance_quantile`` of the
      document's own random-pair similarities (0.5: no better than the median random pair).
      Without it, a sentence whose translation was deleted rides along in its neighbour's bead
      for ``many_penalty`` instead of paying ``null_penalty`` (0 turns it off).
    * ``repeat_weight``: for lines that recur (slide headers, boilerplate, "(Continued)"), whose
      recurring translation is found as mutual nearest neighbours among the distinct texts: the
      bonus of a 1-1 bead pairing two such occurrences, and the cost of a many-bead holding one
      (a recurring line is translated whole, so it does not ride along with a neighbour).
    * ``random_sample`` / ``seed``: random other-side sentences used to normalise similarities
      (deterministic for a given seed).
    * ``doc_calibration``: :func:`document_calibrated`'s constants, applied to every bead's
      confidence; ``None`` keeps the per-bead margin calibration alone (what
      ``bench/fit_align_confidence.py`` fits on).
    """
    src = [str(t) for t in src_texts]
    tgt = [str(t) for t in tgt_texts]
    n, m = len(src), len(tgt)
    if max_bead < 2 or max_side < 1:
        raise InvalidArgument(f"max_bead must be >= 2 and max_side >= 1, not {max_bead} and {max_side}")
    if n == 0 or m == 0:
        return [Bead((i,), (), 1.0) for i in range(n)] + [Bead((), (j,), 1.0) for j in range(m)]

    enc = get_encoder(encoder) if isinstance(encoder, str) else encoder
    types = [(a, b) for a in range(1, max_side + 1) for b in range(1, max_side + 1) if a + b <= max_bead]
    if max_fan is None:
        max_fan = max(MAX_FAN, max_bead - 1) if max_bead >= 5 else max_bead - 1
    types += [t for k in range(2, max_fan + 1) for t in ((1, k), (k, 1)) if t not in types]
    ka = min(max(a for a, _ in types), n)
    kb = min(max(b for _, b in types), m)
    types = [(a, b) for a, b in types if a <= ka and b <= kb]

    s_zh, t_zh = side_lang(src) == "zh", side_lang(tgt) == "zh"
    xs = encode_spans(enc, src, ka, "" if s_zh else " ")
    ys = encode_spans(enc, tgt, kb, "" if t_zh else " ")

    H = 256
    S = _make_side(src, s_zh, H)
    T = _make_side(tgt, t_zh, H)
    _token_bags(S, T, glossary or [], H)
    _keep_named_lines(S, T)

    # ---- normalisation: random-pair statistics (Vecalign)
    rng = np.random.default_rng(seed)
    samp_iy = rng.choice(m, size=min(random_sample, m), replace=False)
    samp_y = ys[0][samp_iy]
    samp_x = xs[0][rng.choice(n, size=min(random_sample, n), replace=False)]
    rho_x = [v @ samp_y.T for v in xs]   # (n-a+1, R) cosines to random targets
    rho_y = [v @ samp_x.T for v in ys]
    sd = float(np.std(rho_x[0])) * 0.5 + float(np.std(rho_y[0])) * 0.5 or 1.0
    mu_x = [r.mean(axis=1) for r in rho_x]
    mu_y = [r.mean(axis=1) for r in rho_y]
    # Chance level of one sentence against one sentence, in the units of the bead score: the
    # normalised similarity that random pairs of this document reach in ``chance_quantile`` of
    # cases (Vecalign sets its deletion cost from the document's own cost distribution too).
    z_rand = (rho_x[0] - 0.5 * (mu_x[0][:, None] + mu_y[0][samp_iy][None, :])) / sd
    chance = float(np.quantile(z_rand, chance_quantile))

    # ---- pass 1: anchors
    anchors = _knn_anchors(xs[0], ys[0], k=anchor_k, window=max(anchor_window, abs(n - m) + band))

    # ---- length model from anchors: r = log(len_t / len_s), standardised
    if len(anchors) >= 5:
        lr = np.array([math.log((T.lens[j] + 1) / (S.lens[i] + 1)) for i, j, _ in anchors])
        l_mu = float(np.median(lr))
        l_sd = float(1.4826 * np.median(np.abs(lr - l_mu))) or 0.3
        l_h = float(np.median([1 / (S.lens[i] + 1) + 1 / (T.lens[j] + 1) for i, j, _ in anchors]))
    elif s_zh != t_zh:
        # Too few anchors to fit the ratio: use the language pair's own (English runs about three
        # characters per Chinese character), not the documents' totals, which mislead exactly
        # when one side carries material the other lacks.
        l_mu = math.log(3.0) if s_zh else -math.log(3.0)
        l_sd = 0.5
        l_h = 0.0
    else:
        l_mu = math.log((T.clen[-1] + 1) / (S.clen[-1] + 1))
        l_sd = 0.4
        l_h = 0.0
    l_sd = max(l_sd, 0.1)

    lo, hi = _band(anchors, n, m, band)
    known = _known_repeat_pairs(src, tgt, xs[0], ys[0]) if repeat_weight else None
    W = int((hi - lo).max()) + 1
    lex = _lexical_evidence(src, tgt, s_zh, t_zh, anchors, lo, hi, ka, lexical_learn, seed) if lexical_weight else None

    # ---- pass 2: banded DP
    null_s = -null_penalty + debris_bonus * S.debris
    null_t = -null_penalty + debris_bonus * T.debris
    Ct = np.concatenate([[0.0], np.cumsum(null_t)])
    NEG = -1e18
    D = np.full((n + 1, W), NEG)
    BP = np.full((n + 1, W), -1, np.int8)
    NULL_SRC, NULL_TGT = len(types), len(types) + 1

    scorer = _BeadScorer(xs, ys, mu_x, mu_y, sd, S, T, l_mu, l_sd, l_h, sim_weight=sim_weight,
                         length_short=length_short,
                         length_weight=length_weight, many_penalty=many_penalty,
                         number_weight=number_weight, token_weight=token_weight,
                         lexical=lex, lexical_weight=lexical_weight,
                         quotes=_quote_states(src, tgt, s_zh, t_zh) if quote_weight else None,
                         quote_weight=quote_weight, chance=chance, chance_weight=chance_weight,
                         known=known, repeat_weight=repeat_weight)
    chunk = max(1, int(4_000_000 // max(1, W * xs[0].shape[1])))
    for r0 in range(0, n + 1, chunk):
        r1 = min(n + 1, r0 + chunk)
        tscores = [scorer.band_scores(a, b, r0, r1, lo, W) for a, b in types]
        for i in range(r0, r1):
            li, hii = int(lo[i]), int(hi[i])
            width = hii - li + 1
            J = np.arange(li, hii + 1)
            cand = np.full(width, NEG)
            cbp = np.full(width, -1, np.int8)
            if i == 0:
                cand[0] = 0.0 if li == 0 else NEG
            for t, (a, b) in enumerate(types):
                p = i - a
                if p < 0:
                    continue
                pj = J - b
                ok = (pj >= lo[p]) & (pj <= hi[p])
                if not ok.any():
                    continue
                prev = np.where(ok, D[p, np.clip(pj - lo[p], 0, W - 1)], NEG)
                val = prev + tscores[t][i - r0, :width]
                better = val > cand
                cand[better] = val[better]
                cbp[better] = t
            if i >= 1:  # 1-0: source sentence i-1 unaligned
                p = i - 1
                ok = (J >= lo[p]) & (J <= hi[p])
                prev = np.where(ok, D[p, np.clip(J - lo[p], 0, W - 1)], NEG)
                val = prev + null_s[i - 1]
                better = val > cand
                cand[better] = val[better]
                cbp[better] = NULL_SRC
            # 0-1 chains inside the row: D[j] = max(cand[j], D[j-1] + null_t[j-1])
            c = Ct[li:hii + 1]
            run = np.maximum.accumulate(cand - c) + c
            from_left = run > cand + 1e-9
            D[i, :width] = run
            cbp[from_left] = NULL_TGT
            BP[i, :width] = cbp

    # ---- traceback
    beads_ij: list[tuple[int, int, int]] = []   # (i, j, type) at the bead's end cell
    i, j = n, m
    while i > 0 or j > 0:
        t = int(BP[i, j - lo[i]])
        if t < 0:
            raise RuntimeError(f"alignment DP has no path through cell ({i}, {j})")  # pragma: no cover
        beads_ij.append((i, j, t))
        if t == NULL_SRC:
            i -= 1
        elif t == NULL_TGT:
            j -= 1
        else:
            a, b = types[t]
            i, j = i - a, j - b
    beads_ij.reverse()
    beads = _with_confidence(beads_ij, types, NULL_SRC, NULL_TGT, scorer, null_s, null_t, lo, hi, n, m)
    if doc_calibration is None or not beads:
        return beads
    adj = document_calibrated(np.array([b.score for b in beads]), doc_calibration)
    return [Bead(b.src, b.tgt, float(c)) for b, c in zip(beads, adj)]


# Groups of identical lines larger than this are furniture (blank-ish lines, page headers on
# every page), which the debris rule already handles; pairing them all would be quadratic.
_MAX_TWINS = 50


def _known_repeat_pairs(src: list[str], tgt: list[str], xs0: np.ndarray, ys0: np.ndarray,
                        limit: int = 2000) -> np.ndarray:
    """Cells (i, j) coded ``i * (m + 1) + j`` where src[i] and tgt[j] are occurrences of a pair of
    texts that translate each other and recur: a slide header, boilerplate, a "(Continued)" line
    is translated the same way each time. The pair is found on *distinct* texts (mutual nearest
    neighbours by cosine), since among raw lines every copy of a header is a hub that the
    anchors' CSLS margin rightly distrusts. Knowing the pair, the line next to one occurrence (a
    bullet whose translation was deleted) cannot ride along in its bead for the price of a
    many-bead."""
    def key(t: str) -> str:
        # copies of a header differ in case, spacing and continuation marks ("Promote"/"promote",
        # "及 推動"/"及推動", "新型工業發展（續）")
        return "".join(unicodedata.normalize("NFKC", strip_continued(t)).casefold().split())

    def groups(texts):
        g: dict[str, list[int]] = {}
        for k, t in enumerate(texts):
            if key(t):
                g.setdefault(key(t), []).append(k)
        return list(g.values())

    gs, gt = groups(src), groups(tgt)
    if len(gs) == len(src) and len(gt) == len(tgt):
        return np.zeros(0, np.int64)  # nothing recurs
    us = xs0[[g[0] for g in gs]]
    ut = ys0[[g[0] for g in gt]]
    m = len(tgt)
    codes: set[int] = set()
    for own, other, g_own, g_other, s_side in ((us, ut, gs, gt, True), (ut, us, gt, gs, False)):
        rep = [k for k, g in enumerate(g_own) if 1 < len(g) <= _MAX_TWINS][:limit]
        if not rep:
            continue
        # mutual nearest neighbours, a block of texts at a time (memory stays block x texts)
        best = np.concatenate([np.argmax(own[rep[b0:b0 + 256]] @ other.T, axis=1)
                               for b0 in range(0, len(rep), 256)])
        back = np.concatenate([np.argmax(other[best[b0:b0 + 256]] @ own.T, axis=1)
                               for b0 in range(0, len(best), 256)])
        for k, b, r in zip(rep, best, back):
            # both texts recur: a speaker label that recurs ("财政司致辞的译文：") is not a line whose
            # translation recurs with it, and the Hansard gold keeps it in the speech's bead
            if r != k or not 1 < len(g_other[b]) <= _MAX_TWINS:
                continue
            for a in g_own[k]:
                for c in g_other[b]:
                    codes.add(a * (m + 1) + c if s_side else c * (m + 1) + a)
    return np.array(sorted(codes), np.int64)


def _lexical_evidence(src, tgt, s_zh, t_zh, anchors, lo, hi, ka, learn, seed):
    """Lexical pair evidence over the sentence pairs the DP band can reach (None for zh-zh/en-en)."""
    if s_zh == t_zh:
        return None
    from zhen.align.lexical import learn_table, lexical_sides, pair_evidence

    zh_texts, en_texts = (src, tgt) if s_zh else (tgt, src)
    sides = lexical_sides(zh_texts, en_texts)
    table = {}
    if learn and anchors:
        # the more confident half of the anchors teaches the document's own word table
        cut = float(np.median([mg for _, _, mg in anchors]))
        pairs = [(i, j) if s_zh else (j, i) for i, j, mg in anchors if mg >= cut]
        table = learn_table(sides, pairs)
    n = len(src)
    # a bead that covers source sentence r starts at row >= r-ka+1 and ends at row <= r+ka
    rows = np.arange(n)
    clo = lo[np.maximum(0, rows - ka + 1)]
    chi = hi[np.minimum(n, rows + ka)]
    return pair_evidence(sides, table, s_zh, clo, chi, seed=seed)


# Below this share of sentences with a quotation mark a side is not dialogue (a report, a
# Hansard with a quoted phrase here and there), and its quote state says nothing.
_MIN_QUOTED = 0.05


def _quote_states(src, tgt, s_zh, t_zh):
    from zhen.align.structure import quote_states

    qs, fs = quote_states(src, s_zh)
    qt, ft = quote_states(tgt, t_zh)
    return (qs, qt) if min(fs, ft) >= _MIN_QUOTED else None


def _make_side(texts: list[str], zh: bool, H: int) -> _Side:
    n = len(texts)
    lens = np.array([max(1, _char_len(t)) for t in texts], np.float64)
    num_bag = np.zeros((n, H), np.float32)
    lang = "zh" if zh else "en"
    for i, t in enumerate(texts):
        # The value alone is the key: 2.2億元 (HKD) and "220 million" (no currency) are one sum.
        for v in {m.value for m in extract_numbers(t, lang)}:
            num_bag[i, _bucket(f"{v:.6g}", H)] += 1.0
    debris = np.array([_is_debris(t) for t in texts], bool)
    return _Side(texts, zh, lens, np.concatenate([[0.0], np.cumsum(lens)]), num_bag,
                 np.zeros((n, H), np.float32), debris)


def _token_bags(S: _Side, T: _Side, glossary: Sequence[tuple[str, str]], H: int) -> None:
    """Latin tokens of the Chinese side looked up in the English side, plus glossary pairs.

    Only tokens that occur in the Chinese text count (English is full of Latin tokens), so an
    unmatched item is always "a Latin token in the Chinese with no counterpart".
    """
    if S.zh == T.zh:
        zh_side, en_side = None, None
    else:
        zh_side, en_side = (S, T) if S.zh else (T, S)
    if zh_side is not None:
        zh_toks = [latin_tokens(t) for t in zh_side.texts]
        vocab = {tok for ts in zh_toks for tok in ts if len(tok) >= 2}
        for i, ts in enumerate(zh_toks):
            for tok in set(ts):
                if tok in vocab:
                    zh_side.tok_bag[i, _bucket("L" + tok, H)] += 1.0
        for i, t in enumerate(en_side.texts):
            found = set(latin_tokens(t)) & vocab
            for tok in found:
                en_side.tok_bag[i, _bucket("L" + tok, H)] += 1.0
        for g, (zt, et) in enumerate(glossary):
            if not zt or not et:
                continue
            pat = re.compile(r"(?<![A-Za-z])" + re.escape(et.lower()) + r"(?![A-Za-z])")
            key = _bucket(f"G{g}", H)
            for i, t in enumerate(zh_side.texts):
                if zt in t:
                    zh_side.tok_bag[i, key] += 1.0
            for i, t in enumerate(en_side.texts):
                if pat.search(t.lower()):
                    en_side.tok_bag[i, key] += 1.0


class _BeadScorer:
    """Vectorised bead scores over the DP band; see the module docstring for the terms."""

    def __init__(self, xs, ys, mu_x, mu_y, sd, S: _Side, T: _Side, l_mu, l_sd, l_h, *, sim_weight,
                 length_weight, length_short=0.0, many_penalty, number_weight, token_weight, lexical=None, lexical_weight=0.0,
                 quotes=None, quote_weight=0.0, chance=0.0, chance_weight=0.0,
                 known=None, repeat_weight=0.0):
        self.known, self.w_repeat = known, repeat_weight
        self.chance, self.w_chance = chance, chance_weight
        self.xs, self.ys, self.mu_x, self.mu_y, self.sd = xs, ys, mu_x, mu_y, sd
        self.S, self.T, self.l_mu, self.l_sd, self.l_h = S, T, l_mu, l_sd, l_h
        self.w_short = length_short
        self.w_sim, self.w_len, self.w_many = sim_weight, length_weight, many_penalty
        self.w_num, self.w_tok = number_weight, token_weight
        self.lex, self.w_lex = lexical, lexical_weight
        self.quotes, self.w_quote = quotes, quote_weight
        self._nb: dict = {}
        # which side is Chinese decides which side's unmatched Latin tokens are penalised
        self.tok_pen_src = S.zh and not T.zh
        self.tok_pen_tgt = T.zh and not S.zh

    def _bags(self, side: str, k: int):
        key = (side, k)
        if key not in self._nb:
            X = self.S if side == "s" else self.T
            self._nb[key] = (_span_sum(X.num_bag, k), _span_sum(X.tok_bag, k))
        return self._nb[key]

    def terms(self, a: int, b: int, I: np.ndarray, J: np.ndarray) -> np.ndarray:
        """Scores of beads ending at cells (I, J) (broadcastable int arrays, bead = src[I-a:I], tgt[J-b:J])."""
        ps, pt = I - a, J - b
        valid = (ps >= 0) & (pt >= 0) & (I <= len(self.S.lens)) & (J <= len(self.T.lens))
        ps_c = np.clip(ps, 0, len(self.xs[a - 1]) - 1)
        pt_c = np.clip(pt, 0, len(self.ys[b - 1]) - 1)
        X = self.xs[a - 1][ps_c]
        Y = self.ys[b - 1][pt_c]
        cos = np.einsum("...d,...d->...", X, Y)
        z = (cos - 0.5 * (self.mu_x[a - 1][ps_c] + self.mu_y[b - 1][pt_c])) / self.sd
        score = self.w_sim * z
        if self.w_chance and a + b > 2:
            score = score - self.w_chance * self._below_chance(a, b, ps, pt, ps_c, pt_c, X, Y)
        # length
        Ic, Jc = np.clip(I, 0, len(self.S.lens)), np.clip(J, 0, len(self.T.lens))
        ls = self.S.clen[Ic] - self.S.clen[np.clip(ps, 0, Ic)]
        lt = self.T.clen[Jc] - self.T.clen[np.clip(pt, 0, Jc)]
        r = np.log((lt + 1) / (ls + 1)) - self.l_mu
        if self.w_short:
            # A ratio of short counts is noisy (Poisson: var log l ~ 1/l; Gale & Church 1993 let
            # the variance grow with length the other way round, in absolute characters). The
            # spread measured on the anchors holds for anchor-length sentences; shorter beads get
            # the extra counting noise on top, so "AI+" / 「人工智能」+ is not a 7-sigma mismatch.
            extra = np.maximum(0.0, 1 / (ls + 1) + 1 / (lt + 1) - 2 * self.l_h)
            r = r / np.sqrt(self.l_sd ** 2 + self.w_short * extra)
        else:
            r = r / self.l_sd
        score = score - self.w_len * 0.5 * r * r
        # numbers and tokens
        ns, ts = self._bags("s", a)
        nt, tt = self._bags("t", b)
        if self.w_num:
            A, B = ns[ps_c], nt[pt_c]
            match = np.einsum("...d,...d->...", np.minimum(A, 1), np.minimum(B, 1))
            tot = A.sum(-1) + B.sum(-1)
            score = score + self.w_num * (2 * match - 0.5 * (tot - 2 * match)) / np.sqrt(1 + tot)
        if self.w_tok:
            A, B = ts[ps_c], tt[pt_c]
            match = np.einsum("...d,...d->...", np.minimum(A, 1), np.minimum(B, 1))
            unmatched = 0.0
            if self.tok_pen_src:
                unmatched = np.maximum(A.sum(-1) - match, 0)
            elif self.tok_pen_tgt:
                unmatched = np.maximum(B.sum(-1) - match, 0)
            score = score + self.w_tok * (match - 0.5 * unmatched)
        if self.lex is not None:
            score = score + self.w_lex * self.lex.block(np.clip(ps, 0, Ic), Ic, np.clip(pt, 0, Jc), Jc)
        if self.quotes is not None:
            qs, qt = self.quotes
            open_s = qs[np.clip(Ic - 1, 0, len(qs) - 1)]
            open_t = qt[np.clip(Jc - 1, 0, len(qt) - 1)]
            score = score - self.w_quote * (open_s != open_t)
        if self.known is not None and len(self.known):
            if a == 1 and b == 1:
                code = np.clip(ps, 0, None) * (len(self.T.lens) + 1) + np.clip(pt, 0, None)
                score = score + self.w_repeat * np.isin(code, self.known)
            else:
                # a recurring line is translated whole, by a line: it joins no many-bead
                inside = self._boiler("s", a)[ps_c] + self._boiler("t", b)[pt_c]
                score = score - self.w_repeat * (inside > 0)
        score = score - self.w_many * (a + b - 2)
        return np.where(valid, score, -1e18)

    def _boiler(self, side: str, k: int) -> np.ndarray:
        """Per span start, how many of the ``k`` lines from there recur as a known pair."""
        key = ("b", side, k)
        if key not in self._nb:
            m = len(self.T.lens) + 1
            n_side = len(self.S.lens) if side == "s" else len(self.T.lens)
            flag = np.zeros(n_side, np.float64)
            flag[np.unique(self.known // m if side == "s" else self.known % m)] = 1.0
            self._nb[key] = _span_sum(flag, k)
        return self._nb[key]

    def _below_chance(self, a, b, ps, pt, ps_c, pt_c, X, Y) -> np.ndarray:
        """Sum over the sentences of a many-sentence side of how far each one's own similarity to
        the bead's other side falls below chance (in random-pair standard deviations): a member
        that translates nothing in the bead stops being nearly free to carry along."""
        out = 0.0
        for k, own_first, other, other_mu, own_vecs, own_mu, n_own in (
                (a, ps, Y, self.mu_y[b - 1][pt_c], self.xs[0], self.mu_x[0], len(self.S.lens)),
                (b, pt, X, self.mu_x[a - 1][ps_c], self.ys[0], self.mu_y[0], len(self.T.lens))):
            if k < 2:
                continue
            for q in range(k):
                idx = np.clip(own_first + q, 0, n_own - 1)
                cos = np.einsum("...d,...d->...", own_vecs[idx], other)
                zq = (cos - 0.5 * (own_mu[idx] + other_mu)) / self.sd
                out = out + np.maximum(0.0, self.chance - zq)
        return out

    def band_scores(self, a: int, b: int, r0: int, r1: int, lo: np.ndarray, W: int) -> np.ndarray:
        I = np.arange(r0, r1)[:, None]
        J = lo[r0:r1, None] + np.arange(W)[None, :]
        return self.terms(a, b, I, J)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, x))))


# Platt scaling (slope, intercept) of the margin, fitted once on the Champollion zh-en beads
# (USE-m, default settings): Brier score 0.086 -> 0.031 for content beads, 0.39 -> 0.10 for nulls.
_CALIB_CONTENT = (0.54, 2.47)
_CALIB_NULL = (0.415, 2.92)


def document_calibrated(conf: np.ndarray, calib: tuple[float, float, float] = DOC_CALIBRATION) -> np.ndarray:
    """Bead confidences adjusted by their document's overall certainty: ``logistic(a * logit(c)
    + b * L + k)``, ``L`` the mean logit of the document's beads (shrunk towards the development
    mean for short documents). A bead of 0.95 in a document whose beads are on the whole less
    certain (a loose literary translation) is less often right than one of 0.95 in a Hansard."""
    lg = bead_logits(conf)
    a, b, icpt = calib
    return 1.0 / (1.0 + np.exp(-np.clip(a * lg + b * document_level(lg) + icpt, -50, 50)))


def bead_logits(conf) -> np.ndarray:
    """Logits of bead confidences (clipped away from 0 and 1)."""
    c = np.clip(np.asarray(conf, dtype=np.float64), 1e-6, 1 - 1e-6)
    return np.log(c / (1 - c))


def document_level(logits: np.ndarray) -> float:
    """A document's mean bead logit, shrunk towards the development mean (``_DOC_PRIOR``)."""
    k, prior = _DOC_PRIOR
    return float((logits.sum() + k * prior) / (len(logits) + k))


def _with_confidence(beads_ij, types, NULL_SRC, NULL_TGT, scorer: _BeadScorer, null_s, null_t, lo, hi, n, m,
                     look: int = 2) -> list[Bead]:
    """Bead confidence = logistic(slope * margin + intercept), margin = bead score minus the best
    alternative that re-pairs its sentences locally (same start, other shapes; for a null
    sentence: the best pairing with a nearby sentence against the cost of leaving both
    unaligned). Slope/intercept are Platt-scaled so that a score of 0.9 means ~90 % of such
    beads are exactly right on the Champollion set."""
    # Vectorised over beads: one ``terms`` call per bead shape, not one per bead and shape.
    out: list[Bead | None] = [None] * len(beads_ij)
    arr = np.array(beads_ij, dtype=np.int64).reshape(-1, 3)
    offs = np.arange(-look, look + 1)
    for kind, calib in ((NULL_SRC, _CALIB_NULL), (NULL_TGT, _CALIB_NULL)):
        rows = np.flatnonzero(arr[:, 2] == kind)
        if not len(rows):
            continue
        if kind == NULL_SRC:   # sentence s unaligned: its best pairing with a nearby target
            s = arr[rows, 0] - 1
            near = arr[rows, 1][:, None] + offs[None, :]
            ok = (near >= 0) & (near < m)
            sc = scorer.terms(1, 1, np.broadcast_to(s[:, None] + 1, near.shape), np.clip(near, 0, m - 1) + 1)
            own_null = null_s[s] + float(np.min(null_t))
        else:
            s = arr[rows, 1] - 1
            near = arr[rows, 0][:, None] + offs[None, :]
            ok = (near >= 0) & (near < n)
            sc = scorer.terms(1, 1, np.clip(near, 0, n - 1) + 1, np.broadcast_to(s[:, None] + 1, near.shape))
            own_null = null_t[s] + float(np.min(null_s))
        best = np.where(ok.any(axis=1), np.where(ok, sc, -np.inf).max(axis=1), -1e9)
        margin = own_null - best
        for r, u, mg in zip(rows.tolist(), s.tolist(), margin.tolist()):
            conf = _sigmoid(calib[0] * mg + calib[1])
            out[r] = Bead((u,), (), conf) if kind == NULL_SRC else Bead((), (u,), conf)
    rows = np.flatnonzero(arr[:, 2] < len(types))
    if len(rows):
        ab = np.array(types, dtype=np.int64)[arr[rows, 2]]
        size = ab.sum(axis=1)
        ps, pt = arr[rows, 0] - ab[:, 0], arr[rows, 1] - ab[:, 1]   # the bead's start cell
        # every shape starting at the same cell, scored per sentence covered
        alt = np.stack([scorer.terms(a2, b2, ps + a2, pt + b2) for a2, b2 in types])
        own = alt[arr[rows, 2], np.arange(len(rows))]
        alt = alt / np.array([a2 + b2 for a2, b2 in types], dtype=np.float64)[:, None] * size[None, :]
        alt[arr[rows, 2], np.arange(len(rows))] = -np.inf
        cs = np.concatenate([[0.0], np.cumsum(null_s)])
        ct = np.concatenate([[0.0], np.cumsum(null_t)])
        both_null = (cs[arr[rows, 0]] - cs[ps]) + (ct[arr[rows, 1]] - ct[pt])
        margin = own - np.maximum(alt.max(axis=0), both_null)
        for r, a, b, mg in zip(rows.tolist(), ab[:, 0].tolist(), ab[:, 1].tolist(), margin.tolist()):
            i, j = int(arr[r, 0]), int(arr[r, 1])
            out[r] = Bead(tuple(range(i - a, i)), tuple(range(j - b, j)),
                          _sigmoid(_CALIB_CONTENT[0] * mg + _CALIB_CONTENT[1]))
    return out
