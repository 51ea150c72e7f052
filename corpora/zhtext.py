"""Chinese text tools: our own jieba tokenizer over a Simplified view, OpenCC keys, folding.

jieba's dictionary is Simplified, so Traditional (HK) text is tokenised through an OpenCC
``hk2s`` view of the same length and the token offsets are read back against the original.
OpenCC converters and the jieba dictionary load on first use, once (they cost ~1 s together).
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from functools import lru_cache

_lock = threading.Lock()


@lru_cache(maxsize=8)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def _convert_same_length(text: str, config: str) -> str:
    """Convert ``text`` with OpenCC; fall back to character-by-character conversion when a
    phrase rule changed the length, so offsets into the view stay offsets into the original."""
    conv = _converter(config)
    out = conv.convert(text)
    if len(out) == len(text):
        return out
    chars = []
    for ch in text:
        c = conv.convert(ch)
        chars.append(c if len(c) == 1 else ch)
    return "".join(chars)


# Words and terms are converted again and again (every candidate, every tag lookup); an OpenCC
# call costs microseconds a time, so short texts are remembered.
_SHORT = 32


@lru_cache(maxsize=1 << 16)
def _short(text: str, config: str) -> str:
    return _convert_same_length(text, config)


def to_simplified(text: str) -> str:
    """The Simplified (hk2s) view used for comparing and for jieba; same length as ``text``."""
    return _short(text, "hk2s") if len(text) <= _SHORT else _convert_same_length(text, "hk2s")


def to_hk(text: str) -> str:
    """HK Traditional for showing: Simplified characters that slipped into Traditional text
    (赋能 in 「AI赋能公共服務」) become 賦能; Traditional characters stay as they are."""
    return _short(text, "s2hk") if len(text) <= _SHORT else _convert_same_length(text, "s2hk")


_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH[0x3000] = 0x20
_QUOTES = str.maketrans({
    "「": '"', "」": '"', "『": '"', "』": '"', "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
    "‘": "'", "’": "'", "‚": "'", "′": "'", "`": "'",
})


def fold_width(text: str) -> str:
    """Full-width ASCII (ＡＩ，１２) to half-width; ideographic space to a space. Same length."""
    return text.translate(_WIDTH)


def fold_quotes(text: str) -> str:
    """Corner brackets and curly quotes to straight quotes. Same length."""
    return text.translate(_QUOTES)


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int


class ZhTokenizer:
    """A private ``jieba.Tokenizer`` (never jieba's global one) with quiet logging and optional
    user words. The dictionary loads on the first call."""

    def __init__(self, user_words: list[str] | tuple[str, ...] = ()) -> None:
        self._user_words = tuple(user_words)
        self._tk = None
        self._tags: dict[str, str] | None = None

    def _tokenizer(self):
        if self._tk is None:
            with _lock:
                if self._tk is None:
                    import jieba

                    logging.getLogger("jieba").setLevel(logging.WARNING)
                    jieba.setLogLevel(logging.WARNING)
                    tk = jieba.Tokenizer()
                    tk.initialize()
                    for word in self._user_words:
                        # jieba matches in Simplified; keep Traditional forms too so either script works.
                        tk.add_word(to_simplified(word), freq=None)
                    self._tk = tk
        return self._tk

    def add_word(self, word: str) -> None:
        self._tokenizer().add_word(to_simplified(word))

    def tokenize(self, text: str, *, hmm: bool = True) -> list[Token]:
        """Tokens of ``text`` (Traditional or Simplified) with offsets into ``text`` itself."""
        view = to_simplified(text)
        return [Token(text[a:b], a, b) for _, a, b in self._tokenizer().tokenize(view, HMM=hmm)]

    def pos(self, word: str) -> str:
        """jieba's part-of-speech tag of a dictionary word (ICTCLAS tags: ``n`` noun, ``v`` verb,
        ``vn`` verbal noun, ``a`` adjective, ``d`` adverb, ``p`` preposition, ``uj`` 的 …), read
        through the Simplified view; "" for a word jieba's dictionary does not list (a new
        compound or a name, which is how most terms look to it)."""
        if self._tags is None:
            self._tags = _word_tags(self._tokenizer())
        return self._tags.get(to_simplified(word), "")

    def words(self, text: str) -> list[str]:
        return [t.text for t in self.tokenize(text) if t.text.strip()]


_TAGS: dict[str, str] | None = None


def _word_tags(tk) -> dict[str, str]:
    """jieba's word → tag table, read once a process (about half a second): every tokenizer
    shares jieba's main dictionary, which is where the tags come from (user words carry none).
    Importing ``jieba.posseg`` already reads it into its default ``POSTokenizer`` (``dt``), so
    that one's table is taken rather than a second copy read."""
    global _TAGS
    if _TAGS is None:
        with _lock:
            if _TAGS is None:
                import jieba.posseg

                main = jieba.posseg.dt
                same = main.tokenizer.dictionary == tk.dictionary
                _TAGS = main.word_tag_tab if same else jieba.posseg.POSTokenizer(tk).word_tag_tab
    return _TAGS


def jieba_version() -> str:
    from importlib.metadata import version

    try:
        return version("jieba")
    except Exception:  # a vendored or renamed build: the signature still records something
        return "unknown"


def opencc_version() -> str:
    from importlib.metadata import version

    for name in ("opencc", "OpenCC", "opencc-python-reimplemented"):
        try:
            return version(name)
        except Exception:
            continue
    return "unknown"
