"""Glossary files: round trips, schema validation, other tools reading ours, hostile input."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SHARED, needs_shared
from zhen.corpora.errors import InputError
from zhen.glossary import Entry, Evidence, Glossary, Term, concept_id, parse_columns, read_glossary, read_table, write_glossary
from zhen.glossary.formats import CSV_HEADER, render_csv, render_json
from zhen.glossary.tbx import render_tbx, render_tbx2008

SCHEMAS = SHARED / "tbx-schemas"
DATE = "2026-02-26"


def _sample() -> Glossary:
    entries = [
        Entry(concept_id("New Industrialisation Acceleration Scheme", "新型工業加速計劃"),
              "New Industrialisation Acceleration Scheme", "新型工業加速計劃",
              (Term("NIAS", "acronym"),), (Term("加速計劃", "shortForm"), Term("新型工业加速计划", "simplified")),
              "approved", 0.9512, 2, (Evidence("deck:119:29", "colon", "deck"), Evidence("deck:136:34", "bold", "deck")),
              "checked, with a comma | and a pipe", "New Industrialisation Acceleration Scheme (NIAS): …", "「新型工業加速計劃」…"),
        Entry(concept_id("Hetao Hong Kong Park", "河套香港園區"), "Hetao Hong Kong Park", "河套香港園區",
              (), (Term("河套深港科技創新合作區香港園區", "fullForm"), Term("河套區", "variant", "deprecated")), "candidate", 0.85, 1),
    ]
    return Glossary.of(entries, {"toolkit": "zhen"})


def _strip_context(g: Glossary) -> list[Entry]:
    from dataclasses import replace

    return [replace(e, en_context="", zh_context="") for e in g.entries]


@pytest.mark.parametrize("name,fmt", [("g.csv", None), ("g.json", None), ("g.tbx", None), ("g.tbx", "tbx2008")])
def test_round_trip(tmp_path, name, fmt):
    g = _sample()
    write_glossary(g, tmp_path / name, fmt, date=DATE)
    back = read_glossary(tmp_path / name)
    if name.endswith(".csv"):  # CSV has no context column
        assert back.entries == tuple(_strip_context(g))
    else:
        assert back.entries == g.entries


def test_csv_layout(tmp_path):
    write_glossary(_sample(), tmp_path / "g.csv")
    data = (tmp_path / "g.csv").read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(CSV_HEADER)
    assert "NIAS{acronym}" in text and "河套區{variant;deprecated}" in text


_term = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp", "Co", "Cn")), min_size=1, max_size=12) \
    .map(lambda s: " ".join(s.split())).filter(lambda s: s and s == s.strip() and "\ufffe" not in s and "\uffff" not in s)


@st.composite
def _glossaries(draw):
    entries = {}
    for _ in range(draw(st.integers(1, 4))):
        en, zh = draw(_term), draw(_term)
        ev = tuple(Term(draw(_term), draw(st.sampled_from(["acronym", "shortForm", "variant", "fullForm"])),
                        draw(st.sampled_from(["admitted", "deprecated", "preferred"]))) for _ in range(draw(st.integers(0, 2))))
        zv = tuple(Term(draw(_term), draw(st.sampled_from(["shortForm", "simplified", "variant"]))) for _ in range(draw(st.integers(0, 2))))
        evidence = tuple(Evidence(draw(_term), draw(st.sampled_from(["colon", "bold", "dictionary"])), draw(st.sampled_from(["", "doc@1"])))
                         for _ in range(draw(st.integers(0, 2))))
        e = Entry(concept_id(en, zh), en, zh, ev, zv, draw(st.sampled_from(["candidate", "approved", "rejected"])),
                  draw(st.floats(0, 1)), draw(st.integers(0, 99)), evidence, draw(st.sampled_from(["", "a note", "zhen:x=1"])))
        entries[e.concept_id] = e
    return Glossary.of(entries.values())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(g=_glossaries())
@pytest.mark.parametrize("name,fmt", [("g.csv", None), ("g.json", None), ("g.tbx", None), ("g.tbx", "tbx2008")])
def test_round_trip_any_unicode(tmp_path, name, fmt, g):
    write_glossary(g, tmp_path / name, fmt)
    assert read_glossary(tmp_path / name).entries == g.entries
    if name == "g.tbx" and fmt is None and SCHEMAS.exists():
        rng, sch = _validators()
        doc = _etree().parse(str(tmp_path / name))
        assert rng.validate(doc) and sch.validate(doc)


def _etree():
    from lxml import etree

    return etree


_VALIDATORS = []


def _validators():
    if not _VALIDATORS:
        from lxml import etree, isoschematron

        _VALIDATORS.append((etree.RelaxNG(etree.parse(str(SCHEMAS / "TBXcoreStructV03.rng"))),
                            isoschematron.Schematron(etree.parse(str(SCHEMAS / "derived" / "TBX-Basic_DCA.xslt1.sch")))))
    return _VALIDATORS[0]


@needs_shared(SCHEMAS)
def test_tbx_v3_is_valid_tbx_basic(tmp_path):
    from lxml import etree, isoschematron

    from zhen.glossary import build_glossary, pairs_from_deck

    rng = etree.RelaxNG(etree.parse(str(SCHEMAS / "TBXcoreStructV03.rng")))
    sch = isoschematron.Schematron(etree.parse(str(SCHEMAS / "derived" / "TBX-Basic_DCA.xslt1.sch")), store_report=True)
    for g, date in ((_sample(), DATE), (_sample(), None), (build_glossary(pairs_from_deck()), DATE)):
        doc = etree.fromstring(render_tbx(g, date=date))
        assert rng.validate(doc), rng.error_log
        assert sch.validate(doc), str(sch.validation_report)


def test_translate_toolkit_reads_tbx2008(tmp_path):
    from translate.storage import tbx

    write_glossary(_sample(), tmp_path / "old.tbx", "tbx2008", date=DATE)
    store = tbx.tbxfile.parsefile(str(tmp_path / "old.tbx"))
    got = {(u.source, u.target) for u in store.units}
    assert ("New Industrialisation Acceleration Scheme", "新型工業加速計劃") in got


def test_output_is_byte_identical():
    g = _sample()
    assert render_tbx(g) == render_tbx(Glossary.of(reversed(g.entries), g.meta))
    assert render_csv(g) == render_csv(Glossary.of(reversed(g.entries)))
    assert render_json(g) == render_json(Glossary.of(reversed(g.entries), g.meta))
    assert b"<date>" not in render_tbx(g) and b"<date>2026-02-26</date>" in render_tbx2008(g, date=DATE)


def test_omegat(tmp_path):
    write_glossary(_sample(), tmp_path / "g.tsv")
    lines = (tmp_path / "g.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t")[:2] == ["新型工業加速計劃", "New Industrialisation Acceleration Scheme"]
    assert any(line.startswith("加速計劃\tNew Industrialisation Acceleration Scheme") for line in lines)
    back = read_glossary(tmp_path / "g.tsv")
    assert {(e.zh, e.en) for e in back} == {(e.zh, e.en) for e in _sample()}


# --- other people's tables --------------------------------------------------------------------

def test_parse_columns():
    assert parse_columns('en=English,zh="HK Chinese",abbr=English_Abbr') == {
        "en": "English", "zh": "HK Chinese", "abbr": "English_Abbr"}
    with pytest.raises(InputError):
        parse_columns("en=English")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-8"])
def test_import_table_any_excel_encoding(tmp_path, encoding):
    p = tmp_path / "theirs.csv"
    p.write_text('English,HK Chinese,English_Abbr\nNew Industrialisation Acceleration Scheme,新型工業加速計劃,NIAS\n'
                 '"Hetao Hong Kong Park, the",河套香港園區,\n', encoding=encoding)
    g = read_table(p, 'en=English,zh="HK Chinese",abbr=English_Abbr')
    e = g.lookup("NIAS")[0]
    assert e.zh == "新型工業加速計劃" and e.en_variants == (Term("NIAS", "acronym"),)
    assert g.lookup("河套香港園區")[0].en == "Hetao Hong Kong Park, the"


# --- bad input --------------------------------------------------------------------------------

def _csv(tmp_path, body: str, encoding="utf-8-sig") -> Path:
    p = tmp_path / "bad.csv"
    # The header of glossaries written before entries had a kind: still read, kind empty.
    p.write_text(",".join(CSV_HEADER[:-1]) + "\n" + body, encoding=encoding)
    return p


@pytest.mark.parametrize("body,line,words", [
    ("c1,AI,人工智能,,,candidate,0.5,1,,\nc2,too,few,fields\n", 3, "fields"),
    ("c1,AI,人工智能,,,candidate,0.5,1,,\nc1,NIAS,加速計劃,,,candidate,0.5,1,,\n", 3, "duplicate concept id"),
    ("c1,,人工智能,,,candidate,0.5,1,,\n", 2, "empty en"),
    ("c1,AI,人工智能,,,maybe,0.5,1,,\n", 2, "unknown status"),
    ("c1,AI,人工智能,X{weird},,candidate,0.5,1,,\n", 2, "variant type"),
    ('c1,AI,"人工智能,,,candidate,0.5,1,,\n', None, "malformed"),
])
def test_malformed_csv_names_the_line(tmp_path, body, line, words):
    with pytest.raises(InputError) as exc:
        read_glossary(_csv(tmp_path, body))
    assert words in str(exc.value) and "bad.csv" in str(exc.value)
    if line:
        assert exc.value.line == line


def test_wrong_header(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("English,Chinese\nAI,人工智能\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_glossary(p)
    assert exc.value.line == 1 and "--columns" in str(exc.value)


def test_utf16_excel_csv_is_read(tmp_path):
    g = read_glossary(_csv(tmp_path, "c1,AI,人工智能,,,approved,0.5,1,,\n", encoding="utf-16"))
    assert g.entries[0].zh == "人工智能" and g.entries[0].status == "approved"


def test_xxe_is_not_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    p = tmp_path / "evil.tbx"
    p.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE martif [<!ENTITY xxe SYSTEM "file://{secret}"><!ENTITY remote SYSTEM "http://example.invalid/x">]>
<martif type="TBX-Basic"><text><body><termEntry id="a">
<langSet xml:lang="en"><tig><term>&xxe;</term></tig></langSet>
<langSet xml:lang="zh"><tig><term>人工智能</term></tig></langSet></termEntry></body></text></martif>""", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_glossary(p)
    assert "TOP-SECRET" not in str(exc.value) and "entit" in str(exc.value)


