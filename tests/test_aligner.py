"""Aligner behaviour on real zh/en text: shapes of beads, evidence hooks, a real gold document."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from zhen.align.aligner import align_segments, latin_tokens
from zhen.align.evaluate import exact_bead_scores, read_gold
from zhen.align.types import Bead

CHAMP = Path(__file__).resolve().parents[2] / "shared" / "eval" / "champollion" / "eval"

# A LegCo-style snippet: EN line 2+3 are one Chinese sentence; "12" is a page number on the
# Chinese side only; the last English line has no Chinese counterpart.
EN = [
    "The Council met at half-past Two o'clock.",
    "The Secretary for Financial Services moved the second reading of the Banking (Amendment) Bill 1992.",
    "The Bill amends the Banking Ordinance.",
    "It gives the Monetary Authority new powers to supervise deposit-taking companies.",
    "The cost of the scheme is estimated at $220 million in 1993.",
    "Innovation and Technology Commission funding for InnoHK reached a record level.",
    "Question put and agreed to.",
    "Printed and published by the Government Printer, Hong Kong Government.",
]
ZH = [
    "下午二时三十分开始会议。",
    "财经事务司动议二读《1992年银行业（修订）条例草案》，该条例草案修订《银行业条例》。",
    "12",
    "条例草案赋予金融管理专员新的权力，以监管接受存款公司。",
    "该计划的费用估计在一九九三年为2.2亿元。",
    "创新科技署对InnoHK的拨款创新高。",
    "问题付诸表决，获得通过。",
]


def _pairs(beads):
    return [(b.src, b.tgt) for b in beads]


def _check_cover(beads, n, m):
    src = [i for b in beads for i in b.src]
    tgt = [j for b in beads for j in b.tgt]
    assert src == list(range(n)) and tgt == list(range(m))  # monotone and exactly once
    assert all(0.0 <= b.score <= 1.0 for b in beads)
    assert all(len(b.src) + len(b.tgt) >= 1 for b in beads)


@pytest.fixture(scope="module")
def use_m():
    from zhen.align.encoders import get_encoder

    return get_encoder("use-m")


def test_inline_legco_snippet(use_m):
    beads = align_segments(EN, ZH, encoder=use_m)
    _check_cover(beads, len(EN), len(ZH))
    pairs = _pairs(beads)
    assert ((0,), (0,)) in pairs
    assert ((1, 2), (1,)) in pairs          # 2-1 bead
    assert ((), (2,)) in pairs              # page number left alone
    assert ((4,), (4,)) in pairs and ((5,), (5,)) in pairs and ((6,), (6,)) in pairs
    assert ((7,), ()) in pairs              # the printer's line has no partner
    by = {(b.src, b.tgt): b.score for b in beads}
    assert by[((0,), (0,))] > 0.5 and by[((4,), (4,))] > 0.5


def test_zh_as_source_mirrors(use_m):
    beads = align_segments(ZH, EN, encoder=use_m)
    _check_cover(beads, len(ZH), len(EN))
    assert ((1,), (1, 2)) in _pairs(beads)


@pytest.mark.parametrize(("numbered_en", "numbered_zh"), [
    ("The fee was raised to $220 million.", "收費已增至2.2億元。"),
    ("The committee met on 21 June 1989 and agreed.", "委員會於一九八九年六月二十一日開會。"),
])
def test_numbers_across_languages_act_as_anchors(numbered_en, numbered_zh):
    # the same sum or date written the English and the Chinese way (zhen.corpora.numbers)
    src = [numbered_en, "The meeting ended."]
    tgt = ["會議結束了，大家回家吧。", numbered_zh]
    plain = align_segments(src, tgt, encoder="hash", number_weight=0.0, max_bead=2)
    assert _pairs(plain) == [((0,), (0,)), ((1,), (1,))]   # hash encoder: order wins
    beads = align_segments(src, tgt, encoder="hash", number_weight=1.0, max_bead=2)
    assert ((0,), (1,)) in _pairs(beads)  # the shared number wins over order


def test_latin_tokens():
    assert latin_tokens("总督奕信爵士， K.C.M.G（主席）") == ["kcmg"]
    assert "innohk" in latin_tokens("創新科技署對InnoHK的撥款")


@pytest.mark.parametrize("seed", range(6))
def test_random_documents_are_covered_monotonically(seed):
    rng = random.Random(seed)
    words = "alpha beta gamma delta 2024 LegCo 創新 科技 政府 會議 100 million".split()
    n, m = rng.randint(0, 25), rng.randint(0, 25)
    src = [" ".join(rng.choices(words, k=rng.randint(1, 8))) for _ in range(n)]
    tgt = ["".join(rng.choices(words, k=rng.randint(1, 8))) for _ in range(m)]
    beads = align_segments(src, tgt, encoder="hash", max_bead=4, max_side=3)
    _check_cover(beads, n, m)
    assert all(len(b.src) <= 3 and len(b.tgt) <= 3 and len(b.src) + len(b.tgt) <= 4 for b in beads)


def test_empty_sides():
    assert align_segments([], [], encoder="hash") == []
    assert _pairs(align_segments(["a", "b"], [], encoder="hash")) == [((0,), ()), ((1,), ())]
    assert _pairs(align_segments([], ["甲"], encoder="hash")) == [((), (0,))]


def test_bad_arguments():
    with pytest.raises(ValueError, match="max_bead"):
        align_segments(["a"], ["b"], encoder="hash", max_bead=1)
    with pytest.raises(ValueError, match="unknown encoder"):
        align_segments(["a"], ["b"], encoder="nope")


def test_glossary_pairs_act_as_anchors():
    src = ["The Innovation and Technology Fund opened.", "Applications closed in May."]
    tgt = ["截止日期為五月。", "創新及科技基金開放申請。"]
    gloss = [("創新及科技基金", "Innovation and Technology Fund")]
    plain = align_segments(src, tgt, encoder="hash", token_weight=3.0, max_bead=2)
    assert _pairs(plain) == [((0,), (0,)), ((1,), (1,))]   # hash encoder: order wins
    beads = align_segments(src, tgt, encoder="hash", glossary=gloss, token_weight=3.0, max_bead=2)
    _check_cover(beads, 2, 2)
    assert ((0,), (1,)) in _pairs(beads)  # the glossary pair wins over order


@pytest.mark.skipif(not CHAMP.is_dir(), reason="../shared/eval not present")
def test_real_hansard_document(use_m):
    en = (CHAMP / "921008fe.txt").read_text(encoding="ascii").splitlines()
    zh = (CHAMP / "921008fc.txt").read_bytes().decode("gb18030").splitlines()
    gold = read_gold(CHAMP / "921008f.gold.align", len(en), len(zh))
    beads = align_segments([s.strip() for s in en], [s.strip() for s in zh], encoder=use_m)
    _check_cover(beads, len(en), len(zh))
    r = exact_bead_scores(gold, beads)
    assert r["f1_exact"] > 0.95
    assert r["many_recall"] > 0.8
    # confidence means something: a right bead outscores a wrong one at least 4 times in 5 (AUC)
    gs = {(b.src, b.tgt) for b in gold}
    right = [b.score for b in beads if (b.src, b.tgt) in gs]
    wrong = [b.score for b in beads if (b.src, b.tgt) not in gs]
    auc = sum((r > w) + 0.5 * (r == w) for r in right for w in wrong) / (len(right) * len(wrong))
    assert auc > 0.8
    assert isinstance(beads[0], Bead)


def test_document_level_confidence_lowers_a_loose_translations_beads():
    """The same margin-calibrated confidence means less in a document whose beads are on the
    whole less certain; the step is monotone within a document."""
    import numpy as np

    from zhen.align.aligner import DOC_CALIBRATION, document_calibrated

    sure = np.array([0.99] * 50 + [0.95])
    loose = np.array([0.8] * 50 + [0.95])
    a, b = document_calibrated(sure)[-1], document_calibrated(loose)[-1]
    assert b < a
    mixed = np.linspace(0.3, 0.999, 40)
    assert np.all(np.diff(document_calibrated(mixed)) > 0)
    assert np.allclose(document_calibrated(mixed, (1.0, 0.0, 0.0)), mixed, atol=1e-5)
    assert DOC_CALIBRATION[1] > 0


def _mac_chapter(ch: str):
    """(Chinese lines, English lines, gold beads as (src, tgt) pairs) of a MAC-dev chapter."""
    from conftest import EVAL

    mac = EVAL / "mac-dev"
    if not mac.exists():
        pytest.skip("needs ../shared/eval/mac-dev")
    zh = (mac / "zh" / ch).read_text("utf-8").splitlines()
    en = (mac / "en" / ch).read_text("utf-8").splitlines()
    return zh, en, {(b.src, b.tgt) for b in read_gold(mac / "gold" / f"{ch}.align", len(zh), len(en))}


def test_document_level_confidence_on_a_literary_chapter(use_m):
    """MAC-dev chapter 002 (a loose literary translation, development data): of its beads at
    confidence >= 0.9, more are exactly right with the document step than with the margin alone."""
    zh, en, gold = _mac_chapter("002")

    def right_at_09(beads):
        hi = [(b.src, b.tgt) in gold for b in beads if b.score >= 0.9]
        return sum(hi) / len(hi)

    plain = align_segments(zh, en, encoder=use_m, doc_calibration=None)
    stepped = align_segments(zh, en, encoder=use_m)
    assert [(b.src, b.tgt) for b in plain] == [(b.src, b.tgt) for b in stepped]   # same beads
    assert right_at_09(stepped) > right_at_09(plain)


def test_one_long_sentence_rendered_as_five_or_six(use_m):
    """MAC-dev chapter 002 renders a long Chinese sentence as five English sentences once and as
    six once (gold beads 1-5 and 1-6). Beads of one sentence against up to ``max_fan`` = 6 find
    both exactly, and the chapter's beads are more often exactly right than with ``max_fan=4``
    (which cannot hold them and splits their neighbourhood wrongly)."""
    zh, en, gold = _mac_chapter("002")
    fans = {g for g in gold if len(g[0]) == 1 and len(g[1]) >= 5}
    assert len(fans) >= 2
    beads = {(b.src, b.tgt) for b in align_segments(zh, en, encoder=use_m)}
    narrow = {(b.src, b.tgt) for b in align_segments(zh, en, encoder=use_m, max_fan=4)}
    found = fans & beads
    assert {len(t) for _, t in found} >= {5, 6}
    assert len(beads & gold) > len(narrow & gold)
