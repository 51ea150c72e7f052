"""Chinese text tools: a private jieba tokenizer over the hk2s view, OpenCC keys, folding."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhen.corpora.keys import cased_key, match_key
from zhen.corpora.zhtext import ZhTokenizer, fold_quotes, fold_width, to_hk, to_simplified


@pytest.fixture(scope="module")
def tokenizer():
    return ZhTokenizer(user_words=["產學研1+計劃", "新型工業加速計劃"])


def test_tokens_map_back_to_traditional_text(tokenizer):
    text = "「新型工業加速計劃」（「加速計劃」）：已公布支持4個項目，涉及總投資約25億元"
    tokens = tokenizer.tokenize(text)
    assert "".join(t.text for t in tokens) == text
    for t in tokens:
        assert text[t.start:t.end] == t.text
    words = [t.text for t in tokens]
    assert "新型工業加速計劃" in words  # a user word, given in Traditional, matched through hk2s
    assert "總投資" in words or "投資" in words  # Traditional text segmented by a Simplified dictionary


def test_user_words_and_private_instance(tokenizer):
    import jieba

    assert "產學研1+計劃" in tokenizer.words("「產學研1+計劃」（RAISe+）：已支持15個相關項目")
    # jieba's global tokenizer is untouched: our user words live only in our instance.
    assert jieba.dt is not tokenizer._tokenizer()
    assert "新型工業加速计划" not in jieba.dt.FREQ


@pytest.mark.parametrize(
    ("text", "expected"),
    [("AI赋能公共服務", "AI賦能公共服務"), ("創新科技及工業局", "創新科技及工業局"), ("数据园区", "數據園區")],
)
def test_to_hk_shows_traditional(text, expected):
    assert to_hk(text) == expected


def test_simplified_view_keeps_length():
    text = "河套深港科技創新合作區香港園區（河套香港園區）"
    view = to_simplified(text)
    assert len(view) == len(text) and view.startswith("河套深港科技创新合作区")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("「加速計劃」", '"加速计划"'),
        ("ＡＩ賦能", "ai赋能"),
        ("AI赋能", "AI賦能"),
        ("New  Industrialisation\u200b Scheme", "new industrialisation scheme"),
        ("“new industrialisation”", '"new industrialisation"'),
    ],
)
def test_match_key_folds_script_width_quotes_case(a, b):
    assert match_key(a) == match_key(b)


def test_folding_is_length_preserving():
    assert fold_width("ＡＩ１２　計劃") == "AI12 計劃"
    assert fold_quotes("「人工智能」") == '"人工智能"'


@given(st.text(alphabet=st.sampled_from(list("AbCdEÉéＡａ xyZ-–’'\"「」計劃賦能赋\u200b\n\t*.,")), max_size=40))
def test_cased_key_is_the_key_with_its_case(text):
    """Character for character the key (the glossary reads a candidate's capitals at the key's
    offsets), with upper case kept."""
    cased = cased_key(text)
    assert len(cased) == len(match_key(text)) and cased.lower() == match_key(text)


def test_cased_key_keeps_capitals():
    assert cased_key("Ｈong  Kong\u200b Government") == "Hong Kong Government"
