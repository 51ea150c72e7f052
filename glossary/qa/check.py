"""Terminology QA: check a translation against a glossary, aware of Hong Kong Chinese.

The job behind ``zhen check --glossary G INPUT``, in the manner of Xbench, Verifika, Trados'
Terminology Verifier and Okapi CheckMate: every aligned pair is read against the glossary and
against the rest of the file, and each problem becomes one *finding*.

>>> pairs, src, tgt = load_check_input(["pairs.tsv"])            # doctest: +SKIP
>>> frame = check(pairs, read_glossary("glossary.csv"), src_lang=src, tgt_lang=tgt)  # doctest: +SKIP
>>> frame = apply_ignore(frame, "accepted.txt")                   # doctest: +SKIP
>>> render_findings(frame, "html")                                # doctest: +SKIP

Direction
    Either zh→en or en→zh. When not given, each side's language is found by script (ideographs
    against Latin letters, as :func:`corpora.segment.text_lang` does).

Checks (:data:`CHECKS`; each function's docstring is its help text)
    ``missing-term``, ``deprecated-term``, ``inconsistency``, ``number``, ``script``,
    ``untranslated``, ``acronym``.

Term lookup
    One Aho–Corasick automaton per side over *normalised keys* (full-width folded, double quotes
    and corner brackets dropped, Traditional/Simplified folded through OpenCC ``hk2s``, lower
    case, runs of space collapsed), so 數據/数据, ＡＩ/AI, 「人工智能」+/人工智能+ and "New"/"new"
    match; offsets map back into the original text.
    Matches are chosen longest first and never overlap (新型工業化資助計劃 hides 新型工業化);
    English terms match on word boundaries and also in the plural (R&D centre/centres).

Severities
    ``error`` (must fix), ``warning`` (look at it), ``info`` (minor or likely legitimate: a
    candidate glossary entry, a source-side inconsistency, a term used fewer times than in the
    source). ``reaches(frame, "warning")`` is what ``--fail-on warning`` tests.

Findings (:func:`finding_schema`)
    One row per finding: its key, the 1-based pair number (the row in a TSV/JSONL file, the
    ``<tu>`` in a TMX), the pair's segment ids, check, severity, ITS 2.0 ``locQualityIssueType``,
    a message, the source and target spans (0-based character offsets into the pair's texts, end
    exclusive, with the text they cover), what was expected and what was found, the concept id,
    the languages and both texts (so a report can show the pair). Rows are sorted by pair, then
    check, then offsets: the same input always gives the same bytes.

Ignore file (``--ignore FILE``, :func:`apply_ignore`)
    UTF-8 text naming accepted findings by key. Each non-blank line that does not start with
    ``#`` holds one key (``missing-term:3f2a9c01b7de``) as its first token; anything after the
    key on the line (a tab, a comma, a comment) is ignored. A CSV written by ``--format csv``
    (recognised by its ``key,…`` header; its ``key`` column is read) and a JSONL written by
    ``--format jsonl`` (its ``key`` field is read) both work as ignore files as they are: save
    the report, delete the rows you want to keep seeing, pass the rest to ``--ignore``.
    A key hashes what the finding says (check, both texts, spans, expected, found, concept), not
    where the pair sits, so keys survive pairs being added or moved; the same problem in two
    identical pairs shares one key.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from zhen.corpora.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

    from zhen.align.formats import AlignedPair
    from zhen.glossary.model import Glossary

__all__ = [
    "CHECKS",
    "FINDING_COLUMNS",
    "FORMATS",
    "ISSUE_TYPES",
    "SEVERITIES",
    "Finding",
    "apply_ignore",
    "check",
    "check_signature",
    "describe_checks",
    "detect_direction",
    "finding_schema",
    "load_check_input",
    "reaches",
    "read_ignore_keys",
    "render_findings",
]

#: Output formats of :func:`render_findings`.
FORMATS = ("text", "csv", "jsonl", "html")
#: Severities, least to most severe.
SEVERITIES = ("info", "warning", "error")
_RANK = {s: i for i, s in enumerate(SEVERITIES)}

#: ITS 2.0 ``locQualityIssueType`` values the checks use (W3C ITS 2.0 §8.15.3, the
#: ``locQualityIssueType`` list).
ISSUE_TYPES = ("terminology", "inconsistency", "numbers", "characters", "untranslated", "omission",
               "addition", "style")

# Thresholds, all recorded by check_signature().
#: Below this log-length correlation over non-null pairs a file is taken as misaligned: the
#: slide deck's pairs correlate at 0.91, the same pairs shifted by one row at 0.02.
MISALIGNED_LENGTH_CORR = 0.35
#: ... unless numbers say otherwise: at least this share of number-bearing pairs agreeing
#: fully (the deck: 30/30 aligned, 0/42 shifted by one).
MISALIGNED_NUMBER_AGREEMENT = 0.5
#: Pairs needed before the length/number statistics mean anything.
MISALIGNED_MIN_PAIRS = 10
#: Share of pairs (of those with one language a side) going the other way before a file is
#: refused as mixed up.
MIXED_DIRECTION_SHARE = 0.25
#: Entries a reviewer has not approved, scoring below this, only ever give ``info``: in a
#: glossary zhen builds they are pairs found by association alone (科技創新 ↔ I&T on the deck).
LOW_SCORE = 0.75
#: Fewest consecutive source words that count as English left in a Chinese target.
UNTRANSLATED_MIN_WORDS = 3


# ---------------------------------------------------------------------------------------------
# Records


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one pair. Offsets are into the pair's own texts (end exclusive)."""

    pair: int  # 0-based index into the pairs given to check(); the frame shows it 1-based
    check: str
    severity: str
    issue_type: str
    message: str
    src_start: int | None = None
    src_end: int | None = None
    tgt_start: int | None = None
    tgt_end: int | None = None
    expected: str = ""
    found: str = ""
    concept_id: str = ""


FINDING_COLUMNS = (
    "key", "pair", "pair_id", "check", "severity", "issue_type", "message",
    "src_start", "src_end", "src_span", "tgt_start", "tgt_end", "tgt_span",
    "expected", "found", "concept_id", "src_lang", "tgt_lang", "src_text", "tgt_text",
)


def finding_schema() -> dict:
    """The declared schema of the findings frame (column order is :data:`FINDING_COLUMNS`)."""
    import polars as pl

    ints = {"pair", "src_start", "src_end", "tgt_start", "tgt_end"}
    return {c: (pl.Int64 if c in ints else pl.String) for c in FINDING_COLUMNS}


# ---------------------------------------------------------------------------------------------
# Normalised keys with offsets back into the original text

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_RX = re.compile(f"[{_CJK}]")
_CJK_RUN_RX = re.compile(f"[{_CJK}](?:[{_CJK}\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]*[{_CJK}])?")
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FOLD.update({0x3000: " ", 0x00A0: " ", 0x2009: " ", 0x202F: " ", 0x2002: " ", 0x2003: " ",
              0x09: " ", 0x0A: " ", 0x0D: " ", 0x0B: " ", 0x0C: " ", 0x2028: " ", 0x2029: " "})
