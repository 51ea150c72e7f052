"""Entity normalisation on the real sources: acronyms per source, deck names across sources,
no over-merging, reported ambiguity, both output modes, schemas, and properties."""

from __future__ import annotations

import json
import re

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhen import corpora
from zhen.corpora.errors import InputError
from zhen.glossary import Entry, Glossary, Term
from zhen.corpora.keys import key_view, match_key as name_key
from zhen.glossary.entities import (
    alias_schema,
    build_registry,
    entity_schema,
    issue_schema,
    mention_schema,
    normalise_documents,
    normalise_text,
    parse_annotated,
    read_seeds,
    unresolved_schema,
    write_normalisation,
)
from zhen.glossary.entities.sources import source_definitions
from zhen.glossary.entities.variants import expand_variants

DOCS = [s.id for s in corpora.list_sources()]


@pytest.fixture(scope="module")
def deck_glossary():
    from zhen import glossary
    return glossary.build_glossary(glossary.pairs_from_deck())


@pytest.fixture(scope="module")
def docs():
    return [corpora.load_source(d) for d in DOCS]


@pytest.fixture(scope="module")
def result(deck_glossary, docs):
    return normalise_documents(docs, deck_glossary, mode="annotate")


@pytest.fixture(scope="module")
def registry(result):
    return result.registry


def _entity_of(registry, name):
    found = registry.lookup(name)
    assert len(found) == 1, f"{name!r} -> {[e.canonical_en for e in found]}"
    return found[0]


def _mentions(result, doc, surface=None):
    return [m for m in result.mentions if m.doc == doc and (surface is None or m.surface == surface)]


# --- acronyms resolve in every source that uses them ------------------------------------------

@pytest.mark.parametrize("doc,acronym,canonical", [
    ("it-overview-2025", "ITF", "Innovation and Technology Fund"),
    ("it-overview-2025", "DPO", "Digital Policy Office"),
    ("estimates-2026-head135", "DPO", "Digital Policy Office"),
    ("yearbook-2024-ch16", "HKSTPC", "Hong Kong Science and Technology Parks Corporation"),
    ("estimates-2024-head135", "HKSTPC", "Hong Kong Science and Technology Parks Corporation"),
    ("yearbook-2024-ch16", "GBA", "Guangdong-Hong Kong-Macao Greater Bay Area"),
    ("budget-slides-2026", "NIAS", "New Industrialisation Acceleration Scheme"),
    ("it-overview-2025", "NIAS", "New Industrialisation Acceleration Scheme"),
    ("estimates-2026-head135", "ITIF", "Innovation and Technology Industry-Oriented Fund"),
    ("it-overview-2025", "MRDI", "Hong Kong Microelectronics Research and Development Institute"),
    ("it-overview-2025", "HSITP", "Hetao Hong Kong Park"),
    ("estimates-2024-head135", "HSITP", "Hetao Hong Kong Park"),
    ("estimates-2026-head135", "SMPG", "Shenzhen Municipal People's Government"),
    ("estimates-2024-head135", "SMPG", "Shenzhen Municipal People's Government"),
    ("budget-slides-2026", "ITIB", "Innovation, Technology and Industry Bureau"),
    ("it-overview-2025", "RAISE+", "Research, Academic and Industry Sectors One plus (RAISe+) Scheme"),
    ("budget-slides-2026", "RAISe+", "Research, Academic and Industry Sectors One plus (RAISe+) Scheme"),
    ("estimates-2024-head135", "SITZ", "Shenzhen Park"),
    ("estimates-2024-head135", "OGCIO", "Office of the Government Chief Information Officer"),
    ("it-overview-2025", "TechTAS", "Technology Talent Admission Scheme"),
])
def test_acronym_resolves_in_source(result, doc, acronym, canonical):
    found = [m for m in _mentions(result, doc)
             if m.surface == acronym or (m.surface.startswith(acronym + " ") and m.method == "acronym")]
    assert found, f"{acronym} not found in {doc}"
    assert {m.canonical_en for m in found} == {canonical}
    assert all(m.method == "acronym" for m in found)


