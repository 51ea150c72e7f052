"""XLIFF from CAT tools: reading 1.2 and 2.x (inline codes as placeholders), the round trip through
a real client (translate-toolkit writes the XLIFF and reads the annotated copy back), and the ITS
2.0 Localization Quality Issue markup zhen writes.

Here the annotated files are checked for what the ITS 2.0 spec asks of the parts zhen adds: the
XLIFF and ITS namespaces, its:version, issue types from the ITS list, severities 0–100, and every
reference resolving to its standoff record in the same unit. Validation against the official
XLIFF 1.2 and 2.0 schemas is tests/test_xliff_schema.py."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from zhen.align.formats import read_pairs
from zhen.align.xliff import ITS, PLACEHOLDER, XLIFF_12, read_xliff, write_xliff
from zhen.cli import app
from zhen.corpora.errors import InputError

DATA = Path(__file__).parent / "data" / "check"
DECK_PAIRS = DATA / "deck-pairs.tsv"
DECK_GLOSSARY = DATA / "deck-glossary.csv"
# ITS 2.0 §8.15.3, the locQualityIssueType values.
ITS_TYPES = {"terminology", "mistranslation", "omission", "untranslated", "addition", "duplication",
             "inconsistency", "grammar", "legal", "register", "locale-specific-content", "locale-violation",
             "style", "characters", "misspelling", "typographical", "formatting", "inconsistent-entities",
             "numbers", "markup", "pattern-problem", "whitespace", "internationalization", "length",
             "non-conformance", "uncategorized", "other"}
# (text that finds the deck pair, old, new, check that must fire)
SEEDS = [
    ("New Industrialisation Acceleration Scheme (NIAS)", "New Industrialisation Acceleration Scheme",
     "New Industrial Acceleration Programme", "near-miss"),
    ("New Industrialisation Funding Scheme", "Funding Scheme", "Support Scheme", "missing-term"),
    ("$10 billion RAISe+", "$10 billion", "$1 billion", "number"),
]


def _seeded_deck():
    pairs = list(read_pairs(DECK_PAIRS))
    where = {}
    for find, old, new, check_name in SEEDS:
        i = next(k for k, p in enumerate(pairs) if find in p.tgt_text)
        pairs[i] = replace(pairs[i], tgt_text=pairs[i].tgt_text.replace(old, new, 1))
        where[check_name] = i
    return pairs, where


def _check_its(data: bytes) -> etree._Element:
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    assert root.get(f"{{{ITS}}}version") == "2.0"
    issues = root.findall(f".//{{{ITS}}}locQualityIssue")
    assert issues
    for issue in issues:
        assert issue.get("locQualityIssueType") in ITS_TYPES
        assert 0 <= float(issue.get("locQualityIssueSeverity")) <= 100
        assert issue.get("locQualityIssueComment").startswith("zhen ")
    for el in root.iter():
        ref = el.get(f"{{{ITS}}}locQualityIssuesRef") if isinstance(el.tag, str) else None
        if ref:
            unit = next(a for a in el.iterancestors() if etree.QName(a).localname in ("trans-unit", "unit"))
            assert unit.find(f"{{{ITS}}}locQualityIssues[@{{http://www.w3.org/XML/1998/namespace}}id='{ref[1:]}']") \
                is not None
    return root


def test_translate_toolkit_round_trip(tmp_path):
    """translate-toolkit writes the XLIFF 1.2 a CAT tool would hand over; zhen check finds the
    seeded errors on the right units, writes a copy with ITS issues, leaves the input alone, and
    translate-toolkit reads the copy back with every unit and target intact."""
    xliff = pytest.importorskip("translate.storage.xliff")
    pairs, where = _seeded_deck()
    store = xliff.xlifffile(sourcelanguage="zh-HK", targetlanguage="en")
    for k, p in enumerate(pairs):
        unit = store.addsourceunit(p.src_text)
        unit.setid(f"seg-{k + 1}")
        unit.settarget(p.tgt_text)
    src = tmp_path / "deck.xlf"
    src.write_bytes(bytes(store))
    before = hashlib.sha256(src.read_bytes()).hexdigest()

    runner = CliRunner()
    out_csv = tmp_path / "findings.csv"
    res = runner.invoke(app, ["check", "--glossary", str(DECK_GLOSSARY), str(src), "--format", "csv", "-o", str(out_csv)])
    assert res.exit_code in (0, 1), res.output
    import polars as pl

    frame = pl.read_csv(out_csv, infer_schema_length=0)
    for check_name, i in where.items():
        hits = frame.filter((pl.col("check") == check_name) & (pl.col("unit_id") == f"seg-{i + 1}"))
        assert hits.height >= 1, (check_name, i)
    assert set(frame.get_column("file").to_list()) == set(store.getfilenames())  # the <file original>

    out = tmp_path / "deck.checked.xlf"
    res = runner.invoke(app, ["check", "--glossary", str(DECK_GLOSSARY), str(src), "--format", "xliff", "-o", str(out)])
    assert res.exit_code in (0, 1), res.output
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before
    root = _check_its(out.read_bytes())
    assert etree.QName(root).namespace.startswith("urn:oasis:names:tc:xliff:document:1.")

    back = xliff.xlifffile.parsestring(out.read_bytes())
    assert [(u.xmlelement.get("id"), u.source, u.target) for u in back.units] == \
           [(f"seg-{k + 1}", p.src_text, p.tgt_text) for k, p in enumerate(pairs)]
    near = back.units[where["near-miss"]].xmlelement
    comments = [i.get("locQualityIssueComment") for i in near.iter(f"{{{ITS}}}locQualityIssue")]
    assert any("near-miss" in c and "New Industrial Acceleration Programme" in c for c in comments)
    flagged = {k for k, u in enumerate(back.units) if u.xmlelement.find(f"{{{ITS}}}locQualityIssues") is not None}
    assert set(where.values()) <= flagged
    # The annotated copy reads back into the same pairs: the annotations add no text.
    assert [p.tgt_text for p in read_xliff(out).pairs] == [p.tgt_text for p in pairs]


def test_xliff2_round_trip(tmp_path):
    xliff2 = pytest.importorskip("translate.storage.xliff2")
    pairs, where = _seeded_deck()
    src = tmp_path / "deck.xlf"
    write_xliff(pairs, src, version="2.0")
    out = tmp_path / "out.xlf"
    res = CliRunner().invoke(app, ["check", "--glossary", str(DECK_GLOSSARY), str(src), "--format", "xliff", "-o", str(out)])
    assert res.exit_code in (0, 1), res.output
    _check_its(out.read_bytes())
    back = xliff2.Xliff2File.parsestring(out.read_bytes())
    assert [u.target for u in back.units] == [p.tgt_text for p in pairs]
    doc = read_xliff(out)
    assert (doc.version, doc.src_lang, doc.tgt_lang) == ("2.0", "zh-HK", "en")
    assert [p.tgt_text for p in doc.pairs] == [p.tgt_text for p in pairs]


XLIFF12_INLINE = f"""<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="{XLIFF_12}">
 <file original="slides.pptx" source-language="zh-HK" target-language="en" datatype="x-pptx">
  <body>
   <group id="g1">
    <trans-unit id="t1">
     <source><g id="1">新型工業加速計劃</g>已支持<x id="2"/>兩間企業</source>
     <target state="needs-review-translation"><bpt id="1">&lt;b&gt;</bpt>New Industrial Acceleration Programme<ept id="1">&lt;/b&gt;</ept> (NIAS) has supported<x id="2"/> two enterprises</target>
     <note>check the name</note>
    </trans-unit>
   </group>
   <trans-unit id="t2"><source>未翻譯</source></trans-unit>
   <trans-unit id="t3" translate="no"><source>InnoHK</source><target>InnoHK</target></trans-unit>
  </body>
 </file>
