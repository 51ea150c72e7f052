"""Aligned pairs through ladder, TSV, JSON Lines and TMX files and back."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from translate.storage import tmx

from zhen.align.formats import (
    TMX_REQUIRED_HEADER_ATTRIBUTES,
    AlignedPair,
    FormatError,
    pairs_from_beads,
    parse_champollion,
    parse_ladder,
    read_beads,
    read_ladder,
    read_pairs,
    read_pairs_jsonl,
    read_pairs_tsv,
    read_tmx,
    write_ladder,
    write_pairs_jsonl,
    write_pairs_tsv,
    write_tmx,
)
from zhen.align.types import Bead

PAIRS = [
    AlignedPair((0,), (0,), "2026-27年度財政預算案", "2026-27 Budget", 0.9123, "slides",
                ("slides:0:0",), ("slides:1:0",)),
    AlignedPair((1, 2), (1,), "撥款一億元，\t加速政府數智化轉型", "To allocate \\$100 million\nfor AI",
                0.5, "slides"),
    AlignedPair((3,), (), "孤句", "", 0.0, "slides"),
    AlignedPair((), (2,), "", "An English line alone", 0.0),
    AlignedPair((4,), (3,), "𠀀 <b>&amp;</b> 港\r", "astral 😀 & <tag>", 1.0),
]


# --- ladder ------------------------------------------------------------------------------------

def test_ladder_examples() -> None:
    buf = io.StringIO()
    write_ladder([Bead((0, 1), (2,), 0.8734), Bead((), (5,), 0.0), Bead((3,), (), 1.0)], buf)
    assert buf.getvalue() == "[0,1]:[2]:0.873\n[]:[5]:0.000\n[3]:[]:1.000\n"
    assert read_ladder(buf.getvalue()) == [Bead((0, 1), (2,), 0.873), Bead((), (5,), 0.0),
                                           Bead((3,), (), 1.0)]


def test_ladder_variants() -> None:
    text = "# comment\n[0, 1]:[2]\n\n[3]:[3,4]:-0.25\r\n[5]:[]:1e-3\n"
    assert parse_ladder(text) == [Bead((0, 1), (2,), 0.0), Bead((3,), (3, 4), -0.25),
                                  Bead((5,), (), 0.001)]


def test_ladder_from_path_and_pairs(tmp_path: Path) -> None:
    path = tmp_path / "a.ladder"
    write_ladder(PAIRS, path)
    assert [b.src for b in read_ladder(path)] == [p.src_ids for p in PAIRS]
    assert read_ladder(str(path)) == read_ladder(path)


@pytest.mark.parametrize(("bad", "line"), [
    ("[0]:[0]:0.5\n[0]-[1]:0.3\n", 2),
    ("[0]:[0]:0.5\n\n[a]:[1]\n", 3),
    ("[0]:[0]:zero\n", 1),
    ("[]:[]:0.5\n", 1),
    ("[2,1]:[0]\n", 1),
])
def test_malformed_ladder_names_the_line(tmp_path: Path, bad: str, line: int) -> None:
    path = tmp_path / "bad.ladder"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(FormatError) as info:
        read_ladder(path)
    assert info.value.line == line
    assert f"{path}, line {line}:" in str(info.value)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.builds(
    Bead,
    st.lists(st.integers(0, 10_000), max_size=3, unique=True).map(lambda x: tuple(sorted(x))),
    st.lists(st.integers(0, 10_000), min_size=1, max_size=3, unique=True).map(lambda x: tuple(sorted(x))),
    st.floats(0, 1),
), max_size=20))
def test_ladder_round_trip(beads: list[Bead]) -> None:
    buf = io.StringIO()
    write_ladder(beads, buf)
    back = parse_ladder(buf.getvalue())
    assert [(b.src, b.tgt) for b in back] == [(b.src, b.tgt) for b in beads]
    assert all(abs(x.score - y.score) <= 0.0005 + 1e-9 for x, y in zip(back, beads))


@pytest.mark.parametrize(("pair", "pair_id"), [
    (PAIRS[0], "slides:0:0"),
    (PAIRS[1], "slides:1,2"),
    (PAIRS[3], "2"),
])
def test_pair_id(pair: AlignedPair, pair_id: str) -> None:
    assert pair.pair_id == pair_id


# --- Champollion -------------------------------------------------------------------------------

def test_champollion_is_one_based_with_omitted(tmp_path: Path) -> None:
    text = "1 <=> omitted\n2,3 <=> 1\n\n4 <=> 2, 3\nomitted <=> 4\n5 <=> omitted \n"
    assert [(b.src, b.tgt) for b in parse_champollion(text)] == [
        ((0,), ()), ((1, 2), (0,)), ((3,), (1, 2)), ((), (3,)), ((4,), ())]
    path = tmp_path / "g.align"
    path.write_text(text, encoding="utf-8")
    assert read_beads(path) == parse_champollion(text)
    ladder = tmp_path / "g.ladder"
    write_ladder(parse_champollion(text), ladder)
    assert read_beads(ladder) == parse_champollion(text)


@pytest.mark.parametrize(("bad", "line", "what"), [
    ("1 <=> 1\n2 => 2\n", 2, "expected 'ids <=> ids'"),
    ("1 <=> 1\n\n0 <=> 2\n", 3, "1-based"),
    ("1 <=> x\n", 1, "bad sentence ids"),
    ("omitted <=> omitted\n", 1, "both sides"),
])
def test_malformed_champollion_names_the_line(bad: str, line: int, what: str) -> None:
    with pytest.raises(FormatError, match=what) as info:
        parse_champollion(bad, source="g.align")
    assert info.value.line == line and f"g.align, line {line}:" in str(info.value)


# --- TSV / JSONL -------------------------------------------------------------------------------

@pytest.mark.parametrize("ext", [".tsv", ".jsonl"])
def test_pairs_round_trip_files(tmp_path: Path, ext: str) -> None:
    path = tmp_path / f"pairs{ext}"
    (write_pairs_tsv if ext == ".tsv" else write_pairs_jsonl)(PAIRS, path)
    assert read_pairs(path) == PAIRS
    # Detection by content when the extension says nothing.
    bare = tmp_path / "pairs.txt"
    bare.write_bytes(path.read_bytes())
    assert read_pairs(bare) == PAIRS


def test_tsv_escaping_is_one_line_per_pair(tmp_path: Path) -> None:
    buf = io.StringIO()
    write_pairs_tsv(PAIRS[1:2], buf)
    header, row, end = buf.getvalue().split("\n")
    assert end == "" and header.startswith("src_text\ttgt_text\t")
    assert row.split("\t")[:2] == ["撥款一億元，\\t加速政府數智化轉型", "To allocate \\\\$100 million\\nfor AI"]


def test_tsv_from_elsewhere_keeps_unknown_escapes() -> None:
    text = "src_text\ttgt_text\n撥款一億元\tallocate \\$100 million\n"
    (pair,) = read_pairs_tsv(io.StringIO(text))
    assert pair.tgt_text == "allocate \\$100 million" and pair.src_ids == ()


def test_bad_jsonl_and_tsv_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"src_text":"a","tgt_text":"b"}\n{"src_text":"a"\n', encoding="utf-8")
    with pytest.raises(FormatError, match=r"x\.jsonl, line 2: invalid JSON"):
        read_pairs(path)
    path.write_text('{"src_text":"a","tgt_text":"b","src_ids":["x"]}\n', encoding="utf-8")
    with pytest.raises(FormatError, match=r"x\.jsonl, line 1: src_ids must be a list of ints"):
        read_pairs(path)
    tsv = tmp_path / "x.tsv"
    tsv.write_text("src_text\ttgt_text\tsrc_ids\n甲\tA\t[0]\n乙\tB\t[0]\textra\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"x\.tsv, line 3: 4 tab-separated cells"):
        read_pairs(tsv)


def test_pairs_from_beads() -> None:
    pairs = pairs_from_beads([Bead((0, 1), (0,), 0.7), Bead((2,), (), 0.0)], ["甲。", "乙。", "丙。"],
                             ["A.", "B."], doc="d", src_seg_ids=["d:0:0", "d:0:1", "d:1:0"],
                             src_marks=[("甲",), (), ("丙",)])
    assert pairs[0] == AlignedPair((0, 1), (0,), "甲。乙。", "A.", 0.7, "d", ("d:0:0", "d:0:1"), (),
                                   ("甲",), ())
    assert pairs[0].pair_id == "d:0:0+d:0:1"
    assert pairs[1].is_null and pairs[1].tgt_text == "" and pairs[1].src_marks == ("丙",)
    assert pairs[0].swapped().swapped() == pairs[0]
    assert pairs[0].swapped().tgt_marks == ("甲",)
    with pytest.raises(IndexError, match="target sentence 5"):
        pairs_from_beads([Bead((0,), (5,), 0.1)], ["甲"], ["A"])


# --- TMX ---------------------------------------------------------------------------------------

def test_tmx_header_and_props(tmp_path: Path) -> None:
    path = tmp_path / "a.tmx"
    n = write_tmx(PAIRS, path, provenance={"encoder": "labse", "params": {"window": 3}})
    assert n == 3  # two null beads skipped
    root = etree.parse(str(path)).getroot()
    header = root.find("header")
    for attr in TMX_REQUIRED_HEADER_ATTRIBUTES:
        assert header.get(attr), attr
    assert header.get("srclang") == "zh-HK" and root.get("version") == "1.4"
    props = {p.get("type"): p.text for p in header.findall("prop")}
    assert props == {"x-encoder": "labse", "x-params": '{"window":3}'}
    tu = root.find("body/tu")
    tu_props = {p.get("type"): p.text for p in tu.findall("prop")}
    assert tu_props["x-score"] == "0.912" and tu_props["x-src-ids"] == "[0]"
    assert tu_props["x-doc"] == "slides" and tu_props["x-src-seg-ids"] == '["slides:0:0"]'
    langs = [tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in tu.findall("tuv")]
    assert langs == ["zh-HK", "en"]


def test_translate_toolkit_reads_our_tmx(tmp_path: Path) -> None:
    path = tmp_path / "a.tmx"
    write_tmx(PAIRS, path)
    store = tmx.tmxfile.parsefile(str(path))
    assert store.sourcelanguage == "zh-HK"
    full = [p for p in PAIRS if not p.is_null]
    assert [(u.source, u.target) for u in store.units] == [(p.src_text, p.tgt_text) for p in full]
    for unit in store.units:
        langs = [n.get("{http://www.w3.org/XML/1998/namespace}lang") for n in unit.getlanguageNodes()]
        assert langs == ["zh-HK", "en"]


def test_null_beads_on_request(tmp_path: Path) -> None:
    path = tmp_path / "null.tmx"
    assert write_tmx(PAIRS, path, include_null=True) == len(PAIRS)
    store = tmx.tmxfile.parsefile(str(path))
    assert [(u.source, u.target) for u in store.units][2:4] == [("孤句", ""), ("", "An English line alone")]
    assert read_tmx(path) == [AlignedPair(p.src_ids, p.tgt_ids, p.src_text, p.tgt_text,
                                          round(p.score, 3), p.doc, p.src_seg_ids, p.tgt_seg_ids)
                              for p in PAIRS]


def test_tmx_to_handles(tmp_path: Path) -> None:
    binary, text = io.BytesIO(), io.StringIO()
    write_tmx(PAIRS[:1], binary)
    write_tmx(PAIRS[:1], text)
    assert binary.getvalue().decode("utf-8") == text.getvalue()
    assert read_tmx(io.BytesIO(binary.getvalue()))[0].tgt_text == "2026-27 Budget"


def test_tmx_other_language_pair(tmp_path: Path) -> None:
    path = tmp_path / "fr.tmx"
    write_tmx(PAIRS[:1], path, srclang="fr", tgtlang="en")
    with pytest.raises(FormatError, match=r"fr\.tmx, line \d+: .*source language 'fr'"):
        read_tmx(path)
    assert read_tmx(path, srclang="fr")[0].src_text == PAIRS[0].src_text
    # zh-CN is another variety: a zh-HK reader refuses it; plain "zh" accepts both.
    cn = tmp_path / "cn.tmx"
    write_tmx(PAIRS[:1], cn, srclang="zh-CN")
    with pytest.raises(FormatError, match="zh-CN"):
        read_tmx(cn)
    assert len(read_tmx(cn, srclang="zh")) == 1


def test_tmx_external_entity_is_not_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    path = tmp_path / "evil.tmx"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "{secret.as_uri()}"> <!ENTITY big "lol">]>\n'
        '<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" '
        'o-tmf="x" adminlang="en" srclang="zh-HK" datatype="plaintext"/>\n'
        '<body><tu><tuv xml:lang="zh-HK"><seg>甲&xxe;乙</seg></tuv>'
        '<tuv xml:lang="en"><seg>A &big; B</seg></tuv></tu></body></tmx>\n',
        encoding="utf-8",
    )
    (pair,) = read_tmx(path)
    assert "TOP-SECRET" not in pair.src_text + pair.tgt_text
    assert pair.src_text == "甲&xxe;乙" and pair.tgt_text == "A &big; B"
    assert pair.src_ids == (0,) and pair.score == 0.0


def test_tmx_malformed(tmp_path: Path) -> None:
    path = tmp_path / "broken.tmx"
    path.write_text("<tmx><header/><body><tu>", encoding="utf-8")
    with pytest.raises(FormatError, match=r"broken\.tmx, line 1: not well-formed"):
        read_tmx(path)


def test_tmx_invalid_characters(tmp_path: Path) -> None:
    pair = AlignedPair((0,), (0,), "form\x0cfeed", "ok", 0.5)
    assert read_tmx(_written(tmp_path, [pair]))[0].src_text == "form\ufffdfeed"
    with pytest.raises(FormatError, match="U\\+000C"):
        write_tmx([pair], tmp_path / "e.tmx", invalid_chars="error")


def _written(tmp_path: Path, pairs: list[AlignedPair]) -> Path:
    path = tmp_path / "w.tmx"
    write_tmx(pairs, path)
    return path


# --- property round trips ----------------------------------------------------------------------

# Any text, with tabs, newlines, carriage returns, CJK and astral characters made likely.
_texts = st.text(
    alphabet=st.one_of(st.characters(exclude_categories=("Cs",)),
                       st.sampled_from(["\t", "\n", "\r", "\\", "港", "億", "𠀀", "😀", "\u2028", " "])),
    max_size=40,
)
# XML 1.0 cannot carry most control characters: the TMX round trip uses the rest.
_xml_texts = _texts.map(lambda s: "".join(
    c for c in s if c in "\t\n\r" or (c >= " " and c not in "\ufffe\uffff")))
_ids = st.lists(st.integers(0, 500), min_size=1, max_size=3, unique=True).map(lambda x: tuple(sorted(x)))
_seg_ids = st.lists(st.text(min_size=1, max_size=12), max_size=2).map(tuple)


def _pairs(texts: st.SearchStrategy[str]) -> st.SearchStrategy[list[AlignedPair]]:
    return st.lists(st.builds(
        AlignedPair, _ids, _ids, texts, texts,
        st.floats(0, 1).map(lambda x: round(x, 3)),
        st.one_of(st.none(), texts.filter(bool)), _seg_ids, _seg_ids,
    ), max_size=5)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_pairs(_texts))
def test_tsv_and_jsonl_round_trip(tmp_path: Path, pairs: list[AlignedPair]) -> None:
    for writer, reader, name in ((write_pairs_tsv, read_pairs_tsv, "p.tsv"),
                                 (write_pairs_jsonl, read_pairs_jsonl, "p.jsonl")):
        path = tmp_path / name
        writer(pairs, path)
        assert reader(path) == pairs
        buf = io.StringIO()
        writer(pairs, buf)
        buf.seek(0)
        assert reader(buf) == pairs


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_pairs(_xml_texts))
def test_tmx_round_trip(tmp_path: Path, pairs: list[AlignedPair]) -> None:
    path = tmp_path / "p.tmx"
    written = write_tmx(pairs, path, include_null=True)
    assert written == len(pairs)
    assert read_tmx(path) == pairs
    store = tmx.tmxfile.parsefile(str(path))
    assert [(u.source, u.target) for u in store.units] == [(p.src_text, p.tgt_text) for p in pairs]
