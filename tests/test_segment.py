"""Bilingual segmentation on the real slide deck and small inline cases."""

from __future__ import annotations

import re
from collections import defaultdict

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhen import corpora
from zhen.corpora.segment import (
    segment_schema,
    table_schema,
    segment_text,
    split_mixed,
    split_sentences_en,
    split_sentences_zh,
    text_lang,
)


@pytest.fixture(scope="module")
def deck():
    doc = corpora.load_source("budget-slides-2026")
    return doc, corpora.segment_document(doc)


def test_deck_lines_split_into_zh_and_en(deck):
    doc, segs = deck
    langs_by_line = defaultdict(set)
    for s in segs:
        langs_by_line[s.line].add(s.lang)
    zh_only = sum(1 for v in langs_by_line.values() if v == {"zh"})
    en_only = sum(1 for v in langs_by_line.values() if v == {"en"})
    mixed = sorted(line for line, v in langs_by_line.items() if v == {"zh", "en"})
    # Every non-blank line of the deck is one language except the three mixed ones.
    nonblank = [i for i, line in enumerate(doc.text.split("\n"), 1) if line.strip()]
    assert len(langs_by_line) == len(nonblank)
    assert len(mixed) == 3
    assert zh_only == en_only == 59


@pytest.mark.parametrize(
    ("zh", "en"),
    [
        ("「人工智能」+", "Artificial Intelligence + (AI+)"),
        ("算力基建", "Computing Infrastructure"),
        ("「人工智能」+", "AI+"),
    ],
)
def test_deck_mixed_lines(deck, zh, en):
    _, segs = deck
    by_line = defaultdict(list)
    for s in segs:
        by_line[s.line].append(s)
    pairs = [(a.text, b.text) for ss in by_line.values() if len(ss) == 2 for a, b in [ss] if a.lang == "zh" and b.lang == "en"]
    assert (zh, en) in pairs


def test_deck_keeps_embedded_latin_in_chinese(deck):
    _, segs = deck
    texts = {s.text: s for s in segs}
    innohk = next(s for s in segs if s.text.startswith("「InnoHK創新香港研發平台」(InnoHK)："))
    assert innohk.lang == "zh" and innohk.text.endswith("建造等行業")
    raise_ = next(s for s in segs if "100億元RAISe+已批出49個項目" in s.text)
    assert raise_.lang == "zh" and raise_.text.startswith("深化產學研協作")
    assert "InnoHK：已有十六所研發中心" in texts  # bold markup removed, bullet glyphs gone


def test_deck_structure(deck):
    _, segs = deck
    title = [s.text for s in segs if s.kind == "title"]
    assert title[:5] == ["2026-27年度財政預算案", "創新科技及工業局", "相關重點措施", "2026-27 Budget",
                         "Major initiatives under ITIB"]
    assert {s.slide for s in segs if s.kind == "title"} == {1}
    headers = [s for s in segs if s.text.startswith("完善創科生態圈，推進香港「新型工業化」") and s.kind == "heading"]
    assert len(headers) >= 7 and all(s.section == "1" for s in headers if s.slide > 2)
    assert sum(s.continued for s in headers) >= 6  # （續） removed from text, kept as a flag
    assert all("（續）" not in s.text and "(Continued)" not in s.text for s in segs)
    assert max(s.slide for s in segs) >= 10
    sections = {s.section for s in segs if s.slide and s.slide > 2}
    assert sections == {"1", "2", "3"}
    bullet = next(s for s in segs if s.text.startswith("AI Subsidy Scheme:"))
    assert bullet.kind == "bullet" and bullet.lang == "en"
    # A terms marker the glossary relies on: no bullets, asterisks or escapes left in text.
    assert not any(re.search(r"[◆➤*]|\\\$|^- ", s.text) for s in segs)
    assert any("$100 million" in s.text for s in segs)


def test_every_bundled_source_segments_with_round_trip_offsets():
    for src in corpora.list_sources():
        doc = corpora.load_source(src.id)
        segs = corpora.segment_document(doc)
        assert len(segs) > 100, src.id
        assert len({s.id for s in segs}) == len(segs), "ids are unique"
        for s in segs:
            original = doc.text[s.start:s.end]
            words = re.findall(r"[A-Za-z0-9]+|[\u4e00-\u9fff]", s.text)
            assert words, s
            pos = 0
            for w in words:  # every word of the segment, in order, inside original[start:end]
                pos = original.find(w, pos)
                assert pos >= 0, (s.id, w, original[:80])
                pos += len(w)


def test_pdf_line_breaks_are_joined():
    segs = corpora.segment_document("it-overview-2025")
    joined = [s for s in segs if "to form an extensive I&T ecosystem chain" in s.text]
    assert len(joined) == 1
    citid = next(s for s in segs if "was established in March 2023 to advise" in s.text)
    assert citid.kind == "sentence"