_FOLD.update({ord(c): '"' for c in "「」『』“”„«»"})
_FOLD.update({ord(c): "'" for c in "‘’‚′`"})
# Dashes: "Industry–Oriented" and "2026–27" are the same key as with a hyphen.
_FOLD.update({ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212"})
_FOLD_TABLE = str.maketrans({k: (chr(v) if isinstance(v, int) else v) for k, v in _FOLD.items()})
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_ZERO_WIDTH_RX = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def _fold(text: str) -> tuple[str, list[int] | None]:
    """The match key of ``text`` and, when it is not one-to-one, each key character's offset in
    ``text`` (plus one past the end). Width, quotes, dashes, script (hk2s), case, zero-width
    characters and runs of space are folded — :func:`corpora.zhtext.match_key` without the
    length changes, so spans found in the key are spans of the original."""
    t = text.translate(_FOLD_TABLE)
    if _CJK_RX.search(t):
        from zhen.corpora.zhtext import to_simplified

        t = to_simplified(t)  # same length by construction
    low = t.lower()
    if len(low) != len(t):  # İ and a few others lower to two code points: keep those as they are
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in t)
    if '"' not in low and "  " not in low and not _ZERO_WIDTH_RX.search(low):
        return low, None
    # Double quotes go: 「人工智能」+ is the term 人工智能+, “new industrialisation” the term.
    out: list[str] = []
    offs: list[int] = []
    prev_space = True  # also drops leading space, as a term key is stripped
    for i, c in enumerate(low):
        if c == '"' or c in _ZERO_WIDTH or (c == " " and prev_space):
            continue
        prev_space = c == " "
        out.append(c)
        offs.append(i)
    offs.append(len(low))
    return "".join(out), offs


def _term_key(term: str) -> str:
    return _fold(term)[0].strip()


def _is_word_char(c: str) -> bool:
    return c.isascii() and c.isalnum()


@dataclass(frozen=True, slots=True)
class _Text:
    text: str
    key: str
    offs: list[int] | None

    @classmethod
    def of(cls, text: str) -> _Text:
        key, offs = _fold(text)
        return cls(text, key, offs)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Key offsets to offsets into the original text."""
        if self.offs is None:
            return start, end
        return self.offs[start], self.offs[end - 1] + 1


# ---------------------------------------------------------------------------------------------
# Term index: one Aho–Corasick automaton per language over every term's key


@dataclass(frozen=True, slots=True)
class _TermRef:
    entry: int  # index into the entries the index was built from
    text: str  # the term as the glossary writes it
    type: str  # "preferred" for the entry's own term, else the variant's TBX termType
    status: str  # preferred / admitted / deprecated


_ABBREVIATED_TYPES = frozenset({"acronym", "abbreviation", "shortForm"})


def _english_inflections(key: str) -> list[str]:
    """Plural (and singular) forms of an English term's last word, so the glossary's "R&D
    centre" finds "R&D centres". Words under three letters are left alone (and the caller
    leaves acronyms alone: LHTRIs is not the plural of anything)."""
    m = re.search(r"([a-z]+)$", key)
    if not m or len(m.group(1)) < 3:
        return []
    word = m.group(1)
    stem = key[: m.start(1)]
    out = [key + "s", key + "es"]
    if word.endswith("y") and word[-2] not in "aeiou":
        out.append(stem + word[:-1] + "ies")
    if word.endswith("ies"):
        out.append(stem + word[:-3] + "y")
    elif word.endswith("s") and not word.endswith("ss"):
        out.append(key[:-1])
    return out


class _Index:
    """Terms of one language (``zh``/``en``) of a set of entries, found through one automaton."""

    def __init__(self, entries: Sequence, lang: str, *, statuses: frozenset[str]) -> None:
        import ahocorasick

        self.lang = lang
        by_key: dict[str, list[_TermRef]] = defaultdict(list)
        for k, entry in enumerate(entries):
            preferred = entry.en if lang == "en" else entry.zh
            variants = entry.en_variants if lang == "en" else entry.zh_variants
            terms = [_TermRef(k, preferred, "preferred", "preferred")]
            terms += [_TermRef(k, t.text, t.type, t.status) for t in variants]
            for ref in terms:
                if ref.status not in statuses or not ref.text.strip():
                    continue
                key = _term_key(ref.text)
                if not key:
                    continue
                inflect = lang == "en" and ref.type not in _ABBREVIATED_TYPES
                keys = [key] + (_english_inflections(key) if inflect else [])
                for kk in keys:
                    if ref not in by_key[kk]:
                        by_key[kk].append(ref)
        self.refs: list[tuple[_TermRef, ...]] = []
        self.automaton = None
        if by_key:
            automaton = ahocorasick.Automaton()
            for key in sorted(by_key):  # sorted: the same glossary builds the same automaton
                automaton.add_word(key, (len(key), len(self.refs)))
                self.refs.append(tuple(by_key[key]))
            automaton.make_automaton()
            self.automaton = automaton

    def hits(self, t: _Text) -> list[tuple[int, int, int]]:
        """Every (key start, key end, refs id) occurrence, overlapping ones included, that sits on
        word boundaries where the term begins or ends with a Latin letter or digit."""
        if self.automaton is None or not t.key:
            return []
        key = t.key
        out = []
        n = len(key)
        for end, (length, rid) in self.automaton.iter(key):
            start = end - length + 1
            if _is_word_char(key[start]) and start > 0 and _is_word_char(key[start - 1]):
                continue
            if _is_word_char(key[end]) and end + 1 < n and _is_word_char(key[end + 1]):
                continue
            out.append((start, end + 1, rid))
        return out


@dataclass(frozen=True, slots=True)
class _Occ:
    """One occurrence of glossary terms in a text: original offsets and the refs it stands for
    (two occurrences of one concept written ``X (Y)`` are merged into one)."""

    start: int
    end: int
    refs: tuple[_TermRef, ...]

    @property
    def entries(self) -> frozenset[int]:
        return frozenset(r.entry for r in self.refs)


_DEFINITION_GAP = re.compile(r"^[\s\"'「」『』“”]*[(（][\s\"'「」『』“”]*$")
_CLOSING = re.compile(r"[\s\"'」』”]*[)）]")


def _select(t: _Text, hits: list[tuple[int, int, int]], refs: list[tuple[_TermRef, ...]],
            preferred: frozenset[int] = frozenset()) -> list[_Occ]:
    """Non-overlapping occurrences: terms of ``preferred`` entries first, then the longest, then
    the leftmost."""
    cands = []
    for s, e, rid in hits:
        rr = refs[rid]
        first = 0 if preferred and any(r.entry in preferred for r in rr) else 1
        cands.append((first, s - e, s, e, rr))
    cands.sort(key=lambda c: c[:4])
    taken = bytearray(len(t.key))
    chosen = []
    for _, _, s, e, rr in cands:
        if taken.find(1, s, e) >= 0:
            continue
        taken[s:e] = b"\x01" * (e - s)
        chosen.append((s, e, rr))
    chosen.sort(key=lambda c: c[0])
    occs: list[_Occ] = []
    for s, e, rr in chosen:
        os_, oe = t.span(s, e)
        if occs:
            prev = occs[-1]
            gap = t.text[prev.end:os_]
            shared = prev.entries & {r.entry for r in rr}
            # "人工智能(AI)", "InnoHK Research Clusters (InnoHK)": a term and its short form in
            # brackets are one mention, written once in the other language.
            if shared and _DEFINITION_GAP.match(gap):
                merged = tuple(r for r in prev.refs if r.entry in shared)
                close = _CLOSING.match(t.text, oe)
                occs[-1] = _Occ(prev.start, close.end() if close else oe, merged)
                continue
        occs.append(_Occ(os_, oe, rr))
    return occs


# ---------------------------------------------------------------------------------------------
# The context every check reads (built once per check() call)


def _lang_kind(lang: str) -> str:
    low = (lang or "").lower()
    if low == "zh" or low.startswith(("zh-", "yue", "cmn")):
        return "zh"
    if low == "en" or low.startswith("en-"):
        return "en"
    raise InputError(None, f"language {lang!r} is not Chinese or English",
                     hint="zhen check handles zh-HK (or zh) and en, in either direction")


def _is_hant(lang: str) -> bool:
    """zh-HK, zh-Hant, zh-TW, zh-MO, plain zh: text that should hold no Simplified characters."""
    low = lang.lower()
    return not any(tag in low for tag in ("hans", "-cn", "-sg", "-my"))


class _Context:
    """Pairs, languages, glossary indexes and per-pair caches shared by the checks."""

    def __init__(self, pairs: Sequence[AlignedPair], glossary: Glossary, src_lang: str,
                 tgt_lang: str) -> None:
        self.pairs = pairs
        self.src_lang, self.tgt_lang = src_lang, tgt_lang
        self.src_kind, self.tgt_kind = _lang_kind(src_lang), _lang_kind(tgt_lang)
        live = [e for e in glossary.entries if e.status != "rejected" and e.en.strip() and e.zh.strip()]
        self.entries = live
        self.rejected = [e for e in glossary.entries if e.status == "rejected" and e.en.strip() and e.zh.strip()]
        self._src_index = _Index(live, self.src_kind, statuses=frozenset({"preferred", "admitted"}))
        self._tgt_index = _Index(live, self.tgt_kind,
                                 statuses=frozenset({"preferred", "admitted", "deprecated"}))
        self.src = [_Text.of(p.src_text) for p in pairs]
        self.tgt = [_Text.of(p.tgt_text) for p in pairs]
        # Compared without any space, so that a copy is a copy whichever language it is read as.
        self._copies = {i for i, p in enumerate(pairs)
                        if p.src_text.strip() and _segment_key(self.src[i], "zh")
                        == _segment_key(self.tgt[i], "zh")}
        self._dead = {i for i, p in enumerate(pairs) if not p.src_text.strip() or not p.tgt_text.strip()}
        self._dead |= self._copies
        self._src_occ: list[list[_Occ]] | None = None
        self._tgt_occ: list[list[_Occ]] | None = None
        self._numbers: list | None = None

    def live(self, i: int) -> bool:
        """Both sides hold text and the target is not a copy of the source: null beads and
        copies get only the untranslated check (a copied target fails every other check too)."""
        return i not in self._dead

    def is_copy(self, i: int) -> bool:
        return i in self._copies

    def src_occ(self) -> list[list[_Occ]]:
        if self._src_occ is None:
            idx = self._src_index
            self._src_occ = [_select(t, idx.hits(t), idx.refs) if self.live(i) else []
                             for i, t in enumerate(self.src)]
        return self._src_occ

    def tgt_occ(self) -> list[list[_Occ]]:
        """Target occurrences; terms of concepts the source mentions win over longer strangers."""
        if self._tgt_occ is None:
            idx = self._tgt_index
            src = self.src_occ()
            out = []
            for i, t in enumerate(self.tgt):
                if not self.live(i):
                    out.append([])
                    continue
                wanted = frozenset(e for o in src[i] for e in o.entries)
                out.append(_select(t, idx.hits(t), idx.refs, wanted))
            self._tgt_occ = out
        return self._tgt_occ

    def numbers(self) -> list[tuple[list, list]]:
        if self._numbers is None:
            from zhen.corpora.numbers import extract_numbers

            self._numbers = [
                (extract_numbers(p.src_text, self.src_kind), extract_numbers(p.tgt_text, self.tgt_kind))
                if self.live(i) else ([], []) for i, p in enumerate(self.pairs)
            ]
        return self._numbers

    def target_term(self, entry_index: int) -> str:
        e = self.entries[entry_index]
        return e.en if self.tgt_kind == "en" else e.zh


def _entry_severity(entry, strong: str, weak: str) -> str:
    """Approved entries speak with ``strong``; candidates with ``weak``; low-scoring candidates
    only with ``info`` (the deck's own glossary is all candidates, some of them wrong)."""
    if entry.status == "approved":
        return strong
    if entry.score < LOW_SCORE:
        return "info"
    return weak


# ---------------------------------------------------------------------------------------------
# Checks. Each takes the context and returns findings; its docstring is its help text.


def check_missing_term(ctx: _Context) -> list[Finding]:
    """Missing term: a glossary term is in the source but its translation is not in the target.

    Source terms are the preferred term and every admitted variant (never a deprecated one),
    matched longest first; "X (Y)" where both name one concept counts once. The target must hold
    one of the concept's target terms (any variant, plural allowed) as often as the source holds
    the concept. None at all: error for an approved entry, warning for a candidate. Fewer than in
    the source: warning for an approved entry, info otherwise (a translation may say "the
    scheme" the second time). Candidates scoring below 0.75 only give info.
    """
    out = []
    src_occ, tgt_occ = ctx.src_occ(), ctx.tgt_occ()
    for i in range(len(ctx.pairs)):
        if not src_occ[i]:
            continue
        groups: dict[frozenset[int], list[_Occ]] = defaultdict(list)
        for o in src_occ[i]:
            groups[o.entries].append(o)
        tgt_count: Counter[int] = Counter()
        for o in tgt_occ[i]:
            for e in o.entries:
                tgt_count[e] += 1
        for entries, occs in groups.items():
            n = len(occs)
            m = max(tgt_count[e] for e in entries)
            if m >= n:
                continue
            k = min(entries, key=lambda e: (-(ctx.entries[e].status == "approved"), -ctx.entries[e].score, e))
            entry = ctx.entries[k]
            o = occs[m]  # the first source mention left without a translation
            expected = ctx.target_term(k)
            src_term = ctx.pairs[i].src_text[o.start:o.end]
            if m == 0:
                sev = _entry_severity(entry, "error", "warning")
                msg = f"{src_term!r} is in the source but no translation of it is in the target"
            else:
                sev = _entry_severity(entry, "warning", "info")
                msg = f"{src_term!r} appears {n} times in the source, its translation {m}"
            out.append(Finding(i, "missing-term", sev, "terminology", msg, o.start, o.end,
                               expected=expected, found="" if m == 0 else f"{m} of {n}",
                               concept_id=entry.concept_id))
    return out


def check_deprecated_term(ctx: _Context) -> list[Finding]:
    """Deprecated or rejected term: the target uses a term the glossary says not to use.

    A variant whose status is ``deprecated`` is flagged wherever it stands in the target (error
    when the source mentions the concept, warning otherwise); the preferred term is expected. An
    entry a reviewer ``rejected`` says "this is not the translation of that": its target term is
    flagged (warning) when its source term is in the same pair's source, unless a live entry pairs
    the same two terms.
    """
    out = []
    src_occ, tgt_occ = ctx.src_occ(), ctx.tgt_occ()
    for i in range(len(ctx.pairs)):
        in_src: dict[int, _Occ] = {}
        for o in src_occ[i]:
            for e in o.entries:
                in_src.setdefault(e, o)
        for o in tgt_occ[i]:
            if not all(r.status == "deprecated" for r in o.refs):
                continue
            k = min(o.entries)
            entry = ctx.entries[k]
            found = ctx.pairs[i].tgt_text[o.start:o.end]
            so = next((in_src[e] for e in sorted(o.entries) if e in in_src), None)
            out.append(Finding(i, "deprecated-term", "error" if so else "warning", "terminology",
                               f"{found!r} is a deprecated term; use {ctx.target_term(k)!r}",
                               so.start if so else None, so.end if so else None, o.start, o.end,
                               expected=ctx.target_term(k), found=found, concept_id=entry.concept_id))
    if ctx.rejected:
        out += _rejected_pairs(ctx)
    return out


def _rejected_pairs(ctx: _Context) -> list[Finding]:
    live_pairs = {(_term_key(t_src), _term_key(t_tgt)) for e in ctx.entries
                  for t_src in (e.terms(ctx.src_kind)) for t_tgt in e.terms(ctx.tgt_kind)}
    src_index = _Index(ctx.rejected, ctx.src_kind, statuses=frozenset({"preferred", "admitted", "deprecated"}))
    tgt_index = _Index(ctx.rejected, ctx.tgt_kind, statuses=frozenset({"preferred", "admitted", "deprecated"}))
    out = []
    for i in range(len(ctx.pairs)):
        if not ctx.live(i):
            continue
        s_occ = _select(ctx.src[i], src_index.hits(ctx.src[i]), src_index.refs)
        if not s_occ:
            continue
        in_src = {e: o for o in s_occ for e in o.entries}
        t_occ = _select(ctx.tgt[i], tgt_index.hits(ctx.tgt[i]), tgt_index.refs, frozenset(in_src))
        for o in t_occ:
            for k in sorted(o.entries & set(in_src)):
                entry = ctx.rejected[k]
                so = in_src[k]
                s_text = ctx.pairs[i].src_text[so.start:so.end]
                t_text = ctx.pairs[i].tgt_text[o.start:o.end]
                if (_term_key(s_text), _term_key(t_text)) in live_pairs:
                    continue
                out.append(Finding(i, "deprecated-term", "warning", "terminology",
                                   f"{t_text!r} as the translation of {s_text!r} was rejected in the glossary",
                                   so.start, so.end, o.start, o.end, expected="", found=t_text,
                                   concept_id=entry.concept_id))
                break
    return out


_TRAIL_PUNCT = " .。,，;；:：!！?？"
_ZH_SPACE = re.compile(r"\s+")


def _segment_key(t: _Text, kind: str, acronyms: list[_Definition] | None = None) -> str:
    """What two renderings of one segment must share to count as the same: the match key, no
    space inside Chinese, trailing punctuation off, and "long form (ACR)" read as "ACR" (a
    repeated slide title may spell an acronym out on first use only)."""
    text = t.text
    if acronyms:
        parts, pos = [], 0
        for d in acronyms:
            parts.append(text[pos:d.long_start])
            parts.append(d.acronym)
            pos = d.end
        parts.append(text[pos:])
        text = "".join(parts)
        key = _fold(text)[0]
    else:
        key = t.key
    key = _ZH_SPACE.sub("" if kind == "zh" else " ", key).strip()
    return key.rstrip(_TRAIL_PUNCT)


def _meaningful(key: str) -> bool:
    """Worth comparing across the file: at least two letters or ideographs (not a lone number,
    bullet or single character, which repeat everywhere with different neighbours)."""
    letters = sum(1 for c in key if c.isalpha())
    return letters >= 2


def check_inconsistency(ctx: _Context) -> list[Finding]:
    """Inconsistent translation: one thing rendered in different ways across the file.

    * The same source segment (compared through the match key, ignoring case, width, script,
      spaces and trailing punctuation, and reading "long form (ACR)" as "ACR") with different
      targets: warning on each pair that differs from the most common rendering.
    * The reverse: the same target from different sources (a copy-paste translation, or a
      source-side slip such as 聯通/連通): info.
    * The same glossary concept rendered with different full target terms (acronyms and short
      forms aside), and the reverse: info on the pairs that use the less common one.
    """
    out = []
    defs = _acronym_definitions(ctx, "tgt")
    src_defs = _acronym_definitions(ctx, "src")
    live = [i for i in range(len(ctx.pairs)) if ctx.live(i)]
    s_keys = {i: _segment_key(ctx.src[i], ctx.src_kind, src_defs.get(i)) for i in live}
    t_keys = {i: _segment_key(ctx.tgt[i], ctx.tgt_kind, defs.get(i)) for i in live}
    for by, other, side_sev, label in ((s_keys, t_keys, "warning", "source"),
                                       (t_keys, s_keys, "info", "target")):
        groups: dict[str, list[int]] = defaultdict(list)
        for i in live:
            if _meaningful(by[i]):
                groups[by[i]].append(i)
        for members in groups.values():
            if len(members) < 2:
                continue
            renderings = Counter(other[i] for i in members)
            if len(renderings) < 2:
                continue
            first_seen = {}
            for i in members:
                first_seen.setdefault(other[i], i)
            ref_key = min(renderings, key=lambda k: (-renderings[k], first_seen[k]))
            ref = first_seen[ref_key]
            for i in members:
                if other[i] == ref_key:
                    continue
                if label == "source":
                    ref_text, text = ctx.pairs[ref].tgt_text, ctx.pairs[i].tgt_text
                    s, e = _diff_span(ref_text, text)
                    msg = (f"the same source segment is translated differently in pair {ref + 1}"
                           f" ({renderings[ref_key]} of {len(members)} pairs use that rendering)")
                    out.append(Finding(i, "inconsistency", side_sev, "inconsistency", msg,
                                       tgt_start=s, tgt_end=e, expected=ref_text, found=text))
                else:
                    ref_text, text = ctx.pairs[ref].src_text, ctx.pairs[i].src_text
                    s, e = _diff_span(ref_text, text)
                    msg = f"the same target translates a different source in pair {ref + 1}"
                    out.append(Finding(i, "inconsistency", side_sev, "inconsistency", msg,
                                       src_start=s, src_end=e, expected=ref_text, found=text))
    out += _concept_inconsistency(ctx)
    return out


def _diff_span(ref: str, text: str) -> tuple[int, int]:
    """The part of ``text`` that differs from ``ref`` (common head and tail off, widened to
    whole Latin words), so a report marks 連 in 連通 rather than the whole segment."""
    a = 0
    n = min(len(ref), len(text))
    while a < n and ref[a] == text[a]:
        a += 1
    b = 0
    while b < n - a and ref[len(ref) - 1 - b] == text[len(text) - 1 - b]:
        b += 1
    s, e = a, len(text) - b
    while s > 0 and _is_word_char(text[s - 1]):
        s -= 1
    while e < len(text) and _is_word_char(text[e]):
        e += 1
    if s >= e:  # text is ref with something removed: mark all of it
        return 0, len(text)
    return s, e


def _concept_inconsistency(ctx: _Context) -> list[Finding]:
    src_occ, tgt_occ = ctx.src_occ(), ctx.tgt_occ()
    out = []
    for side in ("tgt", "src"):
        # For each concept named on both sides of a pair: which full term did `side` use?
        uses: dict[int, list[tuple[int, _Occ, str]]] = defaultdict(list)
        for i in range(len(ctx.pairs)):
            this, that = (tgt_occ[i], src_occ[i]) if side == "tgt" else (src_occ[i], tgt_occ[i])
            there = {e for o in that for e in o.entries}
            for o in this:
                full = [r for r in o.refs if r.type not in _ABBREVIATED_TYPES and r.type != "simplified"
                        and r.status != "deprecated" and r.entry in there]
                if len(o.entries) != 1 or not full:
                    continue
                uses[full[0].entry].append((i, o, _term_key(full[0].text)))
        for k, rows in sorted(uses.items()):
            counts = Counter(key for _, _, key in rows)
            if len(counts) < 2:
                continue
            first = {}
            for i, o, key in rows:
                first.setdefault(key, (i, o))
            ref_key = min(counts, key=lambda key: (-counts[key], first[key][0]))
            ref_i, ref_o = first[ref_key]
            texts = ctx.pairs[ref_i].tgt_text if side == "tgt" else ctx.pairs[ref_i].src_text
            ref_text = texts[ref_o.start:ref_o.end]
            for i, o, key in rows:
                if key == ref_key:
                    continue
                t = ctx.pairs[i].tgt_text if side == "tgt" else ctx.pairs[i].src_text
                found = t[o.start:o.end]
                where = {"tgt_start": o.start, "tgt_end": o.end} if side == "tgt" else \
                    {"src_start": o.start, "src_end": o.end}
                what = "rendered" if side == "tgt" else "written in the source"
                out.append(Finding(i, "inconsistency", "info", "inconsistency",
                                   f"concept {what} as {found!r} here but {ref_text!r} in pair {ref_i + 1}",
                                   expected=ref_text, found=found,
                                   concept_id=ctx.entries[k].concept_id, **where))
    return out


_DIGIT_RX = re.compile("[0-9\uff10-\uff19]")


def _soft_number(m) -> bool:
    """A small number written in words: often an article or "both", not a quantity to check."""
    return m.unit == "" and abs(m.value) <= 10 and not _DIGIT_RX.search(m.surface)


def _dates_agree(a, b) -> bool:
    """五月十七日 and 17 May 1989: one side leaves the year out, month and day agree."""
    from zhen.corpora.numbers import date_parts

    if a.unit != "date" or b.unit != "date":
        return False
    ya, ma, da = date_parts(a.value)
    yb, mb, db = date_parts(b.value)
    return (ma, da) == (mb, db) and (ya is None or yb is None)


def check_number(ctx: _Context) -> list[Finding]:
    """Number mismatch: a number in one side that the other side does not carry.

    Numbers are read with :mod:`corpora.numbers`, so Chinese numerals and units compare with
    English ones (25萬平方米 = 250 000 square metres, 2.2億元 = $220 million, 七成 = 70%,
    近兩萬 ≈ nearly 20 000, 5 000千萬億次 = 5 000 petaFLOPS, 2025年12月 = December 2025).
    A source number paired with a different target number of a compatible unit: error.
    A number on one side only: warning. Small numbers written as words (一, 兩, "one", "two"
    up to ten, without a unit) are not reported when left over: 一個/一項 is mostly "a", and
    "both" or "the two" renders 兩 — the Hong Kong Hansards give hundreds of these. Null pairs
    are left to the untranslated check.
    """
    from zhen.corpora.numbers import match_numbers, units_compatible

    out = []
    for i, (a, b) in enumerate(ctx.numbers()):
        if not a and not b:
            continue
        res = match_numbers(a, b)
        left_b = [j for j in res.unmatched_b if not _soft_number(b[j])]
        for ia in res.unmatched_a:
            if _soft_number(a[ia]):
                continue
            same_day = next((j for j in left_b if _dates_agree(a[ia], b[j])), None)
            if same_day is not None:
                left_b.remove(same_day)
                continue
            ma = a[ia]
            jb = next((j for j in left_b if units_compatible(ma.unit, b[j].unit)), None)
            if jb is not None:
                left_b.remove(jb)
                mb = b[jb]
                out.append(Finding(i, "number", "error", "numbers",
                                   f"{ma.surface!r} in the source but {mb.surface!r} in the target",
                                   ma.start, ma.end, mb.start, mb.end, expected=ma.surface,
                                   found=mb.surface))
            else:
                out.append(Finding(i, "number", "warning", "numbers",
                                   f"{ma.surface!r} in the source is not in the target",
                                   ma.start, ma.end, expected=ma.surface))
        for jb in left_b:
            mb = b[jb]
            out.append(Finding(i, "number", "warning", "numbers",
                               f"{mb.surface!r} in the target is not in the source",
                               tgt_start=mb.start, tgt_end=mb.end, found=mb.surface))
    return out


# Characters that are Simplified forms *and* ordinary Traditional characters in some words
# (若干, 皇后, 公里, 于是 in names, 余 as a surname, 台 in HK usage, 范 as a surname): flagged one
# severity lower, since OpenCC's phrase table is the only thing telling the two apart.
_ALSO_TRADITIONAL = frozenset("干后里于余冲范丑斗几云准征朴台丰划克合向谷松表卷")
_FULLWIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")
_CJK_PUNCT_IN_EN = re.compile("[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]+")


@lru_cache(maxsize=65536)
def _simplified_only(c: str) -> bool:
    """A character that Simplified text uses and HK Traditional replaces: s2hk changes it and
    hk2s leaves it (赋 → 賦). HK variants (稅/税) and shared forms (布, 借) are not."""
    from zhen.corpora.zhtext import to_hk, to_simplified

    return to_hk(c) != c and to_simplified(c) == c


def _simplified_runs(text: str) -> list[tuple[int, int, str]]:
    from zhen.corpora.zhtext import to_hk

    if not _CJK_RX.search(text):
        return []
    hk = to_hk(text)  # phrase-aware: 若干 keeps its 干, 赋能 becomes 賦能
    runs: list[tuple[int, int, str]] = []
    for k, (a, b) in enumerate(zip(text, hk)):
        if a != b and _simplified_only(a):
            if runs and runs[-1][1] == k:
                s, _, exp = runs[-1]
                runs[-1] = (s, k + 1, exp + b)
            else:
                runs.append((k, k + 1, b))
    return runs


def check_script(ctx: _Context) -> list[Finding]:
    """Script mix: characters of the wrong script or width for the language.

    In HK Traditional Chinese (either side): Simplified characters (赋 in 賦能), found through
    OpenCC's phrase-aware s2hk so that 若干 or 皇后 stay quiet; full-width Latin letters and
    digits (ＡＩ, １２), which HK style writes half-width. In English: full-width or CJK
    punctuation (，。：（）) left from the Chinese. Target side: error for a Simplified character
    (warning when it is also a Traditional one, like 干 or 台), warning for width; source side
    one step lower (the translator cannot change it, but should know).
    """
    out = []
    sides = (("src", ctx.src_kind, ctx.src_lang), ("tgt", ctx.tgt_kind, ctx.tgt_lang))
    for i, p in enumerate(ctx.pairs):
        for side, kind, lang in sides:
            text = p.src_text if side == "src" else p.tgt_text
            if not text or (side == "tgt" and ctx.is_copy(i)):
                continue
            for sev, msg, s, e, expected in _script_problems(text, kind, lang):
                if side == "src":
                    sev = SEVERITIES[max(0, _RANK[sev] - 1)]
                where = {"src_start": s, "src_end": e} if side == "src" else {"tgt_start": s, "tgt_end": e}
                out.append(Finding(i, "script", sev, "characters", msg, expected=expected,
                                   found=text[s:e], **where))
    return out


def _script_problems(text: str, kind: str, lang: str) -> list[tuple[str, str, int, int, str]]:
    """(target-side severity, message, start, end, expected) for one text."""
    out = []
    if kind == "zh":
        if _is_hant(lang):
            for s, e, expected in _simplified_runs(text):
                found = text[s:e]
                sev = "warning" if all(c in _ALSO_TRADITIONAL for c in found) else "error"
                out.append((sev, f"Simplified {found!r} in HK Traditional text; write {expected!r}",
                            s, e, expected))
        for m in _FULLWIDTH_ALNUM.finditer(text):
            half = unicodedata.normalize("NFKC", m.group())
            out.append(("warning", f"full-width {m.group()!r}; HK style writes {half!r}",
                        m.start(), m.end(), half))
    elif not _CJK_RX.search(text):  # with Chinese left in, the untranslated check says it all
        for m in _CJK_PUNCT_IN_EN.finditer(text):
            half = unicodedata.normalize("NFKC", m.group())
            out.append(("warning", f"full-width or CJK punctuation {m.group()!r} in English text",
                        m.start(), m.end(), half if half != m.group() else ""))
    return out


_EN_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")


def check_untranslated(ctx: _Context) -> list[Finding]:
    """Untranslated: source text left in the target, or a side with no counterpart.

    * Target identical to the source (by match key) while it holds words of the source
      language: error (an identical pair of names, acronyms or numbers — "InnoHK", "2026" — is
      fine).
    * Chinese characters inside an English target: error.
    * Three or more consecutive English words of the source, with at least two ordinary
      lower-case words, copied into a Chinese target: warning.
    * A source segment with an empty target (1-0 pair): warning, ITS ``omission``; a target
      with no source (0-1 pair): info, ITS ``addition``. A lone date or number (no letters) is
      left alone: a bilingual document writes it once for both languages.
    """
    out = []
    for i, p in enumerate(ctx.pairs):
        src, tgt = p.src_text, p.tgt_text
        if not src.strip() and not tgt.strip():
            continue
        if (not tgt.strip() or not src.strip()) and not any(c.isalpha() for c in src + tgt):
            # A date or page number in a bilingual document belongs to both languages; the
            # aligner hands it to one side (the deck's 26/2/2026). Nothing to translate.
            continue
        if not tgt.strip():
            out.append(Finding(i, "untranslated", "warning", "omission",
                               "source segment with no translation", 0, len(src), expected="", found=""))
            continue
        if not src.strip():
            out.append(Finding(i, "untranslated", "info", "addition",
                               "target text with no source segment", tgt_start=0, tgt_end=len(tgt),
                               found=tgt))
            continue
        same = ctx.is_copy(i)
        if ctx.src_kind == "zh":
            if same and _CJK_RX.search(tgt):
                out.append(Finding(i, "untranslated", "error", "untranslated",
                                   "the target is the Chinese source, untranslated", 0, len(src),
                                   0, len(tgt), found=tgt))
                continue
            if ctx.tgt_kind == "en":
                quotes = [m.span() for m in _QUOTED.finditer(tgt)] if _CJK_RX.search(tgt) else []
                for m in _CJK_RUN_RX.finditer(tgt):
                    k = src.find(m.group())
                    where = {"src_start": k, "src_end": k + len(m.group())} if k >= 0 else {}
                    # "the word “及”": Chinese quoted in English is being talked about, not left over.
                    quoted = any(s <= m.start() and m.end() <= e for s, e in quotes)
                    out.append(Finding(i, "untranslated", "info" if quoted else "error", "untranslated",
                                       f"Chinese {m.group()!r} {'quoted' if quoted else 'left'} in the English target",
                                       tgt_start=m.start(), tgt_end=m.end(), found=m.group(), **where))
        else:
            ordinary = [w for w in _EN_WORD.findall(tgt) if w.islower() and len(w) >= 3]
            if same and len(ordinary) >= 2:
                out.append(Finding(i, "untranslated", "error", "untranslated",
                                   "the target is the English source, untranslated", 0, len(src),
                                   0, len(tgt), found=tgt))
                continue
            if ctx.tgt_kind == "zh":
                out += _english_left_in(i, ctx)
    return out


_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|‘[^’]*’|「[^」]*」|『[^』]*』')
_EN_RUN = re.compile(r"[A-Za-z][A-Za-z'’\-]*(?:[ ,]+[A-Za-z][A-Za-z'’\-]*)+")


def _english_left_in(i: int, ctx: _Context) -> list[Finding]:
    out = []
    src_key = ctx.src[i].key
    tgt = ctx.pairs[i].tgt_text
    for m in _EN_RUN.finditer(tgt):
        words = _EN_WORD.findall(m.group())
        ordinary = [w for w in words if w.islower() and len(w) >= 3]
        if len(words) < UNTRANSLATED_MIN_WORDS or len(ordinary) < 2:
            continue
        key = _term_key(m.group())
        k = src_key.find(key)
        if k < 0:
            continue
        s, e = ctx.src[i].span(k, k + len(key))
        out.append(Finding(i, "untranslated", "warning", "untranslated",
                           f"English {m.group()!r} copied from the source into the Chinese target",
                           s, e, m.start(), m.end(), found=m.group()))
    return out


# --- acronyms -------------------------------------------------------------------------------

# An acronym: two or more capitals in a short Latin token, & and + allowed (AI, I&T, R&D,
# LegCo, InnoHK, RAISe+, LHTRIs). ASCII look-arounds, since \w would also match ideographs.
_ACRONYM = re.compile(r"(?<![A-Za-z0-9&+'’])([A-Z][A-Za-z0-9]*(?:&[A-Za-z0-9]+)*\+?)(?![A-Za-z0-9&'’])")
_PAREN_ACRONYM = re.compile(r"\s*[(（]\s*([A-Z][A-Za-z0-9]*(?:&[A-Za-z0-9]+)*\+?)\s*[)）]")
_STOP = frozenset({"and", "of", "the", "for", "&", "on", "in", "at", "to", "a", "an", "by", "with"})
_LONG_FORM_STOP = re.compile(r"[.:;!?()（）：；。！？\"“”「」]")


def _is_acronym(tok: str) -> bool:
    caps = sum(1 for c in tok if c.isupper())
    return caps >= 2 and len(tok) <= 12 and not tok.isdigit()


@dataclass(frozen=True, slots=True)
class _Definition:
    acronym: str
    long_start: int
    paren_start: int
    end: int
    long_form: str


def _long_form_en(text: str, paren: int, acronym: str) -> tuple[int, str] | None:
    """The words before "(ACR)" that it stands for: walk back over words, matching the
    acronym's capitals to initials (stop words skipped); failing that, for a mixed-case name
    (InnoHK, RAISe+), every word back to the last clause boundary; else None."""
    head = text[:paren]
    cut = max((m.end() for m in _LONG_FORM_STOP.finditer(head)), default=0)
    words = [(m.start(), m.group()) for m in re.finditer(r"[A-Za-z0-9][A-Za-z0-9'’\-]*|[&+]", head[cut:])]
    words = [(s + cut, w) for s, w in words]
    if not words:
        return None
    caps = [c for c in acronym if c.isupper()]
    k = len(caps) - 1
    j = len(words) - 1
    start = None
    while j >= 0 and k >= 0:
        w = words[j][1]
        if w.lower() in _STOP or w in "&+":
            j -= 1
            continue
        if w[0].upper() == caps[k]:
            start = words[j][0]
            k -= 1
            j -= 1
            continue
        break
    if k >= 0:
        if not any(c.islower() for c in acronym):
            # Capitals that the words' initials do not spell: a heading in capitals ("ROAD
            # TRAFFIC (AMENDMENT) BILL"), not a definition.
            return None
        # A name like InnoHK or RAISe+ need not spell its long form: take the whole clause.
        start = words[0][0]
        while start < paren and text[start:].split(" ", 1)[0].lower() in _STOP:
            start += len(text[start:].split(" ", 1)[0]) + 1
    long_form = text[start:paren].strip()
    return (start, long_form) if long_form else None


def _long_form_zh(text: str, paren: int) -> tuple[int, str] | None:
    """The Chinese run before （ACR）, quotes off: 「產學研1+計劃」（RAISe+）."""
    j = paren
    while j > 0 and text[j - 1] in "」』”\" ":
        j -= 1
    k = j
    while k > 0 and (_CJK_RX.match(text[k - 1]) or text[k - 1].isalnum() or text[k - 1] in "+&"):
        k -= 1
    start = k
    while start > 0 and text[start - 1] in "「『“\"":
        start -= 1
    long_form = text[k:j]
    return (start, long_form) if long_form and _CJK_RX.search(long_form) else None


def _definitions_in(text: str, kind: str) -> list[_Definition]:
    out = []
    for m in _PAREN_ACRONYM.finditer(text):
        acr = m.group(1)
        if not _is_acronym(acr):
            continue
        found = _long_form_en(text, m.start(), acr) if kind == "en" else _long_form_zh(text, m.start())
        if found is None:
            continue
        start, long_form = found
        if _term_key(long_form) == _term_key(acr):
            continue
        out.append(_Definition(acr, start, m.start(), m.end(), long_form))
    return out


def _acronym_definitions(ctx: _Context, side: str) -> dict[int, list[_Definition]]:
    kind = ctx.tgt_kind if side == "tgt" else ctx.src_kind
    out = {}
    for i, p in enumerate(ctx.pairs):
        text = p.tgt_text if side == "tgt" else p.src_text
        if "(" in text or "（" in text:
            defs = _definitions_in(text, kind)
            if defs:
                out[i] = defs
    return out


def check_acronym(ctx: _Context) -> list[Finding]:
    """Acronym: an acronym in the target used before it is defined, or defined two ways.

    A definition is "long form (ACR)" (English) or 長名稱（ACR） (Chinese). An acronym that the
    file defines somewhere but uses earlier without its definition: warning (ITS ``style``;
    readers meet it before they are told what it means). An acronym defined with two different
    long forms: warning (ITS ``inconsistency``). Acronyms the file never defines are left alone
    (AI, STEM).
    """
    defs = _acronym_definitions(ctx, "tgt")
    first_def: dict[str, tuple[int, _Definition]] = {}
    out = []
    for i in sorted(defs):
        for d in defs[i]:
            if d.acronym not in first_def:
                first_def[d.acronym] = (i, d)
                continue
            j, d0 = first_def[d.acronym]
            if not _same_long_form(d0.long_form, d.long_form):
                out.append(Finding(i, "acronym", "warning", "inconsistency",
                                   f"{d.acronym} is defined as {d.long_form!r} here but as "
                                   f"{d0.long_form!r} in pair {j + 1}",
                                   tgt_start=d.long_start, tgt_end=d.end, expected=d0.long_form,
                                   found=d.long_form))
    if not first_def:
        return out
    for i, p in enumerate(ctx.pairs):
        text = p.tgt_text
        if not text:
            continue
        inside = [(d.long_start, d.end) for d in defs.get(i, ())]
        for m in _ACRONYM.finditer(text):
            acr = m.group(1)
            if acr not in first_def:
                continue
            j, d0 = first_def[acr]
            if (i, m.start()) >= (j, d0.long_start):
                continue
            if any(s <= m.start() < e for s, e in inside):
                continue
            out.append(Finding(i, "acronym", "warning", "style",
                               f"{acr} is used before it is defined in pair {j + 1} ({d0.long_form} ({acr}))",
                               tgt_start=m.start(), tgt_end=m.end(),
                               expected=f"{d0.long_form} ({acr})", found=acr))
    return out


def _same_long_form(a: str, b: str) -> bool:
    ka, kb = _term_key(a), _term_key(b)
    return ka == kb or ka.endswith(" " + kb) or kb.endswith(" " + ka)


#: The checks by name, in report order. ``zhen check --list-checks`` shows each docstring.
CHECKS: dict[str, Callable[[_Context], list[Finding]]] = {
    "missing-term": check_missing_term,
    "deprecated-term": check_deprecated_term,
    "inconsistency": check_inconsistency,
    "number": check_number,
    "script": check_script,
    "untranslated": check_untranslated,
    "acronym": check_acronym,
}


def describe_checks() -> list[tuple[str, str, str]]:
    """(name, one-line summary, full help) for every check, in :data:`CHECKS` order."""
    import inspect

    out = []
    for name, fn in CHECKS.items():
        doc = inspect.getdoc(fn) or ""
        out.append((name, doc.split("\n", 1)[0], doc))
    return out


# ---------------------------------------------------------------------------------------------
# Input: pairs and direction


def _script_counts(text: str) -> tuple[int, int]:
    from zhen.corpora.scripts import script_counts

    return script_counts(text)


def _side_kind(text: str) -> str | None:
    cjk, latin = _script_counts(text)
    if cjk == 0 and latin == 0:
        return None
    return "zh" if cjk * 5 >= latin else "en"  # the rule of corpora.segment.text_lang


def _zh_tag(texts: Sequence[str]) -> str:
    from zhen.align.document import zh_tag

    return zh_tag(texts)


def detect_direction(pairs: Sequence[AlignedPair], *, source: str | None = None) -> tuple[str, str]:
    """(src_lang, tgt_lang) as BCP-47 tags (``zh-HK``/``zh-CN``, ``en``), by script.

    Raises :class:`InputError` when both sides read as one language, or when too many pairs
    have their sides the other way round (columns mixed up, or not a translation).
    """
    src_texts = [p.src_text for p in pairs]
    tgt_texts = [p.tgt_text for p in pairs]
    # Each pair votes for a direction; pairs with one language on both sides (a copied,
    # untranslated target) or without letters do not vote.
    votes: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[str, str], int] = {}
    for k, p in enumerate(pairs):
        a, b = _side_kind(p.src_text), _side_kind(p.tgt_text)
        if a is not None and b is not None and a != b:
            votes[(a, b)] += 1
            first.setdefault((a, b), k)
    if not votes:
        what = {"zh": "Chinese", "en": "English", None: "empty"}
        s_kind, t_kind = _side_kind(" ".join(src_texts)), _side_kind(" ".join(tgt_texts))
        raise InputError(source, f"both sides look {what[s_kind] if s_kind == t_kind else 'alike'} "
                         f"(source {what[s_kind]}, target {what[t_kind]})",
                         hint="give Chinese-English pairs (zh-HK → en or en → zh-HK)")
    (s_kind, t_kind), _ = max(votes.items(), key=lambda kv: (kv[1], kv[0] == ("zh", "en")))
    wrong = votes[(t_kind, s_kind)]
    if wrong >= 3 and wrong > MIXED_DIRECTION_SHARE * sum(votes.values()):
        raise InputError(source, f"{wrong} of {sum(votes.values())} pairs have their languages the other way "
                         f"round (first: pair {first[(t_kind, s_kind)] + 1})",
                         hint="keep one direction per file: source column in one language, target in the other")
    tag = {"zh": _zh_tag(src_texts if s_kind == "zh" else tgt_texts), "en": "en"}
    return tag[s_kind], tag[t_kind]


