"""Term pairing on real text: the slide deck's targets, read against a hand-written list."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from zhen.corpora.keys import match_key
from zhen.corpora.zhtext import ZhTokenizer
from zhen.align.formats import AlignedPair
from zhen.glossary import build_glossary, pairs_from_deck
from zhen.corpora.acronyms import schwartz_hearst
from zhen.glossary.candidates import clean_term, en_acronyms, title_case_names, zh_marked
from zhen.glossary.formats import render_csv
from zhen.glossary.termhood import singular_key

GOLD = Path(__file__).parent / "data" / "golden" / "deck-terms.tsv"
# A translator's list written by reading the deck (not from zhen's output): zh, en, kind,
# en_variants, zh_variants, note. Development data: the builder's rules were tuned on it.
REFERENCE = Path(__file__).parent / "data" / "reference" / "deck-terms.tsv"


def _gold():
    rows = [line.rstrip("\n").split("\t") for line in GOLD.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return [(z, e, k) for z, e, k in rows[1:]]


@pytest.fixture(scope="module")
def deck():
    return build_glossary(pairs_from_deck())


def _key(zh, en):
    return match_key(zh), match_key(en)


def _reference_keys() -> set[tuple[str, str]]:
    pairs = set()
    for line in REFERENCE.read_text(encoding="utf-8").splitlines()[1:]:
        cols = (line.split("\t") + [""] * 6)[:6]
        zhs = [cols[0], *filter(None, re.split(r"[|;]", cols[4]))]
        ens = [cols[1], *filter(None, re.split(r"[|;]", cols[3]))]
        pairs |= {(match_key(z).replace(" ", ""), singular_key(e)) for z in zhs for e in ens}
    return pairs


def test_deck_entries_are_in_the_translators_list(deck):
    """At least 80% of the entries are pairs of the reference list (a lower bound on precision:
    the list is not every right pair — 半導體芯片技術 ↔ semiconductor chip technology is right and
    only a note of the list's 半導體芯片 row, and C-value keeps it since 半導體芯片 never stands
    alone), and the list's pairs are found, not a few of them."""
    ref = _reference_keys()

    def hit(e):
        return any((match_key(z).replace(" ", ""), singular_key(t)) in ref for z in e.terms("zh") for t in e.terms("en"))

    found = [e for e in deck if hit(e)]
    assert len(found) / len(deck) >= 0.80, [(e.zh, e.en) for e in deck if not hit(e)]
    assert len(found) >= 35


# A known miss, kept visible: 「AI赋能公共服務」 (the source's 赋 a slip for 賦) is also covered
# word for word by the dictionary since 公共服務 is read as 公共 + 服務, and the fitted score
# (glossary/score_model.py) weighs dictionary evidence below zero, so the name falls to 0.243,
# under the 0.26 cut-off. Refitting the score on today's candidates keeps it, but put more partial
# entries in the blind sample (bench/judged), so the fit was not rewritten.
KNOWN_MISSES = {("AI賦能公共服務", "Empowering Public Services through AI")}


def test_every_named_programme_is_paired(deck):
    found = {_key(e.zh, e.en) for e in deck}
    missing = [(z, e) for z, e, k in _gold() if k == "named" and _key(z, e) not in found]
    assert set(missing) <= KNOWN_MISSES, missing


@pytest.mark.parametrize("zh,en,variants", [
    ("新型工業化", "new industrialisation", ()),
    ("人工智能資助計劃", "AI Subsidy Scheme", ()),
    ("新型工業加速計劃", "New Industrialisation Acceleration Scheme", (("en", "NIAS", "acronym"), ("zh", "加速計劃", "shortForm"))),
    ("產學研1+計劃", "Research, Academic and Industry Sectors One plus (RAISe+) Scheme", (("en", "RAISe+", "acronym"),)),
    ("河套香港園區", "Hetao Hong Kong Park", (("zh", "河套深港科技創新合作區香港園區", "fullForm"),)),
    ("新田科技城", "San Tin Technopole", ()),
    ("立法會", "Legislative Council", (("en", "LegCo", "acronym"),)),
    ("生命健康研發院", "Life and Health Technology Research Institutes", (("en", "LHTRIs", "acronym"),)),
    # a Title Case run stops at "of"; the name grows by the words its Chinese translates (香港)
    ("香港中文大學", "Chinese University of Hong Kong", ()),
])
def test_named_pairs_and_variants(deck, zh, en, variants):
    hits = deck.lookup(zh)
    assert hits and hits[0].en == en and hits[0].zh == zh
    for lang, text, typ in variants:
        terms = hits[0].en_variants if lang == "en" else hits[0].zh_variants
        assert any(t.text == text and t.type == typ for t in terms), terms
    # a variant finds the same entry
    for _, text, _ in variants:
        assert deck.lookup(text)[0].concept_id == hits[0].concept_id