</xliff>
"""

XLIFF2_INLINE = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="2.1" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="zh-HK" trgLang="en">
 <file id="f1">
  <unit id="u1">
   <notes><note>title</note></notes>
   <segment id="s1" state="translated"><source><pc id="1">新型工業加速計劃</pc></source><target><pc id="1">New Industrial Acceleration Programme</pc> (NIAS)<ph id="2"/></target></segment>
   <segment id="s2"><source>已支持</source><target>supported<cp hex="00A0"/>it</target></segment>
  </unit>
 </file>
</xliff>
"""


def test_read_xliff12_inline_codes_and_units(tmp_path):
    path = tmp_path / "in.xlf"
    path.write_text(XLIFF12_INLINE, encoding="utf-8")
    doc = read_xliff(path)
    assert (doc.version, doc.src_lang, doc.tgt_lang) == ("1.2", "zh-HK", "en")
    (unit,) = doc.units  # t2 has no target, t3 is not to be translated
    p = unit.pair
    assert (p.unit_id, p.doc, unit.state, unit.notes) == ("t1", "slides.pptx", "needs-review-translation", ("check the name",))
    assert p.src_text == f"新型工業加速計劃已支持{PLACEHOLDER}兩間企業"
    assert p.tgt_text == f"{PLACEHOLDER}New Industrial Acceleration Programme{PLACEHOLDER} (NIAS) has supported{PLACEHOLDER} two enterprises"


