"""``number``: a number on one side of a pair that the other side does not carry, read with
:mod:`zhen.corpora.numbers` so that Chinese numerals and units compare with English ones."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from zhen.glossary.qa.records import Finding

if TYPE_CHECKING:  # pragma: no cover
    from zhen.glossary.qa.context import Context

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


def check_number(ctx: Context) -> list[Finding]:
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
