"""The ``near-miss`` check: a close but wrong rendering of a required term, where an admitted
short form hides it from ``missing-term``.

"New Industrial Acceleration Programme (NIAS)" for 新型工業加速計劃 passes ``missing-term``: the
acronym NIAS is an admitted rendering. A terminologist reads the full name beside it and sees
the glossary's "New Industrialisation Acceleration Scheme" with its head noun changed. This
check compares every window of the target's words with the term's full forms, word by word
(rapidfuzz's Indel similarity over word sequences, words equal when their stems or spellings
agree), so a changed head noun, a dropped, added or swapped word is found and an inflection or
another spelling (folded elsewhere) is not."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from zhen.corpora.words import is_stop, stem
from zhen.glossary.qa.index import ABBREVIATED_TYPES, Occurrence
from zhen.glossary.qa.records import Finding
from zhen.glossary.qa.terms import entry_severity, representative

if TYPE_CHECKING:  # pragma: no cover
    from zhen.glossary.qa.context import Context
    from zhen.glossary.qa.index import Text

#: Word-sequence similarity (Indel, 0–1) from which a window is a near miss of a term: a
#: four-word name with one word changed scores 0.75, one dropped 0.86, two swapped 0.75; a
#: two-word term with one word changed 0.5 (not reported). Recorded by check_signature().
NEAR_MISS_SIMILARITY = 0.7
#: Two words are the same word from this character similarity (rapidfuzz ratio, 0–100).
SAME_WORD_RATIO = 85
_WORD = re.compile(r"[a-z0-9][a-z0-9&+']*")


def _same_word(a: str, b: str) -> bool:
    from rapidfuzz import fuzz

    return a == b or stem(a) == stem(b) or fuzz.ratio(a, b) >= SAME_WORD_RATIO


def _full_forms(ctx: Context, entries) -> list[str]:
    """The entries' target terms that are not short forms, of at least two words, as keys."""
    from zhen.corpora.keys import match_key

    out = {}
    for k in sorted(entries):
        e = ctx.entries[k]
        terms = [e.en] + [t.text for t in e.en_variants if t.type not in ABBREVIATED_TYPES and t.status != "deprecated"]
        for t in terms:
            key = match_key(t)
            if len(_WORD.findall(key)) >= 2:
                out.setdefault(key, None)
    return list(out)


def _closest(form: str, t: Text, words: list[tuple[str, int, int]], blocked: list[tuple[int, int]]):
    """The target window most like ``form`` as (similarity, start, end) in original offsets,
    or None when none reaches :data:`NEAR_MISS_SIMILARITY`."""
    from rapidfuzz.distance import Indel

    term = _WORD.findall(form)
    n = len(term)
    tokens: list[int | str] = []
    # Matched words that carry meaning; a window must hold two and begin and end on words
    # that are not function words ("innovation and" is no rendering of anything).
    content = []
    for w, _, _ in words:
        content.append(not is_stop(w))
        j = next((j for j, tw in enumerate(term) if _same_word(w, tw)), None)
        tokens.append(j if j is not None else w)
    best = None
    for size in range(max(2, n - 1), n + 2):
        for a in range(0, len(words) - size + 1):
            window = tokens[a:a + size]
            matched = sum(isinstance(x, int) for x in window)
            if sum(isinstance(x, int) and c for x, c in zip(window, content[a:a + size])) < 2 or 2 * matched < n:
                continue
            if not isinstance(window[0], int) and not isinstance(window[-1], int):
                continue
            if not (content[a] and content[a + size - 1]):
                continue
            sim = Indel.normalized_similarity(list(range(n)), window)
            if sim < NEAR_MISS_SIMILARITY or sim >= 1.0:
                continue
            s, e = t.span(words[a][1], words[a + size - 1][2])
            if any(s < be and bs < e for bs, be in blocked):
                continue
            cand = (sim, matched, -size, -a)
            if best is None or cand > best[0]:
                best = (cand, a, size)
    if best is None:
        return None
    (sim, *_), a, size = best
    # A name runs on while its words are capitalised: "New Industrial Acceleration" scores
    # best as a dropped word, but the wrong rendering is "… Acceleration Programme".
    while a + size < len(words) and size <= n and content[a + size] and _capitalised(t, words[a + size]):
        s, e = t.span(words[a + size][1], words[a + size][2])
        if any(s < be and bs < e for bs, be in blocked):
            break
        size += 1
    s, e = t.span(words[a][1], words[a + size - 1][2])
    return sim, s, e


def _capitalised(t: Text, word: tuple[str, int, int]) -> bool:
    return t.text[t.span(word[1], word[2])[0]].isupper()


def check_near_miss(ctx: Context) -> list[Finding]:
    """Near miss: the target has a close but wrong form of a required term beside its short form.

    Where the source names a glossary concept and the target holds only an admitted short form
    of it (an acronym such as NIAS) and not its full English term, a run of target words that
    is nearly the full term — a word changed, dropped, added or swapped, word similarity at
    least 0.7 — is a wrong rendering of the name: error for an approved entry, warning for a
    candidate, info below score 0.75. Target terms the source calls for are not read as one.
    Where the target lacks the concept altogether, missing-term reports it instead (one problem,
    one finding). English targets only.
    """
    if ctx.tgt_kind != "en":
        return []
    out = []
    src_occ, tgt_occ = ctx.src_occ(), ctx.tgt_occ()
    for i in range(len(ctx.pairs)):
        if not src_occ[i] or not tgt_occ[i]:
            continue
        groups: dict[frozenset[int], list[Occurrence]] = defaultdict(list)
        for o in src_occ[i]:
            groups[o.entries].append(o)
        full: Counter[int] = Counter()
        short: Counter[int] = Counter()
        for o in tgt_occ[i]:
            is_short = all(r.type in ABBREVIATED_TYPES for r in o.refs)
            for e in o.entries:
                (short if is_short else full)[e] += 1
        t = ctx.tgt[i]
        words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(t.key)]
        # A window over a term the source calls for (this concept's short form included) is
        # that term, not a wrong rendering of another.
        wanted = {e for o in src_occ[i] for e in o.entries}
        for entries, occs in groups.items():
            n = len(occs)
            if max(full[e] for e in entries) >= n or max(full[e] + short[e] for e in entries) < n:
                continue
            blocked = [(o.start, o.end) for o in tgt_occ[i] if o.entries & wanted]
            hits = [(h, f) for f in _full_forms(ctx, entries) if (h := _closest(f, t, words, blocked))]
            if not hits:
                continue
            (sim, s, e), _form = max(hits, key=lambda h: h[0][0])
            k = representative(ctx, entries)
            entry = ctx.entries[k]
            expected = ctx.target_term(k)
            found = ctx.pairs[i].tgt_text[s:e]
            so = occs[0]
            out.append(Finding(i, "near-miss", entry_severity(entry, "error", "warning"), "terminology",
                               f"{found!r} is close to but not the glossary's {expected!r} "
                               f"(word similarity {sim:.2f})", so.start, so.end, s, e,
                               expected=expected, found=found, concept_id=entry.concept_id))
    return out