def test_every_defined_acronym_resolves_wherever_used(result, docs):
    """Every acronym any source defines (bar the ignored fields) is resolved at every use."""
    ignore = read_seeds().ignore
    acronyms = {d.short for doc in docs for d in source_definitions(doc.text, doc.id)
                if d.kind == "acronym" and d.lang == "en" and " " not in d.short and name_key(d.short) not in ignore}
    assert {"ITF", "DPO", "HKSTPC", "GBA", "NIAS", "ITIF", "MRDI", "HSITP", "SMPG"} <= acronyms
    missing = []
    for doc in docs:
        spans = [(m.start, m.end) for m in _mentions(result, doc.id)]
        for acr in acronyms:
            for occ in re.finditer(rf"(?<![\w.@/-]){re.escape(acr)}(?![\w+])", doc.text):
                if not any(s <= occ.start() < e for s, e in spans):
                    missing.append((doc.id, acr, occ.start()))
    assert not missing


# --- deck names linked to the English documents -----------------------------------------------

@pytest.mark.parametrize("names,docs_required", [
    (["Hetao Hong Kong Park", "Hong Kong Park", "Hong Kong-Shenzhen Innovation and Technology Park", "HSITP",
      "河套香港園區", "河套深港科技創新合作區香港園區"], DOCS),
    (["Hong Kong Artificial Intelligence Research and Development Institute",
      "Hong Kong AI Research and Development Institute", "香港人工智能研發院"],
     ["budget-slides-2026", "estimates-2026-head135", "it-overview-2025"]),
    (["New Industrialisation Acceleration Scheme", "NIAS", "加速計劃", "新型工業加速計劃"],
     ["budget-slides-2026", "estimates-2026-head135", "it-overview-2025", "yearbook-2024-ch16"]),
    (["Research, Academic and Industry Sectors One plus (RAISe+) Scheme", "Research, Academic and Industry Sectors One-plus Scheme",
      "RAISE+", "產學研1+計劃"], DOCS),
    (["AI Subsidy Scheme", "人工智能資助計劃"], ["budget-slides-2026", "it-overview-2025", "yearbook-2024-ch16"]),
    (["Innovation and Technology Fund", "ITF", "創新及科技基金"], DOCS),
    (["InnoHK Research Clusters", "InnoHK"], DOCS),
])
def test_deck_names_link_across_sources(result, registry, names, docs_required):
    ids = {_entity_of(registry, n).entity_id for n in names}
    assert len(ids) == 1
    eid = ids.pop()
    seen = {m.doc for m in result.mentions if m.entity_id == eid}
    assert set(docs_required) <= seen


def test_yearbook_ocr_slip_only_inside_a_name(result):
    ocr = [m for m in _mentions(result, "yearbook-2024-ch16") if m.method == "ocr"]
    assert [m.surface for m in ocr] == ["Al Subsidy Scheme"]
    assert ocr[0].canonical_en == "AI Subsidy Scheme" and ocr[0].canonical_zh == "人工智能資助計劃"
    # "Al and data science" in the same chapter is no mention of anything.
    text = corpora.load_source("yearbook-2024-ch16").text
    at = text.index("Al and data science")
    assert not any(m.start <= at < m.end for m in result.mentions if m.doc == "yearbook-2024-ch16")


def test_canonical_chinese_is_hk_traditional(registry):
    e = _entity_of(registry, "Empowering Public Services through AI") if registry.lookup(
        "Empowering Public Services through AI") else None
    assert e is None  # a deck topic, not a body/programme name: not in the registry
    itib = _entity_of(registry, "ITIB")
    assert itib.canonical_zh == "創新科技及工業局"
    assert _entity_of(registry, "创新科技及工业局") is itib is registry.get(itib.entity_id)


# --- no over-merging --------------------------------------------------------------------------