def test_read_xliff2_segments(tmp_path):
    path = tmp_path / "in.xlf"
    path.write_text(XLIFF2_INLINE, encoding="utf-8")
    doc = read_xliff(path)
    assert doc.version == "2.1"
    assert [(u.pair.unit_id, u.pair.doc, u.pair.tgt_text, u.notes) for u in doc.units] == [
        ("u1#s1", "f1", f"New Industrial Acceleration Programme (NIAS){PLACEHOLDER}", ("title",)),
        ("u1#s2", "f1", "supported\u00a0it", ("title",)),
    ]


@pytest.mark.parametrize("text", [XLIFF12_INLINE, XLIFF2_INLINE])
def test_findings_point_into_text_with_codes(tmp_path, text):
    """Offsets count an inline code as one position: the span is the text it names."""
    path = tmp_path / "in.xlf"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "findings.jsonl"
    res = CliRunner().invoke(app, ["check", "--glossary", str(DECK_GLOSSARY), str(path), "--format", "jsonl",
                                   "-o", str(out), "--check", "near-miss"])
    assert res.exit_code == 0, res.output
    import json

    (row,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert row["tgt_span"] == "New Industrial Acceleration Programme"
    assert row["tgt_text"][row["tgt_start"]:row["tgt_end"]] == row["tgt_span"]
    annotated = tmp_path / "out.xlf"
    res = CliRunner().invoke(app, ["check", "--glossary", str(DECK_GLOSSARY), str(path), "--format", "xliff",
                                   "-o", str(annotated), "--check", "near-miss"])
    assert res.exit_code == 0, res.output
    _check_its(annotated.read_bytes())
    assert "<!DOCTYPE" not in annotated.read_text(encoding="utf-8")


def test_xliff_output_refuses_bad_requests(tmp_path):
    path = tmp_path / "in.xlf"
    path.write_text(XLIFF12_INLINE, encoding="utf-8")
    runner = CliRunner()
    same = runner.invoke(app, ["check", "--glossary", str(DECK_GLOSSARY), str(path), "--format", "xliff", "-o", str(path)])
    assert same.exit_code == 3 and "never writes over it" in same.output
    assert path.read_text(encoding="utf-8") == XLIFF12_INLINE
    tsv = runner.invoke(app, ["check", "--glossary", str(DECK_GLOSSARY), str(DECK_PAIRS), "--format", "xliff",
                              "-o", str(tmp_path / "x.xlf")])
    assert tsv.exit_code == 3 and "is not an XLIFF file" in tsv.output
    assert not (tmp_path / "x.xlf").exists()


@pytest.mark.parametrize("text,problem", [
    ("<xliff version='1.2' xmlns='urn:oasis:names:tc:xliff:document:1.2'><file>", "not well-formed"),
    ("<tmx version='1.4'/>", "not an XLIFF"),
    ("<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><xliff version='1.2' "
     "xmlns='urn:oasis:names:tc:xliff:document:1.2'><file><body><trans-unit id='1'><source>&e;</source>"
     "<target>&e;</target></trans-unit></body></file></xliff>", None),
])
def test_bad_or_hostile_xliff(tmp_path, text, problem):
    path = tmp_path / "bad.xlf"
    path.write_text(text, encoding="utf-8")
    if problem:
        with pytest.raises(InputError, match=problem):
            read_xliff(path)
        return
    (unit,) = read_xliff(path).units  # the entity is never expanded
    assert "root:" not in unit.pair.tgt_text


def test_spelling_rules_are_configurable(tmp_path):
    path = tmp_path / "in.xlf"
    pairs = [replace(p, tgt_text=p.tgt_text.replace("Industrialisation", "Industrialization"))
             for p in read_pairs(DECK_PAIRS)]
    write_xliff(pairs, path)
    runner = CliRunner()

    def checks(*extra):
        import json

        res = runner.invoke(app, ["check", "--glossary", str(DECK_GLOSSARY), str(path), "--format", "jsonl",
                                  "--check", "missing-term", "--check", "spelling-variant", *extra])
        return [json.loads(line)["check"] for line in res.output.splitlines()]

    folded, strict = checks(), checks("--spelling", "none")
    assert "spelling-variant" in folded and "spelling-variant" not in strict
    assert folded.count("missing-term") < strict.count("missing-term")
    bad = runner.invoke(app, ["check", "--glossary", str(DECK_GLOSSARY), str(path), "--spelling", "colour"])
    assert bad.exit_code == 2