def test_terms_carry_no_markup(deck):
    bad = re.compile(r"^[\s◆➤\-•*「『“\"]|[*「」『』“”\"]|[\s：:，,。.；;]$")
    for e in deck:
        for t in (*e.terms("en"), *e.terms("zh")):
            assert not bad.search(t), t


def test_scores_and_statuses(deck):
    assert all(0.0 <= e.score <= 1.0 and e.status == "candidate" and e.frequency >= 1 and e.evidence for e in deck)
    assert all(ev.doc == "budget-slides-2026" for e in deck for ev in e.evidence)
    assert len({e.concept_id for e in deck}) == len(deck)


def test_build_is_deterministic(deck):
    again = build_glossary(pairs_from_deck())
    assert render_csv(again) == render_csv(deck)


def test_min_score_trades_recall_for_precision(deck):
    strict = build_glossary(pairs_from_deck(), min_score=0.9)
    assert 0 < len(strict) < len(deck)
    assert {e.concept_id for e in strict} <= {e.concept_id for e in deck}


def test_competitive_linking_keeps_function_words_out():
    pairs = [AlignedPair((i,), (i,), zh, en, doc="t") for i, (zh, en) in enumerate([
        ("政府今年推出新計劃。", "The Government launched the new scheme this year."),
        ("政府支持企業。", "The Government supports the enterprises."),
        ("政府撥款予大學。", "The Government allocated funding to the universities."),
        ("「青年創業計劃」：支持青年", "Youth Entrepreneurship Scheme: supports young people"),
    ])]
    g = build_glossary(pairs, min_score=0.3)
    assert all(e.en.lower() not in ("the", "the government launched") for e in g)
    assert g.lookup("青年創業計劃")[0].en == "Youth Entrepreneurship Scheme"


def test_simplified_input_gets_hk_preferred_and_simplified_variant():
    pairs = [AlignedPair((1,), (1,), "「创新科技基金」：资助研发", "Innovation and Technology Fund: funds R&D", doc="h")]
    g = build_glossary(pairs)
    e = g.lookup("創新科技基金")[0]
    assert e.zh == "創新科技基金" and any(t.text == "创新科技基金" and t.type == "simplified" for t in e.zh_variants)


@pytest.mark.parametrize("text,expected", [
    ("- ◆ **「產學研1+計劃」**：", "產學研1+計劃"),
    ("“new industrialisation”", "new industrialisation"),
    ("Hetao Hong Kong Park:", "Hetao Hong Kong Park"),
    ("**InnoHK**", "InnoHK"),
])
def test_clean_term(text, expected):
    assert clean_term(text) == expected


def test_schwartz_hearst_both_orders():
    assert schwartz_hearst("NIAS", "New Industrialisation Acceleration Scheme") == "New Industrialisation Acceleration Scheme"
    found = {(v.full, v.short) for v in en_acronyms("seek approval from the Legislative Council (LegCo) to inject")}
    assert ("Legislative Council", "LegCo") in found
    found = {(v.full, v.short) for v in en_acronyms("NIAS (New Industrialisation Acceleration Scheme) has supported")}
    assert ("New Industrialisation Acceleration Scheme", "NIAS") in found


def test_zh_markers():
    items, variants = zh_marked("「新型工業加速計劃」（「加速計劃」）：已公布支持4個項目", ("新型工業加速計劃", "加速計劃"))
    assert ("新型工業加速計劃", "colon") in {(m.text, m.kind) for m in items}
    assert any(v.full == "新型工業加速計劃" and v.short == "加速計劃" for v in variants)
    _, variants = zh_marked("「產學研1+計劃」（RAISe+）：已支持15個相關項目")
    assert any(v.short == "RAISe+" and v.short_lang == "en" for v in variants)


def test_title_case_names():
    assert "Chinese University of Hong Kong" in title_case_names("developed by the Chinese University of Hong Kong and")


def test_optional_encoder_evidence():
    from zhen.align.encoders import get_encoder

    pairs = pairs_from_deck()
    g = build_glossary(pairs, encoder=get_encoder("hash"))  # deterministic, no model
    assert g.meta["encoder"].startswith("hash") and len(g) >= 40


@pytest.fixture(scope="module")
def hansard():
    from conftest import EVAL
    from zhen.glossary.pairs import pairs_from_gold_align

    d = EVAL / "champollion" / "eval"
    if not d.exists():
        pytest.skip(f"{d} not present (../shared beside the clone)")
    return build_glossary(pairs_from_gold_align(d / "921008fe.txt", d / "921008fc.txt", d / "921008f.gold.align", doc="921008f"))


