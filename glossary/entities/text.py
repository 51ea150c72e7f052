"""Normalisation keys for entity names, and the variant rules that are safe for names.

One fold decides when two spellings are the same name: width (ＡＩ/AI), quotes (’/'), case,
accents, Simplified/Traditional (character by character through OpenCC, so a Simplified
character that slipped into Traditional text — 赋能 in 「AI赋能公共服務」 — still matches), hyphens
as spaces (One-plus/One plus) and so is markdown emphasis, zero-width characters and soft
hyphens dropped, and any run of whitespace (line breaks inside names in the PDF-derived sources) as one
space. ``key_view`` applies it to a whole document with numpy and keeps, for every key
character, its offset in the original; ``name_key`` applies the very same table to a name in
pure Python (cheap for the hundred thousand short aliases of a large glossary). The two must
agree character for character — a test checks it on arbitrary text.

Variant rules (``expand_variants``) add spellings a reader accepts for the *same* name and
nothing looser: -isation/-ization, centre/center, programme/program, Co-operation/Cooperation,
"&"/"and", an acronym written inside a name (``One plus (RAISe+) Scheme``), ``AI`` ↔
``Artificial Intelligence`` inside a multi-word name, and the OCR slip the Yearbook really
contains (``Al`` for ``AI``), again only inside a multi-word name so a bare "Al" never matches.
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
_DROP = _ZERO_WIDTH
_AS_SPACE = "*"
_HYPHENS = "-\u2010\u2011\u2012\u2043\ufe63\uff0d"
_QUOTES = {
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "＇": "'",
    "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "「": '"', "」": '"', "『": '"', "』": '"', "＂": '"',
}
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


def name_key(text: str) -> str:
    """The key of one name (pure Python; identical to ``key_view`` on the same text, stripped)."""
    return _SPACES.sub(" ", text.translate(fold_table())).strip(" ")


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


# --- variant rules ------------------------------------------------------------------------------

_EMBEDDED = re.compile(r"^(?P<head>.+?)\s*\((?P<acr>[^()\s]{2,12})\)\s*(?P<tail>.*)$")
_CO_VOWEL = re.compile(r"\b([Cc]o)(?=[aeiou][a-z]{3,})")
_JOINABLE = re.compile(r"\b([A-Za-z]{2,4})-([a-z][a-z]+)\b")
_ISATION = re.compile(r"(?<=[a-z])isation")
_IZATION = re.compile(r"(?<=[a-z])ization")
_SPELLINGS = (
    (re.compile(r"\b([Cc]ent)re(s?)\b"), r"\1er\2"), (re.compile(r"\b([Cc]ent)er(s?)\b"), r"\1re\2"),
    (re.compile(r"\b([Pp]rogram)me(s?)\b"), r"\1\2"), (re.compile(r"\b([Pp]rogram)(s?)\b"), r"\1me\2"),
)
_AI = re.compile(r"(?<![\w&+])AI(?![\w+])")
_ARTIFICIAL = re.compile(r"\bArtificial Intelligence\b(?!\s*\(AI\))", re.IGNORECASE)
RULES = ("embedded-acronym", "hyphen", "spelling", "ai", "ocr")


def _isation(text: str) -> list[str]:
    """-isation ↔ -ization only: the -ise/-ize verbs have too many -ise words that never take z
    (Enterprise, Exercise), and names use the noun."""
    out = [v for v in (_ISATION.sub("ization", text), _IZATION.sub("isation", text)) if v != text]
    return out


def embedded_acronym(name: str) -> tuple[str, str, str] | None:
    """``Research, … One plus (RAISe+) Scheme`` → (name without the acronym, acronym, the acronym
    with the words after it: ``RAISe+ Scheme``). None when the brackets are not inside a name."""
    m = _EMBEDDED.match(name)
    if not m or not m.group("tail") or not re.search(r"[A-Z]", m.group("acr")):
        return None
    if sum(c.isupper() for c in m.group("acr")) < 2 or not m.group("tail")[:1].isupper():
        return None
    plain = f"{m.group('head')} {m.group('tail')}".strip()
    return plain, m.group("acr"), f"{m.group('acr')} {m.group('tail')}".strip()


_AI_ANY = re.compile(r"\bArtificial Intelligence(?:\s*\(AI\))?(?![\w+])|(?<![\w&+])AI(?![\w+])", re.IGNORECASE)
_AI_FORMS = (("AI", "ai"), ("Artificial Intelligence", "ai"), ("Artificial Intelligence (AI)", "ai"), ("Al", "ocr"))


def expand_variants(name: str, *, limit: int = 32) -> list[tuple[str, str]]:
    """Spellings of an English name a reader takes for the same name: ``[(variant, rule)]``,
    the name itself excluded. Chinese names need none (the key folds script and width).

    Three stages, so the rules never feed on each other's output: the acronym written inside a
    name; spelling and hyphenation toggles (a finite closure); then every ``AI`` /
    ``Artificial Intelligence`` / ``Artificial Intelligence (AI)`` in a multi-word name written
    each of those ways, and as the OCR slip ``Al``."""
    if not re.search(r"[A-Za-z]", name):
        return []
    name = re.sub(r"\s+", " ", name).strip()
    forms: dict[str, str] = {name: ""}

    def add(text: str, rule: str) -> bool:
        text = re.sub(r"\s+", " ", text).strip()
        if text and text not in forms and len(forms) <= limit:
            forms[text] = rule
            return True
        return False

    emb = embedded_acronym(name)
    if emb:
        add(emb[0], "embedded-acronym")
    queue = list(forms)
    while queue:
        text = queue.pop(0)
        rule = forms[text]
        toggles: list[tuple[str, str]] = []
        for m in _JOINABLE.finditer(text):
            toggles.append((text[:m.start()] + m.group(1) + m.group(2) + text[m.end():], "hyphen"))
        if _CO_VOWEL.search(text):
            toggles.append((_CO_VOWEL.sub(r"\1-", text), "hyphen"))
        toggles += [(v, "spelling") for v in _isation(text)]
        for rx, rep in _SPELLINGS:
            toggles.append((rx.sub(rep, text), "spelling"))
        if " & " in text:
            toggles.append((text.replace(" & ", " and "), "spelling"))
        for variant, r in toggles:
            if variant != text and add(variant, rule or r):
                queue.append(variant)
    if len(name.split()) > 1:
        for text, rule in list(forms.items()):
            if not _AI_ANY.search(text):
                continue
            for form, r in _AI_FORMS:
                add(_AI_ANY.sub(form, text), "ocr" if r == "ocr" else (rule or r))
    return [(t, r) for t, r in forms.items() if t != name]
