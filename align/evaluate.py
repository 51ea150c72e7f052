"""Gold alignments and the sentence-alignment metrics used in the field.

Gold files are ladders or Champollion ``.align`` files, read by :mod:`zhen.align.formats`;
:func:`read_gold` reads either and checks that it covers every sentence exactly once.

Metrics
-------
* :func:`strict_lax_scores` reproduces Vecalign's ``score.py`` (also shipped unchanged in Bertalign's
  ``eval.py``), quirks included: *precision* is computed over every predicted bead **including** null
  beads (a predicted 1-0 / 0-1 is right only if the gold has exactly that bead), *recall* over the
  non-null gold beads only. "Strict" counts exact beads, "lax" a predicted bead that overlaps some
  gold bead on both sides (Langlais et al. 1998 via Thompson & Koehn 2019). Counts are pooled over
  documents before the ratios, as ``score_multiple`` does.
* :func:`exact_bead_scores`: exact-bead P/R/F1 where null beads count like any other bead (the
  figure in the Bertalign paper's tables), plus null-bead recall and many-to-many recall.
* :func:`merge_beads_by_verse` joins consecutive predicted beads that fall inside one verse, the
  protocol of Bertalign's ``eval_bible.py`` for the verse-derived Bible gold.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from zhen.align.formats import FormatError, read_beads
from zhen.align.types import Bead

__all__ = [
    "GoldFormatError",
    "read_gold",
    "check_coverage",
    "merge_beads_by_verse",
    "read_verses",
    "Counts",
    "strict_lax_counts",
    "strict_lax_scores",
    "exact_bead_scores",
    "score_all",
]

BeadLike = Bead | tuple[Sequence[int], Sequence[int]]


class GoldFormatError(FormatError):
    """A gold alignment that does not cover every sentence exactly once."""


def _as_pair(b: BeadLike) -> tuple[tuple[int, ...], tuple[int, ...]]:
    if isinstance(b, Bead):
        return b.src, b.tgt
    s, t = b
    return tuple(int(x) for x in s), tuple(int(x) for x in t)


# --------------------------------------------------------------------------- gold

def check_coverage(beads: Sequence[BeadLike], n_src: int | None, n_tgt: int | None, *, name: str = "<beads>") -> None:
    """Raise :class:`GoldFormatError` unless every id 0..n-1 of each side occurs exactly once.

    ``None`` for a size means "0..max id seen". ``k`` in messages is the bead's 1-based position
    (= line number for files without blank lines). Crossing beads are allowed: the Champollion
    gold has a few (``200110006``: ``237,240 <=> 156`` / ``239,241 <=> 157``), which no monotonic
    aligner can reproduce.
    """
    for side, n in ((0, n_src), (1, n_tgt)):
        label = "source" if side == 0 else "target"
        seen: dict[int, int] = {}
        for k, b in enumerate(beads, 1):
            ids = _as_pair(b)[side]
            for x in ids:
                if x in seen:
                    raise GoldFormatError(f"{label} sentence {x} already in bead {seen[x]}", source=name,
                                          line=k, fix="list each sentence in one bead")
                seen[x] = k
        total = (max(seen) + 1 if seen else 0) if n is None else n
        missing = [x for x in range(total) if x not in seen]
        extra = [x for x in seen if x >= total]
        if missing:
            raise GoldFormatError(f"{label} sentences not covered by any bead: {missing[:10]}"
                                  f"{' ...' if len(missing) > 10 else ''} ({len(missing)} in all)", source=name,
                                  fix="check that the gold belongs to these texts")
        if extra:
            raise GoldFormatError(f"{label} ids beyond the text's {total} lines: {sorted(extra)[:10]}",
                                  source=name, fix="check that the gold belongs to these texts")


def read_gold(path: str | Path, n_src: int | None = None, n_tgt: int | None = None) -> list[Bead]:
    """Beads of a ladder or Champollion gold file, checked to cover both sides (sizes optional,
    see :func:`check_coverage`). Champollion beads are 0-based with the left side as ``src``."""
    beads = read_beads(Path(path))
    check_coverage(beads, n_src, n_tgt, name=str(path))
    return beads


# --------------------------------------------------------------------------- verse merge

def read_verses(path: str | Path) -> list[str]:
    """One verse id per line (``Gen:1:2``), as ``en.verse`` / ``zh.verse``."""
    return [line.strip() for line in Path(path).read_text(encoding="utf-8").splitlines()]


def merge_beads_by_verse(beads: Sequence[BeadLike], src_verse: Sequence[str], tgt_verse: Sequence[str]) -> list[Bead]:
    """Join consecutive predicted beads lying inside one verse (Bertalign ``eval_bible.py``).

    A bead "lies in" verse *v* when all its sentences on both sides carry verse *v*, or one side is
    empty and the other is all *v*. Consecutive beads with the same such verse are merged; a bead
    spanning two verses (or two different verses on its sides) is never merged. The merged score
    is the minimum of the parts (a chain is as sure as its weakest bead).
    """
    def verse_of(b: tuple[tuple[int, ...], tuple[int, ...]]) -> str | None:
        sv = {src_verse[i] for i in b[0]}
        tv = {tgt_verse[j] for j in b[1]}
        if len(sv) > 1 or len(tv) > 1:
            return None
        if sv and tv:
            return next(iter(sv)) if sv == tv else None
        return next(iter(sv or tv), None)

    out: list[list] = []
    last = None
    for b in beads:
        pair = _as_pair(b)
        score = b.score if isinstance(b, Bead) else 0.0
        v = verse_of(pair)
        if v is not None and v == last and out:
            out[-1][0].extend(pair[0])
            out[-1][1].extend(pair[1])
            out[-1][2] = min(out[-1][2], score)
        else:
            out.append([list(pair[0]), list(pair[1]), score])
        last = v
    return [Bead(tuple(s), tuple(t), sc) for s, t, sc in out]


# --------------------------------------------------------------------------- metrics

@dataclass
class Counts:
    """Raw counts behind Vecalign's strict/lax precision (``p_*``) and recall (``r_*``)."""

    p_strict_tp: int = 0
    p_strict_fp: int = 0
    p_lax_tp: int = 0
    p_lax_fp: int = 0
    r_strict_tp: int = 0
    r_strict_fn: int = 0
    r_lax_tp: int = 0
    r_lax_fn: int = 0

    def __iadd__(self, other: "Counts") -> "Counts":
        for k in self.__dataclass_fields__:
            setattr(self, k, getattr(self, k) + getattr(other, k))
        return self