def test_hansard_entries_are_terms_not_speakers_or_clauses(hansard):
    """A LegCo Hansard (development document; its reference list was written by reading it):
    word alignment finds names the dictionary cannot spell (立法局 ↔ Legislative Council, 赤鱲角
    ↔ Chek Lap Kok), and what a transcript's colons and capitals carry — speakers' labels,
    clauses that open a quotation, THE PRESIDENT — is not a glossary entry."""
    ref = set()
    path = Path(__file__).parent / "data" / "reference" / "hansard-921008f-terms.tsv"
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        cols = (line.split("\t") + [""] * 6)[:6]
        ref |= {(match_key(z).replace(" ", ""), singular_key(e)) for z in [cols[0], *filter(None, re.split(r"[|;]", cols[4]))]
                for e in [cols[1], *filter(None, re.split(r"[|;]", cols[3]))]}
    found = [e for e in hansard if any((match_key(z).replace(" ", ""), singular_key(t)) in ref
                                       for z in e.terms("zh") for t in e.terms("en"))]
    assert len(found) >= 35 and len(found) / len(hansard) >= 0.5
    for zh, en in (("立法局", "Legislative Council"), ("行政局", "Executive Council")):
        hits = hansard.lookup(zh)
        assert hits and hits[0].en == en and any(ev.source == "walign" for ev in hits[0].evidence), (zh, hits)
    pronoun = re.compile(r"\b(?:I|we|you|my|our|your)\b")
    assert not [e.en for e in hansard if pronoun.search(e.en)]
    assert not [e.en for e in hansard if len(e.en) > 3 and e.en.upper() == e.en and " " in e.en]


def test_hansard_holds_no_forms_of_address_or_bodies_cut_short(hansard):
    """People addressed by a transcript (狄志遠議員 ↔ Honourable Tik Chi-Yuen, 何承天議員 ↔
    Edward Ho, 本局議員 ↔ Honourable Council) and bodies whose English keeps only its first
    words are not entries; 主席先生 ↔ Mr President may be (a title, not a person)."""
    from zhen.glossary.termhood import body_cut_short, form_of_address

    honourable = [e for e in hansard if re.match(r"(?:the )?hon(?:ou?rable)?\b", e.en, re.I)]
    assert not honourable
    tok = ZhTokenizer()
    for e in hansard:
        toks = tuple(t.text for t in tok.tokenize(e.zh) if t.text.strip())
        assert not form_of_address(toks, [tok.pos(t) for t in toks], e.en), e
        assert not body_cut_short(e.zh, e.en, lambda end: frozenset()) or e.en.isupper() or \
            any(ev.source in ("quote", "bracket") for ev in e.evidence), e


@pytest.mark.parametrize("zh,tags,en,expected", [
    (("譚耀宗", "議員"), ["", "n"], "Mr TAM Yiu-chung", True),      # a person, titled
    (("何承天", "議員"), ["nr", "n"], "Edward Ho", True),           # the title not translated
    (("本局", "議員"), ["n", "n"], "Honourable Council", True),     # an address
    (("主席", "先生"), ["n", "n"], "Mr President", False),          # a title after a common noun
    (("區", "議員"), ["n", "n"], "District Board member", False),
    (("立法局",), ["n"], "Legislative Council", False),
])
def test_form_of_address(zh, tags, en, expected):
    from zhen.glossary.termhood import form_of_address

    assert form_of_address(zh, tags, en) is expected


@pytest.mark.parametrize("zh,en,expected", [
    ("衞生署", "Health", True),
    ("投資管理處", "Investment Management", True),
    ("衞生署", "Department of Health", False),
    ("財政司", "Financial Secretary", False),
    ("土地委員會", "Land Commission", False),
    ("公務員制度委員會", "ICSC", False),          # an acronym stands for the whole name
    ("國家發展", "national development", False),  # not a body's name
])
def test_body_cut_short(zh, en, expected):
    from zhen.glossary.lexicon import load_cedict
    from zhen.glossary.build import _Builder
    from zhen.glossary.termhood import body_cut_short

    tr = _Builder([], load_cedict()).tr
    assert body_cut_short(zh, en, tr.glosses) is expected


@pytest.mark.parametrize("tags,en,expected", [
    (["v", "n"], "hope this Council", True),
    (["v", "n"], "requested the Secretary", True),
    (["v", "n"], "transfer agreements", False),   # a verb modifying a term
    (["vn", "n"], "investment promotion", False),
    (["v", "n"], "Invest Hong Kong", False),      # a name
])
def test_verb_phrase(tags, en, expected):
    from zhen.glossary.termhood import verb_phrase

    assert verb_phrase(tags, en) is expected


def test_english_only_sources_spell_out_the_decks_acronyms():
    """The deck writes only "ITIB"; the Estimates and the overview define it. With the corpus's
    one-language documents as sources the entry has the full English name as headword, the
    acronym as its variant, and the defining lines as evidence."""
    from zhen.glossary.pairs import bundled_sources

    g = build_glossary(pairs_from_deck(), sources=bundled_sources())
    hits = g.lookup("創新科技及工業局")
    assert hits and hits[0].en == "Innovation, Technology and Industry Bureau"
    assert ("ITIB", "acronym") in {(t.text, t.type) for t in hits[0].en_variants}
    defined = {ev.doc for ev in hits[0].evidence if ev.source == "definition"}
    assert "estimates-2026-head135" in defined and all(":" in ev.pair_id for ev in hits[0].evidence)
    # without the sources the deck alone cannot say what ITIB stands for
    assert not build_glossary(pairs_from_deck()).lookup("創新科技及工業局")


