"""``acronym``: an acronym in the target used before the file defines it, or defined two ways.
Definitions are found by :func:`zhen.corpora.acronyms.find_definitions`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhen.corpora.acronyms import ACRONYM_RX, Definition
from zhen.corpora.keys import match_key
from zhen.glossary.qa.records import Finding

if TYPE_CHECKING:  # pragma: no cover
    from zhen.glossary.qa.context import Context


def check_acronym(ctx: Context) -> list[Finding]:
    """Acronym: an acronym in the target used before it is defined, or defined two ways.

    A definition is "long form (ACR)" (English) or 長名稱（ACR） (Chinese). An acronym that the
    file defines somewhere but uses earlier without its definition: warning (ITS ``style``;
    readers meet it before they are told what it means). An acronym defined with two different
    long forms: warning (ITS ``inconsistency``). Acronyms the file never defines are left alone
    (AI, STEM).
    """
    defs = ctx.definitions("tgt")
    first_def: dict[str, tuple[int, Definition]] = {}
    out = []
    for i in sorted(defs):
        for d in defs[i]:
            if d.acronym not in first_def:
                first_def[d.acronym] = (i, d)
                continue
            j, d0 = first_def[d.acronym]
            if not _same_long_form(d0.long_form, d.long_form):
                out.append(Finding(i, "acronym", "warning", "inconsistency",
                                   f"{d.acronym} is defined as {d.long_form!r} here but as "
                                   f"{d0.long_form!r} in pair {j + 1}",
                                   tgt_start=d.start, tgt_end=d.end, expected=d0.long_form,
                                   found=d.long_form))
    if not first_def:
        return out
    for i, p in enumerate(ctx.pairs):
        text = p.tgt_text
        if not text:
            continue
        inside = [(d.start, d.end) for d in defs.get(i, ())]
        for m in ACRONYM_RX.finditer(text):
            acr = m.group(1)
            if acr not in first_def:
                continue
            j, d0 = first_def[acr]
            if (i, m.start()) >= (j, d0.start):
                continue
            if any(s <= m.start() < e for s, e in inside):
                continue
            out.append(Finding(i, "acronym", "warning", "style",
                               f"{acr} is used before it is defined in pair {j + 1} ({d0.long_form} ({acr}))",
                               tgt_start=m.start(), tgt_end=m.end(),
                               expected=f"{d0.long_form} ({acr})", found=acr))
    return out


def _same_long_form(a: str, b: str) -> bool:
    ka, kb = match_key(a), match_key(b)
    return ka == kb or ka.endswith(" " + kb) or kb.endswith(" " + ka)
