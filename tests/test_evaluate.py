"""Gold readers and metrics, on hand-made beads and on the real gold under ../shared/eval."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhen.align.evaluate import (GoldFormatError, exact_bead_scores, merge_beads_by_verse, read_gold,
                                 read_verses, strict_lax_scores)
from zhen.align.formats import FormatError, parse_champollion
from zhen.align.types import Bead

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
CHAMP = EVAL / "champollion" / "eval"
BIBLE = EVAL / "bible" / "data" / "bible"
needs_eval = pytest.mark.skipif(not CHAMP.is_dir(), reason="../shared/eval not present")

CHAMP_SIZES = {  # doc: (English lines, Chinese lines, gold beads), from the corpus README
    "198706005": (178, 226, 214), "200110006": (284, 186, 191), "890621f": (1047, 1113, 1013),
    "921008f": (467, 464, 429), "930422f": (413, 384, 376), "UN19930101_020": (471, 549, 543),
    "UN19990209_010": (928, 944, 918),
}


def test_gold_ladder_without_scores(tmp_path):
    p = tmp_path / "gold.ladder"
    p.write_text("[0]:[0]\n[1,2]:[1]:0.75\n[]:[2]\n[3]:[]\n", encoding="utf-8")
    assert read_gold(p, 4, 3) == [Bead((0,), (0,), 0.0), Bead((1, 2), (1,), 0.75), Bead((), (2,), 0.0),
                                  Bead((3,), (), 0.0)]


def test_parse_champollion_is_one_based_with_omitted():
    beads = parse_champollion("1 <=> omitted\n2,3 <=> 1\n4 <=> 2,3\nomitted <=> 4\n5 <=> omitted \n")
    assert [(b.src, b.tgt) for b in beads] == [((0,), ()), ((1, 2), (0,)), ((3,), (1, 2)), ((), (3,)), ((4,), ())]


def test_malformed_lines_name_file_and_line(tmp_path):
    p = tmp_path / "bad.align"
    p.write_text("1 <=> 1\n2 => 2\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"bad.align, line 2"):
        read_gold(p)
    q = tmp_path / "bad.ladder"
    q.write_text("[0]:[0]\n[1]-[1]\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"bad.ladder, line 2"):
        read_gold(q)
    r = tmp_path / "zero.align"
    r.write_text("0 <=> 1\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"zero.align, line 1: .*1-based"):
        read_gold(r)


def test_coverage_errors(tmp_path):
    p = tmp_path / "gap.align"
    p.write_text("1 <=> 1\n3 <=> 2\n", encoding="utf-8")
    with pytest.raises(GoldFormatError, match=r"gap.align: source sentences not covered.*\[1\]"):
        read_gold(p, 3, 2)
    q = tmp_path / "dup.ladder"
    q.write_text("[0]:[0]\n[0]:[1]\n", encoding="utf-8")
    with pytest.raises(GoldFormatError, match=r"dup.ladder, line 2: source sentence 0 already in bead 1"):
        read_gold(q)
    r = tmp_path / "short.ladder"
    r.write_text("[0]:[0]\n", encoding="utf-8")
    with pytest.raises(GoldFormatError, match="target sentences not covered"):
        read_gold(r, 1, 3)


def test_strict_lax_follow_vecalign_quirks():
    gold = [((0,), (0,)), ((1, 2), (1,)), ((), (2,)), ((3,), (3,))]
    # perfect prediction
    assert strict_lax_scores(gold, gold)["f1_strict"] == 1.0
    pred = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((), (2,)), ((3,), (3,))]
    r = strict_lax_scores(gold, pred)
    # precision over all 5 predicted beads (nulls included): (0)-(0), ()-(2), (3)-(3) exact
    assert r["precision_strict"] == pytest.approx(3 / 5)
    # lax: (1)-(1) overlaps gold (1,2)-(1); (2)-() has no target so it is not lax-correct
    assert r["precision_lax"] == pytest.approx(4 / 5)
    # recall over the 3 non-null gold beads vs the 3 non-null predicted ones
    assert r["recall_strict"] == pytest.approx(2 / 3)
    assert r["recall_lax"] == pytest.approx(1.0)


def test_exact_bead_scores_count_nulls():
    gold = [Bead((0,), (0,)), Bead((1, 2), (1,)), Bead((), (2,)), Bead((3,), ())]
    pred = [Bead((0,), (0,)), Bead((1,), (1,)), Bead((2,), ()), Bead((), (2,)), Bead((3,), ())]
    r = exact_bead_scores(gold, pred)
    assert r["precision_exact"] == pytest.approx(3 / 5)
    assert r["recall_exact"] == pytest.approx(3 / 4)
    assert r["null_recall"] == 1.0
    assert r["many_recall"] == 0.0
    # several documents pool their counts
    r2 = exact_bead_scores([gold, gold], [pred, gold])
    assert r2["recall_exact"] == pytest.approx(7 / 8)


def test_merge_beads_by_verse():
    sv = ["v1", "v1", "v2", "v3"]
    tv = ["v1", "v2", "v2", "v3", "v3"]
    pred = [Bead((0,), (0,), 0.9), Bead((1,), (), 0.5), Bead((2,), (1,), 0.8), Bead((), (2,), 0.7),
            Bead((3,), (3, 4), 0.9)]
    merged = merge_beads_by_verse(pred, sv, tv)
    assert [(b.src, b.tgt) for b in merged] == [((0, 1), (0,)), ((2,), (1, 2)), ((3,), (3, 4))]
    assert merged[0].score == 0.5
    # a bead straddling two verses is never merged
    assert len(merge_beads_by_verse([Bead((0, 2), (0,)), Bead((1,), (1,))], sv, tv)) == 2


@needs_eval
@pytest.mark.parametrize("doc", sorted(CHAMP_SIZES))
def test_real_champollion_gold(doc):
    n_en, n_zh, n_beads = CHAMP_SIZES[doc]
    beads = read_gold(CHAMP / f"{doc}.gold.align", n_en, n_zh)
    assert len(beads) == n_beads
    r = exact_bead_scores(beads, beads)
    assert r["f1_exact"] == 1.0
    with pytest.raises(GoldFormatError, match=f"{doc}.gold.align: target sentences not covered"):
        read_gold(CHAMP / f"{doc}.gold.align", n_en, n_zh + 1)


@needs_eval
def test_real_bible_gold_and_verses():
    gold = read_gold(BIBLE / "gold" / "001.align", 5000, 6301)
    assert len(gold) == 4747
    ev, zv = read_verses(BIBLE / "en.verse"), read_verses(BIBLE / "zh.verse")
    assert len(ev) == 5000 and len(zv) == 6301
    # every gold bead inside one verse is rebuilt from sentence-level null beads by the merge
    fine = []
    for b in gold:
        fine += [Bead((s,), ()) for s in b.src] + [Bead((), (t,)) for t in b.tgt]
    merged = {(b.src, b.tgt) for b in merge_beads_by_verse(fine, ev, zv)}
    one_verse = [b for b in gold if len({ev[i] for i in b.src} | {zv[j] for j in b.tgt}) == 1]
    assert len(one_verse) > 4600
    assert all((b.src, b.tgt) in merged for b in one_verse)