@pytest.mark.parametrize("a,b", [
    ("Innovation and Technology Fund", "Innovation and Technology Venture Fund"),
    ("Innovation and Technology Fund", "Innovation and Technology Industry-Oriented Fund"),
    ("Hong Kong Park", "Hong Kong Science Park"),
    ("Hetao Co-operation Zone", "Hong Kong Park"),
    ("Hong Kong Park", "Shenzhen Park"),
    ("Hong Kong-Shenzhen Innovation and Technology Park", "Hong Kong-Shenzhen Innovation and Technology Park Limited"),
    ("Hong Kong Science Park", "Hong Kong Science and Technology Parks Corporation"),
    ("Committee on Innovation, Technology and Industry Development", "Committee on AI+ and Industry Development Strategy"),
    ("New Industrialisation Funding Scheme", "New Industrialisation Acceleration Scheme"),
    ("Hong Kong Microelectronics Research and Development Institute", "Microelectronics Centre"),
    ("Innovation and Technology Commission", "Innovation, Technology and Industry Bureau"),
])
def test_distinct_bodies_stay_distinct(registry, a, b):
    assert _entity_of(registry, a).entity_id != _entity_of(registry, b).entity_id


@pytest.mark.parametrize("doc,surface,canonical", [
    ("estimates-2026-head135", "Innovation and Technology Venture Fund", "Innovation and Technology Venture Fund"),
    ("estimates-2026-head135", "Hong Kong Science Park", "Hong Kong Science Park"),
    ("yearbook-2024-ch16", "Hong Kong-Shenzhen Innovation and Technology Park Limited",
     "Hong Kong-Shenzhen Innovation and Technology Park Limited"),
    ("it-overview-2025", "HSITP Limited", "Hong Kong-Shenzhen Innovation and Technology Park Limited"),
    ("estimates-2026-head135", "Hetao Co-operation Zone",
     "Hetao Shenzhen-Hong Kong Science and Technology Innovation Co-operation Zone"),
])
def test_longest_name_wins_in_text(result, doc, surface, canonical):
    found = _mentions(result, doc, surface)
    assert found and {m.canonical_en for m in found} == {canonical}


def test_hong_kong_park_of_the_zone_is_two_mentions(result):
    text = corpora.load_source("budget-slides-2026").text
    at = text.index("the Hong Kong Park of the Hetao Co-operation Zone")
    found = [m for m in _mentions(result, "budget-slides-2026") if at <= m.start < at + 60]
    assert [(m.surface, m.canonical_en) for m in found] == [
        ("Hong Kong Park", "Hetao Hong Kong Park"),
        ("Hetao Co-operation Zone", "Hetao Shenzhen-Hong Kong Science and Technology Innovation Co-operation Zone"),
    ]


# --- ambiguity is reported, not guessed ----------------------------------------------------------

def test_generic_short_forms_resolve_only_where_defined(result, registry):
    zone = _entity_of(registry, "Hetao Co-operation Zone").entity_id
    est = [m for m in _mentions(result, "estimates-2024-head135", "the Co-operation Zone")]
    assert est and {m.entity_id for m in est} == {zone} and {m.method for m in est} == {"defined-in-document"}
    overview = [u for u in result.unresolved if u.doc == "it-overview-2025" and u.surface.lower() == "the co-operation zone"]
    assert overview and all(u.reason == "generic-short-form" and zone in u.candidates for u in overview)
    bureau = [u for u in result.unresolved if u.surface.lower() == "the bureau"]
    itib = _entity_of(registry, "ITIB").entity_id
    assert bureau and all(u.candidates[:1] == (itib,) for u in bureau)
    park = [u for u in result.unresolved if u.doc == "budget-slides-2026" and u.surface == "the Park"]
    assert len(park) == 1
    assert not any(m.surface.lower().startswith("the ") for m in result.mentions if m.method != "defined-in-document")


def _doc(doc_id, text):
    return corpora.Document(doc_id, f"{doc_id}.txt", text, "utf-8")


