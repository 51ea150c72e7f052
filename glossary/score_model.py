"""Coefficients of :func:`zhen.glossary.scoring.probability`. Written by
``bench/fit_glossary_score.py --write`` (do not edit by hand; rerun it)."""

BIAS = -3.3948
COEF: dict[str, float] = {
    'colon': 0.1173,
    'bracket': 0.4132,
    'quote': 0.8767,
    'bold': 1.7987,
    'title': -0.5626,
    'heading': 0.496,
    'dictionary': -0.7403,
    'walign': 1.3391,
    'association': 1.0309,
    'embedding': 0.0,
    'recur': 0.255,
    'zh_general': -1.9442,
    'en_general': -0.0558,
    'zh_chars': -1.0392,
    'en_words': -1.2967,
    'en_caps': 0.4501,
    'en_upper': -0.3124,
    'zh_name_end': 0.8327,
    'zh_unknown': -0.4675,
    'coverage': 0.2674,
    'one_word_each': -1.5202,
    'dict_phrase': 1.6108,
    'extended': -1.6489,
    'combined': 3.2609,
    'defined': 1.1017,
    'zh_np': 0.8253,
    'en_np': 0.4359,
    'consistency': -0.1481,
    'colon_in_genre': 0.138,
}
#: The cut-off: the lowest within 0.005 of the best F0.5 of reference recall and
#: precision pooled over the four development documents (reference precision >= 0.5).
THRESHOLD = 0.26
