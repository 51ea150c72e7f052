"""Which way a file of pairs goes (zh→en or en→zh), and whether its pairs are translations of
each other at all: the checks refuse empty, mixed-up or shifted input instead of reporting
noise on every pair."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from zhen.corpora.errors import InputError
from zhen.corpora.scripts import lang_kind, text_lang, zh_tag

if TYPE_CHECKING:  # pragma: no cover
    from zhen.align.formats import AlignedPair

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


def language_kind(lang: str) -> str:
    """``zh`` or ``en`` for a BCP-47 tag; :class:`InputError` for any other language."""
    kind = lang_kind(lang)
    if kind is None:
        raise InputError(None, f"language {lang!r} is not Chinese or English",
                         hint="zhen check handles zh-HK (or zh) and en, in either direction")
    return kind


def _side_kind(text: str) -> str | None:
    """``zh``/``en`` by script; None for a text without letters or ideographs."""
    return text_lang(text, default="") or None


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
    tag = {"zh": zh_tag(src_texts if s_kind == "zh" else tgt_texts), "en": "en"}
    return tag[s_kind], tag[t_kind]


def validate_pairs(pairs: Sequence[AlignedPair], source: str | None) -> None:
    """Refuse no pairs, no pair with text on both sides, or mostly one-sided pairs."""
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


def check_alignment(pairs: Sequence[AlignedPair], src_lang: str, tgt_lang: str, source: str | None,
                    numbers: Callable[[], list[tuple[list, list]]] | None = None) -> None:
    """Refuse a file whose pairs are not translations of each other: a shifted alignment has
    uncorrelated lengths and numbers that never agree (see the thresholds above). ``numbers``
    gives each pair's (source, target) numbers when a caller has them already."""
    from zhen.corpora.numbers import extract_numbers, match_numbers

    live = [i for i, p in enumerate(pairs) if p.src_text.strip() and p.tgt_text.strip()]
    if len(live) < MISALIGNED_MIN_PAIRS:
        return
    xs = [math.log1p(len(pairs[i].src_text)) for i in live]
    ys = [math.log1p(len(pairs[i].tgt_text)) for i in live]
    corr = _pearson(xs, ys)
    if corr is None or corr >= MISALIGNED_LENGTH_CORR:
        return
    src_kind, tgt_kind = language_kind(src_lang), language_kind(tgt_lang)
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