@pytest.mark.parametrize("en,expected", [
    ("new technology", True),
    ("recent years", True),
    ("related categories", True),
    ("countries concerned", True),
    ("so-called", True),
    ("many countries", True),
    ("New Territories", False),        # Title Case is a name's
    ("good governance", False),        # adjectives that open fixed terms are not listed
    ("current account", False),
    ("social security", False),        # a classifying adjective
    ("concerned", False),
])
def test_general_modifier_phrase(en, expected):
    from zhen.glossary.termhood import general_modifier_phrase

    assert general_modifier_phrase(en) is expected


def test_un_glossary_holds_no_phrases_opened_by_deictic_adjectives():
    """A UN document (development data): 新技術 ↔ new technology, 最近幾年 ↔ recent years, 有關國家
    ↔ countries concerned are phrases of the text; 一般事務 ↔ General Service (a staff category)
    and 社會保險 ↔ Social Security stay."""
    from conftest import EVAL
    from zhen.glossary.pairs import pairs_from_gold_align
    from zhen.glossary.termhood import general_modifier_phrase

    d = EVAL / "champollion" / "eval"
    if not d.exists():
        pytest.skip(f"{d} not present (../shared beside the clone)")
    g = build_glossary(pairs_from_gold_align(d / "UN19930101_020.e.txt", d / "UN19930101_020.c.txt",
                                             d / "UN19930101_020.gold.align", doc="UN19930101_020"))
    assert not [e.en for e in g if general_modifier_phrase(e.en)]
    kept = {e.en for e in g}
    assert {"General Service", "Social Security"} <= kept, sorted(kept)
    # what the text capitalises is a name to the reviewer; an -ing word before "party" heads nothing
    kinds = {e.en: e.kind for e in g}
    assert kinds["United Nations"] == "name" and kinds["United States"] == "name"
    assert "CCAQ working" not in kept


def test_extension_adds_only_words_the_chinese_translates():
    """道路交通 ↔ "Road Traffic" is always followed by "Ordinance" here, which 道路交通 does not
    say (條例 would): the entry may stay short (partial), never grow into a wrong pair; 香港中文大學
    covers "of Hong Kong"."""
    from zhen.corpora.cedict import load_cedict
    from zhen.glossary.build import gather_evidence

    pairs = [AlignedPair(src_ids=(i,), tgt_ids=(i,), src_text=z, tgt_text=e, doc="t")
             for i, (z, e) in enumerate([
                 ("修訂道路交通的規例。", "The Road Traffic Ordinance is amended."),
                 ("道路交通的罰則。", "Penalties under the Road Traffic Ordinance."),
                 ("香港中文大學的學生。", "Students of the Chinese University of Hong Kong."),
             ])]
    b = gather_evidence(pairs, load_cedict())
    assert b._translates("香港中文大學", ("of", "hong", "kong"))
    assert not b._translates("道路交通", ("ordinance",))
    assert not any(c.zh == "道路交通" and "Ordinance" in c.en for c in b.cands.values())


def test_english_cut_at_its_modifier_gives_way_to_the_complete_term():
    """A UN report (development document): 醫療保險計劃 is "medical insurance schemes"; the word
    aligner links the head, so "insurance schemes" scores higher, but 医疗保险 means "medical
    insurance" and "insurance" says half of it — the complete English wins. A CC-CEDICT
    description (陳水扁: "Chen Shui-bian (1950-), president of ...") completes nothing."""
    from conftest import EVAL
    from zhen.glossary.pairs import pairs_from_gold_align

    d = EVAL / "champollion" / "eval"
    if not d.exists():
        pytest.skip(f"{d} not present (../shared beside the clone)")
    un = build_glossary(pairs_from_gold_align(d / "UN19930101_020.e.txt", d / "UN19930101_020.c.txt",
                                              d / "UN19930101_020.gold.align", doc="UN19930101_020"))
    en = {e.terms("en")[0] for e in un if e.terms("zh")[0] == "醫療保險計劃"}
    assert en == {"medical insurance schemes"}
    sino = build_glossary(pairs_from_gold_align(d / "200110006.e.txt", d / "200110006.c.txt",
                                                d / "200110006.gold.align", doc="200110006"))
    assert "president Chen Shui-bian" not in {e.terms("en")[0] for e in sino}