def test_tbx2008_unknown_element(tmp_path):
    p = tmp_path / "odd.tbx"
    p.write_text("""<?xml version="1.0"?>
<martif type="TBX-Basic"><text><body><termEntry id="a">
<langSet xml:lang="en"><tig><term>AI</term><blink>x</blink></tig></langSet>
<langSet xml:lang="zh"><tig><term>人工智能</term></tig></langSet></termEntry></body></text></martif>""", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_glossary(p)
    assert "<blink>" in str(exc.value) and exc.value.line == 3


def test_tbx_duplicate_ids_and_empty_terms(tmp_path):
    entry = '<termEntry id="a"><langSet xml:lang="en"><tig><term>{}</term></tig></langSet><langSet xml:lang="zh"><tig><term>人工智能</term></tig></langSet></termEntry>'
    p = tmp_path / "dup.tbx"
    p.write_text(f'<martif type="TBX-Basic"><text><body>\n{entry.format("AI")}\n{entry.format("AI2")}\n</body></text></martif>', encoding="utf-8")
    with pytest.raises(InputError, match="duplicate concept id"):
        read_glossary(p)
    p.write_text(f'<martif type="TBX-Basic"><text><body>\n{entry.format("")}\n</body></text></martif>', encoding="utf-8")
    with pytest.raises(InputError, match="empty <term>"):
        read_glossary(p)


def test_failed_write_leaves_old_file(tmp_path):
    p = tmp_path / "g.tbx"
    write_glossary(_sample(), p)
    before, signature = p.read_bytes(), (tmp_path / "g.tbx.meta.json").read_bytes()
    bad = Glossary.of([Entry(concept_id("a", "b"), "a\x01", "b")])
    with pytest.raises(ValueError):
        write_glossary(bad, p)
    assert p.read_bytes() == before and (tmp_path / "g.tbx.meta.json").read_bytes() == signature
    assert sorted(x.name for x in tmp_path.iterdir()) == ["g.tbx", "g.tbx.meta.json"]


def test_unknown_extension(tmp_path):
    with pytest.raises(InputError, match="format"):
        write_glossary(_sample(), tmp_path / "g.xlsx")