def _validate_pairs(pairs: Sequence, source: str | None) -> None:
    if not pairs:
        raise InputError(source, "has no aligned pairs", hint="give a file with at least one pair")
    live = [p for p in pairs if p.src_text.strip() and p.tgt_text.strip()]
    if not live:
        raise InputError(source, f"none of its {len(pairs)} pairs has text on both sides",
                         hint="align the files first (zhen align), or check the columns")
    # Null pairs holding only a date or a number are normal in a bilingual document.
    worded = [p for p in pairs if any(c.isalpha() for c in p.src_text + p.tgt_text)]
    if len(live) * 2 < len(worded) and len(worded) >= 4:
        raise InputError(source, f"only {len(live)} of {len(worded)} pairs have text on both sides: "
                         "the alignment looks broken", hint="realign the files (zhen align SRC TGT)")


def _check_alignment(pairs: Sequence, src_lang: str, tgt_lang: str, source: str | None,
                     numbers: Callable[[], list[tuple[list, list]]] | None = None) -> None:
    """Refuse a file whose pairs are not translations of each other: a shifted alignment has
    uncorrelated lengths and numbers that never agree (see the thresholds above)."""
    from zhen.corpora.numbers import extract_numbers, match_numbers

    live = [i for i, p in enumerate(pairs) if p.src_text.strip() and p.tgt_text.strip()]
    if len(live) < MISALIGNED_MIN_PAIRS:
        return
    xs = [math.log1p(len(pairs[i].src_text)) for i in live]
    ys = [math.log1p(len(pairs[i].tgt_text)) for i in live]
    corr = _pearson(xs, ys)
    if corr is None or corr >= MISALIGNED_LENGTH_CORR:
        return
    src_kind, tgt_kind = _lang_kind(src_lang), _lang_kind(tgt_lang)
    cached = numbers() if numbers is not None else None
    bearing = agree = 0
    for i in live:
        if cached is not None:
            a, b = cached[i]
        else:
            a, b = extract_numbers(pairs[i].src_text, src_kind), extract_numbers(pairs[i].tgt_text, tgt_kind)
        if a or b:
            bearing += 1
            res = match_numbers(a, b)
            agree += not res.unmatched_a and not res.unmatched_b
    if bearing >= 5 and agree >= MISALIGNED_NUMBER_AGREEMENT * bearing:
        return
    raise InputError(source, f"the pairs do not look like translations of each other (source and "
                     f"target lengths correlate at {corr:.2f}; numbers agree in {agree} of {bearing} pairs)",
                     hint="the alignment is probably shifted: realign with zhen align SRC TGT")


