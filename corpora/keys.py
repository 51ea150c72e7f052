"""The one matching key: when two spellings are the same term or name (OpenCC's lesson: one
canonical form to compare through).

The fold: width (ＡＩ/AI), quotes (’/'; double quotes and corner brackets are dropped, so
「人工智能」+ is the term 人工智能+), case, accents, Simplified/Traditional (character by
character through OpenCC, so a Simplified character that slipped into Traditional text — 赋能 in
「AI赋能公共服務」 — still matches), hyphens and dashes as spaces (One-plus/One plus,
Industry–Oriented) and so is markdown emphasis, zero-width characters and soft hyphens dropped,
and any run of whitespace (line breaks inside names in the PDF-derived sources) as one space.

``key_view`` applies it to a whole text with numpy and keeps, for every key character, its
offset in the original (terminology QA and entity recognition find spans in the key and report
them in the original); ``match_key`` applies the very same table to a term in pure Python. The two
agree character for character — a property test checks it on arbitrary text.
"""

from __future__ import annotations

import bisect
import re
import threading
import unicodedata
from functools import lru_cache

_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
# Characters dropped from keys: zero-width ones and soft hyphens. Markdown emphasis, which the
# Estimates wrap round names (``*InnoHK* research clusters``), reads as a space: it only ever
# sits between words, and a space keeps the common case on numpy's fast path.
_AS_SPACE = "*"
_HYPHENS = "-\u2010\u2011\u2012\u2013\u2014\u2212\u2043\ufe63\uff0d"
_QUOTES = {"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "＇": "'"}
# Double quotes and corner brackets only ever wrap a term: dropped, as zero-width characters are.
_DROP_QUOTES = "“”„‟«»「」『』＂\""
_DROP = _ZERO_WIDTH + _DROP_QUOTES
_CJK_BLOCKS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
_lock = threading.Lock()


def _cjk_folds() -> dict[int, str]:
    """Traditional (HK, TW) → Simplified, one character at a time: OpenCC converts each character
    on its own line so no phrase rule fires and every key keeps its length."""
    import opencc

    out: dict[int, str] = {}
    hk2s, t2s = opencc.OpenCC("hk2s"), opencc.OpenCC("t2s")
    for lo, hi in _CJK_BLOCKS:
        chars = [unicodedata.normalize("NFC", chr(cp)) for cp in range(lo, hi + 1)]
        step1 = hk2s.convert("\n".join(chars)).split("\n")
        step2 = t2s.convert("\n".join(step1)).split("\n")
        if len(step2) != len(chars):  # a converter that merged lines: keep the safe subset
            continue
        for cp, orig, simp in zip(range(lo, hi + 1), chars, step2):
            if len(simp) == 1 and simp != chr(cp):
                out[cp] = simp
            elif len(orig) == 1 and orig != chr(cp):  # compatibility ideograph → unified
                out[cp] = orig
    return out


@lru_cache(maxsize=1)
def fold_table() -> dict[int, str]:
    """Basic Multilingual Plane code point → its key character ('' drops it). Only entries that
    change something; characters outside the BMP are kept as they are."""
    with _lock:
        table: dict[int, str] = {}
        for cp in range(0x10000):
            if 0xD800 <= cp <= 0xDFFF:
                continue
            ch = chr(cp)
            out = ch
            if ch in _DROP:
                out = ""
            elif ch.isspace() or cp == 0 or ch in _HYPHENS or ch in _AS_SPACE:
                out = " "
            elif ch in _QUOTES:
                out = _QUOTES[ch]
            elif 0xFF01 <= cp <= 0xFF5E:
                out = chr(cp - 0xFEE0)
            elif unicodedata.category(ch) == "Mn" and cp < 0x0370:
                out = ""  # combining accents (e + ◌́): keys compare accent-free Latin
            if len(out) == 1:
                if "\u00c0" <= out <= "\u024f":
                    base = unicodedata.normalize("NFD", out)[0]
                    out = base if base.isascii() else out
                low = out.lower()
                out = low if len(low) == 1 else out
                if out in _HYPHENS:
                    out = " "
            if out != ch:
                table[cp] = out
        table.update(_cjk_folds())
        return table


@lru_cache(maxsize=1)
def _np_table():
    """The fold table over every code point (4.4 MB), so one gather folds a whole text."""
    import numpy as np

    arr = np.arange(0x110000, dtype=np.uint32)
    for cp, out in fold_table().items():
        arr[cp] = ord(out) if out else 0
    return arr


_SPACES = re.compile(r" {2,}")


def match_key(text: str) -> str:
    """The key of one term or name (pure Python; identical to ``key_view`` on the same text, stripped)."""
    # Terms are asked about many times over (a glossary build folds each candidate again and
    # again): short texts are remembered, long ones are not kept alive by a cache.
    return _short_key(text) if len(text) <= 128 else _fold(text)


def _fold(text: str) -> str:
    return _SPACES.sub(" ", text.translate(fold_table())).strip(" ")


_short_key = lru_cache(maxsize=1 << 17)(_fold)


@lru_cache(maxsize=1)
def _cased_table() -> dict[int, str]:
    """:func:`fold_table` with letter case kept: an upper-case letter folds to the upper case of
    its key character (Ａ → A, É → E), so a cased key is the key character for character."""
    table = {}
    for cp, out in fold_table().items():
        ch = chr(cp)
        if ch.isupper() and len(out) == 1 and len(out.upper()) == 1:
            out = out.upper()
        if out != ch:
            table[cp] = out
    return table


def cased_key(text: str) -> str:
    """:func:`match_key` with letter case kept (where a name's capitals matter, as in telling a
    name cut short, "Kong Government", from a phrase): ``cased_key(t).lower() == match_key(t)``
    for every text whose letters lower-case one to one (all Latin text)."""
    return _SPACES.sub(" ", text.translate(_cased_table())).strip(" ")


class KeyMap:
    """Key offsets back to offsets in the original. Only the places where characters were
    dropped are stored (a few per paragraph), so a 100 MB text needs no 100 M-entry index."""

    __slots__ = ("_breaks",)

    def __init__(self, breaks: list[int]) -> None:
        # breaks[k]: the key offset at which the k-th dropped character was dropped.
        self._breaks = breaks

    def __call__(self, pos: int) -> int:
        return pos + bisect.bisect_right(self._breaks, pos)


def key_view(text: str) -> tuple[str, KeyMap]:
    """``(key, to_orig)``: the folded text, and a map from each key offset to the offset of the
    same character in ``text``. Vectorised with numpy: some 25 ns a character."""
    import numpy as np

    if not text:
        return "", KeyMap([])
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    folded = _np_table()[codes]
    space = folded == 32
    dropped = folded == 0
    if dropped.any():
        kept_at = np.flatnonzero(~dropped)
        ks = space[kept_at]
        dup = np.zeros(len(kept_at), dtype=bool)
        dup[1:] = ks[1:] & ks[:-1]
        keep = ~dropped
        keep[kept_at[dup]] = False
    else:
        keep = np.ones(len(folded), dtype=bool)
        keep[1:] = ~(space[1:] & space[:-1])
    removed = np.flatnonzero(~keep)
    key_codes = folded[keep] if len(removed) else folded
    breaks = (removed - np.arange(len(removed))).tolist()
    key = key_codes.astype("<u4", copy=False).tobytes().decode("utf-32-le", "surrogatepass")
    return key, KeyMap(breaks)


# --- what counts as a word character (for Latin word boundaries) -----------------------------

def is_word_char(ch: str) -> bool:
    """Latin letters and digits (after folding). CJK is not: 「InnoHK創新」 and 100億元RAISe+ hold
    Latin names glued to Chinese, and the boundary there is real."""
    return ch.isalnum() and (ch.isascii() or "\u00c0" <= ch <= "\u024f")
