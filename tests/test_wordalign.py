"""Word alignment inside aligned pairs (align.wordalign) and what the glossary takes from it,
on a real Hansard (Champollion 921008f, gold sentence pairs), plus the fitted score's model."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EVAL, needs_shared
from zhen.align.wordalign import align_words, consistent_phrases
from zhen.corpora.words import en_words, stem
from zhen.corpora.zhtext import ZhTokenizer

HANSARD = EVAL / "champollion" / "eval"


@pytest.fixture(scope="module")
def hansard():
    from zhen.glossary.lexicon import load_cedict
    from zhen.glossary.pairs import pairs_from_gold_align

    pairs = [p for p in pairs_from_gold_align(HANSARD / "921008fe.txt", HANSARD / "921008fc.txt",
                                              HANSARD / "921008f.gold.align", doc="921008f") if p.src_text and p.tgt_text]
    tk = ZhTokenizer()
    lex = load_cedict()
    zh = [[t for t in tk.words(p.src_text) if any("\u4e00" <= ch <= "\u9fff" for ch in t)] for p in pairs]
    en = [[w.lower() for w in en_words(p.tgt_text)] for p in pairs]

    def linked(z, e):
        from zhen.corpora.zhtext import to_simplified

        return stem(e) in lex.stems(to_simplified(z))

    return zh, en, align_words(zh, en, linked=linked), lex


@needs_shared(HANSARD)
def test_the_gloss_index_prior_is_the_asked_prior(hansard):
    """``glosses=`` (an index of the English words, for corpus scale) links exactly the word
    pairs ``linked=`` asks about one by one, so the two give the same alignment."""
    from zhen.corpora.zhtext import to_simplified

    zh, en, links, lex = hansard
    fast = align_words(zh, en, glosses=lambda z: lex.stems(to_simplified(z)), en_forms=lambda w: (stem(w),))
    assert fast == links


@needs_shared(HANSARD)
def test_a_recurring_name_links_to_its_english(hansard):
    """基本法 is "Basic Law" wherever both occur: its links go to "basic" and "law", and the
    phrase pair is consistent with the alignment in most of those pairs."""
    zh, en, links, _ = hansard
    both = [k for k in range(len(zh)) if "基本法" in zh[k] and "basic" in en[k] and "law" in en[k]]
    assert len(both) >= 5
    found = 0
    for k in both:
        i = zh[k].index("基本法")
        phrases = consistent_phrases(links[k], len(zh[k]), len(en[k]), max_zh=1)
        spans = {" ".join(en[k][j1:j2 + 1]) for i1, i2, j1, j2 in phrases if i1 == i2 == i}
        found += "basic law" in spans
    assert found >= 0.7 * len(both)


@needs_shared(HANSARD)
def test_the_dictionary_prior_links_content_words_not_function_words(hansard):
    zh, en, links, _ = hansard
    function = {"the", "of", "a", "to", "and", "in", "that", "is"}
    n_links = sum(len(lk) for lk in links)
    to_function = sum(1 for k, lk in enumerate(links) for i, j in lk if en[k][j] in function)
    assert n_links > 4000 and to_function / n_links < 0.2


def test_mismatched_sides_are_an_error():
    with pytest.raises(ValueError, match="2 Chinese sides but 1 English"):
        align_words([["a"], ["b"]], [["x"]])


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 7), st.integers(1, 7), st.data())
def test_every_phrase_pair_is_consistent(m, n, data):
    cells = data.draw(st.sets(st.tuples(st.integers(0, m - 1), st.integers(0, n - 1)), max_size=m * n))
    links = frozenset(cells)
    for i1, i2, j1, j2 in consistent_phrases(links, m, n, max_zh=m, max_en=n):
        assert any(i1 <= i <= i2 and j1 <= j <= j2 for i, j in links)
        for i, j in links:
            assert (i1 <= i <= i2) == (j1 <= j <= j2), (links, (i1, i2, j1, j2))
        # tight English edges: the first and last English words are linked
        assert any(j == j1 for _, j in links) and any(j == j2 for _, j in links)


def test_the_score_model_matches_the_features():
    """The fitted coefficients name exactly the features the builder computes (a feature added
    without rerunning bench/fit_glossary_score.py would silently weigh nothing)."""
    from zhen.glossary import score_model
    from zhen.glossary.build import DEFAULT_MIN_SCORE
    from zhen.glossary.scoring import FEATURES, probability

    assert set(score_model.COEF) == set(FEATURES)
    assert 0.0 < DEFAULT_MIN_SCORE < 1.0
    assert probability([0.0] * len(FEATURES)) < DEFAULT_MIN_SCORE  # no evidence, no entry


def test_fit_logistic_separates_what_is_separable():
    from zhen.glossary.scoring import FEATURES, fit_logistic

    rows = [[float(k % 2)] + [0.0] * (len(FEATURES) - 1) for k in range(40)]
    labels = [k % 2 for k in range(40)]
    bias, coef = fit_logistic(rows, labels, l2=0.1)
    assert coef[FEATURES[0]] > 2.0 and bias < -1.0


def test_pos_tags_read_jiebas_dictionary_through_the_simplified_view():
    tk = ZhTokenizer()
    assert tk.pos("立法局") == "n" and tk.pos("確保") == "v" and tk.pos("的") == "uj"
    assert tk.pos("算力") == ""  # not in jieba's dictionary


@needs_shared(HANSARD)
def test_chunking_the_cells_does_not_change_the_alignment(hansard, monkeypatch):
    """The EM runs over chunks of cells to bound memory; chunks of a few thousand cells (many
    chunks, pairs never split) give the alignment one chunk gives."""
    import zhen.align.wordalign as wa
    from zhen.corpora.zhtext import to_simplified

    zh, en, _, lex = hansard
    zh, en = zh[:150], en[:150]
    kw = dict(glosses=lambda z: lex.stems(to_simplified(z)), en_forms=lambda w: (stem(w),))
    one = align_words(zh, en, **kw)
    monkeypatch.setattr(wa, "CHUNK_CELLS", 3000)
    assert align_words(zh, en, **kw) == one