def test_conflicting_acronym_definitions_stay_in_their_documents():
    a = _doc("a", "The Hong Kong Productivity Council (HKPC) helps firms. HKPC runs courses.")
    b = _doc("b", "The Hong Kong Police College (HKPC) trains officers. HKPC is in Wong Chuk Hang.")
    c = _doc("c", "Both mention HKPC without saying which.")
    d = _doc("d", "The Digital Policy Office (DPO) leads.")
    e = _doc("e", "The DPO also leads here.")
    res = normalise_documents([a, b, c, d, e], None, seeds=[])
    council = _entity_of(res.registry, "Hong Kong Productivity Council").entity_id
    college = _entity_of(res.registry, "Hong Kong Police College").entity_id
    assert {m.entity_id for m in res.mentions if m.doc == "a" and m.surface == "HKPC"} == {council}
    assert {m.entity_id for m in res.mentions if m.doc == "b" and m.surface == "HKPC"} == {college}
    (unres,) = [u for u in res.unresolved if u.doc == "c"]
    assert unres.reason == "conflicting-definitions" and set(unres.candidates) == {council, college}
    assert any(i.kind == "conflicting-definitions" and i.key == "hkpc" for i in res.registry.issues)
    # One definition, no conflict: it applies in every document.
    assert [m.canonical_en for m in res.mentions if m.doc == "e"] == ["Digital Policy Office"]


def test_glossary_collision_is_reported_not_resolved():
    g = Glossary.of([
        Entry("c1", "Innovation and Technology Commission", "創新科技署", en_variants=(Term("ITC", "acronym"),)),
        Entry("c2", "Industrial Training Centre", "工業訓練中心", en_variants=(Term("ITC", "acronym"),)),
    ])
    reg = build_registry(g, seeds=[])
    (issue,) = [i for i in reg.issues if i.kind == "collision"]
    assert issue.key == "itc" and issue.entity_ids == ("ent:c1", "ent:c2")
    mentions, unresolved = reg.scan("The ITC said so; the Industrial Training Centre agreed.", doc="x")
    assert [m.canonical_en for m in mentions] == ["Industrial Training Centre"]
    assert [(u.surface, u.reason, u.candidates) for u in unresolved] == [("ITC", "ambiguous-alias", ("ent:c1", "ent:c2"))]


# --- reading like a reader: width, zero-width, soft hyphens, line breaks, scripts ----------------

@pytest.mark.parametrize("text,surface,canonical", [
    ("Funded by the ＩＴＦ.", "ＩＴＦ", "Innovation and Technology Fund"),
    ("the Innovation and\n\nTechnology Fund paid", "Innovation and\n\nTechnology Fund", "Innovation and Technology Fund"),
    ("the Digital\u200b Policy Office", "Digital\u200b Policy Office", "Digital Policy Office"),
    ("Hong Kong Sci\u00adence Park tenants", "Hong Kong Sci\u00adence Park", "Hong Kong Science Park"),
    ("由创新及科技基金资助", "创新及科技基金", "Innovation and Technology Fund"),
    ("100億元RAISe+已批出", "RAISe+", "Research, Academic and Industry Sectors One plus (RAISe+) Scheme"),
    ("the Hetao Shenzhen-Hong Kong Science and Technology Innovation Cooperation Zone",
     "Hetao Shenzhen-Hong Kong Science and Technology Innovation Cooperation Zone",
     "Hetao Shenzhen-Hong Kong Science and Technology Innovation Co-operation Zone"),
    ("the New Industrialization Acceleration Scheme", "New Industrialization Acceleration Scheme",
     "New Industrialisation Acceleration Scheme"),
    ("Shenzhen Municipal People’s Government", "Shenzhen Municipal People’s Government", "Shenzhen Municipal People's Government"),
])
def test_matches_where_a_reader_would(registry, text, surface, canonical):
    mentions = registry.recognise(text, doc="x")
    assert [(text[m.start:m.end], m.surface, m.canonical_en) for m in mentions] == [(surface, surface, canonical)]