def _pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / math.sqrt(sxx * syy)


_PAIR_EXTENSIONS = {".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".tmx": "tmx"}


def _read_tmx_any_direction(path: Path) -> list:
    """A zh–en TMX read in the direction its header declares."""
    from lxml import etree

    from zhen.align.formats import FormatError, read_tmx

    src = None
    try:
        for _, el in etree.iterparse(str(path), events=("start",), tag="header", resolve_entities=False,
                                     no_network=True, load_dtd=False):
            src = el.get("srclang")
            break
    except etree.XMLSyntaxError as exc:
        raise InputError(path, f"is not well-formed XML ({exc.msg})", line=exc.lineno,
                         hint="check that the file is a complete TMX document") from None
    english_first = bool(src) and src.lower().split("-")[0] == "en"
    try:
        if english_first:
            return read_tmx(path, srclang="en", tgtlang="zh")
        return read_tmx(path, srclang="zh", tgtlang="en")
    except FormatError as exc:
        raise InputError(exc.source, exc.reason, line=exc.line,
                         hint="zhen check reads Chinese–English TMX files (zh-HK and en)") from None


def _read_pair_file(path: Path) -> list:
    from zhen.align.formats import FormatError, read_pairs

    fmt = _PAIR_EXTENSIONS[path.suffix.lower()]
    if fmt == "tmx":
        return _read_tmx_any_direction(path)
    try:
        return read_pairs(path, format=fmt)  # type: ignore[arg-type]
    except FormatError as exc:
        raise InputError(exc.source, exc.reason, line=exc.line,
                         hint=f"write it as zhen writes {fmt.upper()} pairs (zhen align --format {fmt})") from None


def load_check_input(inputs: list[str], *, encoder: str = "use-m") -> tuple[list, str, str]:
    """Pairs to check and their direction, from the command line's INPUT arguments.

    One file with a pairs extension (``.tsv``, ``.jsonl``, ``.tmx``; a TMX in either direction)
    is read as aligned pairs; one other file is a bilingual document and two files are SRC and
    TGT, aligned first with ``encoder`` (:func:`jobs.align.align_files`). Returns
    ``(pairs, src_lang, tgt_lang)`` with BCP-47 tags found by script. Empty, broken or
    mixed-direction input raises :class:`InputError`.
    """
    if not inputs or len(inputs) > 2:
        raise InputError(None, f"got {len(inputs)} inputs",
                         hint="give aligned pairs (.tsv, .jsonl, .tmx) or two files SRC TGT")
    paths = [Path(p) for p in inputs]
    for p in paths:
        if not p.is_file():
            raise InputError(p, "no such file", hint="check the path")
    if len(paths) == 1 and paths[0].suffix.lower() in _PAIR_EXTENSIONS:
        pairs = _read_pair_file(paths[0])
        source = str(paths[0])
    else:
        from zhen.jobs.align import align_files

        result = align_files([str(p) for p in paths], encoder=encoder)
        pairs = list(result.pairs)
        source = " + ".join(str(p) for p in paths)
    _validate_pairs(pairs, source)
    src_lang, tgt_lang = detect_direction(pairs, source=source)
    _check_alignment(pairs, src_lang, tgt_lang, source)
    return pairs, src_lang, tgt_lang


# ---------------------------------------------------------------------------------------------
# The job


def _load_glossary(glossary) -> tuple[Glossary, str]:
    from zhen.glossary.model import Glossary

    if isinstance(glossary, Glossary):
        return glossary, str(glossary.meta.get("path", "<glossary>"))
    from zhen.glossary import read_glossary

    path = Path(glossary)
    if not path.is_file():
        raise InputError(path, "no such glossary file", hint="check the --glossary path")
    return read_glossary(path), str(path)


def _pair_id(p) -> str:
    ids = p.src_seg_ids or p.tgt_seg_ids
    if ids:
        return "+".join(ids)
    side = p.src_ids or p.tgt_ids
    return (f"{p.doc}:" if p.doc else "") + ",".join(str(i) for i in side)


def _finding_key(f: Finding, p) -> str:
    parts = (f.check, _term_key(p.src_text), _term_key(p.tgt_text), str(f.src_start), str(f.src_end),
             str(f.tgt_start), str(f.tgt_end), f.expected, f.found, f.concept_id, f.issue_type)
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]
    return f"{f.check}:{digest}"


