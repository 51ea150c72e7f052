"""Term candidates on each side of an aligned pair.

Two kinds: *marked* names, which the genre flags itself (「…」 quotes, bold, the name before a
full-width colon that opens a bullet, a bracketed short form or acronym after a name), and
*n-grams* (jieba tokens and their n-grams on the Chinese side; stop-word-bounded n-grams on the
English side, ranked by C-value). Marked names are few and precise; n-grams give recall.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from collections.abc import Iterable
from dataclasses import dataclass

from zhen.corpora.scripts import CJK, has_cjk
from zhen.corpora.acronyms import schwartz_hearst
from zhen.corpora.words import en_words, is_stop

_LATIN_IN_ZH = re.compile(r"[A-Za-z][A-Za-z0-9&+\-]*[A-Za-z0-9+]|[A-Za-z]{2,}")

# Bullets, quotes, emphasis and trailing punctuation never belong to a term.
_EDGE = "-–—◆◇➤►▶▪▫●○■□•·‧※*_ \t\u3000「」『』“”‘’\"'《》〈〉"
_TRAIL = "：:，,。.；;！!？?、"


@lru_cache(maxsize=1 << 18)
def clean_term(text: str) -> str:
    """A term as a glossary keeps it: no bullets, quotes, asterisks, or trailing punctuation."""
    t = text.replace("**", "").replace("\\$", "$")
    t = re.sub(r"[「」『』“”\"]", "", t)
    t = re.sub(r"\s+", " ", t)
    prev = None
    while prev != t:
        prev = t
        t = t.strip(_EDGE).rstrip(_TRAIL).lstrip(_TRAIL)
        # bullet and list signs of any script at an edge (◎研究領域, ▪ Scheme, ※): Unicode's
        # "other symbol" and "math symbol" classes; + and & stay (AI+, R&D), as do brackets
        while t and unicodedata.category(t[0]) in ("So", "Sm") and t[0] not in "+&":
            t = t[1:].lstrip()
        while t and unicodedata.category(t[-1]) in ("So",):
            t = t[:-1].rstrip()
    # Unbalanced brackets left by cutting a name out of a sentence.
    for o, c in ("（）", "()"):
        if t.count(o) < t.count(c) and t.endswith(c):
            t = t[:-1].rstrip()
        if t.count(o) > t.count(c) and t.startswith(o):
            t = t[1:].lstrip()
    t = re.sub(r"['’]s$", "", t.strip())  # Hong Kong's → Hong Kong
    return t.strip()


@lru_cache(maxsize=1 << 18)
def is_numeric_term(text: str) -> bool:
    """$220 million, 2.2億元, 注資100億元: amounts are not terms."""
    return bool(re.search(r"\d", text)) and (
        bool(re.search(r"[億萬亿万元]|\$|million|billion|%", text)) or not re.search(r"[A-Za-z]{2}|[" + CJK + "]{2}", text)
    )


@dataclass(frozen=True, slots=True)
class Variant:
    """A short form or acronym tied to a full name in the text (「新型工業加速計劃」（「加速計劃」）,
    New Industrialisation Acceleration Scheme (NIAS))."""

    full: str
    short: str
    lang: str  # side of the full name
    short_lang: str  # side the short form belongs to (zh names carry Latin acronyms: （RAISe+）)
    type: str  # acronym | shortForm | fullForm


@dataclass(frozen=True, slots=True)
class Marked:
    text: str
    lang: str
    kind: str  # colon | quote | bold | bracket | heading | title


# --- Chinese ----------------------------------------------------------------------------------

_ZH_COLON_HEAD = re.compile(r"^(.{1,40}?)[：:](?!\d)")
_ZH_NAME_BRACKET = re.compile(
    r"「?([^「」（）()，。；：、\s]{2,30}?)」?\s*[（(]\s*「?([^（）()「」]{1,20}?)」?\s*[）)]"
)
_ZH_QUOTE = re.compile(r"「([^「」]{1,30})」")
_ZH_HEAD_STOP = {"包括", "例如", "註", "備註", "注", "如", "即"}


def _zh_short_of(full: str, short: str) -> bool:
    """加速計劃 abbreviates 新型工業加速計劃: its characters appear in order in the full name."""
    it = iter(full)
    return len(short) < len(full) and all(ch in it for ch in short)


def _subsequence(short: str, full: str) -> bool:
    it = iter(full)
    return all(ch in it for ch in short)


def zh_marked(text: str, marks: Iterable[str] = ()) -> tuple[list[Marked], list[Variant]]:
    items: list[Marked] = []
    variants: list[Variant] = []
    head = _ZH_COLON_HEAD.match(text)
    if head and not re.search(r"[，。；]", head.group(1)):
        raw = head.group(1)
        m = _ZH_NAME_BRACKET.fullmatch(raw.strip())
        name = clean_term(m.group(1) if m else raw)
        # Hansard speaker labels: 保安司答： / 劉慧卿議員問： (the office, not "replied"/"asked").
        name = re.sub(r"(?<=[司員督])(?:答覆?的譯文|致辭的譯文|答|問)$", "", name)
        if name and name not in _ZH_HEAD_STOP and len(name) <= 24:
            items.append(Marked(name, "zh", "colon"))
    for m in _ZH_NAME_BRACKET.finditer(text):
        full, short = clean_term(m.group(1)), clean_term(m.group(2))
        if not full or not short or not has_cjk(full):
            continue
        quoted = text[m.start():m.start() + 1] == "「"
        if not has_cjk(short) and re.fullmatch(r"[A-Za-z][A-Za-z0-9&+\-]{0,11}", short):
            # An unquoted name before (AI) runs back to the clause start (累計資助16間聚焦人工智能):
            # the builder cuts it to the suffix the dictionary glosses as the acronym.
            variants.append(Variant(full, short, "zh", "en", "acronym" if quoted else "acronym?"))
        elif has_cjk(short) and _zh_short_of(full, short):
            if not quoted and short[0] in full:
                full = full[full.index(short[0]):]
            variants.append(Variant(full, short, "zh", "zh", "shortForm"))
        elif has_cjk(short) and _zh_short_of(short, full):
            variants.append(Variant(short, full, "zh", "zh", "shortForm"))
        elif has_cjk(short) and len(short) < len(full) and not re.search(r"[如例即等]", short[:1]) \
                and _subsequence(short, full):
            # 河套深港科技創新合作區香港園區（河套香港園區）: a short name that skips characters
            # (its characters in order: a bracketed aside such as （眾笑） is no short form).
            # Abbreviations keep the first character: cut an unquoted run there (即河套… → 河套…).
            if not quoted and short[0] in full:
                full = full[full.index(short[0]):]
            variants.append(Variant(full, short, "zh", "zh", "shortForm"))
    for m in _ZH_QUOTE.finditer(text):
        t = clean_term(m.group(1))
        if t and not is_numeric_term(t):
            items.append(Marked(t, "zh", "quote"))
    for mark in marks:
        for part in re.split(r"[、，]|及(?=[^及]{1,6}$)", mark):
            t = clean_term(part)
            if t and len(t) <= 20 and not is_numeric_term(t):
                items.append(Marked(t, "zh", "bold"))
    return items, variants


# --- English ----------------------------------------------------------------------------------

_EN_COLON_HEAD = re.compile(r"^([^:;.]{2,140}?):(?:\s|$)")
_EN_QUOTE = re.compile(r"[“\"]([^“”\"]{2,80})[”\"]")
_EN_PAREN = re.compile(r"\(([^()]{1,60})\)")
_TITLE_WORD = re.compile(r"^[A-Z][\w'&+\-]*$")
_CONNECTORS = {"of", "and", "for", "the", "on", "at", "in", "to", "&"}


def en_acronyms(text: str) -> list[Variant]:
    """``long form (ACR)`` and ``ACR (long form)`` definitions."""
    out = []
    for m in _EN_PAREN.finditer(text):
        inner = m.group(1).strip()
        before = text[:m.start()].rstrip()
        words = inner.split()
        if 1 <= len(words) <= 2 and len(inner) <= 10 and any(c.isupper() for c in inner):
            # A short form in brackets. "(e.g. bio-samples)" or "(Continued)" are not.
            if inner.lower() in ("continued", "e.g", "i.e") or inner[0].islower():
                continue
            long = schwartz_hearst(inner, re.split(r"[:;,.(]", before)[-1] if before else "")
            if long:
                out.append(Variant(clean_term(long), inner, "en", "en", "acronym"))
        else:
            # ACR (long form): the word before the bracket is the acronym.
            prev = re.search(r"([A-Z][A-Za-z&+]{1,9})\s*$", before)
            if prev and len(words) >= 2 and schwartz_hearst(prev.group(1), inner) == inner.strip():
                out.append(Variant(clean_term(inner), prev.group(1), "en", "en", "acronym"))
    return out


def title_case_names(text: str) -> list[str]:
    """Runs of capitalised words with lower-case connectors inside ("Chinese University of Hong
    Kong", "Innovation and Technology Fund"); two capitalised words at least."""
    out = []
    tokens = re.findall(r"[\w'&+\-]+|[^\w\s]", text)
    run: list[str] = []

    def flush():
        while run and run[-1].lower() in _CONNECTORS:
            run.pop()
        caps = [w for w in run if _TITLE_WORD.match(w) and w.lower() not in _CONNECTORS]
        if len(caps) >= 2:
            out.append(" ".join(run))
        run.clear()

    for i, tok in enumerate(tokens):
        if _TITLE_WORD.match(tok) and tok.lower() not in ("the",):
            run.append(tok)
        elif tok.lower() in _CONNECTORS and run:
            run.append(tok)
        else:
            flush()
    flush()
    return out


def en_marked(text: str, marks: Iterable[str] = ()) -> tuple[list[Marked], list[Variant]]:
    items: list[Marked] = []
    variants = en_acronyms(text)
    head = _EN_COLON_HEAD.match(text)
    if head:
        raw = head.group(1).strip()
        m = re.fullmatch(r"(.+?)\s*\(([^()]{1,12})\)", raw)
        name = clean_term(m.group(1) if m else raw)
        words = en_words(name)
        if name and words and len(words) <= 14 and not all(is_stop(w) or w.lower() == "including" for w in words):
            items.append(Marked(name, "en", "colon"))
            if m:
                variants.append(Variant(name, m.group(2).strip(), "en", "en", "acronym"))
            inner = re.search(r"\(([^()]{1,12})\)", name)
            if inner:  # Research, … One plus (RAISe+) Scheme: the acronym sits inside the name
                variants.append(Variant(name, inner.group(1).strip(), "en", "en", "acronym"))
    for m in _EN_QUOTE.finditer(text):
        t = clean_term(m.group(1))
        if t and not is_numeric_term(t):
            items.append(Marked(t, "en", "quote"))
    for mark in marks:
        parts = re.split(r",\s*(?:and\s+)?|\s+and\s+(?=\w+$)", mark) if "," in mark else [mark]
        for part in parts:
            t = clean_term(part)
            if t and len(en_words(t)) <= 10 and not is_numeric_term(t):
                items.append(Marked(t, "en", "bold"))
    for name in title_case_names(text):
        t = clean_term(name)
        if t and not is_numeric_term(t):
            items.append(Marked(t, "en", "title"))
    return items, variants


__all__ = [
    "Marked", "Variant", "clean_term", "en_acronyms", "en_marked", "is_numeric_term", "title_case_names",
    "zh_marked",
]
