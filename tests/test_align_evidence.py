"""The aligner's evidence beyond the encoder: dialogue-turn quote states and lexical coverage."""

from __future__ import annotations

import numpy as np
import pytest

from zhen.align.structure import quote_states

# From MAC-dev chapter 003 (The Story of the Stone, tr. David Hawkes) and 002 (The Deer and the
# Cauldron, tr. John Minford), with the Chinese sentences they translate.
EN_TURNS = [
    ("She turned to Zhou Rui's wife.", 0),
    ("'Have you told Her Ladyship yet?'", 0),
    ("'No, ma'am.", 1),                                   # apostrophe inside an open quote
    ("I was waiting for your instructions.'", 0),
    ("He wrapped both arms round the boy's legs.", 0),    # possessive, no quote
    ("They were called 'fistcakes'.", 0),                 # a scare quote closes after a letter
    ("the boys' legs gave way", 0),                       # plural possessive outside any quote
    ("'It's easy for you to sit and talk,' said Gou-er, 'but what do you expect me to do?", 1),
    ("Go out and rob?'", 0),
    ('Finally came the word, "Camera."', 0),
]
ZH_TURNS = [
    ("说着，又问周瑞家的：“回了太太了没有？”", 0),
    ("刘老老说道：“谁叫你去打劫呢?", 1),
    ("周嫂子。”", 0),
    ("半日鸦雀不闻。", 0),
    ("才要称「姑奶奶」，只见周瑞家的说：『他是平姑娘。", 1),
]


@pytest.mark.parametrize("zh, rows", [(False, EN_TURNS), (True, ZH_TURNS)])
def test_quote_state_after_each_sentence(zh, rows):
    states, share = quote_states([t for t, _ in rows], zh)
    assert states.tolist() == [float(s) for _, s in rows]
    assert 0.0 < share <= 1.0


def test_quote_state_carries_over_sentences_without_marks():
    states, share = quote_states(["'Keep rocking.", "Sooner or later she'll talk", "about it.'"], False)
    assert states.tolist() == [1.0, 1.0, 0.0]
    assert share == pytest.approx(2 / 3)


def test_learned_table_and_coverage_on_real_pairs():
    from zhen.align.lexical import learn_table, lexical_sides, pair_evidence

    zh = ["韦小宝大怒，翻滚过去。", "韦小宝右足反踢。", "那男孩双手猛推。", "韦小宝一阵晕眩，动弹不得。", "两人同时跌倒。"]
    en = ["Trinket was furious.", "Trinket kicked with his right foot.", "The boy pushed with both hands.",
          "Trinket went out like a light.", "The two of them went down together."]
    sides = lexical_sides(zh, en)
    table = learn_table(sides, [(0, 0), (1, 1), (3, 3)])
    # 韦小宝 (a name no dictionary holds) is learned from the anchors it co-occurs in
    assert "trink" in table.get("韦小宝", frozenset())
    n = len(zh)
    ev = pair_evidence(sides, table, True, np.zeros(n, np.int64), np.full(n, len(en), np.int64))
    I = np.arange(1, n + 1)
    own = ev.block(I - 1, I, I - 1, I)                          # each sentence with its translation
    shifted = ev.block(I[:-1] - 1, I[:-1], I[:-1], I[:-1] + 1)  # with the next one's
    assert own.mean() > shifted.mean()
    assert (own > 0).sum() >= 4