def check(pairs: Sequence[AlignedPair], glossary, *, src_lang: str | None = None,
          tgt_lang: str | None = None, checks: Iterable[str] | None = None) -> pl.DataFrame:
    """Check aligned pairs against a glossary; one row per finding (:func:`finding_schema`).

    ``glossary`` is a :class:`~glossary.model.Glossary` or a path to one. Languages not given
    are found by script. ``checks`` picks names from :data:`CHECKS` (default: all). Empty,
    misaligned or mixed-direction pairs and a glossary with no Chinese–English entries raise
    :class:`InputError`; the inputs are never changed.
    """
    import polars as pl

    pairs = list(pairs)
    names = list(CHECKS) if checks is None else list(dict.fromkeys(checks))
    unknown = [n for n in names if n not in CHECKS]
    if unknown:
        raise InputError(None, f"unknown check {unknown[0]!r}", hint=f"choose from {', '.join(CHECKS)}")
    _validate_pairs(pairs, "<pairs>")
    if src_lang is None or tgt_lang is None:
        found_src, found_tgt = detect_direction(pairs, source="<pairs>")
        src_lang, tgt_lang = src_lang or found_src, tgt_lang or found_tgt
    if _lang_kind(src_lang) == _lang_kind(tgt_lang):
        raise InputError(None, f"source and target are both {src_lang!r}/{tgt_lang!r}",
                         hint="zhen check compares Chinese with English")
    g, gname = _load_glossary(glossary)
    usable = [e for e in g.entries if e.status != "rejected" and e.en.strip() and e.zh.strip()]
    if not usable:
        raise InputError(gname, f"has no Chinese–English entries to check against ({len(g.entries)} entries, "
                         f"{sum(e.status == 'rejected' for e in g.entries)} rejected)",
                         hint="give a zh–en glossary, e.g. the glossary.csv that zhen run writes")
    ctx = _Context(pairs, g, src_lang, tgt_lang)
    _check_alignment(pairs, src_lang, tgt_lang, "<pairs>", ctx.numbers)
    findings: list[Finding] = []
    for name in names:
        findings.extend(CHECKS[name](ctx))
    order = {n: k for k, n in enumerate(CHECKS)}
    findings.sort(key=lambda f: (f.pair, order[f.check], f.src_start if f.src_start is not None else -1,
                                 f.tgt_start if f.tgt_start is not None else -1, f.message))
    rows = []
    seen = set()
    for f in findings:
        p = pairs[f.pair]
        key = _finding_key(f, p)
        if (f.pair, key) in seen:
            continue
        seen.add((f.pair, key))
        rows.append({
            "key": key, "pair": f.pair + 1, "pair_id": _pair_id(p), "check": f.check,
            "severity": f.severity, "issue_type": f.issue_type, "message": f.message,
            "src_start": f.src_start, "src_end": f.src_end,
            "src_span": p.src_text[f.src_start:f.src_end] if f.src_start is not None else None,
            "tgt_start": f.tgt_start, "tgt_end": f.tgt_end,
            "tgt_span": p.tgt_text[f.tgt_start:f.tgt_end] if f.tgt_start is not None else None,
            "expected": f.expected, "found": f.found, "concept_id": f.concept_id or None,
            "src_lang": src_lang, "tgt_lang": tgt_lang, "src_text": p.src_text, "tgt_text": p.tgt_text,
        })
    schema = finding_schema()
    if not rows:
        return pl.DataFrame(schema=schema)
    return pl.DataFrame(rows, schema=schema, orient="row")


