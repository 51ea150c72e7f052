"""Sentence-internal structure for the aligner: where quoted speech (a dialogue turn) is open.

Free translation re-cuts sentences but keeps dialogue turns: 周瑞家的道：“等奶奶的示下。”
becomes "'No, ma'am." + "I was waiting for your instructions.'". A bead that ends inside a
quotation on one side and outside it on the other cuts a turn in two, so the aligner charges
for it. The state after each sentence depends only on the last quotation mark in it (or is
carried over when it has none), so one misread mark cannot derail the rest of the document.

English single quotes double as apostrophes (ma'am, boys'): a quote opens only after a
space, a bracket or a dash (or at the start) before a non-space; it closes before a space,
punctuation or the end — a straight single quote after a letter only while a quotation is open
(``'tramples' in``, but not ``the boys' legs`` in narration).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

__all__ = ["quote_states"]

_ZH_OPEN, _ZH_CLOSE = "“「『‘", "”」』’"
_EN_QUOTE = re.compile(r"""['"‘’“”]""")
_OPEN_BEFORE = set(" \t([—–-")
_CLOSE_AFTER = set(" \t.,!?;:)]—–-")


def _zh_events(text: str) -> list[int]:
    return [1 if c in _ZH_OPEN else 0 for c in text if c in _ZH_OPEN or c in _ZH_CLOSE]


def _en_events(text: str, state: int) -> list[int]:
    ev = []
    for m in _EN_QUOTE.finditer(text):
        k, q = m.start(), m.group()
        before = text[k - 1] if k else " "
        after = text[k + 1] if k + 1 < len(text) else " "
        if before in _OPEN_BEFORE and not after.isspace() and q not in "’”":
            state = 1
        elif not before.isspace() and after in _CLOSE_AFTER and q not in "‘“":
            if q != "'" or not before.isalpha() or state:
                state = 0
            else:
                continue
        else:
            continue
        ev.append(state)
    return ev


def quote_states(texts: Sequence[str], zh: bool) -> tuple[np.ndarray, float]:
    """(1.0 where a quotation is open after the sentence else 0.0, share of sentences with any
    quotation mark). The share lets the caller ignore sides that never quote."""
    state, out, marked = 0, np.zeros(len(texts), np.float32), 0
    for i, t in enumerate(texts):
        ev = _zh_events(t) if zh else _en_events(t, state)
        if ev:
            marked += 1
            state = ev[-1]
        out[i] = state
    return out, (marked / len(texts) if len(texts) else 0.0)
