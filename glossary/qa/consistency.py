"""``inconsistency``: one thing rendered in different ways across a file, segment by segment and
glossary concept by concept."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from zhen.corpora.keys import is_word_char, match_key
from zhen.glossary.qa.context import segment_key
from zhen.glossary.qa.index import ABBREVIATED_TYPES, Occurrence
from zhen.glossary.qa.records import Finding

if TYPE_CHECKING:  # pragma: no cover
    from zhen.glossary.qa.context import Context


def _meaningful(key: str) -> bool:
    """Worth comparing across the file: at least two letters or ideographs (not a lone number,
    bullet or single character, which repeat everywhere with different neighbours)."""
    letters = sum(1 for c in key if c.isalpha())
    return letters >= 2


def check_inconsistency(ctx: Context) -> list[Finding]:
    """Inconsistent translation: one thing rendered in different ways across the file.

    * The same source segment (compared through the match key, ignoring case, width, script,
      spaces and trailing punctuation, and reading "long form (ACR)" as "ACR") with different
      targets: warning on each pair that differs from the most common rendering.
    * The reverse: the same target from different sources (a copy-paste translation, or a
      source-side slip such as 聯通/連通): info.
    * The same glossary concept rendered with different full target terms (acronyms and short
      forms aside), and the reverse: info on the pairs that use the less common one.
    """
    out = []
    defs, src_defs = ctx.definitions("tgt"), ctx.definitions("src")
    live = [i for i in range(len(ctx.pairs)) if ctx.live(i)]
    s_keys = {i: segment_key(ctx.src[i], ctx.src_kind, src_defs.get(i)) for i in live}
    t_keys = {i: segment_key(ctx.tgt[i], ctx.tgt_kind, defs.get(i)) for i in live}
    for by, other, side_sev, label in ((s_keys, t_keys, "warning", "source"),
                                       (t_keys, s_keys, "info", "target")):
        groups: dict[str, list[int]] = defaultdict(list)
        for i in live:
            if _meaningful(by[i]):
                groups[by[i]].append(i)
        for members in groups.values():
            if len(members) < 2:
                continue
            renderings = Counter(other[i] for i in members)
            if len(renderings) < 2:
                continue
            first_seen = {}
            for i in members:
                first_seen.setdefault(other[i], i)
            ref_key = min(renderings, key=lambda k: (-renderings[k], first_seen[k]))
            ref = first_seen[ref_key]
            for i in members:
                if other[i] == ref_key:
                    continue
                if label == "source":
                    ref_text, text = ctx.pairs[ref].tgt_text, ctx.pairs[i].tgt_text
                    s, e = _diff_span(ref_text, text)
                    msg = (f"the same source segment is translated differently in pair {ref + 1}"
                           f" ({renderings[ref_key]} of {len(members)} pairs use that rendering)")
                    out.append(Finding(i, "inconsistency", side_sev, "inconsistency", msg,
                                       tgt_start=s, tgt_end=e, expected=ref_text, found=text))
                else:
                    ref_text, text = ctx.pairs[ref].src_text, ctx.pairs[i].src_text
                    s, e = _diff_span(ref_text, text)
                    msg = f"the same target translates a different source in pair {ref + 1}"
                    out.append(Finding(i, "inconsistency", side_sev, "inconsistency", msg,
                                       src_start=s, src_end=e, expected=ref_text, found=text))
    out += _concept_inconsistency(ctx)
    return out


def _diff_span(ref: str, text: str) -> tuple[int, int]:
    """The part of ``text`` that differs from ``ref`` (common head and tail off, widened to
    whole Latin words), so a report marks 連 in 連通 rather than the whole segment."""
    a = 0
    n = min(len(ref), len(text))
    while a < n and ref[a] == text[a]:
        a += 1
    b = 0
    while b < n - a and ref[len(ref) - 1 - b] == text[len(text) - 1 - b]:
        b += 1
    s, e = a, len(text) - b
    while s > 0 and is_word_char(text[s - 1]):
        s -= 1
    while e < len(text) and is_word_char(text[e]):
        e += 1
    if s >= e:  # text is ref with something removed: mark all of it
        return 0, len(text)
    return s, e


def _concept_inconsistency(ctx: Context) -> list[Finding]:
    src_occ, tgt_occ = ctx.src_occ(), ctx.tgt_occ()
    out = []
    for side in ("tgt", "src"):
        # For each concept named on both sides of a pair: which full term did `side` use?
        uses: dict[int, list[tuple[int, Occurrence, str]]] = defaultdict(list)
        for i in range(len(ctx.pairs)):
            this, that = (tgt_occ[i], src_occ[i]) if side == "tgt" else (src_occ[i], tgt_occ[i])
            there = {e for o in that for e in o.entries}
            for o in this:
                full = [r for r in o.refs if r.type not in ABBREVIATED_TYPES and r.type != "simplified"
                        and r.status != "deprecated" and r.entry in there]
                if len(o.entries) != 1 or not full:
                    continue
                uses[full[0].entry].append((i, o, match_key(full[0].text)))
        for k, rows in sorted(uses.items()):
            counts = Counter(key for _, _, key in rows)
            if len(counts) < 2:
                continue
            first = {}
            for i, o, key in rows:
                first.setdefault(key, (i, o))
            ref_key = min(counts, key=lambda key: (-counts[key], first[key][0]))
            ref_i, ref_o = first[ref_key]
            texts = ctx.pairs[ref_i].tgt_text if side == "tgt" else ctx.pairs[ref_i].src_text
            ref_text = texts[ref_o.start:ref_o.end]
            for i, o, key in rows:
                if key == ref_key:
                    continue
                t = ctx.pairs[i].tgt_text if side == "tgt" else ctx.pairs[i].src_text
                found = t[o.start:o.end]
                where = {"tgt_start": o.start, "tgt_end": o.end} if side == "tgt" else \
                    {"src_start": o.start, "src_end": o.end}
                what = "rendered" if side == "tgt" else "written in the source"
                out.append(Finding(i, "inconsistency", "info", "inconsistency",
                                   f"concept {what} as {found!r} here but {ref_text!r} in pair {ref_i + 1}",
                                   expected=ref_text, found=found,
                                   concept_id=ctx.entries[k].concept_id, **where))
    return out
