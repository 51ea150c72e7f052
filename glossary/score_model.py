"""Coefficients of :func:`zhen.glossary.scoring.probability`. Written by
``bench/fit_glossary_score.py --write`` (do not edit by hand; rerun it)."""

BIAS = -4.2951
COEF: dict[str, float] = {
    'colon': 0.2805,
    'bracket': 0.5414,
    'quote': 1.1895,
    'bold': 1.9089,
    'title': -0.5952,
    'heading': -0.0859,
    'dictionary': -0.9991,
    'walign': 1.5605,
    'association': 1.1173,
    'embedding': 0.0,
    'recur': 0.2641,
    'zh_general': -2.1425,
    'en_general': 0.2946,
    'zh_chars': -0.8862,
    'en_words': -1.2566,
    'en_caps': 0.4287,
    'en_upper': -0.4517,
    'zh_name_end': 0.5592,
    'zh_unknown': -0.6827,
    'coverage': 0.9366,
    'one_word_each': -1.5215,
    'dict_phrase': 1.6545,
    'extended': -0.9043,
    'combined': 3.4357,
    'defined': 1.3882,
    'zh_np': 0.8483,
    'en_np': 0.5155,
    'consistency': -0.2331,
    'colon_in_genre': 0.33,
}
#: The cut-off: the lowest within 0.005 of the best F0.5 of reference recall and
#: precision pooled over the four development documents (reference precision >= 0.5).
THRESHOLD = 0.24