@pytest.mark.parametrize("text", [
    "see www.itib.gov.hk or www.hsitp.org",  # lower-case acronyms in addresses
    "green technology and quantum technology",
    "AIR@InnoHK focuses on robotics",
    "the Hong Kong-Shenzhen Park",  # the tail of a compound, not the Shenzhen Park
    "Al and data science",
    "NIASX and XITF",
])
def test_no_mention_where_a_reader_sees_none(registry, text):
    assert registry.recognise(text) == []


# --- outputs ----------------------------------------------------------------------------------

def test_mentions_offsets_round_trip(result, docs):
    texts = {d.id: d.text for d in docs}
    for m in result.mentions:
        assert texts[m.doc][m.start:m.end] == m.surface
        assert name_key(m.surface) == name_key(m.alias)


def test_annotate_round_trips_to_the_original(result, docs):
    for d in docs:
        annotated = result.normalised(d.id)
        original, spans = parse_annotated(annotated)
        assert original == d.text
        mine = [m for m in result.mentions if m.doc == d.id]
        assert [(s, e, eid) for s, e, eid, _ in spans] == [(m.start, m.end, m.entity_id) for m in mine]
    assert "[[NIAS|ent:c895f1a717d8a|New Industrialisation Acceleration Scheme]]" in result.normalised("budget-slides-2026")
    assert "[[加速計劃|ent:c895f1a717d8a|新型工業加速計劃]]" in result.normalised("budget-slides-2026")


def test_replace_mode_on_real_text(deck_glossary, docs, result):
    rep = normalise_documents(docs, registry=result.registry, mode="replace")
    for d in docs:
        out = rep.normalised(d.id)
        mine = [(m, s) for m, s in zip(rep.mentions, rep.spans) if m.doc == d.id]
        pos = npos = 0
        for m, (ns, ne) in mine:
            assert out[npos:ns] == d.text[pos:m.start]  # untouched between mentions
            assert out[ns:ne] in (m.canonical_en, m.canonical_zh, m.surface)
            pos, npos = m.end, ne
        assert out[npos:] == d.text[pos:]
    overview = rep.normalised("it-overview-2025")
    assert "New Industrialisation Acceleration Scheme (NIAS)" in overview  # the bracket keeps its acronym
    assert "the Hong Kong Artificial Intelligence Research and Development Institute" in overview
    assert "Al Subsidy" not in rep.normalised("yearbook-2024-ch16")


def test_frames_have_declared_schemas(result):
    assert result.mentions_frame().schema == pl.Schema(mention_schema())
    assert result.entities_frame().schema == pl.Schema(entity_schema())
    assert result.aliases_frame().schema == pl.Schema(alias_schema())
    assert result.unresolved_frame().schema == pl.Schema(unresolved_schema())
    assert result.issues_frame().schema == pl.Schema(issue_schema())
    empty = normalise_documents([_doc("empty", "nothing here")], None, seeds=[])
    assert empty.mentions_frame().schema == pl.Schema(mention_schema()) and empty.mentions_frame().height == 0
    ent = result.entities_frame().filter(pl.col("canonical_en") == "Hetao Hong Kong Park").row(0, named=True)
    assert ent["docs"] == DOCS and min(ent["doc_counts"]) >= 1