def _precision_counts(gold, test) -> tuple[int, int, int, int]:
    """(strict tp, strict fp, lax tp, lax fp) of ``test`` against ``gold`` (both sets of id pairs)."""
    tgt_of_src: dict[int, set[int]] = defaultdict(set)
    for gs, gt in gold:
        for s in gs:
            tgt_of_src[s].update(gt)
    stp = sfp = ltp = lfp = 0
    for ts, tt in test:
        if (ts, tt) in gold:
            stp += 1
            ltp += 1
            continue
        sfp += 1
        reach: set[int] = set()
        for s in ts:
            reach |= tgt_of_src.get(s, set())
        if reach.intersection(tt):
            ltp += 1
        else:
            lfp += 1
    return stp, sfp, ltp, lfp


def strict_lax_counts(gold: Sequence[BeadLike], pred: Sequence[BeadLike]) -> Counts:
    """Counts for one document, as Vecalign ``score.py``: precision over all predicted beads
    (nulls included), recall over non-null gold beads vs non-null predicted beads."""
    g = {_as_pair(b) for b in gold}
    p = {_as_pair(b) for b in pred}
    g.discard(((), ()))
    p.discard(((), ()))
    c = Counts()
    c.p_strict_tp, c.p_strict_fp, c.p_lax_tp, c.p_lax_fp = _precision_counts(g, p)
    g_nn = {b for b in g if b[0] and b[1]}
    p_nn = {b for b in p if b[0] and b[1]}
    c.r_strict_tp, c.r_strict_fn, c.r_lax_tp, c.r_lax_fn = _precision_counts(p_nn, g_nn)
    return c


def _ratio(a: int, b: int) -> float:
    return a / (a + b) if a + b else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def strict_lax_scores(golds: Sequence[Sequence[BeadLike]] | Sequence[BeadLike],
                      preds: Sequence[Sequence[BeadLike]] | Sequence[BeadLike]) -> dict[str, float]:
    """Strict/lax P/R/F1 pooled over documents (Vecalign ``score_multiple``).

    Accepts one document (two bead lists) or several (two lists of bead lists).
    """
    golds_l, preds_l = _as_docs(golds), _as_docs(preds)
    total = Counts()
    for g, p in zip(golds_l, preds_l, strict=True):
        total += strict_lax_counts(g, p)
    ps, pl = _ratio(total.p_strict_tp, total.p_strict_fp), _ratio(total.p_lax_tp, total.p_lax_fp)
    rs, rl = _ratio(total.r_strict_tp, total.r_strict_fn), _ratio(total.r_lax_tp, total.r_lax_fn)
    return {"precision_strict": ps, "recall_strict": rs, "f1_strict": _f1(ps, rs),
            "precision_lax": pl, "recall_lax": rl, "f1_lax": _f1(pl, rl)}


def _as_docs(x) -> list[list[BeadLike]]:
    x = list(x)
    if not x:
        return [x]
    first = x[0]
    if isinstance(first, Bead):
        return [x]
    # a bead given as a pair of id sequences, or a document given as a list of beads?
    if isinstance(first, tuple) and len(first) == 2 and all(
            isinstance(v, (tuple, list)) and all(isinstance(i, int) for i in v) for v in first):
        return [x]
    return [list(d) for d in x]


def exact_bead_scores(golds, preds) -> dict[str, float]:
    """Exact-bead P/R/F1 with null beads counted like any other bead (Bertalign paper tables),
    plus recall of the gold null beads (1-0, 0-1) and of the gold many-to-many beads (neither
    null nor 1-1). Pooled over documents."""
    golds_l, preds_l = _as_docs(golds), _as_docs(preds)
    tp = n_pred = n_gold = 0
    null_tp = null_gold = mm_tp = mm_gold = 0
    for g, p in zip(golds_l, preds_l, strict=True):
        gs = {_as_pair(b) for b in g}
        ps = {_as_pair(b) for b in p}
        hit = gs & ps
        tp += len(hit)
        n_pred += len(ps)
        n_gold += len(gs)
        for b in gs:
            if not b[0] or not b[1]:
                null_gold += 1
                null_tp += b in hit
            elif len(b[0]) > 1 or len(b[1]) > 1:
                mm_gold += 1
                mm_tp += b in hit
    p_ = tp / n_pred if n_pred else 0.0
    r_ = tp / n_gold if n_gold else 0.0
    return {"precision_exact": p_, "recall_exact": r_, "f1_exact": _f1(p_, r_),
            "null_recall": null_tp / null_gold if null_gold else float("nan"),
            "many_recall": mm_tp / mm_gold if mm_gold else float("nan"),
            "n_gold": n_gold, "n_pred": n_pred, "n_null_gold": null_gold, "n_many_gold": mm_gold}


def score_all(golds, preds) -> dict[str, float]:
    """Strict/lax (Vecalign) and exact-bead scores in one dict."""
    out = strict_lax_scores(golds, preds)
    out.update(exact_bead_scores(golds, preds))
    return out
