"""``untranslated``: source text left in the target, or a side with no counterpart."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from zhen.corpora.keys import match_key
from zhen.corpora.scripts import CJK_RUN_RX, has_cjk
from zhen.glossary.qa.records import Finding

if TYPE_CHECKING:  # pragma: no cover
    from zhen.glossary.qa.context import Context

#: Fewest consecutive source words that count as English left in a Chinese target. Recorded by
#: check_signature().
UNTRANSLATED_MIN_WORDS = 3

_EN_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
_EN_RUN = re.compile(r"[A-Za-z][A-Za-z'’\-]*(?:[ ,]+[A-Za-z][A-Za-z'’\-]*)+")
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|‘[^’]*’|「[^」]*」|『[^』]*』')


def check_untranslated(ctx: Context) -> list[Finding]:
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
            if same and has_cjk(tgt):
                out.append(Finding(i, "untranslated", "error", "untranslated",
                                   "the target is the Chinese source, untranslated", 0, len(src),
                                   0, len(tgt), found=tgt))
                continue
            if ctx.tgt_kind == "en":
                out += _chinese_left_in(i, src, tgt)
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


def _chinese_left_in(i: int, src: str, tgt: str) -> list[Finding]:
    out = []
    quotes = [m.span() for m in _QUOTED.finditer(tgt)] if has_cjk(tgt) else []
    for m in CJK_RUN_RX.finditer(tgt):
        k = src.find(m.group())
        where = {"src_start": k, "src_end": k + len(m.group())} if k >= 0 else {}
        # "the word “及”": Chinese quoted in English is being talked about, not left over.
        quoted = any(s <= m.start() and m.end() <= e for s, e in quotes)
        out.append(Finding(i, "untranslated", "info" if quoted else "error", "untranslated",
                           f"Chinese {m.group()!r} {'quoted' if quoted else 'left'} in the English target",
                           tgt_start=m.start(), tgt_end=m.end(), found=m.group(), **where))
    return out


def _english_left_in(i: int, ctx: Context) -> list[Finding]:
    out = []
    src_key = ctx.src[i].key
    tgt = ctx.pairs[i].tgt_text
    for m in _EN_RUN.finditer(tgt):
        words = _EN_WORD.findall(m.group())
        ordinary = [w for w in words if w.islower() and len(w) >= 3]
        if len(words) < UNTRANSLATED_MIN_WORDS or len(ordinary) < 2:
            continue
        key = match_key(m.group())
        k = src_key.find(key)
        if k < 0:
            continue
        s, e = ctx.src[i].span(k, k + len(key))
        out.append(Finding(i, "untranslated", "warning", "untranslated",
                           f"English {m.group()!r} copied from the source into the Chinese target",
                           s, e, m.start(), m.end(), found=m.group()))
    return out
