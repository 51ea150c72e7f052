"""The ``spelling-variant`` check: a target term written in another spelling than the glossary's
(Industrialization for Industrialisation, program for programme, Cooperation for Co-operation).

The term index (:mod:`zhen.glossary.qa.index`) matches both spellings, so ``missing-term`` does
not call the other spelling missing; this check says the glossary prescribes one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhen.glossary.qa.records import Finding

if TYPE_CHECKING:  # pragma: no cover
    from zhen.glossary.qa.context import Context


def check_spelling_variant(ctx: Context) -> list[Finding]:
    """Spelling variant: a target term the source calls for, in another spelling than the glossary's.

    British/American (-ise/-ize, -our/-or, -re/-er, -yse/-yze, programme/program) and hyphenation
    (Co-operation/Cooperation) count as the same term for every other check; where the glossary
    lists only one spelling and the target uses another, this reports it: warning for an
    approved entry, info otherwise. A glossary that admits both spellings (as variants) gets no
    finding. ``zhen check --spelling`` picks the rules (``none``: no folding, and no finding here).
    """
    out = []
    src_occ, tgt_occ = ctx.src_occ(), ctx.tgt_occ()
    for i in range(len(ctx.pairs)):
        if not tgt_occ[i]:
            continue
        wanted = {e for o in src_occ[i] for e in o.entries}
        for o in tgt_occ[i]:
            mine = [r for r in o.refs if r.entry in wanted]
            if not mine or any(not r.variant for r in mine):
                continue
            ref = min(mine, key=lambda r: (r.type != "preferred", r.entry))
            entry = ctx.entries[ref.entry]
            found = ctx.pairs[i].tgt_text[o.start:o.end]
            sev = "warning" if entry.status == "approved" else "info"
            so = next(s for s in src_occ[i] if ref.entry in s.entries)
            out.append(Finding(i, "spelling-variant", sev, "misspelling",
                               f"{found!r} is spelled differently from the glossary's {ref.text!r}",
                               so.start, so.end, o.start, o.end, expected=ref.text, found=found,
                               concept_id=entry.concept_id))
    return out