def check_signature(*, src_lang: str, tgt_lang: str, checks: Iterable[str] | None = None,
                    glossary: str | None = None) -> dict:
    """What made a findings file (for its ``.meta.json`` and the report headers)."""
    from zhen.corpora.output import signature

    return signature(stage="check", src_lang=src_lang, tgt_lang=tgt_lang,
                     checks=list(checks) if checks is not None else list(CHECKS), glossary=glossary,
                     thresholds={"low_score": LOW_SCORE, "misaligned_length_corr": MISALIGNED_LENGTH_CORR,
                                 "misaligned_number_agreement": MISALIGNED_NUMBER_AGREEMENT,
                                 "mixed_direction_share": MIXED_DIRECTION_SHARE,
                                 "untranslated_min_words": UNTRANSLATED_MIN_WORDS})


# ---------------------------------------------------------------------------------------------
# Ignore files, severities, rendering

_KEY_RX = re.compile(r"^([a-z]+(?:-[a-z]+)*):([0-9a-f]{12})$")


def read_ignore_keys(path: str | Path) -> set[str]:
    """Finding keys from an ignore file (format in the module docstring)."""
    import json

    p = Path(path)
    if not p.is_file():
        raise InputError(p, "no such ignore file", hint="check the --ignore path")
    from zhen.corpora.textio import decode_bytes

    text = decode_bytes(p.read_bytes(), path=str(p)).text.lstrip("\ufeff")
    keys: set[str] = set()
    if text.startswith("key,"):
        return _csv_ignore_keys(p, text)
    for n, line in enumerate(text.split("\n"), 1):
        line = line.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        if line.startswith("{"):
            try:
                token = json.loads(line).get("key", "")
            except (json.JSONDecodeError, AttributeError):
                raise InputError(p, "a line starting with { is not a JSON object with a key", line=n,
                                 hint="one finding key per line, or JSONL as --format jsonl writes it") from None
        else:
            token = re.split(r"[\s,]", line, maxsplit=1)[0].strip('"')
        keys.add(_valid_key(token, p, n))
    return keys