def test_estimates_tables_and_headings():
    doc = corpora.load_source("estimates-2026-head135")
    segs = corpora.segment_document(doc)
    rows = [s for s in segs if s.kind == "table_row"]
    assert any(s.text == "Estimate 2026–27 | $342.7m" for s in rows)
    assert any(s.kind == "heading" and s.text == "Controlling Officer's Report" for s in segs)
    tables = corpora.extract_tables(doc.text, doc.id)
    assert tables.schema == pl.Schema(table_schema())
    cell = tables.filter(pl.col("text") == "$342.7m")
    assert cell.height == 1
    start, end = cell.row(0, named=True)["start"], cell.row(0, named=True)["end"]
    # Offsets point into the original: at the dollar sign, just after the markdown escape.
    assert doc.text[start:end] == "$342.7m" and doc.text[start - 1] == "\\"
    frame = corpora.segments_frame(segs)
    assert frame.schema == pl.Schema(segment_schema()) and frame.height == len(segs)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The ITF was set up in 1999, i.e. over 25 years ago. It has funded R&D projects.", 2),
        ("Funding of $2.5 billion was approved on 26/2/2026. Projects started soon after.", 2),
        ("The ratio is 1 (Government): 2 (enterprise). Applications open in May.", 2),
        ("Contact Hong Kong Productivity Council Ltd. for details.", 1),
        ("See No. 5 of the list, e.g. the Data Technology Hub. Then apply.", 2),
        ("Mr. Chan met Dr. Wong at 3 p.m. yesterday.", 1),
        ("It grew by 41.0%. Expenditure rose.", 2),
        ("Was it approved? Yes! It was.", 3),
        ("Initial focus is on AI. To comprise experts, scholars and enterprises.", 2),
    ],
)
def test_english_sentence_splitting(text, expected):
    spans = split_sentences_en(text)
    assert len(spans) == expected, [text[a:b] for a, b in spans]
    assert "".join(text[a:b] for a, b in spans).replace(" ", "") == text.replace(" ", "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("於2025年12月正式開園。第一期首批落成兩座濕實驗室大樓已吸引超過60家企業落戶", 2),
        ("他說：「計劃已批出。」其後公布結果！是否延長？", 3),
        ("以「1+3」的模式推進；加上三所由大學籌建的分院", 2),
        ("本港整體算力達每秒5 000千萬億次浮點運算次數，是支持AI發展的重要基礎", 1),
    ],
)
def test_chinese_sentence_splitting(text, expected):
    spans = split_sentences_zh(text)
    assert len(spans) == expected
    assert "".join(text[a:b] for a, b in spans) == text


@pytest.mark.parametrize(
    ("text", "langs"),
    [
        ("◆ 算力基建 Computing Infrastructure", ["zh", "en"]),
        ("「人工智能」+ Artificial Intelligence + (AI+)", ["zh", "en"]),
        ("「InnoHK創新香港研發平台」(InnoHK)：累計資助16間實驗室", ["zh"]),
        ("100億元RAISe+已批出49個項目", ["zh"]),
        ("InnoHK：匯聚超過3 000名海內外科研人員", ["zh"]),
        ("Computing Infrastructure 算力基建", ["en", "zh"]),
        ("Hong Kong (香港) is a city", ["en"]),
        ("支持 AI 發展", ["zh"]),
    ],
)
def test_mixed_line_splitting(text, langs):
    assert [lang for lang, _, _ in split_mixed(text)] == langs


@pytest.mark.parametrize(
    ("text", "lang"),
    [("新型工業化", "zh"), ("new industrialisation", "en"), ("AI赋能公共服務", "zh"), ("26/2/2026", "en"),
     ("RAISe+ 計劃", "zh"), ("the Hetao zone (河套)", "en")],
)
def test_language_by_script(text, lang):
    assert text_lang(text) == lang


def test_long_single_line_is_linear():
    line = ("創新科技及工業局推動新型工業化，" * 20_000) + ("The Bureau promotes new industrialisation. " * 40_000)
    segs = segment_text(line, "big")
    assert segs and segs[-1].end <= len(line)
    assert sum(len(s.text) for s in segs) > 0.9 * len(line.replace(" ", "")) * 0.9


_piece = st.sampled_from(
    list("新型工業化計劃人工智能。，：「」（）ABC Def ghi.*#<>b/\\$-◆➤\t123") + ["**", "<b>", "</b>", "（續）", "(Continued)"]
)
_line = st.lists(_piece, max_size=25).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(_line, max_size=12))
def test_segment_offsets_property(lines):
    text = "\n".join(lines)
    for s in segment_text(text, "p"):
        assert 0 <= s.start <= s.end <= len(text)
        original = text[s.start:s.end]
        pos = 0
        for ch in re.sub(r"[\s|]", "", s.text):
            pos = original.find(ch, pos)
            assert pos >= 0, (s, original)
            pos += 1
