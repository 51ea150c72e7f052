"""Merging a rebuilt glossary into one people have reviewed.

Rules (a rebuild proposes, a person decides):

* an entry a person touched — approved, rejected, edited (its text no longer hashes to its id)
  or annotated (a note) — is kept exactly as it is;
* a rebuilt pair that a reviewed entry already covers (same id, or the same English or Chinese
  term, preferred or variant) is not added again; a rejected pair is never proposed again;
* untouched candidates are replaced by their rebuilt version, and kept when the rebuild no longer
  finds them (they may come from other documents);
* new pairs come in as candidates.
"""

from __future__ import annotations

from zhen.glossary.model import Entry, Glossary, concept_id, normalise_key


def _keys(e: Entry) -> set[tuple[str, str]]:
    return {("en", normalise_key(t)) for t in e.terms("en")} | {("zh", normalise_key(t)) for t in e.terms("zh")}


def merge_glossaries(existing: Glossary, rebuilt: Glossary) -> Glossary:
    """``existing`` with ``rebuilt`` folded in; neither input changes (both are immutable)."""
    reviewed = [e for e in existing.entries if e.reviewed]
    blocked_ids = {e.concept_id for e in reviewed} | {concept_id(e.en, e.zh) for e in reviewed}
    # A rejected pair stays rejected under its original text too (the id hashes what the
    # builder proposed), and a reviewed entry owns all its terms.
    blocked_terms: set[tuple[str, str]] = set()
    rejected_pairs = set()
    for e in reviewed:
        blocked_terms |= _keys(e) if e.status != "rejected" else set()
        if e.status == "rejected":
            rejected_pairs.add((normalise_key(e.en), normalise_key(e.zh)))
    out: dict[str, Entry] = {e.concept_id: e for e in reviewed}
    rebuilt_ids = set()
    for e in rebuilt.entries:
        if e.concept_id in blocked_ids or (normalise_key(e.en), normalise_key(e.zh)) in rejected_pairs:
            continue
        if _keys(e) & blocked_terms:
            continue
        out[e.concept_id] = e
        rebuilt_ids.add(e.concept_id)
    for e in existing.entries:
        if not e.reviewed and e.concept_id not in out:
            out[e.concept_id] = e
    meta = dict(existing.meta)
    meta.update(rebuilt.meta)
    return Glossary.of(out.values(), meta)