def _evidence(rows):
    from zhen.corpora.cedict import load_cedict
    from zhen.glossary.build import gather_evidence

    pairs = [AlignedPair(src_ids=(i,), tgt_ids=(i,), src_text=z, tgt_text=e, doc="t") for i, (z, e) in enumerate(rows)]
    return gather_evidence(pairs, load_cedict())


def test_a_compound_the_dictionary_lacks_is_read_as_its_words():
    """半導體芯片 is one jieba token and no CC-CEDICT headword: read as 半导体 + 芯片 (not as its
    five characters, whose glosses hold neither word), and its English must say both — not
    "semiconductor" alone. 淡水河 is 淡水 + 河: "Tamsui River", not "Tamsui"."""
    from zhen.corpora.cedict import load_cedict

    assert load_cedict().pieces("半导体芯片") == ("半导体", "芯片")
    b = _evidence([("研發第三代半導體芯片。", "R&D of third-generation semiconductor chips."),
                   ("淡水河的污染。", "Pollution of the Tamsui River.")])
    def found(zh):
        return {c.en for c in b.cands.values() if c.zh == zh and "dictionary" in c.best and not c.extended}

    assert found("半導體芯片") == {"semiconductor chips"}
    assert found("淡水河") == {"Tamsui River"}


def test_british_and_american_spellings_stem_alike():
    """CC-CEDICT glosses in American English, Hong Kong writes British: 外地勞工 ↔ imported labour
    is covered by 劳工's "labor"; centre/center, fibre/fiber too; words that only look alike stay."""
    from zhen.corpora.words import stem

    assert stem("labour") == stem("labor") and stem("labourers") == stem("laborers")
    assert stem("centres") == stem("centers") and stem("fibre") == stem("fiber") and stem("metre") == stem("meter")
    assert stem("four") == "four" and stem("hour") == "hour" and stem("acre") == "acre"
    b = _evidence([("輸入外地勞工。", "The importation of foreign labour.")])
    assert any(c.zh == "勞工" and c.en == "labour" and "dictionary" in c.best for c in b.cands.values())


def test_prose_cuts_are_not_terms():
    """A Chinese side holding a conjunction, preposition, pronoun or particle is a cut of prose
    (因為財務委員會 ↔ because the Finance Committee); coordinating 及 belongs to names."""
    from zhen.glossary.termhood import prose_words

    tok = ZhTokenizer()
    for zh, expected in (("因为财务委员会", True), ("北京的官员", True), ("对夹心阶层房屋", True),
                         ("财务委员会", False), ("创新科技及工业局", False)):
        toks = [t.text for t in tok.tokenize(zh)]
        assert prose_words(toks, [tok.pos(t) for t in toks]) is expected, zh


def test_a_hyphenated_word_is_glossed_by_its_parts():
    """法定 ("statutory") says half of "non-statutory", whose five-letter stem is "non-s"."""
    b = _evidence([("法定組織。", "A statutory body.")])
    assert {"non", "statu"} <= b.tr.en_targets(["non-statutory"])[0]
    assert b.tr.coverage("法定", "non-statutory") == (1.0, 1.0)


def test_a_quoted_name_takes_its_complete_english():
    """「淡水河水污染管制」 is quoted with "Tamsui River" beside it, but its English is "Tamsui River
    water pollution control", which says every word of it: the complete English is the entry."""
    b = _evidence([("推行「淡水河水污染管制」。", "Carry out the \"Tamsui River\" water pollution control."),
                   ("淡水河水污染管制已見成效。", "Tamsui River water pollution control has worked.")])
    g = b.link(0.0)
    assert [e.en for e in g if e.zh == "淡水河水污染管制"] == ["Tamsui River water pollution control"]


def test_an_english_grows_only_inside_its_term():
    """"International Civil Service Commission" is followed by its acronym in brackets: the
    extension pass does not grow it across the bracket into "Commission (ICSC"."""
    b = _evidence([("国际公务员制度委员会的报告。", "Report of the International Civil Service Commission (ICSC)."),
                   ("国际公务员制度委员会的建议。", "Proposals of the International Civil Service Commission (ICSC).")])
    assert not any(c.en.count("(") != c.en.count(")") for c in b.cands.values())
    assert any(c.en == "International Civil Service Commission" for c in b.cands.values())


def test_reference_matching_folds_a_plural_head():
    assert singular_key("semiconductor chips") == singular_key("Semiconductor Chip")
    assert singular_key("R&D centres") == "r&d centre" and singular_key("news") == "news"
    assert singular_key("Public Affairs") != singular_key("Public Affair Bureau")


def test_a_prefix_is_said_by_the_english_prefix():
    """再培訓 ↔ retraining (12 times in Hansard 921008f): 再 is a prefix here, said by "re", and
    培訓 by "training"; 再 alone ("again") is no term and "training" alone does not say 再培訓."""
    b = _evidence([("再培訓計劃的名額。", "Places in the retraining scheme."),
                   ("推行再培訓。", "Provide retraining.")])
    assert any(c.zh == "再培訓" and c.en == "retraining" and "dictionary" in c.best for c in b.cands.values())
    assert not any(c.zh == "再培訓" and c.en == "training" for c in b.cands.values())


