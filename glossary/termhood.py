"""Is a candidate a *unit* (unithood) and a *term of this domain* (termhood)?

Automatic term extraction keeps the two questions apart (Kageura & Umino 1996): a unit is a
string with its own boundaries — not a piece cut out of a longer name, not an English phrase that
stops at a determiner, a preposition or a bare adjective ("core socialist", "state macro") —
and a term is a unit this text uses more than general language does.

* **General language** is ``wordfreq``'s Chinese and English lists (offline, in the package):
  a word's Zipf frequency (log10 of its count per billion words). A phrase missing from the list
  gets wordfreq's own estimate for a multi-token string, 1 / Σ 1/f(token), less one Zipf unit per
  extra token (wordfreq's ``INFERRED_SPACE_FACTOR`` idea): "market forces" is general, "pilot
  lines" is not.
* **English word classes** come from LemmInflect's lexicon (in the package; no model download):
  a word that LemmInflect knows only as an adjective ("new", "digital", "overall") cannot end a
  term.
* **Fragments** (C-value's nested candidates, Frantzi, Ananiadou & Mima 2000): a candidate that
  in every one of its occurrences sits inside the same longer string (發展大局 always in
  國家發展大局, "state macro" always before "control") is a piece of that string, not a unit;
  one that also stands alone somewhere is kept.
* **Names as written**: the English around each occurrence, capitals kept
  (``corpora.keys.cased_key``), tells a piece of a longer name ("Kong Government" after Hong), an
  English that stops short of its own Chinese ("number of social" before workers), an -ing word
  that modifies the noun after it ("CCAQ working" party) and a word the text capitalises inside
  its sentences (a name or a title: London, Governor) from a general word.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from zhen.corpora.words import en_words, is_stop

# Words that never end an English term: determiners, prepositions, conjunctions, pronouns
# (STOP_WORDS), plus the relative and degree words a clause cut leaves behind.
_EN_BAD_END = frozenset("such other various relevant related certain own more most further".split())
# Conjunctions and particles a Chinese term never starts or ends with.
_ZH_BAD_EDGE = frozenset("的之及與和或並而等了把被將對於在從向為以")
_ZH_COORD = re.compile(r"[和及與、或暨]")
_EN_COORD = re.compile(r"\band\b|\bor\b|,|&|\bas well as\b", re.I)
# An English gerund or -ed form at the start: a slide heading or an instruction, not a name
# ("Nurturing Talents", "Attracting Enterprises"), unless the genre marks it as a name.
_EN_VERB_START = re.compile(r"^(?:[A-Za-z]+ing|[A-Za-z]+ed|promote|enhance|develop|attract|nurture|support|"
                            r"strengthen|foster|deepen|expand|build|drive|accelerate|facilitate|review)\b", re.I)
# Chinese verbs that open a slide heading or a clause (培育人才, 吸引企業, 推動發展).
_ZH_VERB_START = frozenset("培育 吸引 推動 推進 加快 加速 促進 支持 發展 提升 深化 完善 建設 打造 壯大 優化 鞏固 加強 "
                           "強化 擴大 引進 引入 匯聚 培養 善用 檢視 研究 鼓勵 協助 落實 積極 全力 持續".split())


@lru_cache(maxsize=1)
def _freq(lang: str) -> dict[str, float]:
    from wordfreq import get_frequency_dict

    return get_frequency_dict(lang, wordlist="best")


def general_zipf(text: str, lang: str, tokens: Iterable[str] | None = None) -> float:
    """Zipf frequency of ``text`` in general language (0 = unknown to wordfreq). Chinese is
    looked up in Simplified (wordfreq's Chinese list is), through ``tokens`` when the whole
    string is not a listed word."""
    if lang == "zh":
        from zhen.corpora.zhtext import to_simplified

        key = to_simplified(text)
        parts = [to_simplified(t) for t in (tokens or ()) if t.strip()]
    else:
        key = text.lower().replace("’", "'")
        parts = [w.lower() for w in en_words(text)]
    table = _freq(lang)
    f = table.get(key)
    if f:
        return math.log10(f * 1e9)
    if len(parts) < 2:
        return 0.0
    inv = 0.0
    for p in parts:
        fp = table.get(p)
        if not fp:
            return 0.0
        inv += 1.0 / fp
    return max(0.0, math.log10(1e9 / inv) - (len(parts) - 1))


@lru_cache(maxsize=65536)
def _only_adjective(word: str) -> bool:
    from lemminflect import getAllLemmas

    tags = set(getAllLemmas(word.lower()))
    return tags == {"ADJ"} or tags == {"ADJ", "ADV"}


@lru_cache(maxsize=65536)
def singular_key(en: str) -> str:
    """The match key of an English term with its last word as a singular noun (LemmInflect):
    "semiconductor chips" and "semiconductor chip" are one term to a reference list or a
    translator; a last word LemmInflect does not know as a plural noun stays as written."""
    from lemminflect import getAllLemmas

    from zhen.corpora.keys import match_key

    key = match_key(en)
    head, _, last = key.rpartition(" ")
    lemma = getAllLemmas(last).get("NOUN", ())
    if lemma and lemma[0] != last and last.endswith("s"):
        last = lemma[0]
    return f"{head} {last}" if head else last


@lru_cache(maxsize=65536)
def en_word_classes(word: str) -> frozenset[str]:
    """The word classes LemmInflect's lexicon knows ``word`` in (NOUN, VERB, ADJ, ADV, …);
    empty for a word it does not list (a name, a rare term)."""
    from lemminflect import getAllLemmas

    return frozenset(getAllLemmas(word.lower()))


def predicate_pair(zh_tag: str, en: str) -> bool:
    """One Chinese verb, adjective or adverb (jieba's tag) rendered by an English verb,
    adjective or adverb (提出 ↔ put forward, 明智 ↔ sensible, 有助 ↔ help): a predicate of
    general language, not a term, which a terminologist wants nominal."""
    if zh_tag not in ("v", "vd", "vi", "a", "ad", "d"):
        return False
    words = en_words(en)
    if not words:
        return False
    first = en_word_classes(words[0])
    if len(words) == 1:
        return bool(first & {"VERB", "ADJ", "ADV"})
    return first == {"VERB"}


def en_boundary_ok(en: str) -> bool:
    """An English term may not end in a function word or a word that is only an adjective,
    nor start with a function word other than a name's "the" dropped earlier."""
    words = en_words(en)
    if not words:
        return False
    last, first = words[-1], words[0]
    if last.isupper() or "&" in last or "+" in last or any(c.isdigit() for c in last):
        return True  # an acronym or a numbered name ends a name (Innovation Hub 2)
    if is_stop(last) or last.lower() in _EN_BAD_END or _only_adjective(last):
        return False
    if en_word_classes(last) == {"VERB"} and (not last.lower().endswith("ing") or len(words) > 1 and is_stop(words[-2])):
        # A clause, not a term: "Zagoria anticipates", "the scheme launched", "economy development
        # and developing". A gerund is a noun head (smart manufacturing, quantum computing,
        # retraining); verb_phrase and predicate_pair catch a verb that opens a clause.
        return False
    if is_stop(first) and first.lower() not in ("all",):
        return False
    return True


# Adjectives that place or judge a thing in the discourse ("new", "recent",
# "related", "reasonable", "many") rather than classify it ("social", "medical", "general" in
# General Service). Term extractors keep classifying adjectives and drop phrases opened by these
# (Justeson & Katz 1995; TermSuite's stop patterns): "new technology", "recent years",
# "countries concerned" are general phrases in any text.
_EN_DEICTIC = frozenset(
    "new recent related relevant reasonable many several various certain such other further following "
    "above same similar different important significant possible necessary appropriate respective "
    "so-called".split())
# Not listed, though often general: adjectives that also open fixed terms of some field — "current"
# (current account), "present" (present value), "past" (past service), "additional", "specific",
# "particular", "main", "major", "good" (good governance), "high" (High Court), "low", "small"
# (small and medium enterprises), "large".


def general_modifier_phrase(en: str) -> bool:
    """A lower-case English phrase opened by a deictic or evaluative adjective, or closed by
    "concerned" ("countries concerned"): the phrase of the text, not a term of its field. Title
    Case is a name's and passes (New Territories, Current Account)."""
    words = en_words(en)
    if not words or any(w[:1].isupper() for w in words):
        return False
    return words[0].lower() in _EN_DEICTIC or (len(words) > 1 and words[-1].lower() == "concerned")


def zh_boundary_ok(zh: str) -> bool:
    core = re.sub(r"[A-Za-z0-9+&\-\s]", "", zh)
    if not core:
        return True
    return core[0] not in _ZH_BAD_EDGE and core[-1] not in _ZH_BAD_EDGE


def coordination_ok(zh: str, en: str) -> bool:
    """A coordination is kept whole on both sides: 意見和建議 is not "suggestions", and
    "Innovation and Technology" is not 科技 (a coordination on one side needs one on the other,
    or a Chinese compound the dictionary covers word for word: 研發 ↔ research and development)."""
    zh_coord = bool(_ZH_COORD.search(zh))
    en_coord = bool(_EN_COORD.search(en))
    return en_coord or not zh_coord


def looks_like_heading(zh_tokens: tuple[str, ...], en: str) -> bool:
    """A verb-first slide heading or clause (培育人才 ↔ Nurturing Talents)."""
    return bool(zh_tokens) and zh_tokens[0] in _ZH_VERB_START and bool(_EN_VERB_START.match(en.strip()))


_EN_DETERMINERS = frozenset("the this that these those a an its their our his her my your every".split())


def verb_phrase(tags: list[str], en: str) -> bool:
    """A verb and its object, not a term: the Chinese opens with a verb (jieba's ``v``) and the
    English with a lower-case word LemmInflect knows as a verb, followed by a determiner (希望本局
    ↔ hope this Council, 要求秘書 ↔ requested the Secretary). Without the determiner the verb is
    usually a modifier of a term (轉移協定 ↔ transfer agreements, 訂正格式 ↔ revised format)."""
    words = en_words(en)
    return len(tags) >= 2 and tags[0] == "v" and len(words) >= 2 and words[0].islower() and \
        "VERB" in en_word_classes(words[0]) and words[1].lower() in _EN_DETERMINERS


# jieba's tags of pronouns (我, 本局, 該), prepositions (對, 因), conjunctions (因為), particles
# (的, 地, 了) and interjections: a stretch of prose holds them, a term does not.
_ZH_PROSE_TAGS = frozenset("r p c uj ul uz ug uv ud y e o".split())
_ZH_COORDINATORS = frozenset("與 和 及 与 暨".split())  # a coordination is a term's own (創新科技及工業局)


def prose_words(tokens: Sequence[str], tags: Sequence[str]) -> bool:
    """Whether a Chinese candidate holds a pronoun, preposition, conjunction or particle
    (因為財務委員會, 北京的官員, 對夾心階層房屋): a cut of prose, not a term. Coordinating 及/與/和
    are part of names and are allowed."""
    return any(g in _ZH_PROSE_TAGS and t not in _ZH_COORDINATORS for t, g in zip(tokens, tags))


# Chinese endings of a body's name, and the English head nouns that render them.
_ZH_BODY_ENDS = tuple("委員會 辦公室 研究所 實驗室 公司 中心 大學 學院 基金 協會 學會 局 署 處 院 部 司".split())
_EN_BODY_HEADS = frozenset(
    "department bureau office board council commission committee authority company corporation centre center "
    "university college institute institution fund foundation association society ministry division branch "
    "agency service services force laboratory laboratories lab trust group secretariat registry unit "
    "school academy hospital court tribunal administration chamber federation union "
    "secretary commissioner director registrar controller".split())  # 司 and 處 end titles too (財政司)


_EN_NAME_HEADS = _EN_BODY_HEADS | frozenset(
    "ordinance ordinances bill bills act regulation regulations rules scheme fund programme program "
    "plan project convention treaty agreement park zone".split())


def name_head(word: str) -> bool:
    """A word that heads a name and that Chinese writes as a suffix of its own (Ordinance 條例,
    Committee 委員會, Scheme 計劃): an English that takes it says more than a Chinese without it."""
    return word.lower() in _EN_NAME_HEADS


def body_cut_short(zh: str, en: str, suffix_glosses) -> bool:
    """The name of a body rendered by its first words only (衞生署 ↔ Health, 土地委員會 ↔
    Land): the Chinese ends with a body's ending (署, 局, 委員會 …) and the English has no head noun
    for it — neither a word like Department, Bureau, Commission nor a gloss of the ending
    (``suffix_glosses(ending)``: stems). An acronym stands for the whole name and stays."""
    from zhen.corpora.words import stem

    end = next((e for e in _ZH_BODY_ENDS if zh.endswith(e)), None)
    words = en_words(en)
    if end is None or len(zh) - len(end) < 2 or not words or len(words) > 3:
        return False
    if len(words) == 1 and words[0].isupper() and len(words[0]) >= 2:
        return False
    glosses = suffix_glosses(end)
    heads = _body_head_stems()
    return not any(stem(w) in heads or stem(w) in glosses for w in words)


@lru_cache(maxsize=1)
def _body_head_stems() -> frozenset[str]:
    from zhen.corpora.words import stem

    return frozenset(stem(h) for h in _EN_BODY_HEADS)


# Titles and forms of address that follow a Chinese name (譚耀宗議員, 彭定康先生), with the English
# words that render them; and English forms of address that open a phrase.
_ZH_TITLES = {"議員": {"member", "members", "councillor", "councillors", "legislator", "legislators"},
              "先生": {"mr", "mister", "sir", "gentleman"}, "女士": {"mrs", "ms", "madam", "lady"},
              "小姐": {"miss", "ms"}, "太太": {"mrs", "madam"}, "夫人": {"mrs", "madam", "lady"},
              "爵士": {"sir"}, "博士": {"dr", "doctor"}, "教授": {"professor", "prof"}}
_EN_ADDRESS = frozenset({"honourable", "honorable", "hon"})


def form_of_address(zh_tokens: tuple[str, ...], tags: list[str], en: str) -> bool:
    """A person addressed, not a term: a personal name with its title (譚耀宗議員 ↔ Mr TAM
    Yiu-chung — a person's name, which a term base does not hold), a title whose English drops it
    (何承天議員 ↔ Edward Ho), or an English "(the) Honourable …" (本局議員 ↔ Honourable Council).
    ``tags``: jieba's tag of each token. A title after a common noun stays (主席先生 ↔ Mr
    President, 區議員 ↔ District Board member)."""
    words = [w.lower() for w in en_words(en)]
    if words and words[0] == "the":
        words = words[1:]
    if words and words[0] in _EN_ADDRESS:
        return True
    from zhen.corpora.zhtext import to_hk

    zh = to_hk("".join(zh_tokens))  # Simplified input (议员) reads as HK standard
    title = next((t for t in _ZH_TITLES if zh.endswith(t) and len(zh) > len(t)), None)
    if title is None:
        return False
    if not set(words) & _ZH_TITLES[title]:
        return True  # the title is not translated: the pair is a name against a name-and-title
    # what comes before the title is a person's name: jieba tags a name nr…, or does not list
    # it (a token that swallowed the title, 李先生, is tagged as the name it holds)
    rest = tags[:-1] if to_hk(zh_tokens[-1]) == title else tags
    return bool(rest) and all(t.startswith("nr") or t in ("", "zg") for t in rest)


def is_fragment(contexts: list[tuple[str, str]]) -> bool:
    """``contexts``: (what comes before, what comes after) the candidate in each distinct
    occurrence, one character of Chinese or one word of English, "" at a boundary (punctuation,
    line start). A candidate seen at least three times that always has the same content neighbour on
    one side is a piece of a longer unit (accessor variety, Feng et al. 2004)."""
    if len(contexts) < 3:
        return False
    for side in (0, 1):
        seen = {c[side] for c in contexts}
        if len(seen) == 1 and next(iter(seen)):
            return True
    return False


# Forms of address before a title ("Mr President"): the title is still a term of its own.
_EN_HONORIFICS = frozenset("mr mrs ms miss dr sir madam professor prof hon honourable".split())


def _name_word(word: str) -> bool:
    return bool(word) and word[:1].isupper() and not is_stop(word) and word.lower() not in _EN_HONORIFICS


def name_cut(contexts: Sequence[tuple]) -> bool:
    """An English cut out of a longer name: in every occurrence (at least one) a capitalised word
    runs on across one of its capitalised edges ("Kong Government" after Hong, "labour in Hong"
    before Kong, "Kok airport" after Lap, "Chinese University" before of Hong Kong). ``contexts``: ``_Occurrences.en_cased_contexts``
    (Title Case headings are left out there; a word opening a sentence is no evidence)."""
    if not contexts:
        return False
    for prev, prev_opens, text, nxt, _, past_of in contexts:
        words = text.split()
        left = words[0][:1].isupper() and _name_word(prev) and not prev_opens
        # "Chinese University" of Hong Kong: a name runs on through "of" or "for" too
        right = words[-1][:1].isupper() and (_name_word(nxt) or _name_word(past_of))
        if not (left or right):
            return False
    return True


def cut_short_of_its_chinese(contexts: Sequence[tuple], translates) -> bool:
    """An English that stops short of what its own Chinese says: in every occurrence (at least
    one) the word just before or after it is a content word that translates the Chinese
    candidate and is not in the English already (社會工作者數目 ↔ "number of social", followed by
    "workers"; 社會福利 ↔ "welfare", after "social"). ``translates(word)``: whether the word
    glosses a token of the Chinese."""
    if not contexts:
        return False
    for prev, _, text, nxt, *_ in contexts:
        have = {w.lower() for w in text.split()}
        if not any(w and not is_stop(w) and w.lower() not in have and translates(w) for w in (prev, nxt)):
            return False
    return True


def gerund_modifies(contexts: Sequence[tuple]) -> bool:
    """An English ending in an -ing word that a noun follows in every occurrence (at least one):
    the -ing word modifies that noun ("CCAQ working" party, "accounting" standards), it heads
    no term. ``contexts``: ``_Occurrences.en_cased_contexts``."""
    if not contexts:
        return False
    last = contexts[0][2].split()[-1].lower()
    if not last.endswith("ing") or "VERB" not in en_word_classes(last):
        return False
    return all(nxt and not is_stop(nxt) and "NOUN" in en_word_classes(nxt) for _, _, _, nxt, *_ in contexts)


def proper_noun(contexts: Sequence[tuple]) -> bool:
    """An English written with a capital inside sentences (London, Governor, Kowloon): a name or
    a title, not a general word. At least two thirds of the occurrences that do not open a
    sentence, and at least one."""
    inner = [text for _, _, text, _, opens, _ in contexts if not opens]
    caps = sum(1 for t in inner if all(w[:1].isupper() for w in t.split() if not is_stop(w)))
    return bool(inner) and caps * 3 >= 2 * len(inner)


__all__ = ["name_cut", "gerund_modifies", "cut_short_of_its_chinese", "proper_noun", "coordination_ok", "en_boundary_ok", "en_word_classes", "body_cut_short", "form_of_address", "general_modifier_phrase", "verb_phrase", "predicate_pair", "general_zipf", "is_fragment", "looks_like_heading", "zh_boundary_ok"]