def _valid_key(token: str, path: Path, line: int) -> str:
    if not _KEY_RX.match(token or ""):
        raise InputError(path, f"{token!r} is not a finding key", line=line,
                         hint="keys look like missing-term:3f2a9c01b7de (the key column of --format csv)")
    if token.split(":")[0] not in CHECKS:
        raise InputError(path, f"{token!r} names no check", line=line, hint=f"checks: {', '.join(CHECKS)}")
    return token


def _csv_ignore_keys(path: Path, text: str) -> set[str]:
    """Keys of a ``--format csv`` report; read as CSV, since a quoted text may span lines."""
    import csv
    import io

    reader = csv.DictReader(io.StringIO(text, newline=""))
    keys = set()
    try:
        for row in reader:
            keys.add(_valid_key((row.get("key") or "").strip(), path, reader.line_num))
    except csv.Error as exc:
        raise InputError(path, f"malformed CSV ({exc})", line=reader.line_num,
                         hint="pass the file --format csv wrote, or one key per line") from None
    return keys


def apply_ignore(frame: pl.DataFrame, ignore_path: str | Path) -> pl.DataFrame:
    """``frame`` without the findings whose keys the ignore file lists."""
    import polars as pl

    keys = read_ignore_keys(ignore_path)
    if not keys or frame.height == 0:
        return frame
    return frame.filter(~pl.col("key").is_in(sorted(keys)))


def reaches(frame: pl.DataFrame, severity: str) -> bool:
    """True when some finding is at least as severe as ``severity`` (``--fail-on``)."""
    if severity not in _RANK:
        raise ValueError(f"severity {severity!r} is not one of {', '.join(SEVERITIES)}")
    if frame.height == 0:
        return False
    return any(_RANK[s] >= _RANK[severity] for s in frame.get_column("severity").unique().to_list())


def render_findings(frame: pl.DataFrame, fmt: str, *, meta: dict | None = None) -> bytes:
    """Findings as ``text``, ``csv``, ``jsonl`` or ``html`` (a self-contained report) bytes."""
    from zhen.glossary.qa.render import render

    return render(frame, fmt, meta=meta)