def test_write_normalisation(result, tmp_path):
    written = write_normalisation(result, tmp_path)
    assert (tmp_path / "mentions.csv").read_text(encoding="utf-8").splitlines()[0] == \
        "doc,start,end,surface,entity_id,canonical_en,canonical_zh,method,confidence"
    assert pl.read_csv(tmp_path / "mentions.csv").height == len(result.mentions)
    first = json.loads((tmp_path / "mentions.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert {"norm_start", "norm_end", "alias", "mode"} <= set(first)
    ent = pl.read_csv(tmp_path / "entities.csv")
    assert ent.columns == ["entity_id", "canonical_en", "canonical_zh", "aliases", "mentions", "per_source",
                           "concept_ids", "origins"]
    for d in DOCS:
        assert (tmp_path / "normalised" / f"{d}.txt").read_text(encoding="utf-8") == result.normalised(d)
    meta = json.loads((tmp_path / "normalise.meta.json").read_text(encoding="utf-8"))
    assert meta["command"] == "normalise" and meta["toolkit"] == "zhen" and meta["mode"] == "annotate"
    assert "normalise.meta.json" in written and not list(tmp_path.glob(".*.tmp"))


def test_output_is_deterministic(deck_glossary, docs, result):
    again = normalise_documents(docs, deck_glossary)
    assert again.mentions == result.mentions and again.registry.entities == result.registry.entities


def test_bad_seed_file_names_file_and_line(tmp_path):
    bad = tmp_path / "seeds.toml"
    bad.write_text("[[entity]]\nnames = [\"A\" \"B\"]\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_seeds([bad])
    assert exc.value.path == str(bad) and exc.value.line == 2
    empty = tmp_path / "empty.toml"
    empty.write_text("[[entity]]\nnames = [\"A\"]\n\n# the second one\n[[entity]]\nnames = []\n", encoding="utf-8")
    with pytest.raises(InputError, match="#2 needs names") as exc:
        read_seeds([empty])
    assert exc.value.line == 5
    loose = tmp_path / "loose.toml"
    loose.write_text("[ignore]\nnames = \"Quantum Technology\"\n", encoding="utf-8")
    with pytest.raises(InputError, match="ignore.names must be a list of strings") as exc:
        read_seeds([loose])
    assert exc.value.line == 1
    with pytest.raises(InputError, match="no such seed file"):
        read_seeds([tmp_path / "missing.toml"])


def test_unknown_mode_is_an_input_error():
    with pytest.raises(InputError, match="unknown mode"):
        normalise_documents([_doc("a", "x")], None, mode="rewrite", seeds=[])
    with pytest.raises(InputError, match="unknown mode"):
        normalise_text("x", [], "rewrite")


def test_variant_rules_stay_inside_names():
    rules = dict(expand_variants("AI Subsidy Scheme"))
    assert rules["Artificial Intelligence Subsidy Scheme"] == "ai" and rules["Al Subsidy Scheme"] == "ocr"
    assert expand_variants("AI") == []  # never a bare "Al"
    assert "Enterprize" not in " ".join(v for v, _ in expand_variants("Elite Enterprises Nurturing Scheme"))


# --- properties -------------------------------------------------------------------------------

_NAMES = ["ITF", "NIAS", "Hong Kong Park", "Hong Kong Science Park", "the Bureau", "加速計劃", "河套香港園區",
          "Innovation and Technology Fund", "RAISe+", "Al Subsidy Scheme", "HSITP Limited"]
_PIECES = st.one_of(st.sampled_from(_NAMES), st.text(max_size=6),
                    st.sampled_from([" ", "\n\n", "\u200b", "\u00ad", "-", "(", ")", "ＡＩ", "’", "「", "」"]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_PIECES, max_size=20).map("".join))
def test_recognition_never_raises_and_offsets_hold(registry, text):
    mentions, unresolved = registry.scan(text, doc="p")
    last = 0
    for m in mentions:
        assert last <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.surface
        assert name_key(m.surface) == name_key(m.alias)
        last = m.end
    for u in unresolved:
        assert text[u.start:u.end] == u.surface
    annotated, _ = normalise_text(text, mentions, "annotate")
    assert parse_annotated(annotated)[0] == text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_key_view_agrees_with_name_key(text):
    key, to_orig = key_view(text)
    assert key.strip(" ") == name_key(text)
    offsets = [to_orig(p) for p in range(len(key))]
    assert offsets == sorted(set(offsets)) and all(0 <= o < len(text) for o in offsets)
    for p, o in enumerate(offsets):
        if key[p] != " ":
            assert name_key(text[o]) == key[p]
