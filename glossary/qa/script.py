"""``script``: characters of the wrong script or width for the language — Simplified characters
in HK Traditional text, full-width Latin in Chinese, CJK punctuation in English."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

from zhen.corpora.scripts import CJK_PUNCT, has_cjk, is_hant
from zhen.glossary.qa.records import Finding, milder

if TYPE_CHECKING:  # pragma: no cover
    from zhen.glossary.qa.context import Context

# Characters that are Simplified forms *and* ordinary Traditional characters in some words
# (若干, 皇后, 公里, 于是 in names, 余 as a surname, 台 in HK usage, 范 as a surname): flagged one
# severity lower, since OpenCC's phrase table is the only thing telling the two apart.
_ALSO_TRADITIONAL = frozenset("干后里于余冲范丑斗几云准征朴台丰划克合向谷松表卷")
_FULLWIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")
# CJK punctuation, and besides it full-width brackets, braces and half-width CJK punctuation (｢｣､).
_CJK_PUNCT_IN_EN = re.compile(f"[{CJK_PUNCT}\uff3b-\uff40\uff5b-\uff65]+")


@lru_cache(maxsize=65536)
def _simplified_only(c: str) -> bool:
    """A character that Simplified text uses and HK Traditional replaces: s2hk changes it and
    hk2s leaves it (赋 → 賦). HK variants (稅/税) and shared forms (布, 借) are not."""
    from zhen.corpora.zhtext import to_hk, to_simplified

    return to_hk(c) != c and to_simplified(c) == c


def _simplified_runs(text: str) -> list[tuple[int, int, str]]:
    from zhen.corpora.zhtext import to_hk

    if not has_cjk(text):
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


def check_script(ctx: Context) -> list[Finding]:
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
                    sev = milder(sev)
                where = {"src_start": s, "src_end": e} if side == "src" else {"tgt_start": s, "tgt_end": e}
                out.append(Finding(i, "script", sev, "characters", msg, expected=expected,
                                   found=text[s:e], **where))
    return out


def _script_problems(text: str, kind: str, lang: str) -> list[tuple[str, str, int, int, str]]:
    """(target-side severity, message, start, end, expected) for one text."""
    out = []
    if kind == "zh":
        if is_hant(lang):
            for s, e, expected in _simplified_runs(text):
                found = text[s:e]
                sev = "warning" if all(c in _ALSO_TRADITIONAL for c in found) else "error"
                out.append((sev, f"Simplified {found!r} in HK Traditional text; write {expected!r}",
                            s, e, expected))
        for m in _FULLWIDTH_ALNUM.finditer(text):
            half = unicodedata.normalize("NFKC", m.group())
            out.append(("warning", f"full-width {m.group()!r}; HK style writes {half!r}",
                        m.start(), m.end(), half))
    elif not has_cjk(text):  # with Chinese left in, the untranslated check says it all
        for m in _CJK_PUNCT_IN_EN.finditer(text):
            half = unicodedata.normalize("NFKC", m.group())
            out.append(("warning", f"full-width or CJK punctuation {m.group()!r} in English text",
                        m.start(), m.end(), half if half != m.group() else ""))
    return out
