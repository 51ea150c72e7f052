"""The glossary checks proper: a source term without its translation (``missing-term``), and a
target term the glossary says not to use (``deprecated-term``)."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from zhen.corpora.keys import match_key
from zhen.glossary.qa.index import ANY_STATUS, Occurrence, TermIndex
from zhen.glossary.qa.records import Finding

if TYPE_CHECKING:  # pragma: no cover
    from zhen.glossary.qa.context import Context

#: Entries a reviewer has not approved, scoring below this, only ever give ``info``: in a
#: glossary zhen builds they are pairs found by association alone (科技創新 ↔ I&T on the deck).
#: Recorded by check_signature().
LOW_SCORE = 0.75


def entry_severity(entry, strong: str, weak: str) -> str:
    """Approved entries speak with ``strong``; candidates with ``weak``; low-scoring candidates
    only with ``info`` (the deck's own glossary is all candidates, some of them wrong)."""
    if entry.status == "approved":
        return strong
    if entry.score < LOW_SCORE:
        return "info"
    return weak


def representative(ctx: Context, entries: frozenset[int]) -> int:
    """The entry that speaks for a mention of several: approved first, then the best score."""
    return min(entries, key=lambda e: (-(ctx.entries[e].status == "approved"), -ctx.entries[e].score, e))


def check_missing_term(ctx: Context) -> list[Finding]:
    """Missing term: a glossary term is in the source but its translation is not in the target.

    Source terms are the preferred term and every admitted variant (never a deprecated one),
    matched longest first; "X (Y)" where both name one concept counts once. The target must hold
    one of the concept's target terms (any variant, plural allowed) as often as the source holds
    the concept. None at all: error for an approved entry, warning for a candidate. Fewer than in
    the source: warning for an approved entry, info otherwise (a translation may say "the
    scheme" the second time). Candidates scoring below 0.75 only give info.
    """
    out = []
    src_occ, tgt_occ = ctx.src_occ(), ctx.tgt_occ()
    for i in range(len(ctx.pairs)):
        if not src_occ[i]:
            continue
        groups: dict[frozenset[int], list[Occurrence]] = defaultdict(list)
        for o in src_occ[i]:
            groups[o.entries].append(o)
        tgt_count: Counter[int] = Counter()
        for o in tgt_occ[i]:
            for e in o.entries:
                tgt_count[e] += 1
        for entries, occs in groups.items():
            n = len(occs)
            m = max(tgt_count[e] for e in entries)
            if m >= n:
                continue
            k = representative(ctx, entries)
            entry = ctx.entries[k]
            o = occs[m]  # the first source mention left without a translation
            expected = ctx.target_term(k)
            src_term = ctx.pairs[i].src_text[o.start:o.end]
            if m == 0:
                sev = entry_severity(entry, "error", "warning")
                msg = f"{src_term!r} is in the source but no translation of it is in the target"
            else:
                sev = entry_severity(entry, "warning", "info")
                msg = f"{src_term!r} appears {n} times in the source, its translation {m}"
            out.append(Finding(i, "missing-term", sev, "terminology", msg, o.start, o.end,
                               expected=expected, found="" if m == 0 else f"{m} of {n}",
                               concept_id=entry.concept_id))
    return out


def check_deprecated_term(ctx: Context) -> list[Finding]:
    """Deprecated or rejected term: the target uses a term the glossary says not to use.

    A variant whose status is ``deprecated`` is flagged wherever it stands in the target (error
    when the source mentions the concept, warning otherwise); the preferred term is expected. An
    entry a reviewer ``rejected`` says "this is not the translation of that": its target term is
    flagged (warning) when its source term is in the same pair's source, unless a live entry pairs
    the same two terms.
    """
    out = []
    src_occ, tgt_occ = ctx.src_occ(), ctx.tgt_occ()
    for i in range(len(ctx.pairs)):
        in_src: dict[int, Occurrence] = {}
        for o in src_occ[i]:
            for e in o.entries:
                in_src.setdefault(e, o)
        for o in tgt_occ[i]:
            if not all(r.status == "deprecated" for r in o.refs):
                continue
            k = min(o.entries)
            entry = ctx.entries[k]
            found = ctx.pairs[i].tgt_text[o.start:o.end]
            so = next((in_src[e] for e in sorted(o.entries) if e in in_src), None)
            out.append(Finding(i, "deprecated-term", "error" if so else "warning", "terminology",
                               f"{found!r} is a deprecated term; use {ctx.target_term(k)!r}",
                               so.start if so else None, so.end if so else None, o.start, o.end,
                               expected=ctx.target_term(k), found=found, concept_id=entry.concept_id))
    if ctx.rejected:
        out += _rejected_pairs(ctx)
    return out


def _rejected_pairs(ctx: Context) -> list[Finding]:
    live_pairs = {(match_key(t_src), match_key(t_tgt)) for e in ctx.entries
                  for t_src in e.terms(ctx.src_kind) for t_tgt in e.terms(ctx.tgt_kind)}
    src_index = TermIndex(ctx.rejected, ctx.src_kind, statuses=ANY_STATUS)
    tgt_index = TermIndex(ctx.rejected, ctx.tgt_kind, statuses=ANY_STATUS)
    out = []
    for i in range(len(ctx.pairs)):
        if not ctx.live(i):
            continue
        s_occ = src_index.find(ctx.src[i])
        if not s_occ:
            continue
        in_src = {e: o for o in s_occ for e in o.entries}
        for o in tgt_index.find(ctx.tgt[i], frozenset(in_src)):
            for k in sorted(o.entries & set(in_src)):
                entry = ctx.rejected[k]
                so = in_src[k]
                s_text = ctx.pairs[i].src_text[so.start:so.end]
                t_text = ctx.pairs[i].tgt_text[o.start:o.end]
                if (match_key(s_text), match_key(t_text)) in live_pairs:
                    continue
                out.append(Finding(i, "deprecated-term", "warning", "terminology",
                                   f"{t_text!r} as the translation of {s_text!r} was rejected in the glossary",
                                   so.start, so.end, o.start, o.end, expected="", found=t_text,
                                   concept_id=entry.concept_id))
                break
    return out
