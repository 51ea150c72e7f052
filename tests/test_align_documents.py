"""Aligning documents end to end: the slide deck against its golden alignment, two files,
presplit lines, the CLI formats (TMX read back by translate-toolkit), align-eval, bad input."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from zhen import corpora
from zhen.align.document import align_bilingual, align_documents, bilingual_units
from zhen.align.evaluate import read_gold, score_all
from zhen.cli import app
from conftest import EVAL, ROOT, needs_shared

runner = CliRunner()
GOLDEN = ROOT / "tests/data/golden/budget-slides-2026.gold.ladder"
CHAMP = EVAL / "champollion/eval"


@pytest.fixture(scope="module")
def deck_alignment():
    segs = corpora.segment_document("budget-slides-2026")
    return align_bilingual(segs, encoder="use-m")


def test_deck_every_pair_right(deck_alignment):
    zh, en, beads = deck_alignment
    gold = read_gold(GOLDEN)
    wrong = [(b, [zh[i].text for i in b.src], [en[j].text for j in b.tgt])
             for b in beads if (b.src, b.tgt) not in {(g.src, g.tgt) for g in gold}]
    assert not wrong
    assert score_all(gold, beads)["f1_exact"] == 1.0


def test_deck_title_block_date_and_mixed_lines(deck_alignment):
    zh, en, beads = deck_alignment
    pairs = {("".join(zh[i].text for i in b.src), " ".join(en[j].text for j in b.tgt)) for b in beads}
    assert ("2026-27年度財政預算案", "2026-27 Budget") in pairs
    assert ("創新科技及工業局相關重點措施", "Major initiatives under ITIB") in pairs  # two lines ↔ one
    assert ("", "26/2/2026") in pairs  # the date has no partner
    assert ("「人工智能」+", "Artificial Intelligence + (AI+)") in pairs
    assert ("算力基建", "Computing Infrastructure") in pairs
    assert ("「人工智能」+", "AI+") in pairs
    headers = [b for b in beads if b.src and zh[b.src[0]].text.startswith("完善創科生態圈")]
    assert len(headers) >= 8 and all(en[b.tgt[0]].text.startswith("Enhance the") for b in headers)
    assert all(0.0 <= b.score <= 1.0 for b in beads)


def test_deck_pairs_from_the_aligner_are_the_gold_pairs():
    from dataclasses import replace

    from zhen.glossary import pairs_from_deck, pairs_from_ladder

    aligned = pairs_from_deck()
    gold = pairs_from_ladder("budget-slides-2026", GOLDEN)
    assert [replace(p, score=0.0) for p in aligned] == [replace(p, score=0.0) for p in gold]
    by_text = {p.src_text: p for p in aligned}
    assert by_text["創新科技及工業局相關重點措施"].pair_id == "budget-slides-2026:6:0+budget-slides-2026:7:0"
    assert any("航空航天" in p.src_marks for p in aligned)  # bold names read back from the original


def test_units_follow_the_alternation():
    segs = corpora.segment_document("budget-slides-2026")
    units = bilingual_units(segs)
    assert units[0].zh == (0, 1, 2) and units[0].en == (0, 1, 2)
    covered_zh = [i for u in units for i in u.zh]
    assert covered_zh == list(range(len(covered_zh)))


def test_align_two_segmented_files(tmp_path):
    zh = tmp_path / "zh.txt"
    en = tmp_path / "en.txt"
    zh.write_text("新田科技城：今年將成立專屬公司推動開發。\n第3頁\n「研究人才庫」：批出15 000多個申請。\n", encoding="utf-8")
    en.write_text("San Tin Technopole: A dedicated company will be set up this year.\n"
                  "Research Talent Hub: Approved over 15 000 applications.\n", encoding="utf-8")
    result = align_documents(corpora.load_document(zh), corpora.load_document(en), encoder="use-m")
    beads = [(p.src_ids, p.tgt_ids) for p in result.pairs]
    assert beads == [((0,), (0,)), ((1,), ()), ((2,), (1,))]  # the page number stays alone
    assert result.src_lang == "zh-HK" and result.tgt_lang == "en"


@needs_shared(CHAMP)
def test_cli_presplit_ladder_and_eval(tmp_path):
    pred = tmp_path / "pred.ladder"
    result = runner.invoke(app, ["align", "--presplit", str(CHAMP / "930422fe.txt"), str(CHAMP / "930422fc.txt"),
                                 "--format", "ladder", "-o", str(pred)])
    assert result.exit_code == 0, result.output
    lines = pred.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("[0]:[0]:") or lines[0].startswith("[0]:")
    scored = runner.invoke(app, ["align-eval", str(CHAMP / "930422f.gold.align"), str(pred), "--format", "json"])
    assert scored.exit_code == 0, scored.output
    assert json.loads(scored.stdout)["f1_exact"] > 0.95


def test_cli_tmx_reads_back_in_translate_toolkit(tmp_path):
    from translate.storage import tmx

    out = tmp_path / "deck.tmx"
    result = runner.invoke(app, ["align", "--format", "tmx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    store = tmx.tmxfile.parsefile(str(out))
    units = [u for u in store.units if u.source]
    assert len(units) >= 60
    first = units[0]
    assert first.source == "2026-27年度財政預算案" and first.target == "2026-27 Budget"
    raw = out.read_bytes().decode("utf-8")
    assert 'srclang="zh-HK"' in raw and 'xml:lang="en"' in raw and "x-encoder" in raw


@pytest.mark.parametrize("fmt", ["tsv", "jsonl", "ladder"])
def test_cli_formats_to_stdout(fmt):
    result = runner.invoke(app, ["align", str(ROOT / "corpora/budget-2026-27-itib-slides.txt"), "--format", fmt,
                                 "--encoder", "use-m"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    if fmt == "ladder":
        assert text.splitlines()[:3][2].startswith("[]:[2]:")
    elif fmt == "jsonl":
        rows = [json.loads(x) for x in text.splitlines()]
        assert rows[1]["src_ids"] == [1, 2] and rows[1]["tgt_ids"] == [1]
    else:
        assert text.splitlines()[0].split("\t")[:5] == ["src_text", "tgt_text", "src_ids", "tgt_ids", "score"]


def test_bad_input_sensible_beads(tmp_path):
    """One side ten times longer, all-numeric lines, a 100k-character line, CRLF: beads cover
    every line once, in order, and nothing crashes."""
    src = tmp_path / "src.txt"
    tgt = tmp_path / "tgt.txt"
    zh_lines = ["政府今年會推出新計劃。", "12345", "一" * 100_000] + [f"第{i}項措施已經完成。" for i in range(30)]
    src.write_bytes("\r\n".join(zh_lines).encode("utf-8"))
    tgt.write_bytes("\r\n".join(["The Government will launch a new scheme this year.", "12345", "Item 3 done."]).encode("utf-16"))
    result = runner.invoke(app, ["align", "--presplit", str(src), str(tgt), "--format", "jsonl", "--encoder", "use-m"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    src_ids = [i for r in rows for i in r["src_ids"]]
    tgt_ids = [i for r in rows for i in r["tgt_ids"]]
    assert src_ids == list(range(len(zh_lines))) and tgt_ids == [0, 1, 2]
    assert rows[0]["src_ids"] == [0] and rows[0]["tgt_ids"] == [0]


@pytest.mark.parametrize(
    ("args", "pattern"),
    [
        (["align", "{empty}", "{en}"], r"empty\.txt: is empty"),
        (["align", "{en}"], r"has no Chinese text to pair"),
        (["align", "--presplit", "{en}"], r"--presplit needs two files"),
        (["align", "--encoder", "st:/nonexistent", "{en}", "{en}"], r"st:/nonexistent: no such model folder"),
        (["align", "--encoder", "st:sentence-transformers/LaBSE", "{en}", "{en}"], r"never downloads"),
    ],
)
def test_align_errors(tmp_path, args, pattern):
    import re

    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "en.txt").write_text("Only English here.\nAnother line.\n", encoding="utf-8")
    argv = [a.format(empty=tmp_path / "empty.txt", en=tmp_path / "en.txt") for a in args]
    result = runner.invoke(app, argv)
    assert result.exit_code == 3
    assert re.search(pattern, result.stderr), result.stderr


def test_align_eval_rejects_mismatched_files(tmp_path):
    gold = tmp_path / "gold.ladder"
    pred = tmp_path / "pred.ladder"
    gold.write_text("[0]:[0]\n[1]:[1]\n", encoding="utf-8")
    pred.write_text("[0]:[0]\n", encoding="utf-8")
    result = runner.invoke(app, ["align-eval", str(gold), str(pred)])
    assert result.exit_code == 3 and "does not cover the same sentences" in result.stderr
    bad = tmp_path / "bad.ladder"
    bad.write_text("[0]:[0]\nnot a bead\n", encoding="utf-8")
    result = runner.invoke(app, ["align-eval", str(gold), str(bad)])
    assert result.exit_code == 3 and "2" in result.stderr


def test_align_with_glossary_anchors(tmp_path):
    gloss = tmp_path / "g.csv"
    gloss.write_text("concept_id,en,zh,en_variants,zh_variants,status,score,frequency,evidence,note\n"
                     "c1,Information Technology and Broadcasting Bureau,資訊科技及廣播局,ITBB{acronym},,approved,1,1,,\n",
                     encoding="utf-8-sig")
    zh = tmp_path / "zh.txt"
    en = tmp_path / "en.txt"
    zh.write_text("資訊科技及廣播局\n今年推出新計劃。\n", encoding="utf-8")
    en.write_text("ITBB\nA new scheme is launched this year.\n", encoding="utf-8")
    result = runner.invoke(app, ["align", str(zh), str(en), "--glossary", str(gloss), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert [(r["src_ids"], r["tgt_ids"]) for r in rows] == [([0], [0]), ([1], [1])]
    empty = tmp_path / "empty.csv"
    empty.write_text("concept_id,en,zh,en_variants,zh_variants,status,score,frequency,evidence,note\n", encoding="utf-8")
    result = runner.invoke(app, ["align", str(zh), str(en), "--glossary", str(empty)])
    assert result.exit_code == 3 and "no zh-en term pairs" in result.stderr