def _hansard_lines(*numbers: int) -> list[AlignedPair]:
    """English lines of Hansard 921008f (1-based line numbers), each as a pair's English side."""
    from conftest import EVAL

    path = EVAL / "champollion" / "eval" / "921008fe.txt"
    if not path.exists():
        pytest.skip(f"{path} not present (../shared beside the clone)")
    lines = path.read_text(encoding="utf-8").splitlines()
    return [AlignedPair((i,), (i,), "占位", lines[n - 1]) for i, n in enumerate(numbers)]


def test_an_english_cut_out_of_a_longer_name_or_phrase_is_read_in_its_sentences():
    """What the Hansard writes around an English candidate: "Kong Government" always follows
    Hong, "Chek Lap Kok airport" is not "Kok airport"; "number of social" stops before the
    "workers" its own Chinese (社會工作者數目) says; "Governor" is capitalised inside sentences (a
    title, which the general-word rule must not drop) and "workers" is not."""
    from zhen.glossary.build import _Occurrences
    from zhen.glossary.termhood import cut_short_of_its_chinese, name_cut, proper_noun

    occ = _Occurrences(_hansard_lines(209, 325, 412, 90, 99, 144))
    assert name_cut(occ.en_cased_contexts("Kong Government"))
    assert name_cut(occ.en_cased_contexts("Kok airport"))
    assert not name_cut(occ.en_cased_contexts("Hong Kong Government"))
    assert not name_cut(occ.en_cased_contexts("Chek Lap Kok airport"))
    # "Mr President": a form of address before a title leaves the title whole
    assert not name_cut(occ.en_cased_contexts("President"))
    says = {"workers", "social", "number"}
    assert cut_short_of_its_chinese(occ.en_cased_contexts("number of social"), lambda w: w.lower() in says)
    assert not cut_short_of_its_chinese(occ.en_cased_contexts("number of social workers"), lambda w: w.lower() in says)
    assert proper_noun(occ.en_cased_contexts("Governor"))
    assert not proper_noun(occ.en_cased_contexts("social workers"))


def test_a_name_runs_on_through_of():
    """The deck's 「港中大一號」 line: "Chinese University" is a piece of "Chinese University of
    Hong Kong"."""
    from zhen.glossary.build import _Occurrences
    from zhen.glossary.termhood import name_cut

    line = ("“CUHKSat-1” satellite developed by the Chinese University of Hong Kong and supported by the "
            "Innovation and Technology Fund, was successfully launched and entered into the planned orbit.")
    occ = _Occurrences([AlignedPair((0,), (0,), "香港中文大學「港中大一號」衛星", line)])
    assert name_cut(occ.en_cased_contexts("Chinese University"))
    assert not name_cut(occ.en_cased_contexts("Chinese University of Hong Kong"))


def test_a_title_case_heading_says_nothing_about_a_names_extent():
    """Every word of a heading is capitalised ("Nurturing and Strengthening Emerging
    Industries"): "Emerging Industries" after "Strengthening" is not a cut name."""
    from zhen.glossary.build import _Occurrences
    from zhen.glossary.termhood import name_cut

    occ = _Occurrences([AlignedPair((0,), (0,), "培育與壯大新興產業", "Nurturing and Strengthening Emerging Industries")])
    assert occ.en_cased_contexts("Emerging Industries") == []
    assert not name_cut(occ.en_cased_contexts("Emerging Industries"))


def test_a_gerund_heads_an_english_term():
    from zhen.glossary.termhood import en_boundary_ok

    assert en_boundary_ok("smart manufacturing") and en_boundary_ok("quantum computing") and en_boundary_ok("retraining")
    assert not en_boundary_ok("the scheme launched") and not en_boundary_ok("economic")
    # after a function word the -ing word is a verb of a clause
    assert not en_boundary_ok("economy development and developing")


def test_one_word_the_text_capitalises_is_a_name(hansard):
    """The reviewer sorts by kind: 總督 ↔ Governor and 英格蘭 ↔ England are written with a
    capital inside the Hansard's sentences (a title, a place); 通脹 ↔ inflation is a term."""
    kinds = {e.en: e.kind for e in hansard}
    assert kinds.get("Governor") == "name" and kinds.get("England") == "name", kinds
    assert kinds.get("inflation") == "term"


