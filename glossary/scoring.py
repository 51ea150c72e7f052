"""A candidate's score: the probability that a translator's reference list holds the pair,
from a logistic model over the evidence the builder gathered (Sketch Engine and TermSuite rank
by a fixed formula; a fitted one can say what its cut-off means).

The features are those of :meth:`zhen.glossary.build._Builder.features`: the best weight each
kind of evidence gave (structure, dictionary, word alignment, association, embedding), how often
the pair recurs, termhood against general language (``wordfreq``), word classes and shape. The
coefficients in :mod:`zhen.glossary.score_model` are fitted by ``bench/fit_glossary_score.py``
on the development documents only (the deck and Hansard 921008f, labelled by their reference
lists); Hansard 930422f stays held out. Rerun that script after changing a feature.
"""

from __future__ import annotations

import math

FEATURES = (
    "colon", "bracket", "quote", "bold", "title", "heading",  # the genre's markers (best weight)
    "dictionary", "walign", "association", "embedding",  # translation evidence (best weight)
    "recur",  # log of the distinct pairs it is seen in
    "zh_general", "en_general",  # Zipf frequency in general language / 7
    "zh_chars", "en_words",  # length
    "en_caps", "en_upper",  # Title Case share of content words; the whole English in capitals
    "zh_name_end", "zh_unknown",  # ends like a name (局, 計劃 …); a token jieba's dictionary lacks
    "coverage",  # the smaller of the two dictionary coverages
    "one_word_each",  # one Chinese token and one English word
    "dict_phrase",  # CC-CEDICT lists this English as the whole Chinese's gloss
    "extended",  # its English is a shorter candidate's, lengthened by the word that follows it
    "combined",  # the evidence weights combined as independent (noisy-OR, _Cand.score)
    "defined",  # a one-language source of the corpus defines it as "long form (ACRONYM)"
    "zh_np", "en_np",  # a noun phrase by its word classes (jieba's tags; LemmInflect's lexicon)
    "consistency",  # share of the Chinese's occurrences in which this English goes with it
    "colon_in_genre",  # a colon head, in a text whose colon heads translate each other
)


def probability(x: list[float]) -> float:
    from zhen.glossary.score_model import BIAS, COEF

    z = BIAS + sum(COEF.get(name, 0.0) * v for name, v in zip(FEATURES, x))
    return 1.0 / (1.0 + math.exp(-z))


def fit_logistic(rows: list[list[float]], labels: list[int], *, l2: float = 1.0, iters: int = 50) -> tuple[float, dict[str, float]]:
    """L2-regularised logistic regression by Newton's method (a few thousand rows, twenty-odd
    features: exact and quick; no scikit-learn needed). Returns (bias, {feature: coefficient})."""
    import numpy as np

    X = np.asarray(rows, dtype=float)
    y = np.asarray(labels, dtype=float)
    X1 = np.hstack([np.ones((len(X), 1)), X])
    w = np.zeros(X1.shape[1])
    reg = np.full(X1.shape[1], l2)
    reg[0] = 0.0  # the bias is not shrunk
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-(X1 @ w)))
        grad = X1.T @ (p - y) + reg * w
        hess = (X1 * (p * (1 - p))[:, None]).T @ X1 + np.diag(reg + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return float(w[0]), {name: round(float(v), 4) for name, v in zip(FEATURES, w[1:])}


__all__ = ["FEATURES", "fit_logistic", "probability"]
