"""Coefficients of :func:`zhen.glossary.scoring.probability`. Written by
``bench/fit_glossary_score.py --write`` (do not edit by hand; rerun it)."""

BIAS = -4.028
COEF: dict[str, float] = {
    'colon': 0.2083,
    'bracket': 0.4952,
    'quote': 0.9759,
    'bold': 1.8036,
    'title': -0.5816,
    'heading': 0.5309,
    'dictionary': -1.0111,
    'walign': 1.4779,
    'association': 1.1658,
    'embedding': 0.0,
    'recur': 0.2669,
    'zh_general': -2.1947,
    'en_general': 0.155,
    'zh_chars': -0.8725,
    'en_words': -1.3208,
    'en_caps': 0.4928,
    'en_upper': -0.2219,
    'zh_name_end': 0.7534,
    'zh_unknown': -0.5069,
    'coverage': 0.8447,
    'one_word_each': -1.5837,
    'dict_phrase': 1.7077,
    'extended': -0.9659,
    'combined': 3.418,
    'defined': 1.2789,
    'zh_np': 0.8803,
    'en_np': 0.4182,
    'consistency': -0.2307,
    'colon_in_genre': 0.2451,
}
#: The cut-off: the lowest within 0.005 of the best F0.5 of reference recall and
#: precision pooled over the four development documents (reference precision >= 0.5).
THRESHOLD = 0.3
