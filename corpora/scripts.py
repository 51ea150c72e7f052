"""Script rules, one of each: what counts as a Chinese character, which language a text is in,
and which Chinese (Traditional HK or Simplified) a side is written in.

An ideograph stands for about a word and an English word is about five letters, so a text is
Chinese once its ideographs reach a fifth of its Latin letters (``text_lang``). Every layer asks
these functions; none keeps its own CJK range.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# CJK Unified Ideographs, Extension A, compatibility ideographs and the supplementary planes
# (Extensions B–H) that HKSCS characters live in.
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
CJK_RX = re.compile(f"[{CJK}]")
# Full-width and CJK punctuation that may sit inside a Chinese run.
CJK_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20"
CJK_RUN_RX = re.compile(f"[{CJK}](?:[{CJK}{CJK_PUNCT}]*[{CJK}])?")
LATIN_RX = re.compile(r"[A-Za-z\u00c0-\u024f\uff21-\uff3a\uff41-\uff5a]")


def has_cjk(text: str) -> bool:
    return CJK_RX.search(text) is not None


def script_counts(text: str) -> tuple[int, int]:
    """(CJK ideographs, Latin letters) in ``text``."""
    return len(CJK_RX.findall(text)), len(LATIN_RX.findall(text))


def text_lang(text: str, default: str = "en") -> str:
    """'zh' or 'en' by script (ideographs ≥ a fifth of the Latin letters is Chinese)."""
    cjk, latin = script_counts(text)
    if cjk == 0 and latin == 0:
        return default
    return "zh" if cjk * 5 >= latin else "en"


def side_lang(texts: Sequence[str], *, sample: int = 200) -> str:
    """The language of a list of segments (one side of a pair of documents), from its first
    ``sample`` segments."""
    return text_lang(" ".join(texts[:sample]))


def zh_tag(texts: Sequence[str]) -> str:
    """BCP-47 tag for a Chinese side: ``zh-HK`` for Traditional text, ``zh-CN`` for Simplified
    (the Champollion and Bible Chinese are Simplified)."""
    from zhen.corpora.zhtext import to_hk, to_simplified

    sample = "".join(texts)[:20_000]
    trad = sum(1 for a, b in zip(sample, to_simplified(sample)) if a != b)
    simp = sum(1 for a, b in zip(sample, to_hk(sample)) if a != b)
    return "zh-CN" if simp > trad else "zh-HK"


def lang_kind(tag: str) -> str | None:
    """'zh' or 'en' for a BCP-47 tag (zh-HK, zh-Hant, yue, cmn, en-GB …); None for others."""
    low = (tag or "").lower()
    if low == "zh" or low.startswith(("zh-", "yue", "cmn")):
        return "zh"
    if low == "en" or low.startswith("en-"):
        return "en"
    return None


def is_hant(tag: str) -> bool:
    """zh-HK, zh-Hant, zh-TW, zh-MO, plain zh: text that should hold no Simplified characters."""
    low = tag.lower()
    return not any(t in low for t in ("hans", "-cn", "-sg", "-my"))