def test_a_name_in_apposition_is_not_a_term_of_its_own():
    """Genesis (the Bible set, a genre the glossary was not fitted on): a role before a name
    (兒子雅各 ↔ son Jacob, 主人亞伯拉罕 ↔ master Abraham) and a possessive phrase ("Ishmael his
    son") are the name in a sentence; the names themselves are entries, of kind name."""
    from conftest import EVAL
    from zhen.align.evaluate import read_gold
    from zhen.align.types import Bead
    from zhen.glossary.pairs import pairs_from_beads

    d = EVAL / "bible" / "data" / "bible"
    if not d.exists():
        pytest.skip(f"{d} not present (../shared beside the clone)")
    en = [line.strip() for line in (d / "en" / "001").read_text(encoding="utf-8").splitlines()]
    zh = [line.strip() for line in (d / "zh" / "001").read_text(encoding="utf-8").splitlines()]
    beads = read_gold(d / "gold" / "001.align", len(en), len(zh))
    g = build_glossary(pairs_from_beads([Bead(b.tgt, b.src, b.score) for b in beads][:1000], zh, en, doc="genesis"))
    by_en = {e.en: e for e in g}
    assert by_en["Abraham"].kind == "name" and by_en["Jacob"].kind == "name"
    assert "son Jacob" not in by_en and "master Abraham" not in by_en and "king of Sodom" not in by_en
    assert "Sodom" in by_en
    # a role before a name that has its own entry
    apposed = [e.en for e in g if re.match(r"(?:\w+ )*(?:son|brother|mother|master|servant|king of) ([A-Z]\w+)$", e.en)]
    assert not [en for en in apposed if en.split()[-1] in by_en]
    assert not [e.en for e in g if re.search(r"\b(?:his|her|their)\b", e.en)]
    # Names whose transliteration starts with a character that is elsewhere a preposition (以)
    # are names, and take the apposition's place (兒子以掃 ↔ son Esau was the entry before).
    for zh, name in (("以掃", "Esau"), ("以色列", "Israel"), ("以諾", "Enoch"), ("以實瑪利", "Ishmael")):
        assert name in by_en and by_en[name].zh == zh and by_en[name].kind == "name", name
    assert "son Esau" not in by_en and "brother Esau" not in by_en
    # ... but a particle at the edge of anything else still cuts it: no entry keeps one beside
    # the entry without it, nor with an English that is not a name.
    from zhen.glossary.termhood import zh_boundary_ok

    zh_of = {(e.zh, e.en) for e in g}
    for e in g:
        if not zh_boundary_ok(e.zh):
            assert e.kind == "name" and (e.zh[1:], e.en) not in zh_of and (e.zh[:-1], e.en) not in zh_of, e


def test_an_ing_word_before_a_noun_modifies_it():
    """"a CCAQ working party was engaged in drafting such standards" (UN19930101_020): "CCAQ
    working" stops before the noun its -ing word modifies; "drafting" before "such" does not."""
    from zhen.glossary.build import _Occurrences
    from zhen.glossary.termhood import gerund_modifies

    from conftest import EVAL

    path = EVAL / "champollion" / "eval" / "UN19930101_020.e.txt"
    if not path.exists():
        pytest.skip(f"{path} not present (../shared beside the clone)")
    from zhen.corpora.textio import read_document

    line = read_document(path).text.splitlines()[406]
    occ = _Occurrences([AlignedPair((0,), (0,), "占位", line)])
    assert gerund_modifies(occ.en_cased_contexts("CCAQ working"))
    assert not gerund_modifies(occ.en_cased_contexts("drafting"))
    assert not gerund_modifies(occ.en_cased_contexts("CCAQ working party"))


def test_clause_tokens_are_those_of_the_clause_cut_alone():
    """The dictionary pass reads each clause's tokens off the whole text's (cut once) instead of
    cutting every clause again; that is only right while jieba cuts at every punctuation mark
    and space. Checked on real text of three kinds: the deck (Traditional, Latin names inside),
    a Hansard and a literary chapter (Simplified, dialogue quotes)."""
    from conftest import EVAL
    from zhen.corpora import load_source
    from zhen.corpora.textio import read_document
    from zhen.glossary.build import _clause_tokens

    texts = [load_source("budget-slides-2026").text]
    for path in (EVAL / "champollion" / "eval" / "921008fc.txt", EVAL / "mac-dev" / "zh" / "002"):
        if path.exists():
            texts.append(read_document(path).text)
    tok = ZhTokenizer()
    clauses = 0
    for text in texts:
        for line in text.splitlines():
            whole = tuple(t.text for t in tok.tokenize(line) if t.text.strip())
            for m, toks in _clause_tokens(line, whole):
                alone = [t.text for t in tok.tokenize(m.group()) if t.text.strip()]
                assert toks == alone, (line, m.group())
                clauses += 1
    assert clauses > 1000


def test_grown_english_is_what_the_pattern_it_replaced_finds():
    """Extension finds "first words, spaces or hyphens, second words" by walking the text's
    words; it must find what the regular expression it replaced finds (whole words, case
    ignored, any non-word characters inside each part), on texts made of those words, their
    case variants, other words and the separators that matter."""
    import re as _re

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from zhen.glossary.build import _grown

    def by_pattern(text, first, second):
        head, tail = (r"\W+".join(map(_re.escape, part)) for part in (first, second))
        m = _re.search(rf"\b{head}[\s\-]+{tail}\b", text, _re.I)
        return m.group(0) if m else None

    words = st.sampled_from(["rule", "Rule", "RULE", "of", "law", "Law", "laws", "board", "district", "x1", "r&d"])
    seps = st.sampled_from([" ", "  ", "-", " - ", ", ", ". ", "(", "'", "’", "_", "\n", "/"])

    @settings(max_examples=400, deadline=None)
    @given(st.lists(st.tuples(words, seps), max_size=12),
           st.lists(words, min_size=1, max_size=2), st.lists(words, min_size=1, max_size=2))
    def check(parts, first, second):
        text = "".join(w + s for w, s in parts)
        assert _grown(text, first, second, {}, "k") == by_pattern(text, first, second)

    check()


def test_runs_in_skips_only_runs_that_cannot_be_wanted():
    """Counting the word-aligned phrases skips runs whose first item cannot start a wanted one
    (first character of Chinese tokens, first word of English words); what it finds must be
    what the full scan finds."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from zhen.glossary.build import _run_starts, _runs_in

    def full(seq, wanted, longest, joiner):
        return {joiner.join(seq[i:j]) for i in range(len(seq)) for j in range(i + 1, min(len(seq), i + longest) + 1)
                if joiner.join(seq[i:j]) in wanted}

    zh_tok = st.sampled_from(["香港", "政府", "香港政府", "立法", "局", "立法局", "的"])
    en_tok = st.sampled_from(["hong", "kong", "government", "legislative", "council", "of"])

    @settings(max_examples=300, deadline=None)
    @given(st.data())
    def check(data):
        for tok, joiner in ((zh_tok, ""), (en_tok, " ")):
            seq = data.draw(st.lists(tok, max_size=10))
            wanted = {joiner.join(w) for w in data.draw(st.lists(st.lists(tok, min_size=1, max_size=3), max_size=5))}
            longest = data.draw(st.integers(1, 4))
            assert _runs_in(seq, wanted, longest, joiner, _run_starts(wanted, joiner)) == full(seq, wanted, longest, joiner)

    check()


def test_a_name_body_is_not_an_entry_but_a_person_before_a_title_is():
    """In this Hansard 運輸 is only ever the body of an office (運輸司, Secretary for Transport):
    運輸 ↔ Transport names a piece of it. A member's name is always followed by 議員, which is a
    title, not the rest of a name; a name that ends in its own suffix is whole."""
    from conftest import EVAL
    from zhen.glossary.build import _Builder, _Cand
    from zhen.glossary.lexicon import Lexicon
    from zhen.glossary.pairs import pairs_from_gold_align

    d = EVAL / "champollion" / "eval"
    if not d.exists():
        pytest.skip(f"{d} not present (../shared beside the clone)")
    pairs = pairs_from_gold_align(d / "890621fe.txt", d / "890621fc.txt", d / "890621f.gold.align", doc="890621f")
    b = _Builder([p for p in pairs if p.src_text and p.tgt_text], Lexicon.empty())
    occ = b.occurrences()
    assert b._name_body_everywhere(_Cand("運輸", "Transport"), occ)
    assert not b._name_body_everywhere(_Cand("黃宏發", "Andrew Wong"), occ)
    assert not b._name_body_everywhere(_Cand("運輸司", "Secretary for Transport"), occ)
    assert not b._name_body_everywhere(_Cand("香港", "Hong Kong"), occ)


def test_a_name_takes_the_chinese_its_english_says_whole():
    """Wang Xiaobo's chapter (MAC-dev 001, a genre the glossary was not fitted on): jieba cuts
    陳清揚 into 陳 + 清揚, the word aligner links 清揚 to "Chen Qingyang" and scores it above the
    whole name; 陳 is "Chen" in CC-CEDICT, so the whole Chinese takes the entry."""
    from conftest import EVAL
    from zhen.align.evaluate import read_gold
    from zhen.glossary.pairs import pairs_from_beads

    d = EVAL / "mac-dev"
    if not (d / "zh" / "001").exists():
        pytest.skip(f"{d} not present (../shared beside the clone)")
    zh = [line.strip() for line in (d / "zh" / "001").read_text(encoding="utf-8").splitlines()]
    en = [line.strip() for line in (d / "en" / "001").read_text(encoding="utf-8").splitlines()]
    gold = next(p for p in sorted((d / "gold").iterdir()) if p.name.startswith("001"))
    g = build_glossary(pairs_from_beads(read_gold(gold, len(zh), len(en)), zh, en, doc="mac001"))
    by_en = {e.en: e for e in g}
    assert by_en["Chen Qingyang"].zh == "陳清揚" and by_en["Chen Qingyang"].kind == "name"
    assert not [e for e in g if e.zh == "清揚"]
